"""20 people press "indienen" at the same moment: exactly one opinion, one status change.

This test commits for real (threads have their own connections and cannot see a test
transaction), so it builds its own round and removes every row it made afterwards.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, ImvCycle, Opinion, Participation, Position
from portal.exceptions import PortalError
from tenants.models import AuditEvent, Membership, Municipality, Role, User
from tests.factories import round_open_for_test
from tests.imv.conftest import decision


@pytest.fixture
def committed_adopted(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        staff = User.objects.create_user(username="concurrency-oov", password="x" * 20)
        Membership.objects.create(user=staff, role=Role.OOV, municipality=heemstede)
        consultation = round_open_for_test(
            actor=staff,
            cycle=cycle,
            label="Concurrency",
            deadline_in=timedelta(days=5),
            rbop_meeting_in=timedelta(days=9),
        )
        participation = Participation.objects.get(round=consultation, municipality=heemstede)
        services.participation_schedule(
            actor=staff, participation=participation, committee_date=None, council_date=db_now().date()
        )
        services.participation_adopt(actor=staff, participation=participation, decision=decision())
        themes = list(cycle.themes.filter(parent__isnull=True))
        yield participation, staff, themes
        participations = Participation.objects.filter(round=consultation)
        uuids = [
            consultation.uuid,
            *participations.values_list("uuid", flat=True),
            *Opinion.objects.filter(participation__round=consultation).values_list("uuid", flat=True),
        ]
        AuditEvent.objects.filter(object_uuid__in=uuids).delete()
        Opinion.objects.filter(participation__round=consultation).delete()
        ConsultationRound.objects.filter(pk=consultation.pk).delete()
        consultation.draft_version.delete()
        staff.delete()


@pytest.mark.parametrize("idempotency_key", ["", "same-key"])
def test_twenty_concurrent_submits_make_exactly_one_transition(committed_adopted, idempotency_key, django_db_blocker):
    participation, staff, themes = committed_adopted
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press() -> None:
        try:
            barrier.wait()
            opinion = services.opinion_submit(
                actor=staff,
                participation=participation,
                overall_position=Position.SUPPORTS,
                overall_text="Ja.",
                points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in themes],
                idempotency_key=idempotency_key,
            )
            result = f"opinion {opinion.number}"
        except PortalError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=press) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = Counter(outcomes)
        assert Opinion.objects.filter(participation=participation).count() == 1
        transitions = AuditEvent.objects.filter(object_uuid=participation.uuid, field="status", new_value="ingediend")
        assert transitions.count() == 1
    if idempotency_key:
        assert counts == {"opinion 1": 20}  # everyone gets the same answer
    else:
        assert counts == {"opinion 1": 1, "transition_not_allowed": 19}
