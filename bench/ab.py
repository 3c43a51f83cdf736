"""Before and after: ``bench/.venv/bin/python -m bench.ab REV`` times this working
tree's pipeline against the one at git revision ``REV``, interleaved in one run, and checks that
both give byte-identical PDFs for every shipped handout. It compares CPU time (both sides run
the same engine in one thread), which other work on a shared machine disturbs far less than
wall-clock time. ``--cold N`` also times N fresh ``build.py build`` processes on each side,
alternating, for a change to start-up.

The old ``handouts`` package is exported with ``git archive`` into a temporary folder and
imported from there; content, templates and this benchmark come from the working tree, so
both sides build the same inputs.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench.content import SLUG, TOPIC_FILE
from bench.measure import ROOT, Worker, run_process


def export(revision: str, into: Path) -> Path:
    """The ``handouts`` package and ``build.py`` as they were at ``revision``, under ``into``."""
    archive = subprocess.run(["git", "archive", revision, "handouts", "build.py"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def fingerprint(code: Path) -> str:
    """The digest line of ``bench.fingerprint`` with ``handouts`` imported from ``code``."""
    result = subprocess.run([sys.executable, "-m", "bench.fingerprint"], cwd=code, check=True, text=True,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return result.stdout.strip().splitlines()[-1]


def cold(sides: dict[str, Path], runs: int, scratch: Path) -> dict[str, list[float]]:
    """CPU seconds of ``build.py build`` (one topic) from each side's code, alternating."""
    (scratch / "content").mkdir()
    shutil.copy(TOPIC_FILE, scratch / "content")
    seconds: dict[str, list[float]] = {label: [] for label in sides}
    for run in range(runs):
        for label in (list(sides) if run % 2 == 0 else list(reversed(sides))):
            command = [sys.executable, str(sides[label] / "build.py"), "build", SLUG, "--content", str(scratch / "content"),
                       "--templates", str(ROOT / "templates"), "--clinic", str(ROOT / "clinic.yaml"),
                       "--out", str(scratch / f"out-{label[:4]}-{run}")]  # new: an up-to-date PDF is skipped
            seconds[label].append(run_process(command)[2])
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("revision", help="git revision to compare with, e.g. HEAD or HEAD~1")
    parser.add_argument("--engine", default="handouts", help="engine to time (default handouts)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--cold", type=int, default=0, metavar="N", help="also time N cold builds on each side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handouts-ab-") as scratch:
        sides = {args.revision: export(args.revision, Path(scratch) / "old"), "working tree": ROOT}
        if args.cold:
            for label, seconds in cold(sides, args.cold, Path(scratch)).items():
                print(f"{label:>14}: cold build {statistics.median(seconds):.3f} CPU s (median of {len(seconds)})")
        digests = {label: fingerprint(code) for label, code in sides.items()}
        workers = {label: Worker(args.engine, code) for label, code in sides.items()}
        times: dict[str, list[float]] = {label: [] for label in sides}
        for worker in workers.values():
            worker.ask(f"run {min(args.copies, 10)} 1500")
        for round_ in range(args.rounds):
            labels = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for label in labels:
                cpu = float(workers[label].ask(f"run {args.copies} {round_ * args.copies}").split()[1])
                times[label].append(cpu / args.copies * 1000)
        for worker in workers.values():
            worker.close()
    before, after = (statistics.median(times[label]) for label in sides)
    for label in sides:
        print(f"{label:>14}: {statistics.median(times[label]):6.2f} CPU ms/handout (rounds: "
              f"{' '.join(f'{t:.1f}' for t in times[label])})")
    paired = statistics.median(b - a for a, b in zip(*times.values()))
    print(f"{'change':>14}: {after - before:+6.2f} ms ({before / after:.2f}× as fast); "
          f"median of the paired rounds {paired:+.2f} ms")
    same = len(set(digests.values())) == 1
    print(f"{'output':>14}: {'byte-identical' if same else 'DIFFERENT'} — {digests['working tree']}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
