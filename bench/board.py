"""Status-board benchmark: the board page and its API for 32 and 342 municipalities, as p50/p95
beside a bare tenant request, and the time from a status change to every one of 300 open boards.

A real uvicorn server runs the portal (PORTAL_ENV=test: no debug bookkeeping) on a free loopback
port; the load generator (bench/load.py) runs in a process of its own.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import ROOT, Timing, demo_region, portal_server, server_exceptions, session_cookie, table
from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, DraftVersion, Participation, ParticipationStatus
from imv.reference import cycle_load
from tenants.models import Membership, Municipality, PoliceUnit, Role, User
from tenants.reference import NATIONAL_CSV
from tenants.services import api_token_create

BOARDS = 300


def _adviser(unit: PoliceUnit, username: str) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        Membership.objects.create(user=user, role=Role.ADVISER, police_unit=unit)
    return user


def national_round() -> ConsultationRound:
    """A police unit with all 342 municipalities of 2023 (no schemas: the board reads the shared schema)."""
    unit, created = PoliceUnit.objects.get_or_create(name="Nederland (bench)", defaults={"slug": "nederland-bench"})
    adviser = _adviser(unit, "bench-adviseur-nl")
    if not created:
        return ConsultationRound.objects.get(cycle__police_unit=unit)
    with NATIONAL_CSV.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    Municipality.objects.bulk_create(
        Municipality(schema_name=f"nl_{i:04d}", cbs_code=f"GX{i:04d}", name=name, police_unit=unit)
        for i, name in enumerate(names)
    )
    cycle = cycle_load(police_unit=unit, name="IMV bench", period_start=2024, period_end=2027)
    draft = DraftVersion.objects.create(cycle=cycle, label="Bench", date=db_now().date())
    now = db_now()
    consultation = services.round_open(
        actor=adviser,
        cycle=cycle,
        draft_version=draft,
        deadline=now + timedelta(days=14),
        rbop_meeting=now + timedelta(days=40),
    )
    rng = random.Random(7)
    for participation in consultation.participations.all():
        participation.status = rng.choice(ParticipationStatus.values)
        participation.save(update_fields=["status"])
    return consultation


def _load(port: int, path: str, credential: str, count: int, seconds: float = 60) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "http", str(port), path, credential, str(count), str(seconds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    return list(json.loads(out.stdout))


def _fanout(port: int, consultation: ConsultationRound, cookie: str, changes: int, boards: int) -> list[float]:
    """Open `boards` boards in the load process, change a status `changes` times, collect every delivery delay."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.load",
            "ws",
            str(port),
            f"/ws/imv/rondes/{consultation.uuid}/",
            cookie,
            str(boards),
            str(changes),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the boards did not connect")
        participation = Participation.objects.filter(round=consultation).first()
        assert participation is not None
        delays: list[float] = []
        for n in range(changes):
            time.sleep(0.3)
            started = time.time()
            # A real change through the same path as a service: committed, then told to the boards.
            Participation.objects.filter(pk=participation.pk).update(version=participation.version + n + 1)
            services.events.round_changed(consultation)
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the boards stopped listening after {n} of {changes} changes")
            delays.extend((t - started) * 1000 for t in json.loads(line))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return delays


def run(*, repeat: int = 200, boards: int = BOARDS, only: str | None = None) -> str:
    demo_region(only=only)
    noord_holland = ConsultationRound.objects.get(cycle__police_unit__name="Noord-Holland")
    national = national_round()
    nh_adviser = User.objects.get(username="adviseur")
    nl_adviser = User.objects.get(username="bench-adviseur-nl")
    nh_cookie, nl_cookie = session_cookie(nh_adviser), session_cookie(nl_adviser)
    nh_token = api_token_create(membership=nh_adviser.memberships.get(), name="bench")[1]
    nl_token = api_token_create(membership=nl_adviser.memberships.get(), name="bench")[1]
    with (
        tempfile.TemporaryDirectory(prefix="bench-board-") as folder,
        portal_server(log=Path(folder) / "uvicorn.log") as port,
    ):
        log = Path(folder) / "uvicorn.log"
        bare = Timing(
            "kale gemeentepagina (/gemeenten/heemstede/)", "1", _load(port, "/gemeenten/heemstede/", nh_cookie, repeat)
        )
        rows = [bare]
        for size, consultation, cookie, token in (
            (str(noord_holland.participations.count()), noord_holland, nh_cookie, nh_token),
            ("342", national, nl_cookie, nl_token),
        ):
            rows.append(
                Timing(
                    "statusbord (HTML)",
                    size,
                    _load(port, f"/regio/imv/rondes/{consultation.uuid}/", cookie, repeat),
                    bare,
                )
            )
            rows.append(
                Timing(
                    "statusbord-tabel (live verversen)",
                    size,
                    _load(port, f"/regio/imv/rondes/{consultation.uuid}/tabel", cookie, repeat),
                    bare,
                )
            )
            rows.append(
                Timing(
                    "API deelnames (pageSize=500)",
                    size,
                    _load(
                        port,
                        f"/api/v1/consultatierondes/{consultation.uuid}/deelnames?pageSize=500",
                        f"Bearer {token}",
                        repeat,
                    ),
                    bare,
                )
            )
        text = table("Statusbord en API: latentie per verzoek (één client, keep-alive)", rows)
        title = "Live statusbord: vertraging per bord na een statuswijziging"
        try:
            delays = _fanout(port, noord_holland, nh_cookie, changes=5, boards=boards)
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
            # Keep the latency table; say loudly why there is no fan-out figure.
            text += f"\n\n{title}\n!!! MISLUKT: {exc}"
            text += "".join(f"\n!!! server: {line[:200]}" for line in server_exceptions(log)[:5])
            return text
    fan = Timing(f"statuswijziging → alle {boards} borden ontvangen", f"{boards}×5", delays)
    text += "\n\n" + table(title, [fan])
    text += f"\n(max {max(delays):.1f} ms, gemiddeld {statistics.mean(delays):.1f} ms over {len(delays)} bezorgingen)"
    return text
