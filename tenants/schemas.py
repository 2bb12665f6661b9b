"""The tenant boundary for writes: a service that changes a municipality's schema checks it is in it."""

from __future__ import annotations

from django.db import connection

from tenants.models import Municipality


def require_schema_of(municipality: Municipality) -> None:
    """Refuse to write when the connection is not in this municipality's schema (defence in depth)."""
    current = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    if current != municipality.schema_name:
        raise RuntimeError(f"in schema {current!r}, not {municipality.schema_name!r}")
