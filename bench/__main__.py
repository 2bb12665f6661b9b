"""Run the benchmarks and print their tables: `make bench`, or `make bench BENCH_ARGS="http migrate"`.

Runs on databases of its own (bench_portal and bench_portal_*) on the same servers as `make run`.
Each part's table puts every figure beside a baseline measured in the same run, says how long the
part took and what the machine's load was. --quick runs tiny sizes (the smoke test uses it) and
does not replace bench/results/latest.txt.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.common import load_average, use_bench_database

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = ["alignment", "board", "http", "gemeente", "migrate", "demo"]


def machine() -> str:
    model, mhz = "onbekende processor", ""
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name") and model == "onbekende processor":
                model = line.split(":", 1)[1].strip()
            elif line.startswith("cpu MHz") and not mhz:
                mhz = f" {float(line.split(':', 1)[1]) / 1000:.1f} GHz"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()} · {model}{mhz} ({platform.machine()}) · {os.cpu_count()} cores · {memory:.1f} GiB · "
        f"Python {platform.python_version()} · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def parts(args: argparse.Namespace) -> dict[str, Callable[[], str]]:
    """Each part by name, with the sizes of a full run or of --quick."""
    quick = args.quick
    only = "GM0397" if quick else None  # the demo region: Heemstede and Haarlem only, or all 32

    def alignment() -> str:
        from bench import alignment

        return alignment.run(repeat=3 if quick else args.repeat, generated=20 if quick else 1000, only=only)

    def board() -> str:
        from bench import board

        return board.run(repeat=5 if quick else args.repeat * 10, boards=5 if quick else 300, only=only)

    def http() -> str:
        from bench import throughput

        return throughput.run(
            seconds=1 if quick else args.seconds,
            concurrency=2 if quick else args.concurrency,
            national=not quick,
            only=only,
            # The portal's own setting (0 since this benchmark found that 60 s leaks connections under
            # ASGI, see the README). `throughput.run(conn_max_ages=(None, "60"))` repeats that comparison.
            conn_max_ages=(None,),
        )

    def gemeente() -> str:
        from bench import municipality

        return municipality.run(repeat=1 if quick else 5)

    def migrate() -> str:
        from bench import migrate

        return migrate.run(sizes=[2] if quick else [50, 342], fresh=args.fresh, repeat=1 if quick else 2)

    def demo() -> str:
        from bench import demo

        return demo.run(repeat=1 if quick else 2, only=only)

    return {
        "alignment": alignment,
        "board": board,
        "http": http,
        "gemeente": gemeente,
        "migrate": migrate,
        "demo": demo,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("which", nargs="*", metavar="part", help=f"parts to run (default: all): {', '.join(PARTS)}")
    parser.add_argument("--fresh", action="store_true", help="start from empty benchmark databases")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test; keeps latest.txt")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per HTTP target")
    parser.add_argument("--concurrency", type=int, default=8, help="simultaneous HTTP clients")
    args = parser.parse_args()
    # Not choices= with nargs="*": argparse then checks the default list as one value and refuses it.
    unknown = [which for which in args.which if which not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    selected = args.which or PARTS
    started = time.monotonic()
    load_at_start = load_average()
    use_bench_database(fresh=args.fresh)
    runners = parts(args)
    outputs, failed = [], []
    for which in selected:
        print(f"[bench] {which} …", file=sys.stderr, flush=True)
        part_started, part_load = time.monotonic(), load_average()
        try:
            text = runners[which]()
        except Exception:  # noqa: BLE001 (one failing part must not cost the tables of the others)
            traceback.print_exc()
            failed.append(which)
            text = f"!!! DEEL '{which}' MISLUKT: zie de foutmelding hierboven; geen cijfers !!!"
        if "!!!" in text and which not in failed:
            failed.append(which)  # failed requests or a figure it could not take: said in its table
        minutes, seconds = divmod(time.monotonic() - part_started, 60)
        outputs.append(
            f"{text}\n(deel '{which}': {int(minutes)} min {seconds:.0f} s; bij de start {part_load}, "
            f"aan het eind {load_average()})"
        )
        # Each table as soon as its part is done: an interrupted run keeps what it measured.
        print("\n" + outputs[-1] + "\n", flush=True)
    minutes, seconds = divmod(time.monotonic() - started, 60)
    header = (
        f"Gemeten op: {machine()}\n"
        f"Hele run ({' '.join(selected)}{', --quick' if args.quick else ''}): {int(minutes)} min {seconds:.0f} s; "
        f"bij de start {load_at_start}, aan het eind {load_average()}.\n"
        "Andere processen deelden de cores: vergelijk vooral de verhoudingen tot de baseline in dezelfde tabel."
    )
    report = header + "\n\n" + "\n\n".join(outputs) + "\n"
    print(header)
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.txt").write_text(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
