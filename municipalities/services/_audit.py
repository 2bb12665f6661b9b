"""How the writes of a municipality's plan are audited: one row per changed value (tenants.audit.audit_row),
named by the Dutch word for the kind of row and its UUID, with the municipality.

A service takes the row's state before the change (``row_state``; None for a row not made yet), makes
the change, and hands both states to ``audit_change`` in the same transaction. Every field of the row is
in its state (tenants.audit.audit_values), so a field added to a model later is audited without a word.
Every row of the plan is audited: the plan itself, its steps, milestones, principles, participation
events, council decisions, priorities, indicators with their yearly values, yearly plans and actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

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
from tenants.audit import audit_row, audit_values
from tenants.models import Municipality, User

# The kind of row as the audit trail names it (AuditEvent.object_type).
OBJECT_TYPES: dict[type[models.Model], str] = {
    SafetyPlan: "veiligheidsplan",
    PlanStep: "planstap",
    Milestone: "mijlpaal",
    Principle: "uitgangspunt",
    Priority: "prioriteit",
    ImplementationPlan: "uitvoeringsplan",
    Action: "actie",
    Kpi: "indicator",
    ParticipationEvent: "participatiemoment",
    PlanDecision: "raadsbesluit",
}


def row_state(row: models.Model, extra: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The row's values as the audit sees them (with ``extra``, what else belongs to it); None before it exists."""
    if row.pk is None:
        return None
    return {**audit_values(row), **(extra or {})}


def measurement_state(kpi: Kpi) -> dict[str, str]:
    """An indicator's yearly values as part of its state: "meting 2024" → "38.5", read from the database."""
    if kpi.pk is None:
        return {}
    rows = Measurement.objects.filter(kpi=kpi).values_list("year", "value")
    return {f"meting {year}": format(value.normalize(), "f") for year, value in rows}


def audit_change(
    *,
    actor: User | None,
    municipality: Municipality,
    row: Any,
    before: Mapping[str, str] | None,
    after: Mapping[str, str] | None,
) -> None:
    """Audit ``row`` going from ``before`` to ``after`` (None: made, or removed); inside the change's transaction."""
    audit_row(
        actor=actor,
        municipality=municipality,
        object_type=OBJECT_TYPES[type(row)],
        object_uuid=row.uuid,
        label=str(row),
        before=before,
        after=after,
    )
