"""Automatic reminders before each municipality's own deadline: only to who is missing, in Dutch,
never twice, a skipped threshold never later; the Celery task, and concurrent runs that send each once."""

from __future__ import annotations

import importlib
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection

from imv import services
from imv.clock import dutch_moment
from imv.mail import mail_send
from imv.models import ConsultationRound, ImvCycle, Notification, OutgoingEmail, Reminder, ReminderOutcome
from imv.services.reminders import due_threshold, reminders_send_due
from imv.tasks import reminders_send_due_task
from municipalities.selectors import participation_history
from tenants.models import AuditEvent, Membership, Municipality, Role, User
from tests.factories import round_open_for_test
from tests.imv.reminder_helpers import (
    AMSTERDAM,
    MONTHS,
    _other_rounds_closed,  # noqa: F401 (autouse: closes every other round, for this module's tests)
    before,
    committed,
    mails_to,
    run,
    submit,
)


@pytest.mark.parametrize(
    ("left", "threshold"),
    [(20, None), (15, None), (14, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1)],
)
def test_due_threshold_is_the_nearest_one_crossed(left, threshold):
    assert due_threshold(left) == threshold


def test_reminders_go_only_to_municipalities_that_are_not_done(
    deadline, staff, consultation, participation_of, heemstede, haarlem, bloemendaal, django_capture_on_commit_callbacks
):
    submit(participation_of(heemstede), staff["heemstede-oov"])
    services.participation_decline(
        actor=staff["bloemendaal-griffie"], participation=participation_of(bloemendaal), note="Geen zienswijze."
    )
    invited = set(consultation.participations.values_list("municipality__name", flat=True))
    mail_send()  # the submission's own e-mail to the advisers: not a reminder
    mail.outbox.clear()

    sent = run(before(deadline, 13), django_capture_on_commit_callbacks)

    assert sent == dict.fromkeys(invited - {"Heemstede", "Bloemendaal"}, 14)
    assert "Haarlem" in sent
    assert not mails_to("oov@heemstede.example")
    assert not mails_to("griffie@bloemendaal.example")
    assert not mails_to("adviseur@regio.example")
    assert not Notification.objects.filter(municipality__in=[heemstede, bloemendaal]).exists()
    assert Notification.objects.filter(municipality=haarlem, url=f"/gemeenten/{haarlem.slug}/imv/").count() == 1


def test_reminder_mail_is_dutch_and_names_municipality_round_deadline_and_days_left(
    deadline, staff, heemstede, consultation, django_capture_on_commit_callbacks
):
    run(before(deadline, 7), django_capture_on_commit_callbacks)

    to_heemstede = [m for m in mail.outbox if "Heemstede" in m.subject]
    recipients = {address for m in to_heemstede for address in m.to}
    assert {"oov@heemstede.example", "griffie@heemstede.example"} <= recipients
    assert "weg@heemstede.example" not in recipients  # no longer active
    assert not recipients & {"oov@haarlem.example", "griffie@bloemendaal.example", "adviseur@regio.example"}
    assert all(len(m.to) == 1 for m in to_heemstede)  # colleagues do not see each other's addresses
    message = mails_to("oov@heemstede.example")[0]
    day = deadline.astimezone(AMSTERDAM)
    assert message.subject == "Herinnering: zienswijze IMV 2024-2027 voor Heemstede — nog 7 dagen"
    assert f"“{consultation}”" in message.body
    assert f"De uiterste datum voor Heemstede is {day.day} {MONTHS[day.month - 1]} {day.year} 23:59 (nog 7 dagen)" in (
        message.body
    )
    assert f"/gemeenten/{heemstede.slug}/imv/" in message.body


def test_date_is_written_in_dutch_in_amsterdam_time():
    # 21:59 UTC on 15 October 2023 is 23:59 summer time in Amsterdam.
    assert dutch_moment(datetime(2023, 10, 15, 21, 59, 59, tzinfo=ZoneInfo("UTC"))) == "15 oktober 2023 23:59"
    assert dutch_moment(datetime(2024, 3, 1, 9, 0, tzinfo=AMSTERDAM)) == "1 maart 2024 09:00"


def test_reminders_are_never_sent_twice(
    deadline, staff, participation_of, heemstede, django_capture_on_commit_callbacks
):
    notifications = Notification.objects.filter(municipality=heemstede).count()
    first = run(before(deadline, 14, hour=0), django_capture_on_commit_callbacks)
    assert first["Heemstede"] == 14
    mails = len(mail.outbox)

    assert run(before(deadline, 14, hour=0), django_capture_on_commit_callbacks) == {}
    assert run(before(deadline, 10, hour=17), django_capture_on_commit_callbacks) == {}
    assert len(mail.outbox) == mails

    assert run(before(deadline, 7), django_capture_on_commit_callbacks)["Heemstede"] == 7
    assert run(before(deadline, 6), django_capture_on_commit_callbacks) == {}
    assert run(before(deadline, 1, hour=23), django_capture_on_commit_callbacks)["Heemstede"] == 1
    assert run(deadline - timedelta(minutes=1), django_capture_on_commit_callbacks) == {}
    assert run(deadline + timedelta(minutes=1), django_capture_on_commit_callbacks) == {}  # late: no more reminders

    heemstede_reminders = Reminder.objects.filter(participation=participation_of(heemstede))
    assert sorted(heemstede_reminders.values_list("days_before", flat=True)) == [1, 7, 14]
    assert len(mails_to("oov@heemstede.example")) == 3
    assert Notification.objects.filter(municipality=heemstede).count() == notifications + 3


def test_only_the_nearest_threshold_is_sent_and_skipped_ones_never_later(
    deadline, staff, participation_of, heemstede, django_capture_on_commit_callbacks
):
    # First seen at 6 days left (e.g. the worker was down): only the 7-day reminder goes out.
    assert run(before(deadline, 6), django_capture_on_commit_callbacks)["Heemstede"] == 7
    assert [m.subject for m in mails_to("oov@heemstede.example")] == [
        "Herinnering: zienswijze IMV 2024-2027 voor Heemstede — nog 6 dagen"
    ]
    recorded = Reminder.objects.filter(participation=participation_of(heemstede), manual=False)
    assert dict(recorded.values_list("days_before", "outcome")) == {
        7: ReminderOutcome.SENT,
        14: ReminderOutcome.SKIPPED,
    }
    # Not even a clock that runs behind brings the skipped 14-day reminder back.
    assert run(before(deadline, 13), django_capture_on_commit_callbacks) == {}
    # On the deadline day itself the 1-day reminder still goes out when it was missed.
    assert run(before(deadline, 0, hour=8), django_capture_on_commit_callbacks)["Heemstede"] == 1
    assert mails_to("oov@heemstede.example")[-1].subject.endswith("vandaag is de laatste dag")
    assert dict(recorded.values_list("days_before", "outcome")) == {
        1: ReminderOutcome.SENT,
        7: ReminderOutcome.SENT,
        14: ReminderOutcome.SKIPPED,
    }
    assert len(mails_to("oov@heemstede.example")) == 2


def test_automatic_reminders_and_skipped_thresholds_are_in_the_history(
    deadline, staff, participation_of, heemstede, django_capture_on_commit_callbacks
):
    run(before(deadline, 6), django_capture_on_commit_callbacks)
    run(before(deadline, 1), django_capture_on_commit_callbacks)

    history = [
        row for row in participation_history(participation=participation_of(heemstede)) if row.subject == "Herinnering"
    ]
    assert [(row.actor, row.new, row.note) for row in history] == [
        ("systeem", "automatisch: nog 1 dag", ""),
        ("systeem", "automatisch: nog 6 dagen", "14-dagenherinnering overgeslagen"),
    ]


def test_skipped_thresholds_recorded_before_the_flag_existed_are_marked_skipped(participation_of, heemstede, deadline):
    # Migration 0005: a row written together with a nearer threshold's row was a skipped one;
    # reminders that really went out are at least a beat run apart.
    participation = participation_of(heemstede)
    rows = {
        days: Reminder.objects.create(participation=participation, days_before=days, deadline=deadline)
        for days in (1, 7, 14)
    }
    Reminder.objects.filter(pk=rows[1].pk).update(sent_at=rows[7].sent_at + timedelta(days=6))
    backfill = importlib.import_module("imv.migrations.0005_reminder_outcome_skipped_backfill")

    backfill.mark_skipped(django_apps, None)

    assert dict(Reminder.objects.filter(participation=participation).values_list("days_before", "outcome")) == {
        1: ReminderOutcome.SENT,
        7: ReminderOutcome.SENT,
        14: ReminderOutcome.SKIPPED,
    }


def test_an_extension_moves_that_municipalitys_reminders_only(
    deadline, staff, participation_of, haarlem, django_capture_on_commit_callbacks
):
    request = services.extension_request(
        actor=staff["haarlem-oov"],
        participation=participation_of(haarlem),
        reason="De raad vergadert later.",
        requested_deadline=deadline + timedelta(days=7),
    )
    services.extension_decide(actor=staff["adviseur"], request=request, grant=True)

    at_13 = run(before(deadline, 13), django_capture_on_commit_callbacks)
    assert at_13["Heemstede"] == 14
    assert "Haarlem" not in at_13  # 20 days left for Haarlem
    at_6 = run(before(deadline, 6), django_capture_on_commit_callbacks)
    assert at_6["Heemstede"] == 7
    assert at_6["Haarlem"] == 14  # 13 days left for Haarlem
    at_1 = run(before(deadline, 1), django_capture_on_commit_callbacks)
    assert at_1["Heemstede"] == 1
    assert at_1["Bloemendaal"] == 1
    assert "Haarlem" not in at_1  # 8 days left: its 14-day reminder went out, the 7-day one is not due
    new_deadline = deadline + timedelta(days=7)
    assert run(before(new_deadline, 6), django_capture_on_commit_callbacks) == {"Haarlem": 7}  # others are late
    assert run(before(new_deadline, 1), django_capture_on_commit_callbacks) == {"Haarlem": 1}
    haarlem_mail = mails_to("oov@haarlem.example")[-1]
    new_day = new_deadline.astimezone(AMSTERDAM)
    assert f"{new_day.day} {MONTHS[new_day.month - 1]} {new_day.year} 23:59 (nog 1 dag)" in haarlem_mail.body


def test_celery_task_sends_due_reminders_and_is_idempotent(
    staff, consultation, participation_of, haarlem, django_capture_on_commit_callbacks
):
    # The round's deadline is 10 days away: the 14-day reminders are due now, on the database clock.
    with committed(django_capture_on_commit_callbacks):
        first = reminders_send_due_task.apply()
    assert first.successful()
    assert first.get() == consultation.participations.count()
    mails = len(mail.outbox)
    assert mails_to("oov@haarlem.example")

    with committed(django_capture_on_commit_callbacks):
        assert reminders_send_due_task.apply().get() == 0
    assert len(mail.outbox) == mails
    assert Reminder.objects.filter(participation=participation_of(haarlem), manual=False, days_before=14).count() == 1


# --- Concurrency: committed data, real transactions ------------------------------------------
@pytest.fixture
def committed_round(django_db_blocker):
    """A round far ahead (the demo round is closed by then), committed; removed with all it made."""
    with django_db_blocker.unblock():
        reminder_pk = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        email_pk = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        notification_pk = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        adviser = User.objects.create_user(username="reminder-adviser", password="x" * 20)
        staff = User.objects.create_user(username="reminder-oov", password="x" * 20, email="oov-race@heemstede.example")
        Membership.objects.create(user=staff, role=Role.OOV, municipality=heemstede)
        consultation = round_open_for_test(
            actor=adviser,
            cycle=cycle,
            label="Herinneringsrace",
            deadline_in=timedelta(days=100),
            rbop_meeting_in=timedelta(days=120),
        )
        yield consultation, notification_pk
        AuditEvent.objects.filter(
            object_uuid__in=[consultation.uuid, *consultation.participations.values_list("uuid", flat=True)]
        ).delete()
        Notification.objects.filter(pk__gt=notification_pk).delete()
        Reminder.objects.filter(pk__gt=reminder_pk).delete()
        OutgoingEmail.objects.filter(pk__gt=email_pk).delete()
        ConsultationRound.objects.filter(pk=consultation.pk).delete()
        consultation.draft_version.delete()
        staff.delete()
        adviser.delete()


def test_concurrent_runs_send_each_reminder_once(committed_round, django_db_blocker):
    committed_round, notification_pk = committed_round
    now = committed_round.deadline - timedelta(days=3)  # the 7-day threshold is due for everyone
    barrier = threading.Barrier(4)
    results: list[list[Reminder]] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run_task() -> None:
        try:
            barrier.wait()
            sent = reminders_send_due(now=now)
            with lock:
                results.append(sent)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=run_task) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        participations = committed_round.participations.count()
        made = Reminder.objects.filter(participation__round=committed_round, manual=False)
        assert made.filter(days_before=7).count() == participations
        assert made.filter(days_before=14).count() == participations  # recorded as skipped
        assert Notification.objects.filter(pk__gt=notification_pk).count() == participations
        mail_send()  # what the workers do with the tasks the four runs queued after commit
    assert sum(len(sent) for sent in results) == participations  # each one went out in exactly one run
    assert len([m for m in mail.outbox if m.to == ["oov-race@heemstede.example"]]) == 1
