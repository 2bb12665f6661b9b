"""HTTP throughput: requests per second and p50/p95 under fixed concurrency, each target beside a
bare tenant page measured in the same run.

The portal runs under uvicorn as `make run` starts it (one process), on the benchmark database;
the load generator (bench/load.py) is a process of its own on loopback, with `concurrency`
keep-alive clients, a warm-up and then a fixed measured window per target. Pages are fetched with
the session cookie of a signed-in adviser, the API with that adviser's token, as a browser and an
API client would. The last column counts PostgreSQL connections opened per answer.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BENCH_DATABASE,
    ROOT,
    connections_peak,
    database_sessions,
    demo_region,
    portal_server,
    server_exceptions,
    session_cookie,
)
from imv.models import ConsultationRound
from tenants.models import ApiToken, Municipality, User
from tenants.services import api_token_create

TOKEN_NAME = "bench throughput"  # noqa: S105 (a label for the tokens, not a secret)


@dataclass
class Target:
    name: str
    size: str
    path: str
    credential: str


@dataclass
class Throughput:
    target: Target
    seconds: float
    concurrency: int
    latencies: list[float]
    errors: dict[str, int]
    answered: int  # warm-up included
    sessions: int  # PostgreSQL connections the server opened meanwhile
    peak_connections: int  # the most it held open at once
    baseline: Throughput | None = None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if q == 0.5:
            return statistics.median(self.latencies)
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def targets(*, national: ConsultationRound | None) -> list[Target]:
    """The bare tenant page first (the baseline), then the board, the dashboard and the main API lists.

    Board, dashboard and the round's participations are measured for Noord-Holland and, when
    national is given, for the round of all 342 municipalities of board.national_round.
    """
    rounds = [(ConsultationRound.objects.get(cycle__police_unit__name="Noord-Holland"), "adviseur")]
    if national is not None:
        rounds.append((national, "bench-adviseur-nl"))
    regions = []
    ApiToken.objects.filter(name=TOKEN_NAME).delete()  # those of earlier runs
    for consultation, username in rounds:
        adviser = User.objects.get(username=username)
        token = api_token_create(membership=adviser.memberships.get(), name=TOKEN_NAME)[1]
        size = str(consultation.participations.count())
        regions.append((consultation, size, session_cookie(adviser), f"Bearer {token}"))
    _round, _size, cookie, token = regions[0]
    heemstede = Municipality.objects.get(cbs_code="GM0397")
    deelnames = "API consultatierondes/{uuid}/deelnames?pageSize=500"
    return [
        Target("kale gemeentepagina (/gemeenten/heemstede/)", "1", "/gemeenten/heemstede/", cookie),
        *(Target("statusbord (HTML)", size, f"/regio/imv/rondes/{r.uuid}/", c) for r, size, c, _t in regions),
        *(Target("RBOP-dashboard (HTML)", size, "/regio/dashboard/", c) for _r, size, c, _t in regions),
        *(
            Target(deelnames, size, f"/api/v1/consultatierondes/{r.uuid}/deelnames?pageSize=500", t)
            for r, size, _c, t in regions
        ),
        Target(
            "API gemeenten (eerste pagina van 50)", f"50/{Municipality.objects.count()}", "/api/v1/gemeenten", token
        ),
        Target(
            "API gemeenten/GM0397/prioriteiten",
            str(_priorities(heemstede)),
            "/api/v1/gemeenten/GM0397/prioriteiten",
            token,
        ),
    ]


def _priorities(municipality: Municipality) -> int:
    from django_tenants.utils import tenant_context

    from municipalities.models import Priority

    with tenant_context(municipality):
        return Priority.objects.count()


def _load(port: int, target: Target, *, concurrency: int, warmup: float, seconds: float) -> dict[str, object]:
    argv = [sys.executable, "-m", "bench.load", "throughput", str(port), target.path, target.credential]
    argv += [str(concurrency), str(warmup), str(seconds)]
    out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True, timeout=warmup + seconds + 120)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def run(
    *,
    seconds: float,
    concurrency: int,
    national: bool = True,
    only: str | None = None,
    conn_max_ages: tuple[str | None, ...] = (None,),
) -> str:
    """One table per database-connection setting: None is the portal's own (as `make run` has it),
    a number is DJANGO_CONN_MAX_AGE for the server, for comparison."""
    from bench.board import national_round

    demo_region(only=only)
    plan = targets(national=national_round() if national else None)
    warmup = min(2.0, seconds / 5)
    tables = []
    for conn_max_age in conn_max_ages:
        setting = "CONN_MAX_AGE van het portaal" if conn_max_age is None else f"DJANGO_CONN_MAX_AGE={conn_max_age}"
        rows, problems = _measure(
            plan, seconds=seconds, concurrency=concurrency, warmup=warmup, conn_max_age=conn_max_age
        )
        tables.append(
            throughput_table(
                f"HTTP-doorvoer, {setting}: {concurrency} gelijktijdige clients, {seconds:g} s per doel na "
                f"{warmup:g} s opwarmen (uvicorn, 1 proces; lastgenerator in eigen proces op loopback)",
                rows,
                problems,
            )
        )
    return "\n\n".join(tables)


def _measure(
    plan: list[Target], *, seconds: float, concurrency: int, warmup: float, conn_max_age: str | None
) -> tuple[list[Throughput], list[str]]:
    """Every target against one server; returns the rows and the server's distinct error lines."""
    from portal.progress import progress_bar

    rows: list[Throughput] = []
    env = {"DJANGO_CONN_MAX_AGE": conn_max_age} if conn_max_age is not None else {}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        log = Path(folder) / "uvicorn.log"
        with (
            portal_server(log=log, env=env) as port,
            progress_bar(total=len(plan), description="HTTP-doorvoer", unit="doel", file=sys.stderr) as step,
        ):
            for target in plan:
                before = database_sessions(BENCH_DATABASE)
                with connections_peak(BENCH_DATABASE) as peak:
                    result = _load(port, target, concurrency=concurrency, warmup=warmup, seconds=seconds)
                opened = database_sessions(BENCH_DATABASE) - before
                rows.append(
                    Throughput(
                        target,
                        seconds,
                        concurrency,
                        latencies=[float(ms) for ms in result["latencies"]],  # type: ignore[attr-defined]
                        errors={str(k): int(v) for k, v in result["errors"].items()},  # type: ignore[attr-defined]
                        answered=int(result["answered"]),  # type: ignore[call-overload]
                        sessions=opened,
                        peak_connections=peak[0],
                        baseline=rows[0] if rows else None,
                    )
                )
                step(target.name)
        problems = server_exceptions(log)  # behind any 500, once each
    return rows, problems


def throughput_table(title: str, rows: list[Throughput], problems: list[str]) -> str:
    head = (
        f"{'doel':<52} {'size':>8} {'n':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'fouten':>7} "
        f"{'× req/s':>8} {'× p50':>6} {'db-verb./antw':>13} {'db-verb. max':>12}"
    )
    lines = [title, "=" * len(head), head, "-" * len(head)]
    failed = []
    for row in rows:
        errors = sum(row.errors.values())
        if errors:
            failed.append(f"{row.target.name} ({row.target.size}): {row.errors}")
        base = row.baseline
        ratio_rps = f"{row.rps / base.rps:.2f}" if base and base.rps else "basis"
        ratio_p50 = f"{row.percentile(0.5) / base.percentile(0.5):.1f}" if base and base.latencies else "basis"
        per_answer = row.sessions / row.answered if row.answered else float("nan")
        lines.append(
            f"{row.target.name:<52} {row.target.size:>8} {len(row.latencies):>6} {row.rps:>8.1f} "
            f"{row.percentile(0.5):>8.1f} {row.percentile(0.95):>8.1f} {errors:>7} {ratio_rps:>8} {ratio_p50:>6} "
            f"{per_answer:>13.2f} {row.peak_connections:>12}"
        )
    lines.append(
        "db-verb./antw: PostgreSQL-verbindingen die de server opende per antwoord; "
        "db-verb. max: hoogste aantal open verbindingen tijdens de meting"
    )
    if failed:
        lines.insert(0, "!!! FOUTEN: niet elk verzoek kreeg een 200; de cijfers hieronder zijn niet te vertrouwen !!!")
        lines += ["!!! " + line for line in failed]
        lines += ["!!! server: " + line[:200] for line in problems[:5]]
    return "\n".join(lines)
