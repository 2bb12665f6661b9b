"""The mail outbox: e-mails are rows written with the change they report, and sent after commit.

``mail_queue`` writes one OutgoingEmail per recipient inside the caller's transaction and, once
that commits, asks a worker to send them (imv.tasks.mail_send_task). ``mail_send`` sends each
one inside the transaction that marks it sent, with the row locked (others skip it), so two
senders never both send it and a sender killed before its commit leaves it waiting. Beat runs
imv.tasks.mail_flush_task every minute as well: an e-mail whose task message was lost (Redis
down at commit, a worker killed and its message not yet redelivered) still goes out.

What remains is at-least-once, not exactly-once, in one window: the mail server has accepted the
e-mail, and then the sender is killed, loses its database connection or fails to commit before
the row is marked sent (or the server's "accepted" is lost on the way back and looks like a
failure). The next try sends it again. Both copies carry the same Message-ID (and Date), fixed
when the row was written, so a receiving mail system that deduplicates on Message-ID shows one;
others show two. Closing that window would take the mail server's cooperation, which SMTP lacks.
A sender killed before the hand-off (the far likelier case: it is waiting on the network) sends
nothing; its transaction rolls back and the e-mail is sent once by the next try.
"""

from __future__ import annotations

import logging
import os
import smtplib
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import format_datetime, parseaddr
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from imv.models import OutgoingEmail, OutgoingEmailStatus
from portal.celery import app as celery_app

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about 16 hours of retries with the backoff below; then it is given up
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)
KEEP_SENT = timedelta(days=30)
# imv.tasks.mail_send_task, by name (see _send_soon); a test checks the name against the task.
MAIL_SEND_TASK = "imv.tasks.mail_send_task"


def backoff(attempts: int) -> timedelta:
    """How long to wait after this many failed tries: 1, 2, 4, ... minutes, at most four hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _message_id() -> str:
    # Our own domain (from DEFAULT_FROM_EMAIL), so the id is ours and unique across the world.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "regioportaal.localhost"
    return f"<{uuid.uuid4()}@{domain}>"


def mail_queue(*, to: Iterable[str], subject: str, body: str) -> list[OutgoingEmail]:
    """Queue one e-mail per address (each person gets their own: no one sees another's address).

    Call inside the transaction of the change the e-mail reports: the rows commit or vanish with
    it. After commit a worker is asked to send them; the beat flush sends them if that request is lost.
    """
    now = timezone.now()
    emails = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(message_id=_message_id(), to=address, subject=subject, body=body, next_attempt_at=now)
        for address in dict.fromkeys(to)
    )
    if emails:
        ids = [email.pk for email in emails]
        transaction.on_commit(lambda: _send_soon(ids))
    return emails


def mail_queue_requested(*, to: list[str], subject: str, body: str, **_signal: object) -> list[OutgoingEmail]:
    """Receiver of tenants.signals.mail_requested: the e-mails of a layer below imv (invitations) go out here too."""
    return mail_queue(to=to, subject=subject, body=body)


def _send_soon(ids: list[int]) -> None:
    # The task is queued by its name: imv.tasks imports the services that import this module,
    # and importing imv.tasks from here would close that circle.
    # This runs in the request, after its commit: when Redis is down it must fail at once, not
    # hold the response while kombu retries the connection (about six seconds with retry=False
    # alone). The beat flush is the retry. A connection of its own is never a stale pooled one.
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            celery_app.send_task(MAIL_SEND_TASK, kwargs={"ids": ids}, producer=connection.Producer(), retry=False)
    except Exception:
        logger.warning("e-mails %s wait for the beat flush: the task queue is unreachable", ids, exc_info=True)


def mail_send(*, ids: Iterable[int] | None = None, limit: int = 200) -> int:
    """Send waiting e-mails that are due (these, or all); returns how many were sent.

    One connection to the mail server for the whole run. Each e-mail is sent inside the transaction
    that marks it sent, with its row locked and locked rows skipped. A refused e-mail waits longer
    each time and is given up after MAX_ATTEMPTS; when the mail server cannot be reached the run
    stops and the rest waits for the next one. Call it outside a transaction (a task does).
    """
    due = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=timezone.now())
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    pks = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return 0
    sent = 0
    connection = mail.mailers.default
    try:
        for pk in pks:
            outcome = _send_one(connection, pk)
            if outcome is None:
                continue  # another sender has it, or it is no longer due
            if not outcome:
                break  # the mail server is unreachable: the rest waits for the next run
            sent += 1
    finally:
        connection.close()
    return sent


@transaction.atomic
def _send_one(connection: BaseEmailBackend, pk: int) -> bool | None:
    """Send one e-mail under its row lock: True sent, False unreachable, None skipped or refused."""
    now = timezone.now()
    email = (
        OutgoingEmail.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now)
        .first()
    )
    if email is None:
        return None
    _test_pause(email)
    message = EmailMessage(
        email.subject,
        email.body,
        to=[email.to],
        # The same Message-ID and Date on every try: a resend is recognisably the same e-mail.
        headers={"Message-ID": email.message_id, "Date": format_datetime(email.created_at)},
    )
    email.attempts += 1
    try:
        connection.open()  # once per run: a no-op when this run's connection is already open
        if connection.send_messages([message]) != 1:
            raise RuntimeError("the mail backend reported nothing sent")
    except Exception as exc:  # noqa: BLE001 - whatever the backend raises is recorded and retried
        _failed(email, exc, now)
        # A refusal of this one e-mail (address, content) is its own problem; anything else
        # (connection refused, timeout) will fail for every e-mail alike.
        return None if _refused(exc) else False
    email.status = OutgoingEmailStatus.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return True


def _refused(exc: Exception) -> bool:
    return isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError)


def _failed(email: OutgoingEmail, exc: Exception, now: datetime) -> None:
    email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = OutgoingEmailStatus.FAILED
        logger.error("e-mail %s to %s given up after %d tries: %s", email.pk, email.to, email.attempts, exc)
    else:
        email.next_attempt_at = now + backoff(email.attempts)
        logger.warning("e-mail %s to %s not sent (try %d), retried later: %s", email.pk, email.to, email.attempts, exc)
    email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def mail_prune(*, keep: timedelta = KEEP_SENT) -> int:
    """Remove e-mails sent longer ago than ``keep``; returns how many. Given-up ones stay for a look."""
    deleted, _by_model = OutgoingEmail.objects.filter(
        status=OutgoingEmailStatus.SENT, sent_at__lt=timezone.now() - keep
    ).delete()
    return deleted


def _test_pause(email: OutgoingEmail) -> None:
    """Tests only: hold the first e-mail claimed while a gate file exists, so a test can kill the worker here.

    PORTAL_TEST_MAIL_PAUSE exists only in portal.settings_test (from the environment variable of
    the same name); everywhere else this returns at once. The process id and the e-mail's pk go to
    ``<gate>.claimed``; while that file exists no other claim is held.
    """
    gate_name = getattr(settings, "PORTAL_TEST_MAIL_PAUSE", "")
    if not gate_name:
        return
    gate, claimed = Path(gate_name), Path(f"{gate_name}.claimed")
    if not gate.exists() or claimed.exists():
        return
    claimed.write_text(f"{os.getpid()} {email.pk}")
    deadline = time.monotonic() + 60
    while gate.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
