"""Where a worker pool starts to pay: ``python -m bench.pool [--counts 2 4 8 …] [--runs N]``.

Builds N handouts (the shipped topics, copied under new names until there are N) through the
real command, ``build.py build --jobs 1`` against ``--jobs <cores>`` with the pool forced on
for any N, fresh processes, A and B in turn; prints the median wall and CPU seconds of each
and their ratio. ``handouts.runner.POOL_FROM`` is set from where the pool's wall time drops
below one process's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.content import ROOT
from bench.measure import run_process

FORCED = "import sys, handouts.runner as r; r.POOL_FROM = 1; from handouts.cli import main; sys.argv[0] = 'build.py'; main()"
"""The real command with the pool allowed for any number of files."""


def content(count: int, into: Path) -> Path:
    """A content folder of ``count`` topics, the shipped English ones over and over."""
    folder = into / f"content-{count}"
    folder.mkdir()
    shipped = sorted(path for path in (ROOT / "content").glob("*.yaml") if path.name.count(".") == 1)
    for index in range(count):
        source = shipped[index % len(shipped)]
        shutil.copy(source, folder / f"{source.stem}-{index:03d}.yaml")
    return folder


def measure(count: int, runs: int, scratch: Path) -> dict[str, tuple[float, float]]:
    """(median wall s, median CPU s) of building ``count`` handouts in one process and in a pool."""
    folder = content(count, scratch)
    jobs = str(os.cpu_count() or 1)
    commands = {
        "1 process": [sys.executable, "build.py", "build", "--jobs", "1"],
        f"pool of {jobs}": [sys.executable, "-c", FORCED, "build", "--jobs", jobs],
    }
    figures: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for run in range(runs):
        for label in (list(commands) if run % 2 == 0 else list(reversed(commands))):
            out = scratch / f"out-{count}-{run}-{label[0]}"
            wall, _, cpu = run_process([*commands[label], "--content", str(folder), "--out", str(out)])
            figures[label].append((wall, cpu))
    return {label: (statistics.median(w for w, _ in rows), statistics.median(c for _, c in rows))
            for label, rows in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pool", description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[2, 4, 6, 8, 12, 16, 24])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| handouts | 1 process: wall s, CPU s | pool: wall s, CPU s | pool wall / 1 process |")
    print("|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory(prefix="handouts-bench-pool-") as scratch:
        for count in args.counts:
            (one_wall, one_cpu), (pool_wall, pool_cpu) = measure(count, args.runs, Path(scratch)).values()
            print(f"| {count} | {one_wall:.2f}, {one_cpu:.2f} | {pool_wall:.2f}, {pool_cpu:.2f} | "
                  f"{pool_wall / one_wall:.2f} |", flush=True)


if __name__ == "__main__":
    main()
