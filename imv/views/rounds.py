"""The region's pages of the IMV consultation, under /regio/imv/: overview, status board, exports.

Readers are the adviser (adviseur regioburgemeester) and the RBOP members of the round's police
unit; only the adviser writes. Municipal staff see their own round page under /gemeenten/<slug>/,
never the board. Every write goes through imv.services; its PortalError becomes a Dutch message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imv import services
from imv.clock import amsterdam_date, db_now
from imv.forms import (
    DraftVersionForm,
    ExtensionDecisionForm,
    RoundOpenForm,
    ThemeForm,
)
from imv.models import (
    ConsultationRound,
    DraftVersion,
    ExtensionRequest,
    ExtensionStatus,
    ImvCycle,
    ParticipationStatus,
    Theme,
)
from imv.selectors import (
    DONE,
    BoardRow,
    board_counts,
    board_rows,
    cycle_themes,
)
from imv.selectors.audit import audit_label, round_audit
from imv.views._common import demo_shift, download, round_context, round_or_404, unit_check
from portal.exceptions import PortalError
from tenants.access import can_manage_round, readable_unit_ids, regional_unit_ids, request_memberships, request_user
from tenants.models import District


def _district(request: HttpRequest, districts: list[str]) -> str:
    """The district filter from the query string; an unknown name shows the whole unit."""
    wanted = request.GET.get("district", "")
    return wanted if wanted in districts else ""


def _board_context(request: HttpRequest, consultation: ConsultationRound) -> dict[str, Any]:
    now = db_now()
    districts = list(
        District.objects.filter(police_unit_id=consultation.cycle.police_unit_id).values_list("name", flat=True)
    )
    district = _district(request, districts)
    rows = board_rows(consultation=consultation, now=now, district=district or None)
    counts = board_counts(rows)
    return {
        **round_context(request, consultation),
        "now": now,
        "districts": districts,
        "district": district,
        "rows": rows,
        "status_counts": [
            {"status": status, "label": ParticipationStatus(status).label, "count": counts[status]}
            for status in ParticipationStatus.values
        ],
        "late_count": sum(row.is_late for row in rows),
        "extension_count": sum(row.extension_requested for row in rows),
        "open_count": sum(row.status not in DONE for row in rows),
        "done_statuses": sorted(DONE),
        "query": f"?district={district}" if district else "",
    }


# --- Overview -----------------------------------------------------------------------------
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Every IMV of the viewer's police unit(s): timeline, themes, draft versions and rounds."""
    memberships = request_memberships(request)
    unit_ids = regional_unit_ids(memberships)
    if not unit_ids:
        unit_check(request, 0, write=False)  # raises the readable 403
    cycles = (
        ImvCycle.objects.filter(police_unit_id__in=unit_ids)
        .select_related("police_unit")
        .prefetch_related(
            "timeline",
            "draft_versions",
            Prefetch("rounds", queryset=ConsultationRound.objects.select_related("draft_version")),
        )
    )
    items = []
    for cycle in cycles:
        rounds = list(cycle.rounds.all())
        example = next((r for r in rounds if r.is_example), None)
        items.append(
            {
                "cycle": cycle,
                "themes": cycle_themes(cycle=cycle),
                "timeline": list(cycle.timeline.all()),
                "drafts": list(cycle.draft_versions.all()),
                "rounds": rounds,
                "themes_frozen": bool(rounds),
                "can_edit": can_manage_round(memberships, cycle.police_unit_id),
                "demo": demo_shift(example) if example else None,
            }
        )
    return render(request, "imv/overview.html", {"items": items})


@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, cycle_uuid: UUID) -> HttpResponse:
    cycle = get_object_or_404(ImvCycle, uuid=cycle_uuid)
    unit_check(request, cycle.police_unit_id, write=True)
    drafts = DraftVersion.objects.filter(cycle=cycle)
    form = RoundOpenForm(request.POST or None, draft_versions=drafts)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.round_open(
                actor=request_user(request),
                cycle=cycle,
                draft_version=form.cleaned_data["draft_version"],
                deadline=form.deadline(),
                rbop_meeting=form.rbop_meeting(),
            )
        except PortalError as exc:
            form.add_portal_error(exc)
        else:
            messages.success(
                request,
                _("De consultatieronde is geopend: %(count)d gemeenten zijn uitgenodigd.")
                % {"count": consultation.participations.count()},
            )
            return redirect("imv:board", round_uuid=consultation.uuid)
    return render(request, "imv/round_open.html", {"cycle": cycle, "form": form, "has_drafts": drafts.exists()})


@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, theme_uuid: UUID) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("cycle", "parent"), uuid=theme_uuid)
    unit_check(request, theme.cycle.police_unit_id, write=True)
    initial = {"name": theme.name, "status": theme.status, "note": theme.note}
    form = ThemeForm(request.POST or None, initial=initial)
    frozen = ConsultationRound.objects.filter(cycle_id=theme.cycle_id).exists()
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(actor=request_user(request), theme=theme, **form.cleaned_data)
        except PortalError as exc:
            form.add_portal_error(exc)
        else:
            messages.success(request, _("Het thema “%(name)s” is opgeslagen.") % {"name": theme.name})
            return redirect(f"{reverse('imv:overview')}#themas-{theme.cycle.uuid}")
    return render(request, "imv/theme_edit.html", {"theme": theme, "form": form, "frozen": frozen})


# --- The status board ---------------------------------------------------------------------
@require_GET
def board(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """The adviser's status board: every municipality of the round, refreshed live (see board.js)."""
    consultation = round_or_404(request, round_uuid)
    context = _board_context(request, consultation)
    context["open_requests"] = list(
        ExtensionRequest.objects.filter(participation__round=consultation, status=ExtensionStatus.REQUESTED)
        .select_related("participation__municipality")
        .order_by("requested_at")
    )
    return render(request, "imv/board.html", context)


@require_GET
def board_table(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """The counts and the table alone: what an open board fetches when it hears the round changed."""
    consultation = round_or_404(request, round_uuid)
    response = render(request, "imv/_board_table.html", _board_context(request, consultation))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def reminders_send(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """The button "Herinner wie nog niet heeft ingediend": one reminder now to every open municipality."""
    consultation = round_or_404(request, round_uuid, write=True)
    try:
        reminded = services.reminders_send_now(actor=request_user(request), consultation=consultation)
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        names = [municipality.name for municipality in reminded]
        if names:
            messages.success(
                request,
                _("Herinnering verstuurd aan %(count)d gemeenten: %(names)s.")
                % {"count": len(names), "names": ", ".join(names)},
            )
        else:
            messages.info(request, _("Er is geen herinnering verstuurd: elke gemeente heeft al ingediend of afgezien."))
    return redirect("imv:board", round_uuid=consultation.uuid)


@require_http_methods(["GET", "POST"])
def extension_decide(request: HttpRequest, request_uuid: UUID) -> HttpResponse:
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related(
            "participation__municipality", "participation__round__cycle", "requested_by", "decided_by"
        ),
        uuid=request_uuid,
    )
    consultation = extension.participation.round
    unit_check(request, consultation.cycle.police_unit_id, write=True)
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_decide(
                actor=request_user(request),
                request=extension,
                grant=form.grant(),
                deadline=form.deadline(),
                note=form.cleaned_data["note"],
            )
        except PortalError as exc:
            form.add_portal_error(exc)
        else:
            municipality = extension.participation.municipality.name
            messages.success(
                request,
                (_("Uitstel toegekend aan %(name)s.") if form.grant() else _("Uitstel voor %(name)s afgewezen."))
                % {"name": municipality},
            )
            return redirect("imv:board", round_uuid=consultation.uuid)
    return render(
        request,
        "imv/extension_decide.html",
        {**round_context(request, consultation), "extension": extension, "form": form},
    )


# --- Exports ------------------------------------------------------------------------------
def _export_rows(request: HttpRequest, consultation: ConsultationRound) -> tuple[list[BoardRow], datetime, str]:
    context = _board_context(request, consultation)
    return context["rows"], context["now"], context["district"]


@require_GET
def export_csv(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    from imv.exports import (
        board as exports,  # openpyxl and reportlab load when a file is asked for, not with every page
    )

    consultation = round_or_404(request, round_uuid)
    rows, now, district = _export_rows(request, consultation)
    return download(
        exports.board_csv(rows),
        "text/csv; charset=utf-8",
        exports.filename(consultation, now, "csv", district=district),
    )


@require_GET
def audit_page(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """Every change in the round, newest first, for the adviser who runs it (the CSV has the same rows)."""
    consultation = round_or_404(request, round_uuid, write=True)
    events = round_audit(consultation=consultation).reverse()
    rows = [(event, audit_label(event.object_type, event.field)) for event in events]
    return render(request, "imv/audit.html", {**round_context(request, consultation), "rows": rows})


@require_GET
def export_audit_csv(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """Every change in the round (who, when, old → new), for the adviser who runs it."""
    from imv.exports.audit import audit_csv  # the file is made only when asked for

    consultation = round_or_404(request, round_uuid, write=True)
    return download(
        audit_csv(round_audit(consultation=consultation)),
        "text/csv; charset=utf-8",
        f"wijzigingen-{slugify(consultation.cycle.name)}-{amsterdam_date(db_now()):%Y-%m-%d}.csv",
    )


@require_GET
def export_xlsx(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    from imv.exports import (
        board as exports,  # openpyxl and reportlab load when a file is asked for, not with every page
    )

    consultation = round_or_404(request, round_uuid)
    rows, now, district = _export_rows(request, consultation)
    return download(
        exports.board_xlsx(consultation=consultation, rows=rows, now=now, district=district),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename(consultation, now, "xlsx", district=district),
    )


@require_GET
def export_pdf(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """The RBOP board pack: progress, positions per theme and the reactienota, for the whole unit."""
    from imv.exports import (
        board as exports,  # openpyxl and reportlab load when a file is asked for, not with every page
    )

    consultation = round_or_404(request, round_uuid)
    now = db_now()
    rows = board_rows(consultation=consultation, now=now)
    return download(
        exports.board_pack_pdf(consultation=consultation, rows=rows, now=now, demo=demo_shift(consultation)),
        "application/pdf",
        exports.filename(consultation, now, "pdf", stem="bestuurspakket"),
    )


# --- Draft versions of the plan -----------------------------------------------------------
@require_http_methods(["GET", "POST"])
def draft_version_add(request: HttpRequest, cycle_uuid: UUID) -> HttpResponse:
    """The adviser adds a version of the draft text (PDF) that a round can consult on."""
    cycle = get_object_or_404(ImvCycle, uuid=cycle_uuid)
    unit_check(request, cycle.police_unit_id, write=True)
    form = DraftVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.draft_version_create(
                actor=request_user(request),
                cycle=cycle,
                label=form.cleaned_data["label"],
                day=form.cleaned_data["day"],
                document=form.cleaned_data["document"],
                change_note=form.cleaned_data["change_note"],
            )
        except PortalError as exc:
            form.add_portal_error(exc)
        else:
            messages.success(request, _("Conceptversie “%(label)s” is toegevoegd.") % {"label": version.label})
            return redirect("imv:overview")
    return render(request, "imv/draft_version_add.html", {"cycle": cycle, "form": form})


@require_GET
def draft_version_document(request: HttpRequest, draft_uuid: UUID) -> HttpResponse:
    """The PDF of a draft version, for everyone the IMV is for: the unit's adviser, RBOP and councils' staff."""
    version = get_object_or_404(DraftVersion.objects.select_related("cycle"), uuid=draft_uuid)
    if version.cycle.police_unit_id not in readable_unit_ids(request_memberships(request)):
        raise PermissionDenied(_("Deze conceptversie is van een andere politie-eenheid."))
    if not version.document:
        raise Http404(_("Bij deze conceptversie is geen document opgeslagen."))
    with version.document.open("rb") as handle:
        content = handle.read()
    return download(content, "application/pdf", f"{slugify(version.label) or 'concept'}.pdf")
