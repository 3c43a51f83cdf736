"""``python -m bench.web``: the clinic's page under load, on this computer only.

Starts ``build.py serve`` (waitress, as a clinic runs it) on 127.0.0.1 at a free port, then:

- **20 users at once**, each with its own connection, cookie and CSRF token, download a
  handout (or a three-topic packet) for a different patient, a bounded number of times
  each; latency p50/p95 and requests per second over the whole run;
- **one user** downloading one handout after another: a warm request, compared with a warm
  build of the same handout in this process (``build_handout``, no server).

Every PDF is checked afterwards (not while timing): it opens with pypdf, has the expected
pages and carries its own patient's name. The report is printed and saved to
``bench/out/web.md``; README.md's "Using the page" quotes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from pypdf import PdfReader

from bench.content import CLINIC_FILE, ROOT, SLUG, TOPIC_FILE, patient
from bench.measure import OUT
from tests.web_support import Visitor

PACKET = ("quit-smoking", "preventing-falls", "diet-vitamin-d")
STARTUP_S = 60
"""Longest wait for the server to say where it listens."""


@dataclass
class Run:
    """One load scenario: what each request returned and how long it took."""

    label: str
    users: int
    topics: tuple[str, ...]
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    answers: list[tuple[str, int, bytes]] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    args = _arguments()
    handout, packet = Run("one handout", args.users, (SLUG,)), Run("three-topic packet", args.users, PACKET)
    single, builds = Run("one user, one handout", 1, (SLUG,)), []
    with _server() as port:
        _load(port, Run("warm-up", 2, (SLUG,)), 5)
        for _ in range(args.rounds):  # interleaved, so a busy moment of the machine lands on all of them
            _load(port, single, args.single)
            builds += _warm_builds(args.single)
            _load(port, handout, args.requests)
            _load(port, packet, args.requests)
    problems = [problem for run in (handout, packet, single) for problem in _check(run)]
    report = _report([handout, packet], single, statistics.median(builds), problems)
    OUT.mkdir(exist_ok=True)
    (OUT / "web.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    sys.exit(1 if problems else 0)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="users at once (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--requests", type=int, default=4, help="downloads per user and round (default 4)")
    parser.add_argument("--single", type=int, default=15, help="one-user downloads and in-process builds per round (default 15)")
    return parser.parse_args()


class _server:
    """``build.py serve --port 0`` in its own process; yields the port it listens on."""

    def __enter__(self) -> int:
        self.process = subprocess.Popen([sys.executable, "build.py", "serve", "--port", "0"], cwd=ROOT, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        found: list[int] = []
        reader = threading.Thread(target=lambda: found.append(_port(self.process)), daemon=True)
        reader.start()
        reader.join(STARTUP_S)
        if not found or not found[0]:
            self.process.kill()
            raise SystemExit("the server did not start")
        return found[0]

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _port(process: subprocess.Popen[str]) -> int:
    assert process.stdout is not None
    line = process.stdout.readline()
    return int(line.split("http://127.0.0.1:")[1].split()[0]) if "http://127.0.0.1:" in line else 0


def _load(port: int, run: Run, requests: int) -> Run:
    """``run.users`` threads, each opening the page and downloading ``requests`` PDFs."""
    visitors = [Visitor(port) for _ in range(run.users)]
    for visitor in visitors:
        visitor.open_page()
    lock, names = threading.Lock(), itertools.count(len(run.answers))

    def user(number: int) -> None:
        for _ in range(requests):
            with lock:
                name = patient(next(names))
            fields = [*(("topic", slug) for slug in run.topics), ("name", name)]
            started = time.perf_counter()
            status, _, data = visitors[number].post("/download", fields)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                run.latencies_ms.append(elapsed)
                run.answers.append((name, status, data))

    threads = [threading.Thread(target=user, args=(number,)) for number in range(run.users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds += time.perf_counter() - started
    for visitor in visitors:
        visitor.close()
    return run


def _warm_builds(copies: int) -> list[float]:
    """Milliseconds to build the same handout in this process, each copy for another patient."""
    from handouts.pipeline import Options, Project, TopicFile, build_handout
    from handouts.tailor import Patient

    project = Project.open(ROOT / "templates", CLINIC_FILE)
    topic_file = TopicFile(TOPIC_FILE, SLUG, None)
    times = []
    for copy in range(copies + 5):
        started = time.perf_counter()
        build_handout(project, topic_file, Options(patient=Patient(patient(copy))))
        times.append((time.perf_counter() - started) * 1000)
    return times[5:]


def warm_request(rounds: int = 3, copies: int = 15) -> tuple[float, float]:
    """One user downloading one handout after another from a fresh server, and warm builds
    of it in this process, in turn: the medians (ms) of the requests and of the builds."""
    single, builds = Run("one user, one handout", 1, (SLUG,)), []
    with _server() as port:
        _load(port, Run("warm-up", 1, (SLUG,)), 5)
        for _ in range(rounds):
            _load(port, single, copies)
            builds += _warm_builds(copies)
    problems = _check(single)
    if problems:
        raise RuntimeError("; ".join(problems))
    return statistics.median(single.latencies_ms), statistics.median(builds)


def _check(run: Run) -> list[str]:
    """Every answer a PDF with the run's pages and its own patient's name; what is wrong, if not."""
    problems = []
    for name, status, data in run.answers:
        if status != 200 or not data.startswith(b"%PDF-"):
            problems.append(f"{run.label}: status {status}")
            continue
        reader = PdfReader(io.BytesIO(data))
        text = " ".join(page.extract_text() for page in reader.pages)
        if len(reader.pages) != len(run.topics) or name not in " ".join(text.split()):
            problems.append(f"{run.label}: a PDF without its patient's name or with {len(reader.pages)} pages")
    return problems


def _report(runs: list[Run], single: Run, build_ms: float, problems: list[str]) -> str:
    request_ms = statistics.median(single.latencies_ms)
    rows = [f"| {run.label} | {run.users} | {len(run.answers)} | {run.percentile(0.5):.0f} | {run.percentile(0.95):.0f} "
            f"| {len(run.answers) / run.seconds:.0f} | {'yes' if not _check(run) else 'NO'} |" for run in runs]
    return "\n".join([
        f"# The page under load ({dt.date.today().isoformat()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()})",
        "",
        "| download | users at once | requests | p50 ms | p95 ms | requests/s | every PDF right |",
        "|---|--:|--:|--:|--:|--:|---|",
        *rows,
        "",
        f"One user, one handout after another: a warm request takes {request_ms:.1f} ms (median of {len(single.answers)}); "
        f"a warm build of the same handout in this process takes {build_ms:.1f} ms: "
        f"{request_ms / build_ms:.2f}× the build time (goal: at most 2×).",
        *(["", "Problems:", *(f"- {problem}" for problem in problems)] if problems else []),
    ])


if __name__ == "__main__":
    main()
