"""Shared by the services: object names for the audit trail, row locks, status moves, the closed-round rule,
and the versions a caller names so that a change made on a stale copy is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime

from django.utils.translation import gettext as _

from imv import events
from imv.models import (
    TRANSITIONS,
    ConsultationRound,
    ExtensionRequest,
    Participation,
    ParticipationStatus,
)
from portal.exceptions import PortalError, StaleVersionError
from tenants.audit import audit_record
from tenants.models import User

PARTICIPATION = "deelname"
ROUND = "consultatieronde"
OPINION = "zienswijze"


def round_assert_open(consultation: ConsultationRound, now: datetime) -> None:
    """Refuse (409 round_closed) once the round is closed: the one wording for pages, API and every service."""
    if consultation.is_closed(now):
        raise PortalError(
            _(
                "De consultatieronde is gesloten: het RBOP heeft op %(date)s vergaderd. Er kan niets meer worden "
                "ingediend of gewijzigd."
            )
            % {"date": f"{consultation.rbop_meeting:%d-%m-%Y}"},
            status=409,
            code="round_closed",
        )


def participation_version(participation: Participation) -> str:
    """The version of a participation as callers see it (the API's ETag): every change raises it."""
    return str(participation.version)


def extension_version(request: ExtensionRequest) -> str:
    """A request only ever changes by its one decision, so status and decision time identify its state."""
    decided = request.decided_at.isoformat() if request.decided_at else ""
    return hashlib.sha256(f"{request.uuid}|{request.status}|{decided}".encode()).hexdigest()[:20]


def version_assert(current: str, expected: Collection[str] | None, *, what: str) -> None:
    """Refuse (412) a change made on a copy older than ``current``; ``expected`` None means "not checked".

    Callers compare under the row's lock, so no change slips in between the check and the write.
    """
    if expected is not None and current not in expected:
        raise StaleVersionError(
            _(
                "%(what)s is intussen gewijzigd (versie nu %(current)s). Haal de gegevens opnieuw op en stuur de "
                "nieuwe versie mee; er is niets gewijzigd."
            )
            % {"what": what[:1].upper() + what[1:], "current": f'"{current}"'},
            current=current,
        )


def _lock(participation: Participation) -> Participation:
    """Re-read the participation under a row lock: concurrent changes queue up instead of racing."""
    return Participation.objects.select_for_update().select_related("round", "municipality").get(pk=participation.pk)


def _move(actor: User | None, participation: Participation, new_status: str, note: str = "") -> None:
    old_status = participation.status
    if new_status not in TRANSITIONS[old_status]:
        raise PortalError(
            _("Van “%(old)s” kan een deelname niet naar “%(new)s”.")
            % {"old": ParticipationStatus(old_status).label, "new": ParticipationStatus(new_status).label},
            status=409,
            code="transition_not_allowed",
        )
    participation.status = new_status
    audit_record(
        actor=actor,
        object_type=PARTICIPATION,
        object_uuid=participation.uuid,
        field="status",
        old=old_status,
        new=new_status,
        municipality=participation.municipality,
        note=note,
    )


def _save(participation: Participation, *fields: str) -> None:
    participation.version += 1
    participation.save(update_fields=[*fields, "version", "updated_at"])
    events.round_changed(participation.round)
