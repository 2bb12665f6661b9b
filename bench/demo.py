"""The demo load (`manage.py load_demo`, as `make run` runs it): into an empty database (the shared
schema migrated, nothing else) and then again, when it should change nothing; beside the start-up
of a management command (manage.py check). Each is a `python manage.py` process.

The database is made afresh each run from the shared-schema template ({BENCH_DATABASE}_demo); the
demo's files (passwords, documents) go to a temporary folder, not to .data/.
"""

from __future__ import annotations

import tempfile

from bench.common import BENCH_DATABASE, SHARED_TEMPLATE, Timing, database_from_template, manage, table


def run(*, repeat: int, only: str | None = None) -> str:
    template = SHARED_TEMPLATE  # made and migrated at the start of the run (use_bench_database)
    database = f"{BENCH_DATABASE}_demo"
    args = ("load_demo", "--only", only) if only else ("load_demo",)
    # load_demo --only keeps Heemstede and Haarlem besides the codes given (the demo accounts need them).
    size = str(len({*only.split(","), "GM0397", "GM0392"})) if only else "32"
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        env = {"PORTAL_DATA_DIR": folder}
        baseline = Timing(
            "opstart van een commando (manage.py check)",
            "-",
            [manage(template, "check", env=env) for _ in range(max(3, repeat))],
        )
        first: list[float] = []
        again: list[float] = []
        for _ in range(repeat):
            database_from_template(database, template=template, fresh=True)
            first.append(manage(database, *args, env=env, show=True))
            again += [manage(database, *args, env=env) for _ in range(2)]
    return table(
        "De demoregio laden (manage.py load_demo)",
        [
            baseline,
            Timing("load_demo in een lege database (alleen gedeeld schema)", size, first, baseline),
            Timing("load_demo nogmaals (verandert niets)", size, again, baseline),
        ],
        unit="s",
    )
