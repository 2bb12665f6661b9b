"""The municipality's side of the IMV consultation, under /gemeenten/<slug>/imv/.

The round page shows the status, what is due when, the forms to move on, the submitted
versions, the region's answer and the history. Staff of the municipality itself write (each
form posts to its own address and goes through a service); the adviser and RBOP members of the
police unit read it without forms and never see the private draft. Everyone else gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imv import services as imv_services
from imv.clock import day_end, db_now
from imv.models import ExtensionStatus, Participation, ParticipationStatus
from imv.selectors import cycle_themes
from municipalities import selectors
from municipalities.forms import (
    ConflictRow,
    CouncilDecisionForm,
    DeclineForm,
    ExtensionRequestForm,
    OpinionDraftForm,
    ScheduleForm,
    WithdrawForm,
)
from municipalities.services import (
    DraftConflictError,
    opinion_draft_get,
    opinion_draft_update,
    opinion_draft_update_and_submit,
)
from municipalities.views._common import request_municipality
from portal.exceptions import PortalError
from portal.forms import PortalForm
from tenants.access import can_edit_municipality, request_memberships, request_user
from tenants.models import Municipality

# The forms of the round page: the section (anchor) each lives in, and when it applies.
SCHEDULE_FROM = {ParticipationStatus.INVITED, ParticipationStatus.SCHEDULED, ParticipationStatus.NO_OPINION}
ADOPT_FROM = {ParticipationStatus.SCHEDULED, ParticipationStatus.ADOPTED}
DECLINE_FROM = {ParticipationStatus.INVITED, ParticipationStatus.SCHEDULED}
EXTENSION_FROM = {ParticipationStatus.INVITED, ParticipationStatus.SCHEDULED, ParticipationStatus.ADOPTED}
SECTIONS = {
    "schedule": "vergaderdata",
    "decline": "vergaderdata",
    "adopt": "raadsbesluit",
    "draft": "zienswijze",
    "withdraw": "versies",
    "extension": "uitstel",
}


@dataclass
class RoundPage:
    """What every view of one round needs: who and where, and the municipality's participation."""

    municipality: Municipality
    participation: Participation
    can_edit: bool
    now: datetime

    @property
    def closed(self) -> bool:
        return self.participation.round.is_closed(self.now)

    @property
    def url(self) -> str:
        return reverse(
            "imv_round", kwargs={"gemeente": _slug(self.municipality), "round_uuid": self.participation.round.uuid}
        )


def _slug(municipality: Municipality) -> str:
    return municipality.slug


def _round_page(request: HttpRequest, round_uuid: UUID | str, *, write: bool = False) -> RoundPage:
    municipality = request_municipality(request, write=write)
    participation = selectors.participation_get(municipality=municipality, round_uuid=round_uuid)
    if participation is None:
        raise Http404(_("Deze gemeente doet niet mee aan deze consultatieronde."))
    return RoundPage(
        municipality=municipality,
        participation=participation,
        can_edit=can_edit_municipality(request_memberships(request), municipality),
        now=db_now(),
    )


# --- Pages -------------------------------------------------------------------------------------
def imv_round_list(request: HttpRequest, gemeente: str) -> HttpResponse:
    municipality = request_municipality(request)
    now = db_now()
    rows = [
        {
            "round": consultation,
            "participation": participation,
            "closed": consultation.is_closed(now),
            "deadline": selectors.deadline_state(participation=participation, now=now) if participation else None,
        }
        for consultation, participation in selectors.imv_round_list(municipality=municipality)
    ]
    return render(request, "municipalities/imv/round_list.html", {"municipality": municipality, "rows": rows})


def imv_round(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    return _render(request, _round_page(request, round_uuid))


def imv_decision_document(request: HttpRequest, gemeente: str, round_uuid: UUID) -> FileResponse:
    """The council decision's PDF, for whoever may read the round page; always as a download."""
    page = _round_page(request, round_uuid)
    document = page.participation.decision_document
    if not document:
        raise Http404(_("Er is nog geen raadsbesluit opgeslagen."))
    case = "".join(c for c in page.participation.decision_case_number if c.isalnum() or c in "-_")
    return FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"raadsbesluit-{page.municipality.cbs_code}-{case or 'zienswijze'}.pdf",
        content_type="application/pdf",
    )


def _render(
    request: HttpRequest,
    page: RoundPage,
    *,
    bound: dict[str, PortalForm] | None = None,
    failed: str | None = None,
    status: int = 200,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    """The round page; ``bound`` holds a refused form to show with its errors instead of a fresh one."""
    bound = bound or {}
    participation = page.participation
    consultation = participation.round
    editable = page.can_edit and not page.closed
    p_status = participation.status
    extensions = list(selectors.extension_list(participation=participation))
    has_open_extension = any(e.status == ExtensionStatus.REQUESTED for e in extensions)
    forms: dict[str, Any] = {}
    draft = None
    if editable:
        if p_status in SCHEDULE_FROM:
            forms["schedule"] = bound.get("schedule") or ScheduleForm(
                initial={"committee_date": participation.committee_date, "council_date": participation.council_date}
            )
        if p_status in DECLINE_FROM:
            forms["decline"] = bound.get("decline") or DeclineForm()
        if p_status in ADOPT_FROM:
            forms["adopt"] = bound.get("adopt") or CouncilDecisionForm(
                initial=_decision_initial(participation), has_document=bool(participation.decision_document)
            )
        if p_status != ParticipationStatus.ANSWERED:
            draft = opinion_draft_get(consultation=consultation)
            forms["draft"] = bound.get("draft") or OpinionDraftForm.for_draft(
                draft, cycle_themes(cycle=consultation.cycle)
            )
        if p_status in EXTENSION_FROM and not has_open_extension:
            forms["extension"] = bound.get("extension") or ExtensionRequestForm()
    for name, form in bound.items():
        # A refused form is shown again with the user's input, also when the state no longer offers it
        # (the round closed, or someone else moved the status on meanwhile).
        forms.setdefault(name, form)
    failed_form = bound.get(failed) if failed else None
    context = {
        "municipality": page.municipality,
        "consultation": consultation,
        "participation": participation,
        "can_edit": page.can_edit,
        "editable": editable,
        "closed": page.closed,
        "now": page.now,
        "deadline": selectors.deadline_state(participation=participation, now=page.now),
        "next_step": selectors.next_step(participation=participation, closed=page.closed),
        "steps": selectors.round_steps(participation=participation, now=page.now),
        "imv_timeline": list(consultation.cycle.timeline.all()),
        "opinions": selectors.opinion_list(participation=participation),
        "extensions": extensions,
        "has_open_extension": has_open_extension,
        "history": selectors.participation_history(participation=participation),
        "forms": forms,
        "draft": draft,
        "conflict": conflict,
        "can_submit": p_status == ParticipationStatus.ADOPTED,
        "can_withdraw": editable and p_status == ParticipationStatus.SUBMITTED,
        "failed_section": SECTIONS.get(failed or ""),
        "failed_message": (failed_form.failure_message if failed_form is not None else ""),
        "statuses": ParticipationStatus,
    }
    return render(request, "municipalities/imv/round.html", context, status=status)


def _decision_initial(participation: Participation) -> dict[str, Any]:
    if participation.decision_date is None:
        return {}
    return {
        "decision_date": participation.decision_date,
        "case_number": participation.decision_case_number,
        "openbaarheid": participation.openbaarheid,
        "woo_category": participation.woo_category,
    }


# --- Actions -----------------------------------------------------------------------------------
def _done(request: HttpRequest, page: RoundPage, message: str, anchor: str = "main") -> HttpResponse:
    """Back to the round page (post/redirect/get), at the top where the message and status are."""
    messages.success(request, message)
    return HttpResponseRedirect(f"{page.url}#{anchor}")


def _refused(
    request: HttpRequest, page: RoundPage, name: str, form: PortalForm, exc: PortalError | None
) -> HttpResponse:
    """Show the page again with the refused form: field errors at the fields, the rest above it."""
    if exc is not None:
        form.add_portal_error(exc)
    return _render(request, page, bound={name: form}, failed=name, status=exc.status if exc else 400)


@require_POST
def imv_schedule(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    page = _round_page(request, round_uuid, write=True)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _refused(request, page, "schedule", form, None)
    try:
        imv_services.participation_schedule(
            actor=request_user(request),
            participation=page.participation,
            committee_date=form.cleaned_data["committee_date"],
            council_date=form.cleaned_data["council_date"],
        )
    except PortalError as exc:
        return _refused(request, page, "schedule", form, exc)
    return _done(request, page, _("De vergaderdata zijn opgeslagen. Status: geagendeerd."))


@require_POST
def imv_adopt(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    page = _round_page(request, round_uuid, write=True)
    form = CouncilDecisionForm(request.POST, request.FILES, has_document=bool(page.participation.decision_document))
    if not form.is_valid():
        return _refused(request, page, "adopt", form, None)
    data = form.cleaned_data
    try:
        imv_services.participation_adopt(
            actor=request_user(request),
            participation=page.participation,
            decision=imv_services.CouncilDecision(
                decision_date=data["decision_date"],
                case_number=data["case_number"],
                document=data["document"],
                openbaarheid=data["openbaarheid"],
                woo_category=data["woo_category"],
            ),
        )
    except PortalError as exc:
        return _refused(request, page, "adopt", form, exc)
    return _done(request, page, _("Het raadsbesluit is opgeslagen. Status: vastgesteld."))


@require_POST
def imv_decline(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    page = _round_page(request, round_uuid, write=True)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _refused(request, page, "decline", form, None)
    try:
        imv_services.participation_decline(
            actor=request_user(request), participation=page.participation, note=form.cleaned_data["note"]
        )
    except PortalError as exc:
        return _refused(request, page, "decline", form, exc)
    return _done(request, page, _("Vastgelegd: de raad geeft geen zienswijze."))


@require_POST
def imv_draft(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    """Save the draft ("opslaan"), or save and submit it in one step ("indienen")."""
    page = _round_page(request, round_uuid, write=True)
    consultation = page.participation.round
    form = OpinionDraftForm(request.POST, themes=cycle_themes(cycle=consultation.cycle))
    if not form.is_valid():
        return _refused(request, page, "draft", form, None)
    data = form.cleaned_data
    values: dict[str, Any] = {
        "actor": request_user(request),
        "consultation": consultation,
        "expected_version": data["version"],
        "overall_position": data["overall_position"],
        "overall_text": data["overall_text"],
        "points": form.points(),
        "seen_version": data["seen_version"],
        "keep": form.keep(),
    }
    submit = request.POST.get("action") == "indienen"
    try:
        if submit:
            opinion = opinion_draft_update_and_submit(
                municipality=page.municipality, idempotency_key=data["idempotency_key"], **values
            )
        else:
            draft = opinion_draft_update(**values)
    except PortalError as exc:
        form.add_portal_error(exc)
        conflict = form.show_conflict(exc) if isinstance(exc, DraftConflictError) else None
        return _render(request, page, bound={"draft": form}, failed="draft", status=exc.status, conflict=conflict)
    if submit:
        late = _(" Ingediend na de uiterste datum: %(late)s.") % {"late": opinion.late_text} if opinion.is_late else ""
        return _done(
            request, page, _("De zienswijze is ingediend bij de regio (versie %(n)s).") % {"n": opinion.number} + late
        )
    return _done(
        request,
        page,
        _("Het concept is opgeslagen (versie %(v)s). Alleen medewerkers van %(name)s kunnen het zien.")
        % {"v": draft.version, "name": page.municipality.name},
        anchor="zienswijze",
    )


@require_POST
def imv_withdraw(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    page = _round_page(request, round_uuid, write=True)
    form = WithdrawForm(request.POST)
    form.full_clean()
    try:
        imv_services.opinion_withdraw(actor=request_user(request), participation=page.participation)
    except PortalError as exc:
        return _refused(request, page, "withdraw", form, exc)
    return _done(
        request,
        page,
        _("De zienswijze is ingetrokken; zij blijft bewaard. Status: vastgesteld. U kunt opnieuw indienen."),
    )


@require_POST
def imv_extension(request: HttpRequest, gemeente: str, round_uuid: UUID) -> HttpResponse:
    page = _round_page(request, round_uuid, write=True)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        return _refused(request, page, "extension", form, None)
    try:
        imv_services.extension_request(
            actor=request_user(request),
            participation=page.participation,
            reason=form.cleaned_data["reason"],
            requested_deadline=day_end(form.cleaned_data["requested_deadline"]),
        )
    except PortalError as exc:
        return _refused(request, page, "extension", form, exc)
    return _done(
        request, page, _("Het uitstelverzoek is verstuurd naar de adviseur van de regioburgemeester."), "uitstel"
    )
