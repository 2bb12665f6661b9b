"""Writes of a municipality's local priorities, each with its shared-schema projection.

Callers are inside the municipality's schema and name the municipality explicitly; a write in
any other schema is refused. The projection (imv.models.PriorityProjection) changes in the same
transaction, so the region's alignment figures never disagree with the schemas. Every change is
audited with the person who made it (``actor``; None for a change by the system).
"""

from __future__ import annotations

import uuid

from django.db import models, transaction
from django.utils.translation import gettext as _

from imv.models import Theme
from imv.services import projection_delete, projection_upsert
from municipalities.models import Priority, SafetyPlan
from municipalities.reference import kbv_fields, kbv_themes
from municipalities.services._audit import audit_change, measurement_state, row_state
from portal.exceptions import PortalError
from tenants.models import Municipality, User
from tenants.schemas import require_schema_of


# --- Priorities and the shared-schema projection -------------------------------------------
def _project(municipality: Municipality, priority: Priority) -> None:
    plan = priority.plan
    projection_upsert(
        municipality=municipality,
        priority_uuid=priority.uuid,
        plan_uuid=plan.uuid,
        period=(plan.period_start, plan.period_end),
        title=priority.title,
        field_code=priority.field_code,
        theme_code=priority.theme_code,
        imv_themes=priority.imv_themes,
        is_example=plan.is_example,
    )


def _check_priority(
    municipality: Municipality,
    title: str,
    field_code: str,
    theme_code: str,
    imv_themes: list[uuid.UUID],
) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Geef de prioriteit een naam.")]
    theme = kbv_themes().get(theme_code)
    if field_code not in kbv_fields():
        errors["field_code"] = [_("Kies een van de vijf veiligheidsvelden.")]
    elif theme is None:
        errors["theme_code"] = [_("Kies een thema van het Kernbeleid Veiligheid.")]
    elif theme.field_code not in (field_code, "X"):
        errors["theme_code"] = [
            _("Thema %(theme)s hoort niet bij veiligheidsveld %(field)s.") % {"theme": theme_code, "field": field_code}
        ]
    known = set(
        Theme.objects.filter(uuid__in=imv_themes, cycle__police_unit_id=municipality.police_unit_id).values_list(
            "uuid", flat=True
        )
    )
    if unknown := [str(u) for u in imv_themes if u not in known]:
        errors["imv_themes"] = [_("Onbekend IMV-thema: %(uuids)s") % {"uuids": ", ".join(unknown)}]
    if errors:
        raise PortalError(_("De prioriteit is niet opgeslagen."), errors=errors)


@transaction.atomic
def priority_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    priority: Priority | None = None,
    title: str,
    description: str = "",
    field_code: str,
    theme_code: str,
    imv_themes: list[uuid.UUID],
    actor: User | None = None,
) -> Priority:
    """Create or change a local priority and its shared-schema projection, in one transaction; audited."""
    require_schema_of(municipality)
    _check_priority(municipality, title, field_code, theme_code, imv_themes)
    if priority is None:
        priority = Priority(plan=plan, position=plan.priorities.count() + 1)
    before = row_state(priority)
    priority.title = title.strip()
    priority.description = description
    priority.field_code = field_code
    priority.theme_code = theme_code
    priority.imv_themes = sorted(set(imv_themes))
    priority.save()
    _project(municipality, priority)
    audit_change(actor=actor, municipality=municipality, row=priority, before=before, after=row_state(priority))
    return priority


@transaction.atomic
def priority_delete(*, municipality: Municipality, priority: Priority, actor: User | None = None) -> None:
    """Remove a local priority (its indicators and links go with it) and its projection; the removal of
    the priority and its indicators is audited."""
    require_schema_of(municipality)
    states: list[tuple[models.Model, dict[str, str] | None]] = [(priority, row_state(priority))]
    states += [(kpi, row_state(kpi, measurement_state(kpi))) for kpi in priority.kpis.all()]
    projection_delete(priority_uuids=[priority.uuid])
    priority.delete()
    for row, state in states:
        audit_change(actor=actor, municipality=municipality, row=row, before=state, after=None)


@transaction.atomic
def safety_plan_period_set(
    *, municipality: Municipality, plan: SafetyPlan, start: int, end: int, actor: User | None = None
) -> SafetyPlan:
    """Change a plan's period; the projections of its priorities follow in the same transaction. Audited."""
    require_schema_of(municipality)
    before = row_state(plan)
    if end < start or end - start > 5:
        raise PortalError(
            _("Een plan beslaat één tot zes jaar, het laatste jaar na het eerste."),
            errors={"period_end": [_("ongeldige periode")]},
        )
    plan.period_start, plan.period_end = start, end
    plan.save(update_fields=["period_start", "period_end", "updated_at"])
    for priority in plan.priorities.all():
        _project(municipality, priority)
    audit_change(actor=actor, municipality=municipality, row=plan, before=before, after=row_state(plan))
    return plan
