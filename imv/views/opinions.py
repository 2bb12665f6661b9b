"""The region's answer to the councils: every submitted zienswijze of a round, and one at a time.

The adviser reads each opinion and records the region's reaction per point (the reactienota),
then marks it answered, and afterwards corrects a reaction when it must; RBOP members read along.
Pages under /regio/imv/rondes/<uuid>/zienswijzen/.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imv import services
from imv.forms import ReactionCorrectionForm, ReactionForm
from imv.models import Opinion, OpinionPoint, Participation, ParticipationStatus, Reaction
from imv.selectors import OpinionEntry, opinion_entry, reactienota
from imv.views._common import round_context, round_or_404
from portal.exceptions import PortalError, StaleVersionError
from tenants.access import request_user


@require_GET
def opinions(request: HttpRequest, round_uuid: UUID) -> HttpResponse:
    """Every submitted zienswijze of the round, with how far the region's answer has come."""
    consultation = round_or_404(request, round_uuid)
    return render(
        request,
        "imv/opinions.html",
        {**round_context(request, consultation), "entries": reactienota(consultation=consultation)},
    )


def _reaction_forms(
    entry: OpinionEntry, bound: forms.Form | None, bound_point: str, *, answered: bool
) -> list[dict[str, Any]]:
    """One item per point and one for the opinion as a whole, each with its form: before "beantwoord"
    the reaction itself (filled with the answer so far), after it a correction of the reaction sent."""
    targets: list[tuple[str, OpinionPoint | None, Any]] = [("", None, entry.overall_reaction)]
    targets += [(str(p.point.uuid), p.point, p.reaction) for p in entry.points]
    items = []
    for key, point, reaction in targets:
        form: forms.Form | None
        if bound is not None and key == bound_point:
            form = bound
        elif answered:
            form = None
            if reaction is not None:
                form = ReactionCorrectionForm(
                    initial={
                        "disposition": reaction.disposition,
                        "explanation": reaction.explanation,
                        "version": reaction.version,
                    },
                    prefix=f"c-{key or 'geheel'}",
                )
        else:
            initial = {}
            if reaction is not None:
                initial = {"disposition": reaction.disposition, "explanation": reaction.explanation}
            form = ReactionForm(initial=initial, prefix=f"r-{key or 'geheel'}")
        correction = isinstance(form, ReactionCorrectionForm)
        items.append({"key": key, "point": point, "reaction": reaction, "form": form, "correction": correction})
    return items


def _detail_url(participation: Participation, anchor: str = "") -> str:
    url = reverse(
        "imv:opinion_detail",
        kwargs={"round_uuid": participation.round.uuid, "participation_uuid": participation.uuid},
    )
    return f"{url}#{anchor}" if anchor else url


@require_http_methods(["GET", "POST"])
def opinion_detail(request: HttpRequest, round_uuid: UUID, participation_uuid: UUID) -> HttpResponse:
    """One municipality's zienswijze: its points, the region's reaction to each, and "beantwoorden";
    once answered, a correction per reaction."""
    consultation = round_or_404(request, round_uuid, write=request.method == "POST")
    participation = get_object_or_404(
        Participation.objects.select_related("municipality", "round"), round=consultation, uuid=participation_uuid
    )
    opinion = Opinion.objects.filter(participation=participation, withdrawn_at__isnull=True).order_by("-number").first()
    if opinion is None:
        messages.info(
            request, _("%(name)s heeft (nog) geen zienswijze ingediend.") % {"name": participation.municipality}
        )
        return redirect("imv:opinions", round_uuid=consultation.uuid)
    bound: forms.Form | None = None
    bound_point = ""
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "beantwoorden":
        try:
            services.participation_answer(actor=request_user(request), participation=participation)
        except PortalError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("De reactie is naar %(name)s gestuurd: de zienswijze is beantwoord.")
                % {"name": participation.municipality},
            )
        return redirect(_detail_url(participation))
    if request.method == "POST":
        bound_point = request.POST.get("point", "")
        point = None
        if bound_point:
            point_uuid = _uuid_or_none(bound_point)
            point = OpinionPoint.objects.filter(opinion=opinion, uuid=point_uuid).first() if point_uuid else None
            if point is None:
                # A stale page (a resubmitted opinion has new points): show the current one again.
                messages.error(request, _("Dit punt hoort niet (meer) bij deze zienswijze."))
                return redirect(_detail_url(participation))
        refused: tuple[forms.Form, int] | None
        if action == "corrigeren":
            refused = _correct(request, participation, opinion, point, bound_point)
        else:
            refused = _react(request, opinion, point, bound_point)
        if refused is None:
            return redirect(_detail_url(participation, f"reactie-{bound_point or 'geheel'}"))
        bound, status = refused
    entry = opinion_entry(opinion=opinion)
    answered = participation.status == ParticipationStatus.ANSWERED
    context = round_context(request, consultation)
    return render(
        request,
        "imv/opinion_detail.html",
        {
            **context,
            "participation": participation,
            "entry": entry,
            "reaction_forms": _reaction_forms(entry, bound, bound_point, answered=answered),
            "can_answer": participation.status == ParticipationStatus.SUBMITTED,
            # Once answered the reactions are read, and corrected below them; RBOP members only read.
            "read_only": answered or not context["can_edit"],
            "missing": services.reactions_missing(opinion),
            # Where the refused form is: the page starts with a link to it.
            "error_anchor": f"reactie-{bound_point or 'geheel'}" if bound is not None else "",
            "error_message": (
                ReactionCorrectionForm.failure_message
                if isinstance(bound, ReactionCorrectionForm)
                else _("De reactie is niet opgeslagen.")
            ),
        },
        status=status,
    )


def _react(
    request: HttpRequest, opinion: Opinion, point: OpinionPoint | None, key: str
) -> tuple[ReactionForm, int] | None:
    """Write the reaction on one point before "beantwoord"; None when saved, else the refused form (400)."""
    form = ReactionForm(request.POST, prefix=f"r-{key or 'geheel'}")
    if form.is_valid():
        try:
            services.reaction_set(
                actor=request_user(request),
                opinion=opinion,
                point=point,
                disposition=form.cleaned_data["disposition"],
                explanation=form.cleaned_data["explanation"],
            )
        except PortalError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De reactie is opgeslagen."))
            return None
    return form, 400


def _correct(
    request: HttpRequest, participation: Participation, opinion: Opinion, point: OpinionPoint | None, key: str
) -> tuple[ReactionCorrectionForm, int] | None:
    """Correct the reaction on one point after "beantwoord"; None when saved, else the refused form and
    the service's status (400 for the form's own checks)."""
    form = ReactionCorrectionForm(request.POST, prefix=f"c-{key or 'geheel'}")
    reaction = Reaction.objects.filter(opinion=opinion, point=point).first()
    if reaction is None:
        form.add_error(None, _("Op dit punt is nog geen reactie gestuurd; er is niets te corrigeren."))
        return form, 409
    if form.is_valid():
        try:
            services.reaction_correct(
                actor=request_user(request),
                reaction=reaction,
                disposition=form.cleaned_data["disposition"],
                explanation=form.cleaned_data["explanation"],
                reason=form.cleaned_data["reason"],
                expected_versions=[str(form.cleaned_data["version"])],
            )
        except StaleVersionError as exc:
            # Someone corrected it meanwhile: the page shows that version; the adviser's text stays.
            form.keep_version(exc.current)
            form.add_error(
                None,
                _(
                    "Deze reactie is intussen gecorrigeerd. De huidige versie staat hierboven en uw tekst staat er "
                    "nog; stuurt u de correctie opnieuw, dan vervangt die de huidige versie."
                ),
            )
            return form, exc.status
        except PortalError as exc:
            form.add_portal_error(exc)
            return form, exc.status
        else:
            messages.success(
                request,
                _("De correctie is opgeslagen en %(name)s is op de hoogte gebracht.")
                % {"name": participation.municipality},
            )
            return None
    return form, 400


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
