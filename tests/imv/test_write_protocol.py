"""The write protocol the services own: the caller's version, the idempotency key, naming the opinion meant.

The API passes what If-Match and Idempotency-Key say; the services compare under the row lock they
take, so the viewsets neither lock nor look anything up themselves. Each refusal leaves the row,
its version and the audit trail as they were.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imv import services
from imv.clock import db_now
from imv.models import ExtensionRequest, ExtensionStatus, Opinion, Participation, ParticipationStatus, Position
from portal.exceptions import IdempotencyKeyReusedError, PortalError, StaleVersionError
from tenants.models import AuditEvent

pytestmark = pytest.mark.django_db


def _points(themes, text=""):
    return [services.PointInput(theme=t, position=Position.SUPPORTS, text=text) for t in themes]


def test_schedule_on_a_stale_version_is_refused_and_writes_nothing(participation_of, heemstede, heemstede_staff):
    p = participation_of(heemstede)
    seen = services.participation_version(p)
    services.participation_schedule(
        actor=heemstede_staff, participation=p, committee_date=None, council_date=db_now().date()
    )
    audit_before = AuditEvent.objects.count()
    with pytest.raises(StaleVersionError) as info:
        services.participation_schedule(
            actor=heemstede_staff,
            participation=p,
            committee_date=None,
            council_date=db_now().date() + timedelta(days=3),
            expected_versions=[seen],
        )
    assert info.value.status == 412
    fresh = Participation.objects.get(pk=p.pk)
    assert info.value.current == services.participation_version(fresh) != seen
    assert fresh.council_date == db_now().date()
    assert AuditEvent.objects.count() == audit_before


def test_schedule_on_the_current_version_goes_through(participation_of, heemstede, heemstede_staff):
    p = participation_of(heemstede)
    services.participation_schedule(
        actor=heemstede_staff,
        participation=p,
        committee_date=None,
        council_date=db_now().date(),
        expected_versions=["not-this-one", services.participation_version(p)],
    )
    assert Participation.objects.get(pk=p.pk).status == ParticipationStatus.SCHEDULED


def test_the_same_key_returns_the_first_opinion_and_other_content_is_422(adopted, heemstede_staff, top_themes):
    first, created = services.opinion_submit_once(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=_points(top_themes),
        idempotency_key="dubbelklik-1",
    )
    assert created
    again, created_again = services.opinion_submit_once(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=_points(top_themes),
        idempotency_key="dubbelklik-1",
        # The participation moved on with the first submission; a replay still finds its opinion.
        expected_versions=["0"],
    )
    assert (again.pk, created_again) == (first.pk, False)
    with pytest.raises(IdempotencyKeyReusedError) as info:
        services.opinion_submit_once(
            actor=heemstede_staff,
            participation=adopted,
            overall_position=Position.OBJECTS,
            overall_text="Toch niet.",
            points=_points(top_themes),
            idempotency_key="dubbelklik-1",
        )
    assert info.value.status == 422
    assert Opinion.objects.filter(participation=adopted).count() == 1


def test_submit_on_a_stale_version_is_refused(adopted, heemstede_staff, top_themes):
    with pytest.raises(StaleVersionError):
        services.opinion_submit_once(
            actor=heemstede_staff,
            participation=adopted,
            overall_position=Position.SUPPORTS,
            overall_text="Akkoord.",
            points=_points(top_themes),
            expected_versions=[str(adopted.version - 1)],
        )
    fresh = Participation.objects.get(pk=adopted.pk)
    assert fresh.status == ParticipationStatus.ADOPTED
    assert not Opinion.objects.filter(participation=adopted).exists()


def test_withdrawing_an_opinion_that_is_no_longer_current_is_409(adopted, heemstede_staff, top_themes):
    opinion = services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=_points(top_themes),
    )
    services.opinion_withdraw(actor=heemstede_staff, participation=adopted, opinion=opinion)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(PortalError) as info:
        services.opinion_withdraw(actor=heemstede_staff, participation=adopted, opinion=opinion)
    assert (info.value.status, info.value.code) == (409, "opinion_withdrawn")
    assert AuditEvent.objects.count() == audit_before


def test_deciding_an_extension_on_a_stale_version_is_refused(adopted, heemstede_staff, adviser):
    request = services.extension_request(
        actor=heemstede_staff,
        participation=adopted,
        reason="De raad vergadert later.",
        requested_deadline=adopted.deadline + timedelta(days=7),
    )
    seen = services.extension_version(request)
    with pytest.raises(StaleVersionError):
        services.extension_decide(actor=adviser, request=request, grant=False, expected_versions=["x" + seen[1:]])
    assert ExtensionRequest.objects.get(pk=request.pk).status == ExtensionStatus.REQUESTED
    services.extension_decide(actor=adviser, request=request, grant=False, expected_versions=[seen])
    decided = ExtensionRequest.objects.get(pk=request.pk)
    assert decided.status == ExtensionStatus.REFUSED
    assert services.extension_version(decided) != seen
