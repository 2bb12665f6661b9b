"""Background work of the IMV consultation (Celery). Thin: each task enters its schema and calls a service."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from imv.events import outbox_flush
from imv.models import OutboxMessage
from imv.reminders import reminders_send_due


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
