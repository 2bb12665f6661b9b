"""The whole status table, walked through the services: every status × every action.

Allowed (TRANSITIONS lists it): the participation ends in the status the table names, and a change
of status is audited exactly once. Refused: a PortalError with a Dutch reason, and nothing is
written, not the participation, not the audit trail, not the outbox, not an opinion, an extension
decision or a file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from imv import services
from imv.clock import db_now
from imv.models import (
    TRANSITIONS,
    Action,
    ExtensionRequest,
    ExtensionStatus,
    Opinion,
    OutboxMessage,
    Participation,
    ParticipationStatus,
    Position,
)
from portal.exceptions import PortalError
from tenants.models import AuditEvent, User
from tests.imv.conftest import decision
from tests.transition_helpers import bring_to, open_request, submit

pytestmark = pytest.mark.django_db

S = ParticipationStatus


def do(action: str, p: Participation, staff: User, adviser: User) -> None:
    if action == Action.SCHEDULE:
        services.participation_schedule(
            actor=staff, participation=p, committee_date=None, council_date=db_now().date() + timedelta(days=1)
        )
    elif action == Action.ADOPT:
        services.participation_adopt(actor=staff, participation=p, decision=decision(case_number="Z-2"))
    elif action == Action.DECLINE:
        services.participation_decline(actor=staff, participation=p, note="Geen zienswijze.")
    elif action == Action.SUBMIT:
        submit(staff, p)
    elif action == Action.WITHDRAW:
        services.opinion_withdraw(actor=staff, participation=p)
    elif action == Action.ANSWER:
        services.participation_answer(actor=adviser, participation=p)
    elif action == Action.EXTENSION_REQUEST:
        services.extension_request(
            actor=staff,
            participation=p,
            reason="Raad vergadert later.",
            requested_deadline=p.deadline + timedelta(days=5),
        )
    else:
        request = ExtensionRequest.objects.get(participation=p, status=ExtensionStatus.REQUESTED)
        services.extension_decide(actor=adviser, request=request, grant=action == Action.EXTENSION_GRANT)


def _files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _snapshot(p: Participation) -> dict[str, object]:
    fresh = Participation.objects.get(pk=p.pk)
    return {
        "participation": (fresh.status, fresh.version, fresh.deadline, fresh.submitted_at, fresh.decision_case_number),
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "opinions": list(Opinion.objects.filter(participation=p).values_list("pk", "withdrawn_at")),
        "extensions": list(ExtensionRequest.objects.filter(participation=p).values_list("pk", "status")),
        "files": _files(),
    }


CASES = [(status, action) for status in S.values for action in Action.values]


def test_the_walk_covers_every_status_and_every_action():
    assert len(CASES) == len(S.values) * len(Action.values) == 54
    assert set(TRANSITIONS) == set(S.values)
    assert all(set(moves) <= set(Action.values) for moves in TRANSITIONS.values())


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_action_in_every_status(status, action, participation_of, heemstede, heemstede_staff, adviser):
    p = bring_to(status, participation_of(heemstede), heemstede_staff, adviser)
    assert p.status == status
    if action in (Action.EXTENSION_GRANT, Action.EXTENSION_REFUSE):
        open_request(p, heemstede_staff)
    p = Participation.objects.get(pk=p.pk)
    before = _snapshot(p)
    status_rows = AuditEvent.objects.filter(object_uuid=p.uuid, field="status").count()
    audit_rows = AuditEvent.objects.count()

    if action in TRANSITIONS[status]:
        do(action, p, heemstede_staff, adviser)
        after = Participation.objects.get(pk=p.pk)
        expected = TRANSITIONS[status][action]
        assert after.status == expected
        changed = expected != status
        assert AuditEvent.objects.filter(object_uuid=p.uuid, field="status").count() == status_rows + changed
        assert AuditEvent.objects.count() > audit_rows  # every allowed action leaves a trace
    else:
        with pytest.raises(PortalError) as info:
            do(action, p, heemstede_staff, adviser)
        assert info.value.status == 409
        assert info.value.code == "transition_not_allowed"
        # The reason is the table's (not some later check's), in Dutch.
        assert info.value.message == services.refusal(status, action)
        assert _snapshot(p) == before


def test_recording_a_decision_after_submission_is_refused_with_the_reason(adopted, heemstede_staff):
    submitted = submit(heemstede_staff, adopted)
    with pytest.raises(PortalError) as info:
        services.participation_adopt(actor=heemstede_staff, participation=submitted, decision=decision())
    assert info.value.message.startswith("Trek eerst de zienswijze in")
    fresh = Participation.objects.get(pk=adopted.pk)
    assert fresh.status == S.SUBMITTED
    assert fresh.submitted_at is not None
    assert Opinion.objects.filter(participation=adopted, withdrawn_at__isnull=True).count() == 1


def test_withdrawing_twice_is_refused_and_writes_one_withdrawal(adopted, heemstede_staff):
    submitted = submit(heemstede_staff, adopted)
    services.opinion_withdraw(actor=heemstede_staff, participation=submitted)
    withdrawals = AuditEvent.objects.filter(field="ingetrokken").count()
    with pytest.raises(PortalError) as info:
        services.opinion_withdraw(actor=heemstede_staff, participation=submitted)
    assert info.value.message == "Er is geen ingediende zienswijze om in te trekken."
    assert AuditEvent.objects.filter(field="ingetrokken").count() == withdrawals == 1
    fresh = Participation.objects.get(pk=adopted.pk)
    assert (fresh.status, fresh.submitted_at, fresh.days_late) == (S.ADOPTED, None, 0)


def test_the_database_holds_at_most_one_current_opinion(adopted, heemstede_staff):
    from django.db import IntegrityError, transaction

    submit(heemstede_staff, adopted)
    current = Opinion.objects.get(participation=adopted)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(
            participation=adopted,
            number=current.number + 1,
            overall_position=Position.SUPPORTS,
            submitted_at=db_now(),
            submitted_by=heemstede_staff,
        )


def test_the_refusals_are_exactly_the_moves_the_table_leaves_out():
    reasons: dict[tuple[str, str], str | None] = {
        (s, a): services.refusal(s, a) for s in S.values for a in Action.values
    }
    allowed = {(s, a) for s, moves in TRANSITIONS.items() for a in moves}
    assert {key for key, reason in reasons.items() if reason is None} == allowed
    assert all(reason.endswith(".") for reason in reasons.values() if reason)
