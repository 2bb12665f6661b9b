"""The mail outbox (imv.mail): written with the change, sent once after commit, retried with backoff.

A worker really killed mid-send is in test_mail_worker_killed.py.
"""

from __future__ import annotations

import smtplib
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from imv.mail import MAX_ATTEMPTS, backoff, mail_prune, mail_queue, mail_send
from imv.models import OutgoingEmail, OutgoingEmailStatus
from imv.tasks import mail_flush_task, mail_send_task
from portal.celery import app as celery_app
from tests.live import celery_broker

pytestmark = pytest.mark.django_db

TO = ["a@gemeente.example", "b@gemeente.example"]


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient (a per-e-mail problem)."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"a@gemeente.example": (550, b"no such user")})


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached (a problem for every e-mail alike)."""

    calls = 0

    def send_messages(self, email_messages: Any) -> int:
        UnreachableBackend.calls += 1
        raise ConnectionRefusedError(111, "Connection refused")


def backend(cls: type) -> Any:
    return override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.{cls.__name__}"}})


def queue(to: list[str] = TO) -> list[OutgoingEmail]:
    return mail_queue(to=to, subject="Onderwerp", body="Tekst")


def test_mail_queue_writes_one_row_per_address_each_with_its_own_message_id():
    emails = queue([*TO, TO[0]])

    assert [e.to for e in emails] == TO  # the double address once
    assert all(e.status == OutgoingEmailStatus.PENDING and e.attempts == 0 for e in emails)
    ids = {e.message_id for e in emails}
    assert len(ids) == 2
    assert all(i.startswith("<") and i.endswith("@regioportaal.localhost>") for i in ids)


def test_queued_mail_vanishes_with_a_rolled_back_change():
    before = OutgoingEmail.objects.count()

    @transaction.atomic
    def change_that_fails() -> None:
        queue()
        raise RuntimeError("the change fails after the e-mail was queued")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert OutgoingEmail.objects.count() == before


def test_after_commit_a_send_task_is_queued_for_exactly_these_rows(django_capture_on_commit_callbacks, monkeypatch):
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **options: asked.append({"name": name, **options}))

    with django_capture_on_commit_callbacks(execute=True):
        emails = queue()

    assert [(options["name"], options["kwargs"], options["retry"]) for options in asked] == [
        (mail_send_task.name, {"ids": [e.pk for e in emails]}, False)
    ]


def test_with_the_broker_unreachable_the_commit_is_not_held_up(django_capture_on_commit_callbacks, caplog):
    # Nothing listens on port 1. Kombu's own retries took about six seconds here.
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        queue()
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert "wait for the beat flush: the task queue is unreachable" in caplog.text


def test_mail_send_sends_each_once_with_its_message_id_and_marks_it_sent():
    emails = queue()

    assert mail_send(ids=[e.pk for e in emails]) == 2
    assert mail_send() == 0  # nothing twice

    sent = {m.to[0]: m for m in mail.outbox}
    assert sorted(sent) == TO
    for email in emails:
        email.refresh_from_db()
        assert (email.status, email.attempts, email.last_error) == (OutgoingEmailStatus.SENT, 1, "")
        assert email.sent_at is not None
        assert sent[email.to].extra_headers["Message-ID"] == email.message_id
        assert sent[email.to].message()["Message-ID"] == email.message_id


def test_a_refused_email_waits_longer_each_time_and_is_given_up_after_max_attempts():
    email = queue(["a@gemeente.example"])[0]
    with backend(RefusingBackend):
        assert mail_send() == 0
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutgoingEmailStatus.PENDING, 1)
        assert email.last_error.startswith("SMTPRecipientsRefused")
        assert email.next_attempt_at > timezone.now() + backoff(1) - timedelta(seconds=5)
        assert mail_send() == 0  # not due yet: not tried again
        email.refresh_from_db()
        assert email.attempts == 1

        for attempt in range(2, MAX_ATTEMPTS + 1):
            OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
            mail_send()
            email.refresh_from_db()
            assert email.attempts == attempt
    assert email.status == OutgoingEmailStatus.FAILED
    assert email.sent_at is None
    assert mail_send() == 0  # given up: not sent any more
    assert not mail.outbox


def test_an_unreachable_mail_server_stops_the_run_and_the_rest_waits():
    emails = queue()
    UnreachableBackend.calls = 0
    with backend(UnreachableBackend):
        assert mail_send() == 0
    assert UnreachableBackend.calls == 1  # the second e-mail was not tried against a dead server
    first, second = (OutgoingEmail.objects.get(pk=e.pk) for e in emails)
    assert (first.attempts, second.attempts) == (1, 0)
    assert "Connection refused" in first.last_error

    OutgoingEmail.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    assert mail_send() == 2  # the server is back
    assert sorted(m.to[0] for m in mail.outbox) == TO


def test_backoff_doubles_up_to_four_hours():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(20) == timedelta(hours=4)


def test_mail_prune_removes_old_sent_rows_only():
    old_sent, new_sent, waiting = queue(["1@x.example", "2@x.example", "3@x.example"])
    mail_send(ids=[old_sent.pk, new_sent.pk])
    OutgoingEmail.objects.filter(pk=old_sent.pk).update(sent_at=timezone.now() - timedelta(days=31))
    OutgoingEmail.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=60))

    assert mail_prune() == 1

    assert set(
        OutgoingEmail.objects.filter(pk__in=[old_sent.pk, new_sent.pk, waiting.pk]).values_list("pk", flat=True)
    ) == {
        new_sent.pk,
        waiting.pk,
    }


def test_beat_flushes_the_outbox_every_minute():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "imv.tasks.mail_flush_task")
    assert entry["schedule"] == 60
    assert mail_flush_task.name == "imv.tasks.mail_flush_task"
    assert (mail_send_task.acks_late, mail_send_task.reject_on_worker_lost) == (True, True)
    assert (mail_flush_task.acks_late, mail_flush_task.reject_on_worker_lost) == (True, True)


def test_the_beat_task_sends_what_waited():
    queue()
    assert mail_flush_task.apply().get() == 2
    assert mail_flush_task.apply().get() == 0
    assert len(mail.outbox) == 2
