"""Writes of the safety plan itself (integraal veiligheidsplan, IVP): make one, change its title, status and
summary, remove one made by mistake.

The rules of a plan's period, decided here for making a plan (issue 15): both years between 1990 and
2100, the last not before the first, at most six years (as safety_plan_period_set; four is usual), and
no year covered by another plan of the municipality. Two plans for one year would make it ambiguous
which plan's priorities the region's alignment counts for that year; a plan replaced early is shortened
first. Plans are made one at a time per municipality (a transaction lock), so two at once cannot both
pass the overlap check.

A plan is removed only while it is not the council's: a plan that is vastgesteld or verlopen, or that
has a council decision (raadsbesluit), is kept (409). Removing a plan removes everything in it and the
shared projection of its priorities.

Every change is audited (municipalities.services._audit), with the person who made it (``actor``).
Callers are inside the municipality's schema and name the municipality; a write in any other schema is
refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from imv.services import projection_delete
from municipalities.models import Action, Kpi, PlanStatus, SafetyPlan
from municipalities.services._audit import audit_change, measurement_state, row_state
from municipalities.services.kpis import year_error
from portal.exceptions import PortalError
from tenants.models import Municipality, User
from tenants.schemas import require_schema_of

# A plan is the council's once adopted; these are kept with their history.
KEPT_STATUSES = (PlanStatus.ADOPTED, PlanStatus.EXPIRED)
LONGEST_PERIOD = 6  # years, first and last included


def _period_errors(plan: SafetyPlan) -> dict[str, list[str]]:
    start, end = plan.period_start, plan.period_end
    errors: dict[str, list[str]] = {}
    for field, year in (("period_start", start), ("period_end", end)):
        if message := year_error(year):
            errors[field] = [message]
    if errors or end < start:  # the model's own check names a last year before the first
        return errors
    if end - start + 1 > LONGEST_PERIOD:
        errors["period_end"] = [_("Een plan beslaat één tot zes jaar, het laatste jaar na het eerste.")]
        return errors
    other = (
        SafetyPlan.objects.filter(period_start__lte=end, period_end__gte=start)
        .exclude(pk=plan.pk)
        .order_by("period_start")
        .first()
    )
    if other is not None:
        errors["period_start"] = [
            _(
                "Deze periode overlapt met “%(title)s” (%(start)s–%(end)s): een gemeente heeft voor elk jaar één "
                "veiligheidsplan."
            )
            % {"title": other.title, "start": other.period_start, "end": other.period_end}
        ]
    return errors


def _check(plan: SafetyPlan, errors: dict[str, list[str]]) -> None:
    try:
        # The overlap check covers the one-plan-per-start-year constraint, in words a person can act on.
        plan.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, reasons in exc.message_dict.items():
            errors.setdefault(key, []).extend(reasons)
    if errors:
        raise PortalError(_("Het veiligheidsplan is niet opgeslagen."), errors=errors)


@transaction.atomic
def safety_plan_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    period_start: int,
    period_end: int,
    status: str = PlanStatus.IN_PREPARATION,
    summary: str = "",
) -> SafetyPlan:
    """Make a new plan of the municipality after checking every rule (see the module); nothing is saved
    if any is broken (PortalError naming each field). The making and every value are audited."""
    require_schema_of(municipality)
    # One new plan at a time per municipality: the overlap check and the insert cannot interleave.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"safetyplan-period:{municipality.schema_name}"])
    plan = SafetyPlan(
        title=title.strip(), period_start=period_start, period_end=period_end, status=status, summary=summary
    )
    _check(plan, _period_errors(plan))
    plan.save()
    audit_change(actor=actor, municipality=municipality, row=plan, before=None, after=row_state(plan))
    return plan


@transaction.atomic
def safety_plan_update(
    *, municipality: Municipality, actor: User | None, plan: SafetyPlan, title: str, status: str, summary: str
) -> SafetyPlan:
    """Change a plan's title, status and summary after validation; nothing is saved if any is wrong.
    Every changed value is audited."""
    require_schema_of(municipality)
    # The stored row, not ``plan``: a ModelForm has already written the new values into its instance.
    before = row_state(SafetyPlan.objects.select_for_update().get(pk=plan.pk))
    plan.title = title.strip()
    plan.status = status
    plan.summary = summary
    _check(plan, {})
    plan.save()
    audit_change(actor=actor, municipality=municipality, row=plan, before=before, after=row_state(plan))
    return plan


def safety_plan_delete_refusal(plan: SafetyPlan) -> str | None:
    """Why the plan may not be removed, in Dutch; None when it may (pages ask before they offer it)."""
    if plan.status in KEPT_STATUSES:
        return _(
            "Het veiligheidsplan is %(status)s en wordt daarom bewaard: alleen een plan dat nog niet is "
            "vastgesteld kan worden verwijderd."
        ) % {"status": PlanStatus(plan.status).label}
    if plan.decisions.exists():
        return _(
            "Bij het veiligheidsplan is een raadsbesluit vastgelegd; het plan wordt daarom bewaard. Was het "
            "raadsbesluit een vergissing, verwijder dat dan eerst."
        )
    return None


@transaction.atomic
def safety_plan_delete(*, municipality: Municipality, actor: User | None, plan: SafetyPlan) -> None:
    """Remove a plan that is not the council's (safety_plan_delete_refusal; 409 otherwise) with everything
    in it, and the shared projection of its priorities, in one transaction. The removal of the plan and of
    every part in it is audited."""
    require_schema_of(municipality)
    plan = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    reason = safety_plan_delete_refusal(plan)
    if reason is not None:
        raise PortalError(reason, status=409, code="plan_kept")
    parts: list[models.Model] = [
        *plan.implementation_plans.all(),
        *Action.objects.filter(implementation_plan__plan=plan),
        *plan.participation_events.all(),
        *plan.steps.all(),
        *plan.milestones.all(),
        *plan.principles.all(),
        *plan.priorities.all(),
    ]
    states: list[tuple[models.Model, dict[str, str] | None]] = [(part, row_state(part)) for part in parts]
    states += [(kpi, row_state(kpi, measurement_state(kpi))) for kpi in Kpi.objects.filter(priority__plan=plan)]
    plan_state = row_state(plan)
    projection_delete(priority_uuids=list(plan.priorities.values_list("uuid", flat=True)))
    plan.delete()
    for row, state in [(plan, plan_state), *states]:
        audit_change(actor=actor, municipality=municipality, row=row, before=state, after=None)
