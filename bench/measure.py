"""The measurements: warm copies interleaved across engines, cold processes, batches.

Every figure is a median over rounds, and rounds interleave the engines (A B C … then
B C … A) so that a noisy moment on the machine lands on all of them, not on one.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.content import ROOT, SLUG, TOPIC_FILE, patient

OUT = Path(__file__).resolve().parent / "out"


@dataclass
class Figures:
    """What the run learned about one engine."""

    name: str
    warm_ms: list[float] = field(default_factory=list)
    cold_s: list[float] = field(default_factory=list)
    cold_cpu_s: list[float] = field(default_factory=list)
    cold_peak_mb: list[float] = field(default_factory=list)
    warm_peak_mb: float = 0.0
    pdf_bytes: int = 0
    pages: int = 0

    @property
    def warm(self) -> float:
        return statistics.median(self.warm_ms)

    @property
    def cold(self) -> float | None:
        return statistics.median(self.cold_s) if self.cold_s else None


class Worker:
    """An engine warm in its own process (see bench/worker.py)."""

    def __init__(self, name: str, code: Path = ROOT) -> None:
        """Start engine ``name``; ``code`` is the folder ``handouts`` is imported from."""
        self.name = name
        self.process = subprocess.Popen([sys.executable, "-m", "bench.worker", name], cwd=code, text=True,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)},
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.ask(None)  # "ready": the engine is set up

    def ask(self, command: str | None) -> str:
        assert self.process.stdin and self.process.stdout
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError(f"the {self.name} worker died (see its error above)")
        return reply

    def close(self) -> float:
        """Stop the worker; return its peak memory (MB)."""
        assert self.process.stdin
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss / 1024


def warm(names: list[str], rounds: int, copies: int, say=print) -> dict[str, Figures]:
    """Median ms per tailored copy, each round a new set of patients for every engine."""
    from pypdf import PdfReader

    OUT.mkdir(exist_ok=True)
    figures = {name: Figures(name) for name in names}
    workers = {}
    for name in names:
        workers[name] = Worker(name)
        sample = OUT / f"{name}.pdf"
        figures[name].pdf_bytes = int(workers[name].ask(f"sample {sample}"))
        figures[name].pages = len(PdfReader(sample).pages)
        workers[name].ask(f"run {min(copies, 10)} 1500")  # warm-up: caches, lazy imports
    for round_ in range(rounds):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            seconds = float(workers[name].ask(f"run {copies} {round_ * copies}").split()[0])
            figures[name].warm_ms.append(seconds / copies * 1000)
        say(f"  warm round {round_ + 1}/{rounds}: " + ", ".join(
            f"{name} {figures[name].warm_ms[-1]:.1f} ms" for name in names))
    for name, worker in workers.items():
        figures[name].warm_peak_mb = worker.close()
    return figures


LIBRARIES = ("click", "rich.console", "rich.table", "pydantic", "jinja2.sandbox", "yaml", "pypdf", "reportlab.platypus")
"""What this project's build imports besides itself: the floor under its cold start."""


@dataclass
class Cold:
    """The cold runs besides the engines': the literal command and the libraries alone."""

    literal: Figures = field(default_factory=lambda: Figures("build.py build, literal"))
    libraries: Figures = field(default_factory=lambda: Figures("the libraries, imported"))


def cold(figures: dict[str, Figures], runs: int, say=print) -> Cold:
    """Whole-process seconds, CPU seconds and peak MB for one handout, per engine; interleaved.

    This project's figure is its real command, ``build.py build diet-vitamin-d``, with
    nothing up to date and a content folder holding only the English topic so it builds one
    handout like the others. Also timed in each round: the literal command (which builds the
    Spanish translation too) and a process that only imports the libraries the build uses.
    """
    scratch = Path(tempfile.mkdtemp(prefix="handouts-bench-cold-"))
    (scratch / "content").mkdir()
    shutil.copy(TOPIC_FILE, scratch / "content")
    extra = Cold()
    try:
        for round_ in range(runs):
            for name, entry in figures.items():
                if name == "handouts+write":
                    continue
                out = scratch / f"{name}-{round_}"  # a new folder: an up-to-date PDF would be skipped
                command = ([sys.executable, "build.py", "build", SLUG, "--content", str(scratch / "content"), "--out", str(out)]
                           if name == "handouts" else [sys.executable, "-m", "bench.cold", name, str(out) + ".pdf"])
                _record(entry, run_process(command))
            _record(extra.literal, run_process([sys.executable, "build.py", "build", SLUG, "--out", str(scratch / f"both-{round_}")]))
            _record(extra.libraries, run_process([sys.executable, "-c", f"import {', '.join(LIBRARIES)}"]))
            say(f"  cold round {round_ + 1}/{runs}, CPU s: " + ", ".join(
                f"{name} {entry.cold_cpu_s[-1]:.3f}" for name, entry in figures.items() if entry.cold_cpu_s))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return extra


def _record(entry: Figures, measured: tuple[float, float, float]) -> None:
    seconds, peak, cpu = measured
    entry.cold_s.append(seconds)
    entry.cold_peak_mb.append(peak)
    entry.cold_cpu_s.append(cpu)


def paired(values: list[float], bases: list[float]) -> float:
    """The median of the ratios round by round: a noisy moment lands on both sides of a pair."""
    return statistics.median(value / base for value, base in zip(values, bases))


def run_process(command: list[str]) -> tuple[float, float, float]:
    """Run ``command`` from the project root; return (wall seconds, peak MB, CPU seconds)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _spin(count: int) -> int:
    total = 0
    for number in range(count):
        total += number
    return total


def parallel_speedup(count: int = 5_000_000) -> float:
    """How much faster ``cpu_count`` processes do pure-Python work than one, on this machine.

    A virtual machine may report cores that do not run at the same time; this says so.
    """
    import multiprocessing

    jobs = os.cpu_count() or 1
    started = time.perf_counter()
    for _ in range(jobs):
        _spin(count)
    alone = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_spin, [1] * jobs)
        started = time.perf_counter()
        pool.map(_spin, [count] * jobs)
        together = time.perf_counter() - started
    return alone / together


PACKET = (SLUG, "quit-smoking", "preventing-falls")
"""The topics of a three-topic packet."""


@dataclass(frozen=True)
class Rate:
    """A batch run: files per second (wall clock) and CPU ms per file (all its processes)."""

    per_second: float
    cpu_ms: float


def batch(name: str, jobs: int, count: int, topics: tuple[str, ...] = (SLUG,)) -> Rate:
    """``count`` files with ``jobs`` processes, whole process timed.

    This project's figure is its own command, ``build.py batch patients.csv --jobs N``, with a
    row a patient and ``topics`` as each packet; the other engines run in ``bench/batch.py``'s
    pool, one copy of the benchmark topic a file.
    """
    out = Path(tempfile.mkdtemp(prefix="handouts-bench-batch-"))
    try:
        if name == "handouts":
            rows = "".join(f"{patient(index)} {index:04d},{';'.join(topics)}\n" for index in range(count))
            (out / "patients.csv").write_text("name,topics\n" + rows, encoding="utf-8")
            command = [sys.executable, "build.py", "batch", str(out / "patients.csv"), "--jobs", str(jobs), "--out", str(out)]
        else:
            command = [sys.executable, "-m", "bench.batch", name, str(jobs), str(count), str(out)]
        seconds, _, cpu = run_process(command)
        written = len(list(out.glob("*.pdf")))
        if written != count:
            raise RuntimeError(f"the {name} batch wrote {written} of {count} files")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return Rate(count / seconds, cpu / count * 1000)
