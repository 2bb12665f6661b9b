"""A municipality added to the police unit while a round is open joins it: a participation with the
round's deadline, an invitation like the others had, and a line in the round's audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imv.clock import db_now
from imv.models import ConsultationRound, Notification, Participation, ParticipationStatus
from tenants.models import AuditEvent
from tenants.services import municipality_create

pytestmark = pytest.mark.django_db


def test_a_municipality_added_after_the_round_opened_is_invited(consultation, noord_holland):
    beverwijk = municipality_create(cbs_code="GM0375", name="Beverwijk", police_unit=noord_holland)

    joined = Participation.objects.get(round=consultation, municipality=beverwijk)
    assert joined.status == ParticipationStatus.INVITED
    assert joined.deadline == consultation.deadline
    invitation = Notification.objects.get(municipality=beverwijk, message__startswith="Uitnodiging")
    assert invitation.url == f"/gemeenten/beverwijk/imv/{consultation.uuid}/"
    assert AuditEvent.objects.filter(
        object_uuid=consultation.uuid, field="uitgenodigd", new_value__startswith="Beverwijk (GM0375)"
    ).exists()


def test_a_closed_round_takes_no_newcomer(consultation, noord_holland):
    now = db_now()
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=now - timedelta(days=2), rbop_meeting=now - timedelta(days=1)
    )
    velsen = municipality_create(cbs_code="GM0453", name="Velsen", police_unit=noord_holland)
    assert not Participation.objects.filter(round=consultation, municipality=velsen).exists()
