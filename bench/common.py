"""Shared pieces of the benchmarks: databases of their own, the portal under uvicorn, timing, tables."""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

if TYPE_CHECKING:
    from tenants.models import User

ROOT = Path(__file__).resolve().parent.parent
# BENCH_DATABASE keeps the smoke test's databases apart from those `make bench` keeps between runs.
# (Named after the database of the portal role; the older "bench_portal" ones belong to the superuser.)
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "bench_regioportaal")
# Only the shared schema, migrated at the start of every run; the other bench databases are copies.
SHARED_TEMPLATE = f"{BENCH_DATABASE}_shared"


def database_url(name: str) -> str:
    """DATABASE_URL with another database on the same server."""
    params = conninfo_to_dict(os.environ["DATABASE_URL"])
    params["dbname"] = name
    return make_conninfo("", **params)


def _admin() -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(database_url("postgres"), autocommit=True)


def database_ensure(name: str, *, fresh: bool = False) -> bool:
    """Make database `name` if it is missing (empty it first when fresh); True when it was made now."""
    with _admin() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if not exists or fresh:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


def databases_drop(prefix: str) -> list[str]:
    """Drop every database whose name starts with prefix (the smoke test cleans up with this)."""
    with _admin() as conn:
        names = [
            str(row[0])
            for row in conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
        ]
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    return names


def shared_template(*, fresh: bool = False) -> str:
    """SHARED_TEMPLATE made (afresh when fresh) and its shared schema migrated; returns its name."""
    database_ensure(SHARED_TEMPLATE, fresh=fresh)
    manage(SHARED_TEMPLATE, "migrate_schemas", "--shared", "--verbosity", "0")
    return SHARED_TEMPLATE


def database_from_template(name: str, *, template: str, fresh: bool) -> bool:
    """Make database `name` as a copy of template unless it exists (or when fresh); True when made."""
    with _admin() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return False
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    return True


def manage(
    database: str,
    *args: str,
    env: dict[str, str] | None = None,
    on_line: Callable[[str], None] | None = None,
    show: bool = False,
) -> float:
    """Run `python manage.py ARGS` against database; return its wall time in ms.

    on_line receives its output line by line (for a progress bar); show passes it to our stderr.
    """
    child_env = {**os.environ, "DATABASE_URL": database_url(database), **(env or {})}
    argv = [sys.executable, str(ROOT / "manage.py"), *args]
    started = time.perf_counter()
    if on_line is None:
        out = subprocess.run(
            argv,
            cwd=ROOT,
            env=child_env,
            stdout=sys.stderr if show else subprocess.PIPE,
            stderr=subprocess.STDOUT if not show else None,
            text=True,
            check=False,
        )
        code, tail = out.returncode, out.stdout or ""
    else:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert proc.stdout is not None
        lines: list[str] = []
        for line in proc.stdout:
            on_line(line)
            lines = [*lines[-40:], line]
        code, tail = proc.wait(), "".join(lines)
    elapsed = (time.perf_counter() - started) * 1000
    if code:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({code}):\n{tail[-3000:]}")
    return elapsed


def use_bench_database(*, fresh: bool) -> None:
    """Point DATABASE_URL at a database of the benchmarks' own (started afresh when fresh), then set up Django."""
    database_from_template(BENCH_DATABASE, template=shared_template(fresh=fresh), fresh=fresh)
    os.environ["DATABASE_URL"] = database_url(BENCH_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_ENV", "development")
    os.environ.setdefault("PORTAL_DB_TENANT", "*")  # the benchmarks set up many municipalities (tenants/rls.py)
    import django

    django.setup()


def demo_region(*, only: str | None = None) -> None:
    """The shared schema migrated and the Noord-Holland demo region loaded (quietly; seconds when done before).

    only: load_demo --only (Heemstede and Haarlem are always there), for --quick runs.
    """
    import io

    from django.core.management import call_command

    call_command("migrate_schemas", "--shared", verbosity=0)
    call_command("load_demo", *(["--only", only] if only else []), verbosity=0, stdout=io.StringIO())


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes) beside its cores: other people's tests share them."""
    one, five, fifteen = os.getloadavg()
    return f"belasting {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min) op {os.cpu_count()} cores"


@contextlib.contextmanager
def connections_peak(name: str, every: float = 0.2) -> Iterator[list[int]]:
    """Sample how many connections database `name` has while the block runs; yields [peak] (filled after)."""
    import threading

    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        with _admin() as conn:
            while not stop.wait(every):
                row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]).fetchone()
                peak[0] = max(peak[0], int(row[0]) if row else 0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


def database_sessions(name: str) -> int:
    """Connections ever opened to database `name` (pg_stat_database.sessions, PostgreSQL 14+)."""
    with _admin() as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [name]).fetchone()
    return int(row[0]) if row else 0


@contextlib.contextmanager
def portal_server(*, log: Path | None = None, env: dict[str, str] | None = None) -> Iterator[int]:
    """The portal under uvicorn on a free loopback port, as `make run` starts it; yield the port.

    PORTAL_ENV=test: development settings would add DEBUG's bookkeeping to every request, and
    production ones redirect plain HTTP to HTTPS. Its output goes to log (a temporary file when
    None), whose tail is shown when it does not start. Stopped after.
    """
    from portal.dev import free_port

    port = free_port()
    env = {**os.environ, "PORTAL_ENV": "test", "DJANGO_SETTINGS_MODULE": "portal.settings", **(env or {})}
    argv = [sys.executable, "-m", "uvicorn", "portal.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--no-access-log", "--log-level", "warning"]
    with contextlib.ExitStack() as stack:
        out: IO[bytes] = stack.enter_context(log.open("wb") if log else tempfile.TemporaryFile())  # noqa: SIM115
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        out.flush()
                        out.seek(0)
                        raise RuntimeError("the portal did not start:\n" + out.read().decode()[-3000:]) from None
                    time.sleep(0.3)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def server_exceptions(log: Path) -> list[str]:
    """The distinct exception lines in a server's log (e.g. "... too many clients already")."""
    lines = log.read_text(errors="replace").splitlines()
    return sorted({line.strip() for line in lines if re.match(r"^\w[\w.]*(Error|Exception): ", line)})


def session_cookie(user: User) -> str:
    """A Cookie header for a signed-in session of user (made as a login would, without the form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@dataclass
class Timing:
    name: str
    size: str
    samples: list[float]
    baseline: Timing | None = None
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(
    name: str, size: str, work: Callable[[], object], *, repeat: int, warmup: int = 2, baseline: Timing | None = None
) -> Timing:
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(name, size, samples, baseline)


def table(title: str, rows: list[Timing], *, unit: str = "ms") -> str:
    """A plain-text table: each figure beside the baseline measured in the same run.

    Samples are in milliseconds; unit="s" prints them as seconds (for parts that take that long).
    """
    scale = 1000 if unit == "s" else 1
    notes = any(row.note for row in rows)
    head = f"{'benchmark':<56} {'size':>10} {'n':>5} {'p50 ' + unit:>10} {'p95 ' + unit:>10} {'× baseline p50':>15}" + (
        "  opmerking" if notes else ""
    )
    lines = [title, "=" * len(head), head, "-" * len(head)]
    for row in rows:
        ratio = f"{row.p50 / row.baseline.p50:,.1f}" if row.baseline and row.baseline.p50 else "baseline"
        lines.append(
            f"{row.name:<56} {row.size:>10} {len(row.samples):>5} {row.p50 / scale:>10.2f} {row.p95 / scale:>10.2f}"
            f" {ratio:>15}" + (f"  {row.note}" if row.note else "")
        )
    return "\n".join(lines)
