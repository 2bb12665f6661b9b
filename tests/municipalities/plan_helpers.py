"""Helpers for the plan page tests: a municipality's 2024 plan and its addresses, IMV themes,
adding a priority, the page's visible text, and snapshots of every plan row."""

from __future__ import annotations

import html
import re
from typing import Any

from django_tenants.utils import schema_context

from imv.models import PriorityProjection, Theme
from municipalities.models import (
    Action,
    ImplementationPlan,
    Kpi,
    Measurement,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStep,
    Principle,
    Priority,
    SafetyPlan,
)
from municipalities.services import priority_save
from tenants.models import Municipality

CYBER = "Cybercrime en gedigitaliseerde criminaliteit"
# Typed loosely: mypy's Django plugin would check the "uuid" lookup against the union of all of them.
UUID_MODELS: tuple[type[Any], ...] = (
    SafetyPlan,
    Priority,
    Kpi,
    ImplementationPlan,
    Action,
    PlanStep,
    Milestone,
    Principle,
    ParticipationEvent,
    PlanDecision,
)
PLAN_MODELS: tuple[type[Any], ...] = (*UUID_MODELS, Measurement)


def plan_2024(municipality: Municipality) -> SafetyPlan:
    with schema_context(municipality.schema_name):
        return SafetyPlan.objects.get(period_start=2024)


def plan_url(municipality: Municipality, plan: SafetyPlan, rest: str = "") -> str:
    return f"/gemeenten/{municipality.slug}/veiligheidsplannen/{plan.uuid}/{rest}"


def theme(name: str) -> Theme:
    return Theme.objects.get(cycle__name="IMV 2024-2027", name=name)


def snapshot(municipalities: list[Municipality]) -> dict[str, Any]:
    """Every plan row of these schemas, and their shared projection: equal before and after means unchanged."""
    state: dict[str, Any] = {}
    for municipality in municipalities:
        with schema_context(municipality.schema_name):
            for model in PLAN_MODELS:
                rows = list(model._default_manager.order_by("pk").values())
                state[f"{municipality.schema_name}.{model.__name__}"] = [
                    {k: v for k, v in row.items() if k != "updated_at"} for row in rows
                ]
    projection = PriorityProjection.objects.filter(municipality__in=municipalities).order_by("pk")
    state["projection"] = list(projection.values())
    return state


def schema_uuids(municipality: Municipality) -> set[str]:
    """The UUID of every plan row in the municipality's schema."""
    uuids: set[str] = set()
    with schema_context(municipality.schema_name):
        for model in UUID_MODELS:
            uuids |= {str(row["uuid"]) for row in model._default_manager.values("uuid")}
    return uuids


def add_priority(municipality: Municipality, plan: SafetyPlan, title: str, themes: list[Theme]) -> Priority:
    with schema_context(municipality.schema_name):
        return priority_save(
            municipality=municipality,
            plan=plan,
            title=title,
            field_code="5",
            theme_code="5.2",
            imv_themes=[t.uuid for t in themes],
        )


def text(response: Any) -> str:
    """The page's visible text, roughly: tags removed and whitespace folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
