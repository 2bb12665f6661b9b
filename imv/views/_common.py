"""What the region's IMV pages share: who may see or change a round, what every round page shows,
and a file download."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from imv import demo
from imv.clock import amsterdam_date
from imv.models import ConsultationRound
from tenants.access import can_manage_round, regional_unit_ids, request_memberships
from tenants.models import Membership


# --- Who may do what (the rules live in tenants.access) -------------------------------------
def can_read_board(memberships: Iterable[Membership], police_unit_id: int) -> bool:
    """The adviser and the RBOP members of the police unit; municipal staff have their own round page."""
    return police_unit_id in regional_unit_ids(memberships)


def unit_check(request: HttpRequest, police_unit_id: int, *, write: bool) -> None:
    """403 unless the user may read (or, with ``write``, change) the IMV of this police unit."""
    memberships = request_memberships(request)
    if write and not can_manage_round(memberships, police_unit_id):
        if can_read_board(memberships, police_unit_id):
            raise PermissionDenied(_("Alleen de adviseur regioburgemeester kan dit wijzigen; u kunt het alleen lezen."))
        raise PermissionDenied(_("Dit deel van het portaal is voor de adviseur regioburgemeester."))
    if not can_read_board(memberships, police_unit_id):
        raise PermissionDenied(
            _("De IMV-consultatie is alleen te zien voor de adviseur regioburgemeester en de leden van het RBOP.")
        )


def round_or_404(request: HttpRequest, round_uuid: UUID, *, write: bool = False) -> ConsultationRound:
    consultation = get_object_or_404(
        ConsultationRound.objects.select_related("cycle__police_unit", "draft_version"), uuid=round_uuid
    )
    unit_check(request, consultation.cycle.police_unit_id, write=write)
    return consultation


# --- What every page of a round shows -------------------------------------------------------
def demo_shift(consultation: ConsultationRound) -> dict[str, Any] | None:
    """For the demo round: the real 2023 dates its shifted dates stand for (see imv.demo)."""
    if not consultation.is_example:
        return None
    shift = amsterdam_date(consultation.deadline) - demo.REAL_DEADLINE.date()
    return {
        "real_today": demo.REAL_TODAY,
        "real_deadline": demo.REAL_DEADLINE.date(),
        "real_rbop": demo.REAL_RBOP.date(),
        "plays_today": demo.REAL_TODAY + shift,
        "days": shift.days,
    }


def round_context(request: HttpRequest, consultation: ConsultationRound) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "cycle": consultation.cycle,
        "demo": demo_shift(consultation),
        "example_count": consultation.participations.filter(is_example=True).count(),
        "can_edit": can_manage_round(request_memberships(request), consultation.cycle.police_unit_id),
    }


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to save, never to keep in a cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
