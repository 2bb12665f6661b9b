"""Shared by the services: object names for the audit trail, row locks, status moves, the closed-round rule,
and the versions a caller names so that a change made on a stale copy is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imv import events
from imv.models import (
    TRANSITIONS,
    Action,
    ConsultationRound,
    ExtensionRequest,
    Participation,
    ParticipationStatus,
)
from portal.exceptions import PortalError, StaleVersionError
from tenants.audit import audit_record
from tenants.models import Municipality, User

PARTICIPATION = "deelname"
ROUND = "consultatieronde"
OPINION = "zienswijze"
REACTION = "reactie"
EXTENSION = "uitstelverzoek"


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


# Every field of the round's records is either audited by the services (each change: who, when,
# old → new) or listed here with the reason it is not; tests/imv/test_audit_fields.py fails for a
# field that is neither, so a field added later cannot go unaudited without a decision.
AUDITED: dict[str, frozenset[str]] = {
    "imv.Participation": frozenset(
        {
            "status",
            "deadline",
            "committee_date",
            "council_date",
            "decision_date",
            "decision_case_number",
            "decision_document",
            "openbaarheid",
            "woo_category",
            "submitted_at",
            "days_late",
        }
    ),
    "imv.ExtensionRequest": frozenset({"status", "reason", "requested_deadline", "granted_deadline", "decision_note"}),
    "imv.Reaction": frozenset({"disposition", "explanation"}),
    # An earlier version is a copy made by a correction; the correction itself is audited on the reaction.
    "imv.ReactionVersion": frozenset(),
    "imv.Theme": frozenset({"name", "status", "note"}),
    "imv.Opinion": frozenset({"withdrawn_at"}),
    # No service changes a round or a draft version once made; their making is audited.
    "imv.ConsultationRound": frozenset(),
    "imv.DraftVersion": frozenset(),
}
_KEYS = "the row's own key and identity, never changed"
_ONCE = "set once when the row is made, and the making is audited"
_WHO = "who and when are in every audit row of the change itself"
NOT_AUDITED: dict[str, dict[str, str]] = {
    "imv.Participation": {
        "id": _KEYS,
        "uuid": _KEYS,
        "round": _ONCE + " (the round's opening)",
        "municipality": _ONCE + " (the round's opening)",
        "is_example": "the demo's marker, set once",
        "version": "the change counter itself: it rises with every audited change",
        "updated_at": _WHO,
    },
    "imv.Opinion": {
        "id": _KEYS,
        "uuid": _KEYS,
        **dict.fromkeys(
            (
                "participation",
                "number",
                "overall_position",
                "overall_text",
                "submitted_at",
                "submitted_by",
                "days_late",
                "draft_version",
                "deadline",
                "idempotency_key",
            ),
            'an immutable copy: set once at submission, which is audited ("ingediend")',
        ),
    },
    "imv.Reaction": {
        "id": _KEYS,
        "uuid": _KEYS,
        "opinion": _ONCE,
        "point": _ONCE,
        "created_by": _WHO,
        "created_at": _WHO,
        "updated_at": _WHO,
        "version": 'the correction counter: every correction is audited ("correctie", versie n → n+1)',
    },
    "imv.ReactionVersion": {
        "id": _KEYS,
        "uuid": _KEYS,
        **dict.fromkeys(
            (
                "reaction",
                "number",
                "disposition",
                "explanation",
                "written_by",
                "written_at",
                "reason",
                "corrected_by",
                "corrected_at",
            ),
            "an immutable copy of the text a correction replaced; the correction is audited on the reaction "
            "(old → new, with the reason)",
        ),
    },
    "imv.ExtensionRequest": {
        "id": _KEYS,
        "uuid": _KEYS,
        "participation": _ONCE,
        "requested_by": _WHO,
        "requested_at": _WHO,
        "decided_by": _WHO,
        "decided_at": _WHO,
    },
    "imv.ConsultationRound": {
        "id": _KEYS,
        "uuid": _KEYS,
        **dict.fromkeys(
            ("cycle", "draft_version", "deadline", "rbop_meeting", "opened_at", "opened_by", "is_example"),
            _ONCE + ' ("geopend"); no service changes a round after it opens',
        ),
    },
    "imv.DraftVersion": {
        "id": _KEYS,
        "uuid": _KEYS,
        **dict.fromkeys(
            ("cycle", "label", "date", "document", "change_note", "created_at"),
            _ONCE + "; a new text is a new draft version",
        ),
    },
    "imv.Theme": {
        "id": _KEYS,
        "uuid": _KEYS,
        "cycle": "from the IMV's reference file; no page or service changes it",
        "parent": "from the IMV's reference file; no page or service changes it",
        "number": "from the IMV's reference file; no page or service changes it",
        "position": "from the IMV's reference file; no page or service changes it",
    },
}


def audit_changes(
    *,
    actor: User | None,
    object_type: str,
    object_uuid: Any,
    changes: Iterable[tuple[str, Any, Any]],
    municipality: Municipality | None = None,
    note: str = "",
) -> None:
    """One audit row per field that changed (audit_record skips those whose value stayed the same)."""
    for field, old, new in changes:
        audit_record(
            actor=actor,
            object_type=object_type,
            object_uuid=object_uuid,
            field=field,
            old=old,
            new=new,
            municipality=municipality,
            note=note,
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


# Why an action is refused, where a general sentence would not tell the user what to do.
REFUSALS = {
    (ParticipationStatus.SUBMITTED, Action.ADOPT): gettext_lazy(
        "Trek eerst de zienswijze in: het raadsbesluit van een ingediende zienswijze kan niet worden vastgelegd "
        "of vervangen."
    ),
    (ParticipationStatus.SUBMITTED, Action.SCHEDULE): gettext_lazy(
        "De zienswijze is al ingediend: de vergaderdata kunnen niet meer worden gewijzigd."
    ),
    (ParticipationStatus.SUBMITTED, Action.DECLINE): gettext_lazy(
        "Trek eerst de zienswijze in: er is al een zienswijze ingediend."
    ),
    (ParticipationStatus.SUBMITTED, Action.EXTENSION_REQUEST): gettext_lazy("De zienswijze is al ingediend."),
    (ParticipationStatus.SUBMITTED, Action.EXTENSION_GRANT): gettext_lazy(
        "De zienswijze is al ingediend: uitstel maakt niets meer uit. Wijs het verzoek af om het te sluiten."
    ),
    (ParticipationStatus.ANSWERED, Action.EXTENSION_GRANT): gettext_lazy(
        "De zienswijze is al beantwoord: uitstel maakt niets meer uit. Wijs het verzoek af om het te sluiten."
    ),
    (ParticipationStatus.ANSWERED, Action.EXTENSION_REQUEST): gettext_lazy(
        "De zienswijze is al ingediend en beantwoord."
    ),
}


def refusal(status: str, action: str) -> str | None:
    """Why ``action`` is not allowed in ``status`` (TRANSITIONS), in Dutch; None when it is allowed."""
    if action in TRANSITIONS[status]:
        return None
    specific = REFUSALS.get((ParticipationStatus(status), Action(action)))
    if specific is not None:
        return str(specific)
    if status == ParticipationStatus.ANSWERED:
        return _("De regio heeft de zienswijze al beantwoord: er kan niets meer worden gewijzigd.")
    if action == Action.WITHDRAW:
        return _("Er is geen ingediende zienswijze om in te trekken.")
    if action == Action.SUBMIT:
        return _(
            "Leg eerst het raadsbesluit vast: bij de status “%(status)s” kan de zienswijze niet worden ingediend."
        ) % {"status": ParticipationStatus(status).label}
    if action == Action.ANSWER:
        return _("Alleen een ingediende zienswijze kan worden beantwoord.")
    return _("Bij de status “%(status)s” kan dit niet: %(action)s.") % {
        "status": ParticipationStatus(status).label,
        "action": Action(action).label,
    }


def action_assert(participation: Participation, action: str) -> None:
    """Refuse (409) an action TRANSITIONS does not allow in the participation's status, before anything is done.

    The participation must have been read under its lock (_lock), so the status cannot change after.
    """
    reason = refusal(participation.status, action)
    if reason is not None:
        raise PortalError(reason, status=409, code="transition_not_allowed")


def _move(actor: User | None, participation: Participation, action: str, note: str = "") -> None:
    """Take ``action`` on a participation read under its lock (_lock): TRANSITIONS decides.

    A refused action raises before anything is written. A change of status is audited once; an
    action that keeps the status (new meeting dates, an extension) leaves that to its service.
    """
    action_assert(participation, action)
    old_status = participation.status
    new_status = TRANSITIONS[old_status][action]
    if new_status == old_status:
        return
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
