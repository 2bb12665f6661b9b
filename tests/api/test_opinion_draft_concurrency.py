"""Eight clients edit one draft zienswijze at once over real HTTP: no update is lost (issue 6).

Each client does read-modify-write cycles against the real ASGI server (uvicorn, tests.live):
GET the draft and its ETag, append its own marker line to the text, PUT it back with If-Match; on
412 it reads again and retries. At the end every marker is in the text exactly once and the
version rose exactly once per successful PUT. The server is another process with its own
connections, so this test commits for real: it builds its own round and removes every row it
made afterwards. Run on its own, add any database test to the run (tests/test_smoke.py, say):
pytest-django makes the test database only when a collected test is marked for it.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_tenants.utils import schema_context

from imv.models import ConsultationRound, ImvCycle, Participation
from municipalities.models import OpinionDraft
from tenants.models import AuditEvent, Membership, Municipality, Role, User
from tenants.services import api_token_create
from tests.factories import round_open_for_test

CLIENTS = 8
UPDATES = 25
MAX_ATTEMPTS = CLIENTS * 20  # per update: far above what a fair race needs, low enough to end a livelock
# After a 412 a client waits a random while before it reads again: exponential backoff with full
# jitter, in units of its own last GET+PUT (so it adapts to how busy the server is), as a
# well-behaved client does. Without it the seven losers of every race retry at once, and the
# server spends most of its time refusing them; the races themselves still happen.
BACKOFF_MAX_CYCLES = 16
BACKOFF_MAX_SECONDS = 1.0
# uvicorn closes a keep-alive connection idle for 5 s; a client idle for this long connects afresh.
IDLE_RECONNECT_SECONDS = 2.0


@dataclass
class DraftRound:
    municipality: Municipality
    consultation: ConsultationRound
    keys: list[str]  # one API token per client, all of the same OOV staff member

    @property
    def path(self) -> str:
        return f"/api/v1/gemeenten/{self.municipality.cbs_code}/concept-zienswijzen/{self.consultation.uuid}"

    def draft(self) -> OpinionDraft:
        with schema_context(self.municipality.schema_name):
            return OpinionDraft.objects.get(round=self.consultation)


@pytest.fixture
def committed_round(django_db_setup: None, django_db_blocker: Any) -> Iterator[DraftRound]:
    """A committed open round, nobody's draft in it yet, and CLIENTS API keys of one Heemstede OOV member."""
    with django_db_blocker.unblock():
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        staff = User.objects.create_user(username="api-draft-rmw-oov", password="x" * 20)
        membership = Membership.objects.create(user=staff, role=Role.OOV, municipality=heemstede)
        keys = [api_token_create(membership=membership, name=f"rmw client {c}")[1] for c in range(CLIENTS)]
        consultation = round_open_for_test(
            actor=staff,
            cycle=cycle,
            label="API-draft-rmw",
            deadline_in=timedelta(days=5),
            rbop_meeting_in=timedelta(days=9),
        )
        try:
            yield DraftRound(heemstede, consultation, keys)
        finally:
            with schema_context(heemstede.schema_name):
                OpinionDraft.objects.filter(round=consultation).delete()  # with its points
            uuids = [
                consultation.uuid,
                *Participation.objects.filter(round=consultation).values_list("uuid", flat=True),
            ]
            AuditEvent.objects.filter(object_uuid__in=uuids).delete()
            ConsultationRound.objects.filter(pk=consultation.pk).delete()
            consultation.draft_version.delete()
            staff.delete()


class Client:
    """One API client on its own keep-alive connection (http.client: the standard library is enough)."""

    def __init__(self, base_url: str, key: str) -> None:
        address = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
        self.headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        self.last_answer = time.monotonic()

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, if_match: str | None = None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if if_match is not None:
            headers["If-Match"] = if_match
        if time.monotonic() - self.last_answer > IDLE_RECONNECT_SECONDS:
            self.connection.close()  # the server may be closing it right now; the next request reconnects
        self.connection.request(method, path, body=payload, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        self.last_answer = time.monotonic()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(data) if data else {}

    def close(self) -> None:
        self.connection.close()


def replacement(draft: dict[str, Any], text: str) -> dict[str, Any]:
    """The draft as read, with another text: what a client that edits the whole draft sends back."""
    return {
        "standpunt": draft["standpunt"],
        "toelichting": text,
        "standpunten": [
            {"thema": p["thema"], "standpunt": p["standpunt"], "toelichting": p["toelichting"]}
            for p in draft["standpunten"]
        ],
    }


@dataclass
class Tally:
    """What one client saw: per update the PUT statuses in order, the version each success made."""

    attempts: dict[int, list[int]] = field(default_factory=dict)
    versions: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def edit(base_url: str, path: str, key: str, number: int, start: threading.Barrier, tally: Tally) -> None:
    client = Client(base_url, key)
    jitter = random.Random(number)
    try:
        start.wait()
        for update in range(UPDATES):
            statuses = tally.attempts.setdefault(update, [])
            while len(statuses) < MAX_ATTEMPTS:
                began = time.monotonic()
                status, headers, draft = client.request("GET", path)
                if status != 200:
                    tally.errors.append(f"GET {status}: {draft}")
                    return
                # The API trims surrounding whitespace, as the page's form does: one marker per line.
                text = "\n".join(filter(None, [draft["toelichting"], f"client {number} update {update}"]))
                status, headers, answer = client.request(
                    "PUT", path, replacement(draft, text), if_match=headers["etag"]
                )
                statuses.append(status)
                if status == 200:
                    tally.versions.append(answer["versie"])
                    if headers["etag"] != f'"{answer["versie"]}"':
                        tally.errors.append(f"ETag {headers['etag']} for version {answer['versie']}")
                    break
                if status != 412 or headers["content-type"] != "application/problem+json":
                    tally.errors.append(f"PUT {status} {headers.get('content-type')}: {answer}")
                    return
                cycle = time.monotonic() - began
                window = min(cycle * min(2 ** len(statuses), BACKOFF_MAX_CYCLES), BACKOFF_MAX_SECONDS)
                time.sleep(jitter.uniform(0, window))
    except Exception as error:  # noqa: BLE001 (reported by the test, with the client's number)
        tally.errors.append(f"{type(error).__name__}: {error}")
    finally:
        client.close()


def test_eight_clients_read_modify_write_one_draft_without_losing_an_update(
    committed_round: DraftRound, live_server_url: str, django_db_blocker: Any
):
    start = threading.Barrier(CLIENTS)
    tallies = [Tally() for _ in range(CLIENTS)]
    threads = [
        threading.Thread(target=edit, args=(live_server_url, committed_round.path, key, number, start, tallies[number]))
        for number, key in enumerate(committed_round.keys)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.monotonic() - began

    assert not any(thread.is_alive() for thread in threads)
    assert [t.errors for t in tallies] == [[]] * CLIENTS
    with django_db_blocker.unblock():
        draft = committed_round.draft()
    markers = draft.overall_text.splitlines()
    expected = [f"client {c} update {u}" for c in range(CLIENTS) for u in range(UPDATES)]
    # 0 lost updates: every marker is there, none twice.
    assert sorted(markers) == sorted(expected)
    # Each client's own markers in its own order: nobody's earlier update was replaced by a later read.
    for c in range(CLIENTS):
        assert [m for m in markers if m.startswith(f"client {c} ")] == [
            f"client {c} update {u}" for u in range(UPDATES)
        ]
    # The draft started at version 1 (nobody had saved it) and rose once per successful PUT.
    assert draft.version == 1 + CLIENTS * UPDATES
    versions = sorted(v for t in tallies for v in t.versions)
    assert versions == list(range(2, 2 + CLIENTS * UPDATES))
    # Every update ended in one success, and every 412 before it was followed by a retry.
    outcomes = [statuses for t in tallies for statuses in t.attempts.values()]
    assert len(outcomes) == CLIENTS * UPDATES
    assert all(statuses[-1] == 200 and set(statuses[:-1]) <= {412} for statuses in outcomes)
    refused = sum(len(statuses) - 1 for statuses in outcomes)
    print(
        f"{CLIENTS} clients x {UPDATES} updates in {seconds:.1f} s: {CLIENTS * UPDATES} PUTs succeeded, "
        f"{refused} answered 412 and were retried after a fresh GET "
        f"(at most {max(len(s) for s in outcomes) - 1} retries for one update)"
    )


def test_put_without_if_match_is_428_and_with_a_stale_etag_412_over_http(
    committed_round: DraftRound, live_server_url: str, django_db_blocker: Any
):
    client = Client(live_server_url, committed_round.keys[0])
    path = committed_round.path
    try:
        status, headers, draft = client.request("GET", path)
        assert (status, headers["etag"]) == (200, '"1"')
        body = replacement(draft, "Eerste versie")

        status, headers, problem = client.request("PUT", path, body)
        assert (status, headers["content-type"]) == (428, "application/problem+json")
        assert (problem["status"], problem["title"]) == (428, "Voorwaarde vereist")

        status, headers, saved = client.request("PUT", path, body, if_match='"1"')
        assert (status, headers["etag"], saved["versie"]) == (200, '"2"', 2)

        status, headers, problem = client.request("PUT", path, replacement(draft, "Overschreven"), if_match='"1"')
        assert (status, headers["content-type"]) == (412, "application/problem+json")
        assert (problem["status"], problem["title"]) == (412, "Versie verouderd")
    finally:
        client.close()
    with django_db_blocker.unblock():
        draft_row = committed_round.draft()
    assert (draft_row.overall_text, draft_row.version) == ("Eerste versie", 2)
