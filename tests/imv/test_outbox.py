"""Redis down: the change is stored and its live-board message waits in the outbox; when Redis is
back it is delivered once, and a second flush sends nothing. Last, a council submits while a real
Redis is stopped: the opinion is stored, the board message and the adviser's e-mail wait in their
outboxes, and each goes out once when Redis runs again."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core import mail
from django.test import override_settings

from imv import events, services
from imv.clock import db_now
from imv.models import (
    Notification,
    Opinion,
    OutboxMessage,
    OutgoingEmail,
    OutgoingEmailStatus,
    Participation,
    ParticipationStatus,
)
from imv.tasks import mail_flush_task, outbox_flush_task
from portal.dev import free_port, private_redis
from tenants.models import Role
from tests.api.conftest import opinion_body
from tests.imv.round_page_helpers import draft_data, draft_version, round_url
from tests.live import celery_broker

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
    group = events.round_group(participation_of(heemstede).round.uuid)
    OutboxMessage.objects.filter(group=group).delete()
    OutboxMessage.objects.create(group=group)
    layer, channel = listen(group)
    assert outbox_flush_task() >= 1
    assert received(layer, channel) == [{"type": "round.changed"}]


# --- Redis really stopped while a council submits ---------------------------------------------
class StoppableRedis:
    """A redis-server of our own that the test stops and starts again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._server = contextlib.ExitStack()

    def start(self) -> None:
        self._server.enter_context(private_redis(port=self.port))

    def stop(self) -> None:
        self._server.close()


@pytest.fixture
def redis_that_stops() -> Iterator[StoppableRedis]:
    """The channel layer and the Celery broker on a Redis of their own, which the test may stop."""
    redis = StoppableRedis()
    redis.start()
    layers = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis.url]}}}
    try:
        with override_settings(CHANNEL_LAYERS=layers), celery_broker(redis.url):
            yield redis
    finally:
        redis.stop()


@pytest.mark.parametrize("through", ["api", "page"])
def test_submitting_with_redis_stopped_is_stored_and_what_it_tells_waits_and_goes_once_when_redis_is_back(
    through,
    redis_that_stops,
    adopted,
    heemstede,
    heemstede_staff,
    top_themes,
    make_user,
    client_for,
    api_client_for,
    caplog,
    django_capture_on_commit_callbacks,
):
    adviser = make_user(Role.ADVISER, email="adviseur@regio.example")
    consultation = adopted.round
    group = events.round_group(consultation.uuid)
    OutboxMessage.objects.filter(group=group).delete()
    mail.outbox.clear()
    redis_that_stops.stop()

    with django_capture_on_commit_callbacks(execute=True):
        if through == "api":
            response = api_client_for(heemstede_staff).post(
                "/api/v1/zienswijzen", opinion_body(adopted, top_themes), format="json"
            )
            assert response.status_code == 201, response.content
        else:
            response = client_for(heemstede_staff).post(
                round_url(consultation, action="concept/"),
                draft_data(draft_version(heemstede, consultation), key="redis-weg", action="indienen"),
            )
            assert response.status_code == 302, response.content

    # Stored, and everything it tells is kept.
    opinion = Opinion.objects.get(participation=adopted)
    assert Participation.objects.get(pk=adopted.pk).status == ParticipationStatus.SUBMITTED
    assert OutboxMessage.objects.get(group=group, sent_at__isnull=True).attempts == 1  # tried after commit
    emails = list(OutgoingEmail.objects.filter(subject__startswith="Zienswijze ingediend: Heemstede"))
    assert [e.to for e in emails].count("adviseur@regio.example") == 1
    assert {(e.status, e.attempts) for e in emails} == {(OutgoingEmailStatus.PENDING, 0)}
    assert "wait for the beat flush: the task queue is unreachable" in caplog.text  # Celery's Redis was down too
    assert not mail.outbox
    # The notification is a row in PostgreSQL: the adviser sees it whatever Redis does.
    notification = Notification.objects.get(user=adviser)
    assert notification.message.startswith("Heemstede heeft de zienswijze op IMV 2024-2027 ingediend")
    assert notification.message in client_for(adviser).get("/meldingen/").content.decode()

    redis_that_stops.start()
    layer, channel = listen(group)
    assert outbox_flush_task() >= 1  # beat, every 30 seconds
    assert mail_flush_task() == len(emails)  # beat, every minute

    assert outbox_flush_task() == 0
    assert mail_flush_task() == 0
    assert received(layer, channel) == [{"type": "round.changed"}]
    assert Counter(m.extra_headers["Message-ID"] for m in mail.outbox) == Counter({e.message_id: 1 for e in emails})
    assert len([m for m in mail.outbox if m.to == ["adviseur@regio.example"]]) == 1
    assert Notification.objects.filter(user=adviser).count() == 1
    assert opinion.number == 1
