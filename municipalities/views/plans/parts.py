"""Forms for the yearly plans and their actions, and for how the plan is made: steps, milestones,
principles, participation and council decisions; one address to remove each of these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from municipalities import services
from municipalities.forms import (
    ActionForm,
    ImplementationPlanForm,
    MilestoneForm,
    ParticipationEventForm,
    PlanDecisionForm,
    PlanStepForm,
    PrincipleForm,
)
from municipalities.models import (
    Action,
    ImplementationPlan,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStepKind,
    Principle,
)
from municipalities.services import action_save
from municipalities.views.plans.common import PlanPage, delete_page, edit_page, form_data, form_files, one_of, plan_page
from portal.forms import PortalForm
from tenants.access import request_user


# --- Yearly plans and actions -----------------------------------------------------------------
def _implementation_plan_form(
    request: HttpRequest, page: PlanPage, implementation_plan: ImplementationPlan | None
) -> HttpResponse:
    plan = page.plan
    used = set(plan.implementation_plans.values_list("year", flat=True))
    own = implementation_plan.year if implementation_plan else None
    years = [y for y in range(plan.period_start, plan.period_end + 1) if y not in used or y == own]
    initial = {"year": own, "look_back": implementation_plan.look_back} if implementation_plan else None
    form = ImplementationPlanForm(form_data(request), initial=initial, years=years)

    def save() -> ImplementationPlan:
        return services.implementation_plan_save(
            municipality=page.municipality,
            plan=plan,
            implementation_plan=implementation_plan,
            year=form.cleaned_data["year"],
            look_back=form.cleaned_data["look_back"],
            actor=request_user(request),
        )

    return edit_page(
        request,
        page,
        form,
        save,
        heading=_("Uitvoeringsplan bewerken") if implementation_plan else _("Uitvoeringsplan toevoegen"),
        intro=_("Eén uitvoeringsplan per jaar van het plan, met de terugblik op het jaar ervoor."),
        done=_("Het uitvoeringsplan is opgeslagen."),
        anchor="uitvoering",
        submit=_("Uitvoeringsplan opslaan"),
    )


@require_http_methods(["GET", "POST"])
def implementation_plan_create(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    return _implementation_plan_form(request, plan_page(request, plan_uuid, write=True), None)


@require_http_methods(["GET", "POST"])
def implementation_plan_edit(request: HttpRequest, gemeente: str, plan_uuid: UUID, year_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    return _implementation_plan_form(
        request, page, one_of(ImplementationPlan.objects.filter(plan=page.plan, uuid=year_uuid))
    )


@require_http_methods(["GET", "POST"])
def implementation_plan_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID, year_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    yearly = one_of(ImplementationPlan.objects.filter(plan=page.plan, uuid=year_uuid))
    return delete_page(
        request,
        page,
        lambda: services.implementation_plan_delete(
            municipality=page.municipality, implementation_plan=yearly, actor=request_user(request)
        ),
        what=_("het uitvoeringsplan %(year)s") % {"year": yearly.year},
        consequence=_("Al zijn acties en de terugblik worden ook verwijderd."),
        done=_("Het uitvoeringsplan %(year)s is verwijderd.") % {"year": yearly.year},
        anchor="uitvoering",
    )


def _action_form(
    request: HttpRequest, page: PlanPage, yearly: ImplementationPlan, action: Action | None
) -> HttpResponse:
    initial = None
    if action:
        initial = {
            "title": action.title,
            "owner": action.owner,
            "deadline": action.deadline,
            "cost": action.cost,
            "status": action.status,
            "priority": str(action.priority.uuid) if action.priority else "",
        }
    form = ActionForm(form_data(request), initial=initial, priorities=list(page.plan.priorities.all()))

    def save() -> Action:
        data = form.cleaned_data
        return action_save(
            municipality=page.municipality,
            implementation_plan=yearly,
            action=action,
            title=data["title"],
            owner=data["owner"],
            deadline=data["deadline"],
            cost=data["cost"],
            status=data["status"],
            priority=form.chosen_priority(),
            actor=request_user(request),
        )

    return edit_page(
        request,
        page,
        form,
        save,
        heading=(_("Actie bewerken") if action else _("Actie toevoegen"))
        + " — "
        + _("uitvoeringsplan %(year)s") % {"year": yearly.year},
        done=_("De actie is opgeslagen."),
        anchor=f"uitvoeringsplan-{yearly.year}",
        submit=_("Actie opslaan"),
    )


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, gemeente: str, plan_uuid: UUID, year_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    yearly = one_of(ImplementationPlan.objects.filter(plan=page.plan, uuid=year_uuid))
    return _action_form(request, page, yearly, None)


def _action_of(page: PlanPage, action_uuid: UUID) -> Action:
    return one_of(
        Action.objects.select_related("implementation_plan", "priority").filter(
            implementation_plan__plan=page.plan, uuid=action_uuid
        )
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, gemeente: str, plan_uuid: UUID, action_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    action = _action_of(page, action_uuid)
    return _action_form(request, page, action.implementation_plan, action)


@require_http_methods(["GET", "POST"])
def action_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID, action_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    action = _action_of(page, action_uuid)
    return delete_page(
        request,
        page,
        lambda: services.action_delete(municipality=page.municipality, action=action, actor=request_user(request)),
        what=_("de actie “%(title)s”") % {"title": action.title},
        done=_("De actie “%(title)s” is verwijderd.") % {"title": action.title},
        anchor=f"uitvoeringsplan-{action.implementation_plan.year}",
    )


# --- How the plan is made: steps, milestones, principles, participation -----------------------
@require_http_methods(["GET", "POST"])
def plan_step_edit(request: HttpRequest, gemeente: str, plan_uuid: UUID, kind: str) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    if kind not in PlanStepKind.values:
        raise Http404(_("Deze stap kent de methode niet."))
    step = page.plan.steps.filter(kind=kind).first()
    initial = None
    if step:
        initial = {
            "planned_start": step.planned_start,
            "planned_end": step.planned_end,
            "actual_end": step.actual_end,
            "note": step.note,
        }
    form = PlanStepForm(form_data(request), initial=initial)
    label = PlanStepKind(kind).label

    def save() -> object:
        return services.plan_step_save(
            municipality=page.municipality, plan=page.plan, kind=kind, actor=request_user(request), **form.cleaned_data
        )

    return edit_page(
        request,
        page,
        form,
        save,
        heading=_("Stap %(step)s") % {"step": label},
        done=_("De stap %(step)s is opgeslagen.") % {"step": label},
        anchor="stappen",
        submit=_("Stap opslaan"),
    )


def _simple_part(
    request: HttpRequest,
    page: PlanPage,
    form: PortalForm,
    save: Callable[..., object],
    *,
    heading: str,
    done: str,
    anchor: str,
    submit: str,
    **instance: object,
) -> HttpResponse:
    """A part whose form fields are exactly its service's keyword arguments."""
    return edit_page(
        request,
        page,
        form,
        lambda: save(
            municipality=page.municipality,
            plan=page.plan,
            actor=request_user(request),
            **instance,
            **form.cleaned_data,
        ),
        heading=heading,
        done=done,
        anchor=anchor,
        submit=submit,
    )


def _initial(instance: Model | None, form_class: type[forms.Form]) -> dict[str, Any] | None:
    if instance is None:
        return None
    return {name: getattr(instance, name) for name in form_class.base_fields if name != "document"}


@require_http_methods(["GET", "POST"])
def milestone_form(request: HttpRequest, gemeente: str, plan_uuid: UUID, part_uuid: UUID | None = None) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    milestone = one_of(Milestone.objects.filter(plan=page.plan, uuid=part_uuid)) if part_uuid else None
    return _simple_part(
        request,
        page,
        MilestoneForm(form_data(request), initial=_initial(milestone, MilestoneForm)),
        services.milestone_save,
        milestone=milestone,
        heading=_("Mijlpaal bewerken") if milestone else _("Mijlpaal toevoegen"),
        done=_("De mijlpaal is opgeslagen."),
        submit=_("Mijlpaal opslaan"),
        anchor="mijlpalen",
    )


@require_http_methods(["GET", "POST"])
def principle_form(request: HttpRequest, gemeente: str, plan_uuid: UUID, part_uuid: UUID | None = None) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    principle = one_of(Principle.objects.filter(plan=page.plan, uuid=part_uuid)) if part_uuid else None
    return _simple_part(
        request,
        page,
        PrincipleForm(form_data(request), initial=_initial(principle, PrincipleForm)),
        services.principle_save,
        principle=principle,
        heading=_("Uitgangspunt bewerken") if principle else _("Uitgangspunt toevoegen"),
        done=_("Het uitgangspunt is opgeslagen."),
        submit=_("Uitgangspunt opslaan"),
        anchor="uitgangspunten",
    )


@require_http_methods(["GET", "POST"])
def participation_form(
    request: HttpRequest, gemeente: str, plan_uuid: UUID, part_uuid: UUID | None = None
) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    event = one_of(ParticipationEvent.objects.filter(plan=page.plan, uuid=part_uuid)) if part_uuid else None
    return _simple_part(
        request,
        page,
        ParticipationEventForm(form_data(request), initial=_initial(event, ParticipationEventForm)),
        services.participation_event_save,
        event=event,
        heading=_("Participatiemoment bewerken") if event else _("Participatiemoment toevoegen"),
        done=_("Het participatiemoment is opgeslagen."),
        submit=_("Participatiemoment opslaan"),
        anchor="participatie",
    )


@require_http_methods(["GET", "POST"])
def plan_decision_form(
    request: HttpRequest, gemeente: str, plan_uuid: UUID, part_uuid: UUID | None = None
) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    decision = one_of(PlanDecision.objects.filter(plan=page.plan, uuid=part_uuid)) if part_uuid else None
    form = PlanDecisionForm(
        form_data(request),
        form_files(request),
        initial=_initial(decision, PlanDecisionForm),
        has_document=bool(decision and decision.document),
    )
    return _simple_part(
        request,
        page,
        form,
        services.plan_decision_save,
        decision=decision,
        heading=_("Raadsbesluit bewerken") if decision else _("Raadsbesluit toevoegen"),
        done=_("Het raadsbesluit is opgeslagen."),
        submit=_("Raadsbesluit opslaan"),
        anchor="raadsbesluiten",
    )


# One address per kind of part for removing it: (model, service, its keyword, what it is, anchor).
REMOVABLE: dict[str, tuple[type[Model], Callable[..., None], str, StrPromise, str]] = {
    "mijlpalen": (
        Milestone,
        services.milestone_delete,
        "milestone",
        gettext_lazy("de mijlpaal “%(name)s”"),
        "mijlpalen",
    ),
    "uitgangspunten": (
        Principle,
        services.principle_delete,
        "principle",
        gettext_lazy("het uitgangspunt “%(name)s”"),
        "uitgangspunten",
    ),
    "participatie": (
        ParticipationEvent,
        services.participation_event_delete,
        "event",
        gettext_lazy("het participatiemoment “%(name)s”"),
        "participatie",
    ),
    "raadsbesluiten": (
        PlanDecision,
        services.plan_decision_delete,
        "decision",
        gettext_lazy("het raadsbesluit %(name)s"),
        "raadsbesluiten",
    ),
}


@require_http_methods(["GET", "POST"])
def plan_part_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID, part: str, part_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    if part not in REMOVABLE:
        raise Http404(_("Dit onderdeel van het plan bestaat niet (meer)."))
    model, delete, keyword, what, anchor = REMOVABLE[part]
    instance = one_of(model._default_manager.filter(plan=page.plan, uuid=part_uuid))
    name = str(what) % {"name": instance}
    return delete_page(
        request,
        page,
        lambda: delete(municipality=page.municipality, actor=request_user(request), **{keyword: instance}),
        what=name,
        done=_("Verwijderd: %(what)s.") % {"what": name},
        anchor=anchor,
    )
