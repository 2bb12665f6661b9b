"""Ten clients send the same submission with one Idempotency-Key at the same moment: one opinion.

This test commits for real (threads have their own connections and cannot see a test
transaction), so it builds its own round and removes every row it made afterwards.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from imv.models import ConsultationRound, ImvCycle, Opinion, Participation
from tenants.models import AuditEvent, Membership, Municipality, Role, User
from tenants.services import api_token_create
from tests.api.conftest import adopt, opinion_body
from tests.factories import round_open_for_test

CLIENTS = 10


@pytest.fixture
def committed_ready(django_db_setup, django_db_blocker):
    """A committed round in which Heemstede is ready to submit, and an API key of its OOV staff member."""
    with django_db_blocker.unblock():
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        staff = User.objects.create_user(username="api-concurrency-oov", password="x" * 20)
        membership = Membership.objects.create(user=staff, role=Role.OOV, municipality=heemstede)
        _token, key = api_token_create(membership=membership, name="concurrency")
        consultation = round_open_for_test(
            actor=staff,
            cycle=cycle,
            label="API-concurrency",
            deadline_in=timedelta(days=5),
            rbop_meeting_in=timedelta(days=9),
        )
        participation = adopt(Participation.objects.get(round=consultation, municipality=heemstede), staff)
        themes = list(cycle.themes.filter(parent__isnull=True))
        yield participation, key, themes
        uuids = [
            consultation.uuid,
            *Participation.objects.filter(round=consultation).values_list("uuid", flat=True),
            *Opinion.objects.filter(participation__round=consultation).values_list("uuid", flat=True),
        ]
        AuditEvent.objects.filter(object_uuid__in=uuids).delete()
        Opinion.objects.filter(participation__round=consultation).delete()
        ConsultationRound.objects.filter(pk=consultation.pk).delete()
        consultation.draft_version.delete()
        staff.delete()


def test_ten_concurrent_posts_with_one_idempotency_key_make_exactly_one_opinion(committed_ready, django_db_blocker):
    participation, key, themes = committed_ready
    body = opinion_body(participation, themes)
    barrier = threading.Barrier(CLIENTS)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def post() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        try:
            barrier.wait()
            response = client.post("/api/v1/zienswijzen", body, format="json", HTTP_IDEMPOTENCY_KEY="een-sleutel")
            answer = (response.status_code, response.json())
        finally:
            connection.close()
        with lock:
            answers.append(answer)

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=post) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        opinions = list(Opinion.objects.filter(participation=participation))
        transitions = AuditEvent.objects.filter(object_uuid=participation.uuid, field="status", new_value="ingediend")
        assert transitions.count() == 1

    assert len(answers) == CLIENTS
    assert Counter(status for status, _body in answers) == {201: 1, 200: CLIENTS - 1}
    assert len(opinions) == 1
    assert {body["uuid"] for _status, body in answers} == {str(opinions[0].uuid)}
