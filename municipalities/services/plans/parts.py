"""Writes of the smaller parts of a municipality's safety plan (IVP): how it is made and carried out.

The five steps of the VNG method (planstappen), milestones (mijlpalen), strategic principles
(uitgangspunten), participation events (participatiemomenten), the council's decisions on the plan
(raadsbesluiten, with their PDF) and the yearly implementation plans (uitvoeringsplannen).

Callers are inside the municipality's schema and name the municipality; a write in any other
schema is refused. Every rule is checked before anything is saved, and a refusal is one
PortalError naming the fields. Every change is audited with the person who made it (``actor``;
None for a change by the system, such as the demo).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from imv.uploads import pdf_check
from municipalities.models import (
    ImplementationPlan,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStep,
    Principle,
    SafetyPlan,
)
from municipalities.services._audit import audit_change, row_state
from municipalities.services.kpis import year_error
from portal.exceptions import PortalError
from tenants.models import Municipality, User
from tenants.schemas import require_schema_of


def _check(instance: models.Model, message: str, errors: dict[str, list[str]], *, exclude: list[str]) -> None:
    """The model's own validation plus the caller's extra ``errors``; one PortalError naming every field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, reasons in exc.message_dict.items():
            errors.setdefault(key, []).extend(reasons)
    if errors:
        raise PortalError(message, errors=errors)


def _date_order(
    errors: dict[str, list[str]], first: datetime.date | None, last: datetime.date | None, field: str
) -> None:
    if first is not None and last is not None and last < first:
        errors.setdefault(field, []).append(_("Deze datum ligt voor de begindatum."))


def _own(part: models.Model, plan: SafetyPlan) -> None:
    # A form posted with another plan's part in its address must not move that part here.
    if part.pk is not None and getattr(part, "plan_id", None) != plan.pk:
        raise RuntimeError("a part of a plan stays in its own plan")


# --- Steps of the VNG method ------------------------------------------------------------------
@transaction.atomic
def plan_step_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    kind: str,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    actual_end: datetime.date | None,
    note: str = "",
    actor: User | None = None,
) -> PlanStep:
    """Set the planned and actual dates of one of the five steps; the step's row is made on first use. Audited."""
    require_schema_of(municipality)
    step = PlanStep.objects.select_for_update().filter(plan=plan, kind=kind).first() or PlanStep(plan=plan, kind=kind)
    before = row_state(step)
    step.planned_start, step.planned_end, step.actual_end, step.note = planned_start, planned_end, actual_end, note
    errors: dict[str, list[str]] = {}
    _date_order(errors, planned_start, planned_end, "planned_end")
    _check(step, _("De planstap is niet opgeslagen."), errors, exclude=["plan"])
    step.save()
    audit_change(actor=actor, municipality=municipality, row=step, before=before, after=row_state(step))
    return step


# --- Milestones ---------------------------------------------------------------------------------
@transaction.atomic
def milestone_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    milestone: Milestone | None = None,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    done: bool = False,
    actor: User | None = None,
) -> Milestone:
    """Create or change a dated moment in making the plan (a meeting, a survey, a draft sent); audited."""
    require_schema_of(municipality)
    milestone = milestone or Milestone(plan=plan)
    _own(milestone, plan)
    before = row_state(milestone)
    milestone.title, milestone.starts_on, milestone.ends_on, milestone.done = title.strip(), starts_on, ends_on, done
    errors: dict[str, list[str]] = {}
    _date_order(errors, starts_on, ends_on, "ends_on")
    _check(milestone, _("De mijlpaal is niet opgeslagen."), errors, exclude=["plan"])
    milestone.save()
    audit_change(actor=actor, municipality=municipality, row=milestone, before=before, after=row_state(milestone))
    return milestone


@transaction.atomic
def milestone_delete(*, municipality: Municipality, milestone: Milestone, actor: User | None = None) -> None:
    """Remove a milestone; audited."""
    require_schema_of(municipality)
    before = row_state(milestone)
    milestone.delete()
    audit_change(actor=actor, municipality=municipality, row=milestone, before=before, after=None)


# --- Strategic principles -----------------------------------------------------------------------
@transaction.atomic
def principle_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    principle: Principle | None = None,
    title: str,
    description: str = "",
    actor: User | None = None,
) -> Principle:
    """Create or change a strategic principle; a new one comes last. Audited."""
    require_schema_of(municipality)
    if principle is None:
        last = plan.principles.aggregate(last=models.Max("position"))["last"] or 0
        principle = Principle(plan=plan, position=last + 1)
    _own(principle, plan)
    before = row_state(principle)
    principle.title, principle.description = title.strip(), description
    _check(principle, _("Het uitgangspunt is niet opgeslagen."), {}, exclude=["plan"])
    principle.save()
    audit_change(actor=actor, municipality=municipality, row=principle, before=before, after=row_state(principle))
    return principle


@transaction.atomic
def principle_delete(*, municipality: Municipality, principle: Principle, actor: User | None = None) -> None:
    """Remove a strategic principle; audited."""
    require_schema_of(municipality)
    before = row_state(principle)
    principle.delete()
    audit_change(actor=actor, municipality=municipality, row=principle, before=before, after=None)


# --- Participation ------------------------------------------------------------------------------
@transaction.atomic
def participation_event_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    event: ParticipationEvent | None = None,
    kind: str,
    date: datetime.date,
    participants: str = "",
    outcome: str = "",
    actor: User | None = None,
) -> ParticipationEvent:
    """Create or change a participation event (wijkwandeling, thematafel, enquête, marktkraam, raadsbijeenkomst);
    audited."""
    require_schema_of(municipality)
    event = event or ParticipationEvent(plan=plan)
    _own(event, plan)
    before = row_state(event)
    event.kind, event.date, event.participants, event.outcome = kind, date, participants, outcome
    _check(event, _("Het participatiemoment is niet opgeslagen."), {}, exclude=["plan"])
    event.save()
    audit_change(actor=actor, municipality=municipality, row=event, before=before, after=row_state(event))
    return event


@transaction.atomic
def participation_event_delete(
    *, municipality: Municipality, event: ParticipationEvent, actor: User | None = None
) -> None:
    """Remove a participation event; audited."""
    require_schema_of(municipality)
    before = row_state(event)
    event.delete()
    audit_change(actor=actor, municipality=municipality, row=event, before=before, after=None)


# --- Council decisions --------------------------------------------------------------------------
def _delete_file_after_commit(document: FieldFile) -> None:
    # The file goes only once the row no longer points to it; a rolled-back change keeps it.
    name, storage = document.name, document.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def plan_decision_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    decision: PlanDecision | None = None,
    date: datetime.date,
    case_number: str,
    openbaarheid: str,
    document: File[bytes] | None = None,
    actor: User | None = None,
) -> PlanDecision:
    """Create or change the council's decision on the plan. A new ``document`` must pass
    imv.uploads.pdf_check; it replaces the stored PDF, which is removed after commit. Audited, the PDF
    by its size and SHA-256."""
    require_schema_of(municipality)
    decision = decision or PlanDecision(plan=plan)
    _own(decision, plan)
    before = row_state(decision)
    decision.date, decision.case_number, decision.openbaarheid = date, case_number.strip(), openbaarheid
    errors: dict[str, list[str]] = {}
    if document is not None:
        try:
            pdf_check(document)
        except PortalError as exc:
            errors.update(exc.errors)
    _check(decision, _("Het raadsbesluit is niet opgeslagen."), errors, exclude=["plan", "document"])
    if document is not None:
        if decision.document:
            _delete_file_after_commit(decision.document)
        decision.document.save("besluit.pdf", document, save=False)
    decision.save()
    audit_change(actor=actor, municipality=municipality, row=decision, before=before, after=row_state(decision))
    return decision


@transaction.atomic
def plan_decision_delete(*, municipality: Municipality, decision: PlanDecision, actor: User | None = None) -> None:
    """Remove a council decision and, after commit, its PDF; audited."""
    require_schema_of(municipality)
    before = row_state(decision)
    if decision.document:
        _delete_file_after_commit(decision.document)
    decision.delete()
    audit_change(actor=actor, municipality=municipality, row=decision, before=before, after=None)


# --- Yearly implementation plans and their actions ------------------------------------------------
@transaction.atomic
def implementation_plan_save(
    *,
    municipality: Municipality,
    plan: SafetyPlan,
    implementation_plan: ImplementationPlan | None = None,
    year: int,
    look_back: str = "",
    actor: User | None = None,
) -> ImplementationPlan:
    """Create or change a yearly plan: one per year of the plan's period, with the look back on the year before;
    audited."""
    require_schema_of(municipality)
    implementation_plan = implementation_plan or ImplementationPlan(plan=plan)
    _own(implementation_plan, plan)
    before = row_state(implementation_plan)
    errors: dict[str, list[str]] = {}
    if message := year_error(year):
        errors["year"] = [message]
    elif not plan.period_start <= year <= plan.period_end:
        errors["year"] = [
            _("Kies een jaar van de planperiode (%(start)s–%(end)s).")
            % {"start": plan.period_start, "end": plan.period_end}
        ]
    elif plan.implementation_plans.filter(year=year).exclude(pk=implementation_plan.pk).exists():
        errors["year"] = [_("Er is al een uitvoeringsplan voor %(year)s.") % {"year": year}]
    implementation_plan.year, implementation_plan.look_back = year, look_back
    _check(implementation_plan, _("Het uitvoeringsplan is niet opgeslagen."), errors, exclude=["plan"])
    implementation_plan.save()
    after = row_state(implementation_plan)
    audit_change(actor=actor, municipality=municipality, row=implementation_plan, before=before, after=after)
    return implementation_plan


@transaction.atomic
def implementation_plan_delete(
    *, municipality: Municipality, implementation_plan: ImplementationPlan, actor: User | None = None
) -> None:
    """Remove a yearly plan with its actions; the removal of both is audited."""
    require_schema_of(municipality)
    removed = [implementation_plan, *implementation_plan.actions.all()]
    states = [(row, row_state(row)) for row in removed]
    implementation_plan.delete()
    for row, state in states:
        audit_change(actor=actor, municipality=municipality, row=row, before=state, after=None)
