"""The region's answer to the councils: every submitted zienswijze of a round, and one at a time.

The adviser reads each opinion and records the region's reaction per point (the reactienota),
then marks it answered; RBOP members read along. Pages under /regio/imv/rondes/<uuid>/zienswijzen/.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imv import services
from imv.forms import ReactionForm
from imv.models import Opinion, OpinionPoint, Participation, ParticipationStatus
from imv.selectors import OpinionEntry, opinion_entry, reactienota
from imv.views._common import round_context, round_or_404
from portal.exceptions import PortalError
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


def _reaction_forms(entry: OpinionEntry, bound: ReactionForm | None, bound_point: str) -> list[dict[str, Any]]:
    """One form per point and one for the opinion as a whole, filled with the existing answer."""
    targets: list[tuple[str, OpinionPoint | None, Any]] = [("", None, entry.overall_reaction)]
    targets += [(str(p.point.uuid), p.point, p.reaction) for p in entry.points]
    forms = []
    for key, point, reaction in targets:
        prefix = f"r-{key or 'geheel'}"
        if bound is not None and key == bound_point:
            form = bound
        else:
            initial = {}
            if reaction is not None:
                initial = {"disposition": reaction.disposition, "explanation": reaction.explanation}
            form = ReactionForm(initial=initial, prefix=prefix)
        forms.append({"key": key, "point": point, "reaction": reaction, "form": form})
    return forms


@require_http_methods(["GET", "POST"])
def opinion_detail(request: HttpRequest, round_uuid: UUID, participation_uuid: UUID) -> HttpResponse:
    """One municipality's zienswijze: its points, the region's reaction to each, and "beantwoorden"."""
    consultation = round_or_404(request, round_uuid, write=request.method == "POST")
    participation = get_object_or_404(
        Participation.objects.select_related("municipality"), round=consultation, uuid=participation_uuid
    )
    opinion = Opinion.objects.filter(participation=participation, withdrawn_at__isnull=True).order_by("-number").first()
    if opinion is None:
        messages.info(
            request, _("%(name)s heeft (nog) geen zienswijze ingediend.") % {"name": participation.municipality}
        )
        return redirect("imv:opinions", round_uuid=consultation.uuid)
    bound: ReactionForm | None = None
    bound_point = ""
    if request.method == "POST" and request.POST.get("action") == "beantwoorden":
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
        return redirect("imv:opinion_detail", round_uuid=consultation.uuid, participation_uuid=participation.uuid)
    if request.method == "POST":
        bound_point = request.POST.get("point", "")
        point = None
        if bound_point:
            point_uuid = _uuid_or_none(bound_point)
            point = OpinionPoint.objects.filter(opinion=opinion, uuid=point_uuid).first() if point_uuid else None
            if point is None:
                # A stale page (a resubmitted opinion has new points): show the current one again.
                messages.error(request, _("Dit punt hoort niet (meer) bij deze zienswijze."))
                return redirect(
                    "imv:opinion_detail", round_uuid=consultation.uuid, participation_uuid=participation.uuid
                )
        bound = ReactionForm(request.POST, prefix=f"r-{bound_point or 'geheel'}")
        if bound.is_valid():
            try:
                services.reaction_set(
                    actor=request_user(request),
                    opinion=opinion,
                    point=point,
                    disposition=bound.cleaned_data["disposition"],
                    explanation=bound.cleaned_data["explanation"],
                )
            except PortalError as exc:
                bound.add_error(None, exc.message)
            else:
                messages.success(request, _("De reactie is opgeslagen."))
                anchor = f"#reactie-{bound_point or 'geheel'}"
                return redirect(
                    reverse(
                        "imv:opinion_detail",
                        kwargs={"round_uuid": consultation.uuid, "participation_uuid": participation.uuid},
                    )
                    + anchor
                )
    entry = opinion_entry(opinion=opinion)
    return render(
        request,
        "imv/opinion_detail.html",
        {
            **round_context(request, consultation),
            "participation": participation,
            "entry": entry,
            "reaction_forms": _reaction_forms(entry, bound, bound_point),
            "can_answer": participation.status == ParticipationStatus.SUBMITTED,
            "missing": services.reactions_missing(opinion),
            # Where the refused form is: the page starts with a link to it.
            "error_anchor": f"reactie-{bound_point or 'geheel'}" if bound is not None else "",
        },
        status=400 if bound is not None else 200,
    )


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
