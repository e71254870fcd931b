"""Run the benchmarks: ``python -m benchmarks [NAME ...] [--quick]``.

Every ``benchmarks/bench_<name>.py`` module is discovered; it exposes
``run(quick: bool) -> BenchResult`` and measures its subject against a baseline
in the same run, so results stay comparable across machines. Results go to
``benchmarks/results/<name>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path

from benchmarks.report import write

HERE = Path(__file__).resolve().parent
QUICK_RESULTS = Path(tempfile.gettempdir()) / "benchmarks-quick"


def discover() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    available = discover()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(available)})")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run (results go to a tmp dir)")
    parser.add_argument("--results", type=Path, default=None, help="default: benchmarks/results")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(available)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; available: {available}")
    failed = []
    for name in args.names or available:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name}", file=sys.stderr, flush=True)
        result = module.run(quick=args.quick)
        json_path, _ = write(result, args.results or (QUICK_RESULTS if args.quick else HERE / "results"))
        print(result.markdown())
        print(f"-> {json_path}", file=sys.stderr)
        if not result.passed:
            failed.append(name)
    if failed:
        print(f"targets missed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
