"""Requests for more time and the adviser's decision."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from imv import events
from imv.clock import db_now, deadline_end, dutch_moment
from imv.models import (
    Action,
    ExtensionRequest,
    ExtensionStatus,
    Participation,
)
from imv.services._common import (
    EXTENSION,
    PARTICIPATION,
    _lock,
    _save,
    action_assert,
    audit_changes,
    extension_version,
    round_assert_open,
    version_assert,
)
from imv.services.notices import absolute, municipality_path, notify_advisers, notify_municipality
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import User


# --- Extensions ----------------------------------------------------------------------------
def deadline_errors(deadline: datetime, *, participation: Participation, now: datetime, granted: bool) -> list[str]:
    """What is wrong with a new deadline for this participation, all of it: it must lie in the
    future, after the current deadline and before the RBOP meeting."""
    errors = []
    if deadline <= now:
        errors.append(
            _("De nieuwe uiterste datum ligt in het verleden.")
            if granted
            else _("De gevraagde datum ligt in het verleden.")
        )
    if deadline <= participation.deadline:
        errors.append(
            _("De nieuwe uiterste datum ligt niet na de huidige.")
            if granted
            else _("De gevraagde datum ligt niet na de huidige uiterste datum.")
        )
    if deadline >= participation.round.rbop_meeting:
        errors.append(
            _("De nieuwe uiterste datum ligt niet vóór de RBOP-vergadering.")
            if granted
            else _("De gevraagde datum ligt niet vóór de RBOP-vergadering.")
        )
    return errors


@transaction.atomic
def extension_request(
    *,
    actor: User,
    participation: Participation,
    reason: str,
    requested_deadline: datetime,
) -> ExtensionRequest:
    """Ask for more time; one open request per municipality. Every condition the date fails is reported."""
    participation = _lock(participation)
    now = db_now()
    round_assert_open(participation.round, now)
    action_assert(participation, Action.EXTENSION_REQUEST)
    requested_deadline = deadline_end(requested_deadline)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Geef een reden.")]
    dates = deadline_errors(requested_deadline, participation=participation, now=now, granted=False)
    if dates:
        errors["requested_deadline"] = dates
    if errors:
        raise PortalError(_("Het uitstelverzoek is niet verstuurd."), errors=errors)
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                participation=participation,
                reason=reason.strip(),
                requested_deadline=requested_deadline,
                requested_by=actor,
            )
    except IntegrityError as exc:
        raise PortalError(
            _("Er loopt al een uitstelverzoek voor deze gemeente."), status=409, code="extension_open"
        ) from exc
    audit_changes(
        actor=actor,
        object_type=EXTENSION,
        object_uuid=request.uuid,
        changes=(
            ("status", "", ExtensionStatus.REQUESTED),
            ("reason", "", request.reason),
            ("requested_deadline", None, request.requested_deadline),
        ),
        municipality=participation.municipality,
    )
    _tell_advisers_of_request(request, participation)
    events.round_changed(participation.round)
    return request


@transaction.atomic
def extension_decide(
    *,
    actor: User,
    request: ExtensionRequest,
    grant: bool,
    deadline: datetime | None = None,
    note: str = "",
    expected_versions: Collection[str] | None = None,
) -> ExtensionRequest:
    """Grant (with a new deadline for this municipality only) or refuse a request for more time.

    With ``expected_versions``, a request that changed since the caller read it is refused (412).
    """
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    version_assert(extension_version(request), expected_versions, what=_("het uitstelverzoek"))
    if request.status != ExtensionStatus.REQUESTED:
        raise PortalError(_("Over dit uitstelverzoek is al besloten."), status=409, code="extension_decided")
    participation = _lock(request.participation)
    now = db_now()
    round_assert_open(participation.round, now)
    action_assert(participation, Action.EXTENSION_GRANT if grant else Action.EXTENSION_REFUSE)
    granted: datetime | None = None
    if grant:
        new_deadline = deadline_end(deadline) if deadline else request.requested_deadline
        dates = deadline_errors(new_deadline, participation=participation, now=now, granted=True)
        if dates:
            raise PortalError(
                _("De nieuwe uiterste datum moet in de toekomst, na de huidige en vóór de RBOP-vergadering liggen."),
                errors={"deadline": dates},
            )
        audit_record(
            actor=actor,
            object_type=PARTICIPATION,
            object_uuid=participation.uuid,
            field="deadline",
            old=participation.deadline,
            new=new_deadline,
            municipality=participation.municipality,
            note=_("uitstel toegekend"),
        )
        if participation.submitted_at is None:
            audit_changes(
                actor=actor,
                object_type=PARTICIPATION,
                object_uuid=participation.uuid,
                changes=(("days_late", participation.days_late, 0),),
                municipality=participation.municipality,
                note=_("uitstel toegekend"),
            )
            participation.days_late = 0
        participation.deadline = granted = new_deadline
        _save(participation, "deadline", "days_late")
    audit_changes(
        actor=actor,
        object_type=EXTENSION,
        object_uuid=request.uuid,
        changes=(
            ("granted_deadline", request.granted_deadline, granted),
            ("decision_note", request.decision_note, note),
        ),
        municipality=participation.municipality,
    )
    request.granted_deadline = granted
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save()
    audit_record(
        actor=actor,
        object_type=EXTENSION,
        object_uuid=request.uuid,
        field="status",
        old=ExtensionStatus.REQUESTED,
        new=request.status,
        municipality=participation.municipality,
    )
    _tell_municipality_of_decision(request, participation)
    events.round_changed(participation.round)
    return request


def _tell_advisers_of_request(request: ExtensionRequest, participation: Participation) -> None:
    name, consultation = participation.municipality.name, participation.round
    path = reverse("imv:extension_decide", kwargs={"request_uuid": request.uuid})
    wanted = dutch_moment(request.requested_deadline)
    notify_advisers(
        consultation=consultation,
        about=participation.municipality,
        message=f"{name} vraagt uitstel tot {wanted} in de ronde “{consultation}”.",
        path=path,
        subject=f"Uitstelverzoek: {name} — {consultation.cycle.name}",
        body=(
            f"{name} vraagt uitstel in de consultatieronde “{consultation}”: tot {wanted} "
            f"(nu {dutch_moment(participation.deadline)}).\n\nReden: {request.reason}\n\n"
            f"Besluit over het verzoek:\n{absolute(path)}"
        ),
    )


def _tell_municipality_of_decision(request: ExtensionRequest, participation: Participation) -> None:
    municipality, consultation = participation.municipality, participation.round
    path = municipality_path(municipality, f"imv/{consultation.uuid}/")
    if request.status == ExtensionStatus.GRANTED:
        outcome = (
            f"toegekend: de nieuwe uiterste datum voor {municipality.name} is {dutch_moment(participation.deadline)}"
        )
    else:
        outcome = f"afgewezen: de uiterste datum blijft {dutch_moment(participation.deadline)}"
    note = f"\n\nToelichting van de adviseur: {request.decision_note}" if request.decision_note else ""
    notify_municipality(
        municipality=municipality,
        consultation=consultation,
        message=f"Het uitstelverzoek van {municipality.name} in de ronde “{consultation}” is {outcome}.",
        path=path,
        subject=f"Besluit over uitstel: {municipality.name} — {consultation.cycle.name}",
        body=f"Het uitstelverzoek van {municipality.name} in de consultatieronde “{consultation}” is {outcome}.{note}"
        f"\n\nDe pagina van de ronde:\n{absolute(path)}",
    )
