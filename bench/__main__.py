"""Run the benchmarks and print their tables: `make bench` (or `python -m bench alignment`).

Runs on a database of its own (bench_portal) on the same servers as `make run`.
"""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.common import use_bench_database

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    import os

    return (
        f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("which", nargs="*", default=["alignment", "board"], choices=["alignment", "board"])
    parser.add_argument("--fresh", action="store_true", help="start from an empty benchmark database")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    use_bench_database(fresh=args.fresh)
    outputs = []
    for which in args.which:
        if which == "alignment":
            from bench import alignment

            outputs.append(alignment.run(repeat=args.repeat))
        elif which == "board":
            from bench import board

            outputs.append(board.run(repeat=args.repeat * 10))
    report = "\n\n".join(outputs) + f"\n\nGemeten op: {machine()}\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.txt").write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
