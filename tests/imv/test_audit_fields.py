"""Every field change is audited: the list of fields comes from the models, so a field added later
without an audit (or a stated reason why not) fails here; and walking a participation through the
round leaves an audit row for every audited field of the participation and its extension request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps

from imv import services
from imv.clock import db_now
from imv.models import ExtensionRequest, Participation
from tenants.models import AuditEvent
from tests.factories import react_to_all
from tests.imv.conftest import decision
from tests.transition_helpers import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("label", sorted(services.AUDITED))
def test_every_field_is_audited_or_says_why_not(label):
    fields = {f.name for f in apps.get_model(label)._meta.concrete_fields}
    audited, not_audited = services.AUDITED[label], set(services.NOT_AUDITED.get(label, {}))
    assert not audited & not_audited, "a field is either audited or not"
    assert fields == audited | not_audited, f"{label}: decide for {sorted(fields - audited - not_audited)}"
    assert all(services.NOT_AUDITED[label].values())  # every exception gives its reason


def test_the_round_of_a_participation_audits_every_audited_field(participation_of, heemstede, heemstede_staff, adviser):
    p = participation_of(heemstede)
    request = services.extension_request(
        actor=heemstede_staff, participation=p, reason="Raad later.", requested_deadline=p.deadline + timedelta(days=4)
    )
    services.extension_decide(actor=adviser, request=request, grant=True, note="Akkoord.")
    p = services.participation_schedule(
        actor=heemstede_staff,
        participation=p,
        committee_date=p.deadline.date() - timedelta(days=3),
        council_date=p.deadline.date() - timedelta(days=1),
    )
    p = services.participation_adopt(actor=heemstede_staff, participation=p, decision=decision())
    p = services.participation_adopt(
        actor=heemstede_staff, participation=p, decision=decision(case_number="Z-9", openbaarheid="niet_openbaar")
    )
    # Time passes beyond the deadline: the submission is late (days_late changes, and back on withdrawal).
    Participation.objects.filter(pk=p.pk).update(deadline=db_now() - timedelta(days=2))
    p = submit(heemstede_staff, p)
    services.opinion_withdraw(actor=heemstede_staff, participation=p)
    p = submit(heemstede_staff, p)
    react_to_all(actor=adviser, opinion=p.opinions.get(withdrawn_at__isnull=True))
    services.participation_answer(actor=adviser, participation=p)

    def audited(uuid):
        return set(AuditEvent.objects.filter(object_uuid=uuid).values_list("field", flat=True))

    assert services.AUDITED["imv.Participation"] <= audited(p.uuid)
    assert services.AUDITED["imv.ExtensionRequest"] <= audited(ExtensionRequest.objects.get(pk=request.pk).uuid)
