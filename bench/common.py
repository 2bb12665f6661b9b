"""Shared pieces of the benchmarks: a database of their own, timing, and the printed table."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

BENCH_DATABASE = "bench_portal"


def use_bench_database(*, fresh: bool) -> None:
    """Point DATABASE_URL at a database of the benchmarks' own (made empty when fresh), then set up Django."""
    url = os.environ["DATABASE_URL"]
    params = conninfo_to_dict(url)
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{BENCH_DATABASE}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    params["dbname"] = BENCH_DATABASE
    os.environ["DATABASE_URL"] = make_conninfo("", **params)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_ENV", "development")
    os.environ.setdefault("PORTAL_DB_TENANT", "*")  # the benchmarks set up many municipalities (tenants/rls.py)
    import django

    django.setup()


@dataclass
class Timing:
    name: str
    size: str
    samples: list[float]
    baseline: Timing | None = None

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


def table(title: str, rows: list[Timing]) -> str:
    """A plain-text table: each figure beside the baseline measured in the same run."""
    head = f"{'benchmark':<52} {'size':>10} {'n':>5} {'p50 ms':>10} {'p95 ms':>10} {'× baseline p50':>15}"
    lines = [title, "=" * len(head), head, "-" * len(head)]
    for row in rows:
        ratio = f"{row.p50 / row.baseline.p50:,.1f}" if row.baseline and row.baseline.p50 else "baseline"
        lines.append(
            f"{row.name:<52} {row.size:>10} {len(row.samples):>5} {row.p50:>10.2f} {row.p95:>10.2f} {ratio:>15}"
        )
    return "\n".join(lines)
