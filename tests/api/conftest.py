"""Helpers for the API suites: the three test municipalities and what their schemas hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context

from municipalities.models import SafetyPlan
from tenants.models import Municipality

PlanRows = dict[str, dict[str, Any]]


def schema_plans(municipality: Municipality) -> PlanRows:
    """Every plan in the municipality's own schema, by UUID (ids repeat across schemas, UUIDs do not)."""
    with schema_context(municipality.schema_name):
        rows = SafetyPlan.objects.values("uuid", "id", "title", "status", "summary", "updated_at")
        return {str(row["uuid"]): {k: v for k, v in row.items() if k != "uuid"} for row in rows}


@pytest.fixture
def municipalities(heemstede: Municipality, haarlem: Municipality, bloemendaal: Municipality) -> list[Municipality]:
    return [heemstede, haarlem, bloemendaal]


@pytest.fixture
def all_plans(municipalities: list[Municipality]) -> Callable[[], dict[str, PlanRows]]:
    """all_plans(): {cbs_code: {uuid: row}} for the three schemas, read now."""

    def read() -> dict[str, PlanRows]:
        return {m.cbs_code: schema_plans(m) for m in municipalities}

    return read


def plans_url(municipality: Municipality, plan_uuid: str | None = None) -> str:
    url = f"/api/v1/gemeenten/{municipality.cbs_code}/veiligheidsplannen"
    return f"{url}/{plan_uuid}" if plan_uuid else url
