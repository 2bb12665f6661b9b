"""Websocket group names: a board hears its own round, and only who may read the round may listen.

Through the real ASGI application (origin check, session cookie, URL router) and the real Redis
channel layer that `make test` starts. The group of a board is imv.events.round_group(round
uuid): a round belongs to one IMV cycle of one police unit, which is the boundary of the board
(its adviser and RBOP members read it; municipal staff never listen, they reload their page).
A is Noord-Holland (Heemstede's and Haarlem's unit), B a second unit with its own adviser and round.
Seen to fail: with round_group() returning one name for every round, B's adviser heard A's
change (and A's adviser B's); with the unit check left out of round_board_readable, B's
adviser's socket on A's round stayed open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from imv import events
from imv.consumers import CLOSE_FORBIDDEN
from imv.models import ConsultationRound, OutboxMessage
from portal.asgi import application

pytestmark = pytest.mark.django_db

CONNECTED = {"type": "connected"}
CHANGED = {"type": "round.changed"}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    # As in tests/imv/test_consumers.py: database_sync_to_async would close the connection that
    # holds the test's transaction, and with it the rows the fixtures made.
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


def board_socket(consultation: ConsultationRound, client: Client) -> WebsocketCommunicator:
    """A browser's socket to the round's board: its session cookie, from the portal's own origin."""
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return WebsocketCommunicator(
        application,
        f"/ws/imv/rondes/{consultation.uuid}/",
        headers=[
            (b"host", b"localhost"),
            (b"origin", b"http://localhost"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()),
        ],
    )


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


async def listening(socket: WebsocketCommunicator) -> WebsocketCommunicator:
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from(timeout=5) == CONNECTED
    return socket


async def refused(socket: WebsocketCommunicator) -> None:
    await socket.connect()
    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}


def test_each_units_board_hears_its_own_round_and_never_the_other_units(
    only_round, other_unit, adviser, staff_of, heemstede, client_for, django_capture_on_commit_callbacks
):
    a_board, b_board = client_for(adviser), client_for(other_unit.adviser)
    heemstede_staff = client_for(staff_of(heemstede))

    def heemstede_schedules() -> None:
        # A real request of A's staff; running the captured on_commit callbacks is the commit.
        with django_capture_on_commit_callbacks(execute=True):
            response = heemstede_staff.post(
                f"/gemeenten/heemstede/imv/{only_round.uuid}/vergaderdata/", {"council_date": "2030-01-10"}
            )
        assert response.status_code == 302, response.content

    def other_unit_round_changes() -> None:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.round_changed(other_unit.round)

    async def scenario() -> None:
        a_socket = await listening(board_socket(only_round, a_board))
        b_socket = await listening(board_socket(other_unit.round, b_board))

        await database_sync_to_async(heemstede_schedules)()
        assert await a_socket.receive_json_from(timeout=5) == CHANGED
        assert await b_socket.receive_nothing(timeout=0.5)

        await database_sync_to_async(other_unit_round_changes)()
        assert await b_socket.receive_json_from(timeout=5) == CHANGED
        assert await a_socket.receive_nothing(timeout=0.5)

        await a_socket.disconnect()
        await b_socket.disconnect()

    run(scenario)


def test_a_board_of_another_unit_refuses_the_adviser_and_hears_nothing(only_round, other_unit, adviser, client_for):
    strangers = ((only_round, client_for(other_unit.adviser)), (other_unit.round, client_for(adviser)))

    async def scenario() -> None:
        for consultation, stranger in strangers:
            socket = board_socket(consultation, stranger)
            await refused(socket)
            await database_sync_to_async(events._send)(events.round_group(consultation.uuid))
            assert await socket.receive_nothing(timeout=0.3)

    run(scenario)


@pytest.mark.parametrize("municipality", ["heemstede", "haarlem"])
def test_municipal_staff_cannot_listen_to_any_board(
    request, only_round, other_unit, staff_of, client_for, municipality
):
    """A's and B's staff are refused on their own unit's board and on another unit's."""
    staff = client_for(staff_of(request.getfixturevalue(municipality)))

    async def scenario() -> None:
        for consultation in (only_round, other_unit.round):
            socket = board_socket(consultation, staff)
            await refused(socket)
            await database_sync_to_async(events._send)(events.round_group(consultation.uuid))
            assert await socket.receive_nothing(timeout=0.3)

    run(scenario)


def test_group_names_come_from_the_round_and_are_valid_channel_layer_names(
    only_round, other_unit, participation_of, heemstede, haarlem, staff_of, client_for
):
    layer = get_channel_layer()
    a_group, b_group = events.round_group(only_round.uuid), events.round_group(other_unit.round.uuid)
    assert a_group != b_group
    assert str(only_round.uuid) in a_group
    assert str(other_unit.round.uuid) in b_group
    assert layer is not None
    assert layer.require_valid_group_name(a_group)

    # A's change and B's change in the same round wait in the outbox under that round's group only.
    for municipality in (heemstede, haarlem):
        OutboxMessage.objects.all().delete()
        client_for(staff_of(municipality)).post(
            f"/gemeenten/{municipality.slug}/imv/{only_round.uuid}/vergaderdata/", {"council_date": "2030-01-10"}
        )
        assert list(OutboxMessage.objects.values_list("group", flat=True)) == [a_group]


def test_the_board_message_carries_no_data_of_any_municipality(
    only_round, staff_of, heemstede, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    """What travels over the shared channel layer names no municipality: the board re-fetches."""
    sent: list[dict[str, Any]] = []
    layer = get_channel_layer()
    assert layer is not None
    real_send = layer.group_send

    async def recording(group: str, message: dict[str, Any]) -> None:
        sent.append({"group": group, **message})
        await real_send(group, message)

    monkeypatch.setattr(layer, "group_send", recording)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff_of(heemstede)).post(
            f"/gemeenten/heemstede/imv/{only_round.uuid}/vergaderdata/", {"council_date": "2030-01-10"}
        )
    assert sent == [{"group": events.round_group(only_round.uuid), "type": "round.changed"}]
