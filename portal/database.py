"""The database settings, from a libpq URL (DATABASE_URL)."""

from __future__ import annotations

import os

from psycopg.conninfo import conninfo_to_dict


def database_from_url(url: str) -> dict[str, object]:
    """Turn a libpq URL (also one with ?host=/socket/dir) into a Django DATABASES entry."""
    params = conninfo_to_dict(url)
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": params.pop("dbname", "portal"),
        "USER": params.pop("user", ""),
        "PASSWORD": params.pop("password", ""),
        "HOST": params.pop("host", ""),
        "PORT": params.pop("port", ""),
        # 0: under ASGI every request runs in a thread of its own, so a persistent connection is
        # never reused, only left open: with 8 clients the server held 99 and PostgreSQL refused
        # the rest (bench http). Django's docs say the same for async deployments.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": params,
    }
