"""Background work of the IMV consultation (Celery). Thin: each task enters its schema and calls a service."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from imv.events import outbox_flush
from imv.mail import mail_prune, mail_send
from imv.models import OutboxMessage
from imv.services.reminders import reminders_send_due


@shared_task
def reminders_send_due_task() -> int:
    """Send the reminders that are due (beat, every quarter of an hour); returns how many went out.

    Takes no arguments: the consultation lives in the shared schema and covers every municipality.
    Safe to run twice, also at the same time: a reminder is recorded once per deadline (unique).
    """
    with schema_context(get_public_schema_name()):
        return len(reminders_send_due())


@shared_task
def outbox_flush_task() -> int:
    """Deliver live-board messages that waited while Redis was down (beat, every 30 seconds).

    Sent messages older than a day are removed. Safe to run twice at once: rows are locked.
    """
    with schema_context(get_public_schema_name()):
        delivered = outbox_flush()
        OutboxMessage.objects.filter(sent_at__lt=timezone.now() - timedelta(days=1)).delete()
        return delivered


# acks_late and reject_on_worker_lost (also the project defaults, stated here because the outbox
# leans on them): the task message is acknowledged only when the task has finished, and a worker
# process that dies mid-task puts it back in the queue, so the e-mails are tried again at once.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def mail_send_task(ids: list[int]) -> int:
    """Send these queued e-mails (asked for after the commit that wrote them); returns how many went out.

    Safe to run twice, also at the same time: an e-mail is sent under its row lock and marked sent
    in that transaction.
    """
    with schema_context(get_public_schema_name()):
        return mail_send(ids=ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def mail_flush_task() -> int:
    """Send every queued e-mail that is due (beat, every minute) and remove old sent ones.

    Catches what mail_send_task did not: a task message lost with Redis, a killed worker's message
    (Redis redelivers an unacknowledged message only after an hour), retries after a failure.
    """
    with schema_context(get_public_schema_name()):
        sent = mail_send()
        mail_prune()
        return sent
