"""Bringing a participation to any status the way a municipality and the region would, for the walks
over the status table (through the services in tests/imv, through the API in tests/api)."""

from __future__ import annotations

from datetime import timedelta

from imv import services
from imv.clock import db_now
from imv.models import ExtensionRequest, Participation, ParticipationStatus, Position
from tenants.models import User
from tests.factories import react_to_all
from tests.imv.conftest import decision

S = ParticipationStatus


def points_of(participation: Participation) -> list[services.PointInput]:
    themes = participation.round.cycle.themes.filter(parent__isnull=True)
    return [services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in themes]


def submit(staff: User, p: Participation) -> Participation:
    services.opinion_submit(
        actor=staff, participation=p, overall_position=Position.SUPPORTS, overall_text="Akkoord.", points=points_of(p)
    )
    return Participation.objects.get(pk=p.pk)


def bring_to(status: str, p: Participation, staff: User, adviser: User) -> Participation:
    """The participation in ``status``, reached the way a municipality and the region would."""
    if status == S.INVITED:
        return p
    if status == S.NO_OPINION:
        return services.participation_decline(actor=staff, participation=p, note="")
    p = services.participation_schedule(actor=staff, participation=p, committee_date=None, council_date=db_now().date())
    if status == S.SCHEDULED:
        return p
    p = services.participation_adopt(actor=staff, participation=p, decision=decision())
    if status == S.ADOPTED:
        return p
    p = submit(staff, p)
    opinion = p.opinions.get(withdrawn_at__isnull=True)
    react_to_all(actor=adviser, opinion=opinion)
    if status == S.SUBMITTED:
        return Participation.objects.get(pk=p.pk)
    return services.participation_answer(actor=adviser, participation=p)


def open_request(p: Participation, staff: User) -> ExtensionRequest:
    # Made directly: in "ingediend" a request can no longer be made, but one made before can still be open.
    return ExtensionRequest.objects.create(
        participation=p, reason="Later.", requested_deadline=p.deadline + timedelta(days=7), requested_by=staff
    )
