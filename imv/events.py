"""Messages to open status boards. Sent after commit only, and never allowed to break a write.

A message only says "this round changed": boards re-fetch what they show, through selectors
that check the viewer's rights, so nothing private travels over the channel layer.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from imv.models import ConsultationRound

logger = logging.getLogger(__name__)


def round_group(round_uuid: object) -> str:
    """The channel-layer group of one round's boards (the round is the tenant boundary here)."""
    return f"imv-round-{round_uuid}"


def round_changed(consultation: ConsultationRound) -> None:
    """Tell every open board of this round to refresh, once the current transaction commits."""
    group = round_group(consultation.uuid)
    transaction.on_commit(lambda: _send(group))


def _send(group: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "round.changed"})
    except Exception:
        logger.warning("live update for %s not delivered: channel layer unreachable", group, exc_info=True)
