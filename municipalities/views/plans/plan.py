"""The plan page, the plan's own forms (a new plan, title and status, removing it), the download of a council
decision, and the forms for priorities and indicators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imv.analytics import COVERAGE_FORMULA, FIT_FORMULA
from imv.clock import amsterdam_date, db_now
from municipalities.forms import KpiForm, PriorityForm, SafetyPlanCreateForm, SafetyPlanForm
from municipalities.models import Kpi, PlanDecision, Priority, SafetyPlan
from municipalities.selectors import imv_theme_choices, plan_detail
from municipalities.services import (
    kpi_delete,
    kpi_save,
    priority_delete,
    priority_save,
    safety_plan_create,
    safety_plan_delete,
    safety_plan_delete_refusal,
    safety_plan_update,
)
from municipalities.views._common import request_municipality
from municipalities.views.plans.common import (
    DELETE_TEMPLATE,
    PlanPage,
    delete_page,
    edit_page,
    form_data,
    one_of,
    plan_page,
)
from portal.exceptions import PortalError
from tenants.access import can_edit_municipality, request_memberships, request_user


# --- The plan page ----------------------------------------------------------------------------
@require_GET
def safety_plan(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid)
    detail = plan_detail(municipality=page.municipality, plan=page.plan)
    return render(
        request,
        "municipalities/plan/detail.html",
        {
            "municipality": page.municipality,
            "plan": page.plan,
            "detail": detail,
            "can_edit": can_edit_municipality(request_memberships(request), page.municipality),
            "coverage_formula": _(COVERAGE_FORMULA),
            "fit_formula": _(FIT_FORMULA),
        },
    )


@require_GET
def plan_decision_document(request: HttpRequest, gemeente: str, plan_uuid: UUID, decision_uuid: UUID) -> FileResponse:
    """The decision's PDF, for whoever may read the plan; always as a download, never its path."""
    page = plan_page(request, plan_uuid)
    decision = one_of(PlanDecision.objects.filter(plan=page.plan, uuid=decision_uuid))
    if not decision.document:
        raise Http404(_("Er is geen raadsbesluit als document opgeslagen."))
    case = "".join(c for c in decision.case_number if c.isalnum() or c in "-_")
    return FileResponse(
        decision.document.open("rb"),
        as_attachment=True,
        filename=f"raadsbesluit-{page.municipality.cbs_code}-{case or 'ivp'}.pdf",
        content_type="application/pdf",
    )


# --- Priorities -------------------------------------------------------------------------------
def _priority_form(request: HttpRequest, page: PlanPage, priority: Priority | None) -> HttpResponse:
    cycles = imv_theme_choices(
        municipality=page.municipality, plan=page.plan, linked=priority.imv_themes if priority else None
    )
    initial = PriorityForm.initial_for(priority) if priority else None
    form = PriorityForm(form_data(request), initial=initial, cycles=cycles)

    def save() -> Priority:
        data = form.cleaned_data
        return priority_save(
            municipality=page.municipality,
            plan=page.plan,
            priority=priority,
            title=data["title"],
            description=data["description"],
            field_code=data["field_code"],
            theme_code=data["theme_code"],
            imv_themes=[UUID(u) for u in data["imv_themes"]],
            actor=request_user(request),
        )

    title = form.data.get("title") if form.is_bound else None
    return edit_page(
        request,
        page,
        form,
        save,
        heading=_("Prioriteit bewerken") if priority else _("Prioriteit toevoegen"),
        intro=_(
            "Plaats de prioriteit in een veiligheidsveld en thema van het Kernbeleid Veiligheid en kies de thema's "
            "van het IMV die zij dient. De regio ziet de prioriteit met haar koppelingen direct in de afstemming."
        ),
        done=_("De prioriteit “%(title)s” is opgeslagen.") % {"title": title or (priority.title if priority else "")},
        anchor="prioriteiten",
        submit=_("Prioriteit opslaan"),
        template="municipalities/plan/priority_form.html",
    )


@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    return _priority_form(request, plan_page(request, plan_uuid, write=True), None)


@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, gemeente: str, plan_uuid: UUID, priority_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    return _priority_form(request, page, one_of(Priority.objects.filter(plan=page.plan, uuid=priority_uuid)))


@require_http_methods(["GET", "POST"])
def priority_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID, priority_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    priority = one_of(Priority.objects.filter(plan=page.plan, uuid=priority_uuid))
    return delete_page(
        request,
        page,
        lambda: priority_delete(municipality=page.municipality, priority=priority, actor=request_user(request)),
        what=_("de prioriteit “%(title)s”") % {"title": priority.title},
        consequence=_(
            "Haar indicatoren en metingen worden ook verwijderd; acties die haar dienden blijven, zonder prioriteit. "
            "De regio ziet de prioriteit niet meer in de afstemming."
        ),
        done=_("De prioriteit “%(title)s” is verwijderd.") % {"title": priority.title},
        anchor="prioriteiten",
    )


# --- Indicators -------------------------------------------------------------------------------
def _kpi_form(request: HttpRequest, page: PlanPage, priority: Priority, kpi: Kpi | None) -> HttpResponse:
    measured = {m.year: m.value for m in kpi.measurements.all()} if kpi else {}
    years = sorted(set(range(page.plan.period_start, page.plan.period_end + 1)) | set(measured))
    initial: dict[str, Any] = {f"measurement_{year}": value for year, value in measured.items()}
    if kpi:
        initial.update(
            name=kpi.name,
            unit=kpi.unit,
            baseline_value=kpi.baseline_value,
            baseline_year=kpi.baseline_year,
            target_value=kpi.target_value,
            target_year=kpi.target_year,
            story=kpi.story,
        )
    form = KpiForm(form_data(request), initial=initial, years=years)

    def save() -> Kpi:
        return kpi_save(
            municipality=page.municipality,
            priority=priority,
            kpi=kpi,
            measurements=form.measurements(),
            actor=request_user(request),
            **form.kpi_values(),
        )

    return edit_page(
        request,
        page,
        form,
        save,
        heading=(_("Indicator bewerken") if kpi else _("Indicator toevoegen")) + f" — {priority.title}",
        intro=_("Laat een jaar leeg als er (nog) geen meting is. Getallen met een komma of een punt: 4,5 of 4.5."),
        done=_("De indicator is opgeslagen."),
        anchor=f"prioriteit-{priority.uuid}",
        submit=_("Indicator opslaan"),
        layout=form.layout(),
    )


@require_http_methods(["GET", "POST"])
def kpi_create(request: HttpRequest, gemeente: str, plan_uuid: UUID, priority_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    return _kpi_form(request, page, one_of(Priority.objects.filter(plan=page.plan, uuid=priority_uuid)), None)


@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, gemeente: str, plan_uuid: UUID, kpi_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    kpi = one_of(Kpi.objects.select_related("priority").filter(priority__plan=page.plan, uuid=kpi_uuid))
    return _kpi_form(request, page, kpi.priority, kpi)


@require_http_methods(["GET", "POST"])
def kpi_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID, kpi_uuid: UUID) -> HttpResponse:
    page = plan_page(request, plan_uuid, write=True)
    kpi = one_of(Kpi.objects.select_related("priority").filter(priority__plan=page.plan, uuid=kpi_uuid))
    return delete_page(
        request,
        page,
        lambda: kpi_delete(municipality=page.municipality, kpi=kpi, actor=request_user(request)),
        what=_("de indicator “%(name)s” van “%(priority)s”") % {"name": kpi.name, "priority": kpi.priority.title},
        consequence=_("De metingen van alle jaren worden ook verwijderd."),
        done=_("De indicator “%(name)s” is verwijderd.") % {"name": kpi.name},
        anchor=f"prioriteit-{kpi.priority.uuid}",
    )


def safety_plan_edit(request: HttpRequest, gemeente: str, plan_uuid: str) -> HttpResponse:
    municipality = request_municipality(request, write=True)
    plan = get_object_or_404(SafetyPlan, uuid=plan_uuid)
    form = SafetyPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            safety_plan_update(municipality=municipality, actor=request_user(request), plan=plan, **form.cleaned_data)
        except PortalError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Het veiligheidsplan is opgeslagen."))
            return redirect("safety_plan", gemeente=gemeente, plan_uuid=plan.uuid)
    return render(request, "municipalities/plan_edit.html", {"municipality": municipality, "plan": plan, "form": form})


# --- A new plan, and removing one ---------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def safety_plan_new(request: HttpRequest, gemeente: str) -> HttpResponse:
    """The form for a new plan (IVP); the next period after the latest plan is filled in."""
    municipality = request_municipality(request, write=True)
    latest = SafetyPlan.objects.order_by("-period_end").first()
    start = latest.period_end + 1 if latest else amsterdam_date(db_now()).year
    form = SafetyPlanCreateForm(form_data(request), initial={"period_start": start, "period_end": start + 3})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = safety_plan_create(municipality=municipality, actor=request_user(request), **form.cleaned_data)
            except PortalError as exc:
                form.add_portal_error(exc)
                status = exc.status
            else:
                messages.success(request, _("Het veiligheidsplan “%(title)s” is aangemaakt.") % {"title": plan.title})
                return redirect("safety_plan", gemeente=municipality.slug, plan_uuid=plan.uuid)
    context = {"municipality": municipality, "form": form}
    return render(request, "municipalities/plan_create.html", context, status=status)


@require_http_methods(["GET", "POST"])
def safety_plan_remove(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    """Ask first, remove on POST; a plan the service keeps says why, without the button."""
    page = plan_page(request, plan_uuid, write=True)
    refusal = safety_plan_delete_refusal(page.plan)
    status = 200
    if request.method == "POST":
        status = 409
        if refusal is None:
            try:
                safety_plan_delete(municipality=page.municipality, actor=request_user(request), plan=page.plan)
            except PortalError as exc:
                refusal = exc.message
            else:
                messages.success(
                    request, _("Het veiligheidsplan “%(title)s” is verwijderd.") % {"title": page.plan.title}
                )
                return redirect("municipality_home", gemeente=page.municipality.slug)
    context = {
        "municipality": page.municipality,
        "plan": page.plan,
        "what": _("het veiligheidsplan “%(title)s”") % {"title": page.plan.title},
        "consequence": _(
            "Alles wat erin staat wordt ook verwijderd: de prioriteiten met hun indicatoren, de uitvoeringsplannen "
            "met hun acties, de stappen, mijlpalen, uitgangspunten en participatiemomenten. De regio ziet de "
            "prioriteiten niet meer in de afstemming."
        ),
        "refusal": refusal,
        "back": page.url(),
    }
    return render(request, DELETE_TEMPLATE, context, status=status)
