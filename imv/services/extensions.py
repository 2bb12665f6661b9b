"""Requests for more time and the adviser's decision."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imv import events
from imv.clock import db_now
from imv.models import (
    Action,
    ExtensionRequest,
    ExtensionStatus,
    Participation,
)
from imv.services._common import (
    PARTICIPATION,
    _lock,
    _save,
    action_assert,
    extension_version,
    round_assert_open,
    version_assert,
)
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import User


# --- Extensions ----------------------------------------------------------------------------
@transaction.atomic
def extension_request(
    *,
    actor: User,
    participation: Participation,
    reason: str,
    requested_deadline: datetime,
) -> ExtensionRequest:
    """Ask for more time; one open request per municipality."""
    participation = _lock(participation)
    round_assert_open(participation.round, db_now())
    action_assert(participation, Action.EXTENSION_REQUEST)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Geef een reden.")]
    if requested_deadline <= participation.deadline:
        errors["requested_deadline"] = [_("De gevraagde datum ligt niet na de huidige uiterste datum.")]
    if requested_deadline >= participation.round.rbop_meeting:
        errors["requested_deadline"] = [_("De gevraagde datum ligt niet vóór de RBOP-vergadering.")]
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
    audit_record(
        actor=actor,
        object_type="uitstelverzoek",
        object_uuid=request.uuid,
        field="status",
        old="",
        new=ExtensionStatus.REQUESTED,
        municipality=participation.municipality,
    )
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
    if grant:
        new_deadline = deadline or request.requested_deadline
        if new_deadline <= participation.deadline or new_deadline >= participation.round.rbop_meeting:
            raise PortalError(
                _("De nieuwe uiterste datum moet na de huidige en vóór de RBOP-vergadering liggen."),
                errors={"deadline": [_("buiten het toegestane bereik")]},
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
        participation.deadline = new_deadline
        if participation.submitted_at is None:
            participation.days_late = 0
        request.granted_deadline = new_deadline
        _save(participation, "deadline", "days_late")
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save()
    audit_record(
        actor=actor,
        object_type="uitstelverzoek",
        object_uuid=request.uuid,
        field="status",
        old=ExtensionStatus.REQUESTED,
        new=request.status,
        municipality=participation.municipality,
    )
    events.round_changed(participation.round)
    return request
