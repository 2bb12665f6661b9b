"""The live status board's websocket: who may listen, what they hear, and what happens without Redis.

The scenarios are async, but each test is a plain function that runs them through async_to_sync:
database_sync_to_async then runs the consumer's selector in this thread, inside the test's
transaction, so the rows the fixtures made are visible and rolled back afterwards. Messages go
through the real Redis channel layer that `make test` starts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from imv import events, services
from imv.clock import db_now
from imv.consumers import CLOSE_FORBIDDEN, CLOSE_UNAVAILABLE
from imv.models import ConsultationRound
from portal.routing import websocket_urlpatterns
from tenants.models import Role

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # Port 1 on loopback: nothing listens, so every connection is refused at once.
        "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
    }
}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    """database_sync_to_async closes "old" connections around each call, and to Django a connection
    inside the test's transaction looks old (autocommit is off): it would be closed and the
    transaction lost. Django's test Client switches the same clean-up off during its requests."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


def path(consultation: ConsultationRound) -> str:
    return f"/ws/imv/rondes/{consultation.uuid}/"


def communicator(consultation: ConsultationRound, user: Any) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path(consultation))
    socket.scope["user"] = user  # what AuthMiddlewareStack puts there from the session cookie
    return socket


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def test_adviser_hears_when_a_participation_changes_and_commits(
    adviser, consultation, participation_of, heemstede, heemstede_staff, django_capture_on_commit_callbacks
):
    def change() -> None:
        # The service queues the message with transaction.on_commit; executing the captured
        # callbacks is what the commit would do.
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.participation_schedule(
                actor=heemstede_staff,
                participation=participation_of(heemstede),
                committee_date=None,
                council_date=db_now().date(),
            )
        assert len(callbacks) == 1

    async def scenario() -> None:
        socket = communicator(consultation, adviser)
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_json_from(timeout=5) == {"type": "connected"}

        await database_sync_to_async(change)()

        assert await socket.receive_json_from(timeout=5) == {"type": "round.changed"}
        await socket.disconnect()

    run(scenario)


def test_nothing_is_sent_before_commit(adviser, consultation, participation_of, haarlem, heemstede_staff):
    def change_without_commit() -> None:
        services.participation_decline(actor=adviser, participation=participation_of(haarlem), note="")

    async def scenario() -> None:
        socket = communicator(consultation, adviser)
        await socket.connect()
        await socket.receive_json_from(timeout=5)

        await database_sync_to_async(change_without_commit)()

        # The test transaction never commits, so the board must hear nothing.
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    run(scenario)


def test_rbop_member_hears_the_round_and_only_that_round(make_user, consultation, cycle, adviser):
    rbop = make_user(Role.RBOP)
    other = ConsultationRound.objects.get(is_example=True)

    async def scenario() -> None:
        socket = communicator(consultation, rbop)
        await socket.connect()
        assert await socket.receive_json_from(timeout=5) == {"type": "connected"}

        await database_sync_to_async(events._send)(events.round_group(other.uuid))
        assert await socket.receive_nothing(timeout=0.5)

        await database_sync_to_async(events._send)(events.round_group(consultation.uuid))
        assert await socket.receive_json_from(timeout=5) == {"type": "round.changed"}
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["heemstede_staff", "anonymous"])
def test_board_socket_refuses_municipal_staff_and_anonymous_visitors(request, consultation, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    async def scenario() -> None:
        socket = communicator(consultation, user)
        await socket.connect()

        # Accepted and at once closed with 4403, so the page can tell "not allowed" from "down".
        assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}

        # A refused socket is in no group: a change of the round does not reach it.
        await database_sync_to_async(events._send)(events.round_group(consultation.uuid))
        assert await socket.receive_nothing(timeout=0.3)

    run(scenario)


def test_board_socket_refuses_an_unknown_round(adviser, consultation):
    consultation.uuid = UUID(int=0)

    async def scenario() -> None:
        socket = communicator(consultation, adviser)
        await socket.connect()
        assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}

    run(scenario)


def test_without_redis_the_socket_closes_and_the_board_still_works(
    settings, adviser, client_for, consultation, participation_of, haarlem, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = UNREACHABLE_REDIS

    async def scenario() -> None:
        socket = communicator(consultation, adviser)
        await socket.connect()
        # The page shows "niet live — ververs handmatig" and retries later.
        assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_UNAVAILABLE}

    run(scenario)

    # Writes still commit (imv.events swallows the error) and the board and its table still render.
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_decline(actor=adviser, participation=participation_of(haarlem), note="")
    client = client_for(adviser)
    page = client.get(reverse("imv:board", kwargs={"round_uuid": consultation.uuid})).content.decode()
    assert "Niet live — ververs handmatig." in page
    table = client.get(reverse("imv:board_table", kwargs={"round_uuid": consultation.uuid}))
    assert table.status_code == 200
    assert "geeft geen zienswijze" in table.content.decode()
