"""Redis down: the change is stored and its live-board message waits in the outbox; when Redis is
back it is delivered once, and a second flush sends nothing."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import override_settings

from imv import events, services
from imv.clock import db_now
from imv.models import OutboxMessage, Participation, ParticipationStatus

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_connect_timeout": 0.2}]},
    }
}


def listen(group: str) -> tuple[object, str]:
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return layer, channel


def received(layer, channel: str) -> list[dict]:
    messages = []

    async def drain() -> None:
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), timeout=0.3))
            except TimeoutError:
                return

    async_to_sync(drain)()
    return messages


def test_change_with_redis_down_is_stored_and_its_message_delivered_once_later(
    participation_of, heemstede, heemstede_staff, django_capture_on_commit_callbacks
):
    participation = participation_of(heemstede)
    group = events.round_group(participation.round.uuid)
    OutboxMessage.objects.filter(group=group).delete()
    with override_settings(CHANNEL_LAYERS=DEAD_REDIS), django_capture_on_commit_callbacks(execute=True):
        services.participation_schedule(
            actor=heemstede_staff, participation=participation, committee_date=None, council_date=db_now().date()
        )
    assert Participation.objects.get(pk=participation.pk).status == ParticipationStatus.SCHEDULED
    pending = OutboxMessage.objects.get(group=group, sent_at__isnull=True)
    assert pending.attempts == 1

    layer, channel = listen(group)  # Redis is back (the real settings again)
    assert "127.0.0.1:1/" not in str(settings.CHANNEL_LAYERS)
    assert events.outbox_flush() >= 1
    assert events.outbox_flush() == 0
    assert received(layer, channel) == [{"type": "round.changed"}]
    pending.refresh_from_db()
    assert pending.sent_at is not None


def test_a_burst_of_changes_waits_as_one_message(
    participation_of, heemstede, haarlem, heemstede_staff, make_user, django_capture_on_commit_callbacks
):
    from tenants.models import Role

    haarlem_staff = make_user(Role.OOV, haarlem)
    first = participation_of(heemstede)
    group = events.round_group(first.round.uuid)
    OutboxMessage.objects.filter(group=group).delete()
    with override_settings(CHANNEL_LAYERS=DEAD_REDIS), django_capture_on_commit_callbacks(execute=True):
        services.participation_schedule(
            actor=heemstede_staff, participation=first, committee_date=None, council_date=db_now().date()
        )
        services.participation_schedule(
            actor=haarlem_staff,
            participation=participation_of(haarlem),
            committee_date=None,
            council_date=db_now().date(),
        )
    assert OutboxMessage.objects.filter(group=group, sent_at__isnull=True).count() == 1
    layer, channel = listen(group)
    events.outbox_flush(group=group)
    assert received(layer, channel) == [{"type": "round.changed"}]


def test_the_beat_task_delivers_what_waited(participation_of, heemstede, django_capture_on_commit_callbacks):
    from imv.tasks import outbox_flush_task

    group = events.round_group(participation_of(heemstede).round.uuid)
    OutboxMessage.objects.filter(group=group).delete()
    OutboxMessage.objects.create(group=group)
    layer, channel = listen(group)
    assert outbox_flush_task() >= 1
    assert received(layer, channel) == [{"type": "round.changed"}]
