"""Live status boards: a websocket per open board, told when its round changes.

The message carries no data, only "this round changed": the page re-fetches its table over
HTTP, where the viewer's rights are checked again (see imv.events).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from imv.events import round_group
from imv.models import ConsultationRound
from tenants.access import regional_unit_ids
from tenants.models import Membership

logger = logging.getLogger(__name__)

# Close codes the board's script understands: 4403 means "not allowed, do not retry".
CLOSE_FORBIDDEN = 4403
CLOSE_UNAVAILABLE = 1011


def round_board_readable(*, user: Any, round_uuid: UUID) -> bool:
    """May this user read this round's board: the adviser or an RBOP member of its police unit."""
    if user is None or not user.is_authenticated:
        return False
    unit_id = ConsultationRound.objects.filter(uuid=round_uuid).values_list("cycle__police_unit_id", flat=True).first()
    if unit_id is None:
        return False
    return unit_id in regional_unit_ids(Membership.objects.filter(user=user))


class RoundBoardConsumer(AsyncWebsocketConsumer):
    """ws/imv/rondes/<uuid>/: joins the round's group and forwards "round.changed" as JSON."""

    group: str | None = None

    async def connect(self) -> None:
        round_uuid: UUID = self.scope["url_route"]["kwargs"]["round_uuid"]
        allowed = await database_sync_to_async(round_board_readable)(user=self.scope.get("user"), round_uuid=round_uuid)
        # Accept first, then close: a close before the handshake reaches the browser as a bare
        # HTTP 403 without a code, and the page could not tell "not allowed" from "server down".
        await self.accept()
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        try:
            await self.channel_layer.group_add(round_group(round_uuid), self.channel_name)
        except Exception:
            # Redis is down: the page says "niet live" and offers a manual refresh; it retries later.
            logger.warning("board for round %s not live: channel layer unreachable", round_uuid, exc_info=True)
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        self.group = round_group(round_uuid)
        await self.send_json({"type": "connected"})

    async def disconnect(self, code: int) -> None:
        if self.group is None:
            return
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        except Exception:
            logger.info("could not leave %s: channel layer unreachable", self.group, exc_info=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The board only listens; whatever a browser sends is ignored."""

    async def round_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "round.changed"})

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content))
