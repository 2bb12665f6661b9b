"""Messages to open status boards, through an outbox: never lost when Redis is down, never sent twice.

A change writes an OutboxMessage in its own transaction; after commit the message is sent and
marked sent in one transaction. When Redis is unreachable the write still succeeds and the
message waits; imv.tasks.outbox_flush_task delivers it when Redis is back.
A message only says "this round changed": boards re-fetch what they show, through selectors
that check the viewer's rights, so nothing private travels over the channel layer.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from imv.models import ConsultationRound, OutboxMessage

logger = logging.getLogger(__name__)


def round_group(round_uuid: object) -> str:
    """The channel-layer group of one round's boards (the round is the tenant boundary here)."""
    return f"imv-round-{round_uuid}"


def round_changed(consultation: ConsultationRound) -> None:
    """Record that this round's boards must refresh; deliver once the current transaction commits."""
    group = round_group(consultation.uuid)
    try:
        with transaction.atomic():
            OutboxMessage.objects.create(group=group)
    except IntegrityError:
        pass  # a refresh for this group is already waiting: one is enough
    transaction.on_commit(lambda: outbox_flush(group=group))


def _send(group: str, message_type: str = "round.changed") -> bool:
    """Send one message to a group; False (and a warning) when the channel layer is unreachable."""
    layer = get_channel_layer()
    if layer is None:
        return True
    try:
        async_to_sync(layer.group_send)(group, {"type": message_type})
    except Exception:
        logger.warning("live update for %s not delivered: channel layer unreachable", group, exc_info=True)
        return False
    return True


def outbox_flush(*, group: str | None = None, limit: int = 500) -> int:
    """Deliver pending messages (of one group, or all); returns how many were delivered.

    Each message is sent inside the transaction that marks it sent, with the row locked and
    others skipped, so two flushes never both send it; if Redis fails the mark is rolled back.
    """
    delivered = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk")
    if group is not None:
        pending = pending.filter(group=group)
    for pk in list(pending.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
            )
            if message is None:
                continue  # another flush has it, or has sent it
            if not _send(message.group, message.message_type):
                OutboxMessage.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
                return delivered  # Redis is down: the rest waits too
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            delivered += 1
    return delivered
