"""Batch throughput of the other engines: ``python -m bench.batch <engine> <jobs> <count> <out>``.

Builds ``count`` tailored copies (each for another patient) into ``out``, in one process for
``jobs`` 1 or in a pool of ``jobs`` processes, each of which sets its engine up once, and
writes them with a plain ``write_bytes``. The controller times the whole process. (This
project's batch figure comes from its own ``batch`` command; see ``measure.batch``.)
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path
from typing import Any

from bench.content import SLUG, patient
from bench.engines import Engine, create

_worker: dict[str, Any] = {}
"""This process's engine and output folder, set up once by :func:`_setup`."""


def _setup(name: str, out: Path) -> None:
    _worker.update(engine=create(name), out=out)


def _one(index: int) -> int:
    engine: Engine = _worker["engine"]
    data = engine.make(patient(index))
    (_worker["out"] / f"{SLUG}-{index:05d}.pdf").write_bytes(data)
    return len(data)


def run(name: str, jobs: int, count: int, out: Path) -> int:
    """Build the copies; return how many were built."""
    if jobs == 1:
        _setup(name, out)
        return sum(1 for index in range(count) if _one(index))
    chunk = max(1, count // (jobs * 8))
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_setup, initargs=(name, out)) as pool:
        return sum(1 for size in pool.imap_unordered(_one, range(count), chunksize=chunk) if size)


def main() -> None:
    name, jobs, count, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    out.mkdir(parents=True, exist_ok=True)
    built = run(name, jobs, count, out)
    if built != count:
        sys.exit(f"built {built} of {count}")


if __name__ == "__main__":
    main()
