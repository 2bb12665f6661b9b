"""The benchmarks cannot rot: `python -m bench --quick` runs the HTTP, municipality, migrate_schemas
and demo parts with tiny sizes on databases of their own, and prints every table.

No figure is checked: timings on a shared machine say nothing in a test. What is checked is that
each part ran to its table, and that the load generator got no error answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import databases_drop

ROOT = Path(__file__).resolve().parent.parent
TITLES = {
    "http": "HTTP-doorvoer",
    "gemeente": "Een gemeente aanmaken",
    "migrate": "migrate_schemas over veel gemeenteschema's",
    "demo": "De demoregio laden",
}


@pytest.mark.bench
def test_bench_quick_runs_the_new_parts_to_their_tables(tmp_path: Path) -> None:
    # Apart from `make bench`'s kept databases, and from parallel test runs (PORTAL_TEST_DB).
    prefix = f"{os.environ.get('PORTAL_TEST_DB', 'test_portal')}_bench"
    env = {
        **os.environ,
        "BENCH_DATABASE": prefix,
        # As `make bench` runs it, not with the test settings pytest put in the environment;
        # files (demo passwords, media) in a folder of the test's own.
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "development",
        "PORTAL_DATA_DIR": str(tmp_path),
    }
    latest = ROOT / "bench" / "results" / "latest.txt"
    kept = latest.stat().st_mtime_ns
    try:
        run = subprocess.run(
            [sys.executable, "-m", "bench", "--quick", "--fresh", *TITLES],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    finally:
        databases_drop(prefix)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    for part, title in TITLES.items():
        assert title in run.stdout, f"no table for {part}"
    assert "MISLUKT" not in run.stdout
    assert "FOUTEN" not in run.stdout
    assert latest.stat().st_mtime_ns == kept, "--quick replaced the published results"
