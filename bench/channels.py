"""The ways out beside ``build`` (issue 14): one handout emailed, or downloaded from the
clinic's page, timed against building it.

Emailing a handout builds it with the pipeline, composes the message (text, HTML, the PDF
attached), logs the delivery and hands the message to a backend; here the in-memory one, so
no mail server's speed is in the figure. Each copy goes to another patient at another address
(the log would refuse to send the same handouts twice). Build and email alternate in rounds
in one warm process; the figures are the medians of the rounds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.content import CLINIC_FILE, ROOT, SLUG, patient


@dataclass(frozen=True)
class Channel:
    name: str
    ms: float
    build_ms: float

    @property
    def ratio(self) -> float:
        return self.ms / self.build_ms


def email(rounds: int = 3, copies: int = 50) -> Channel:
    """ms per handout emailed (to memory) and per handout built, warm, in the same rounds."""
    from handouts.email import MemoryBackend, email_handouts
    from handouts.pipeline import Options, Project, build_handout, discover
    from handouts.tailor import Patient

    project = Project.open(ROOT / "templates", CLINIC_FILE)
    topic_file = next(t for t in discover(ROOT / "content", [SLUG]) if t.language is None)
    backend = MemoryBackend()
    numbers = iter(range(10**6))

    def emailed(outbox: Path) -> None:
        number = next(numbers)
        options = Options(patient=Patient(name=patient(number)))
        email_handouts(project, ROOT / "content", [SLUG], f"patient{number}@example.org", options,
                       outbox=outbox, backend=backend)
        backend.outbox.clear()

    def built(outbox: Path) -> None:
        build_handout(project, topic_file, Options(patient=Patient(name=patient(next(numbers)))))

    timed: dict[str, list[float]] = {"email": [], "build": []}
    with tempfile.TemporaryDirectory(prefix="handouts-bench-email-") as folder:
        for warm_up in (emailed, built):
            for _ in range(5):
                warm_up(Path(folder))
        for round_ in range(rounds):
            for name, make in ((("email", emailed), ("build", built)) if round_ % 2 == 0 else
                               (("build", built), ("email", emailed))):
                started = time.perf_counter()
                for _ in range(copies):
                    make(Path(folder))
                timed[name].append((time.perf_counter() - started) / copies * 1000)
    return Channel("email", statistics.median(timed["email"]), statistics.median(timed["build"]))


def web(rounds: int = 3, copies: int = 15) -> Channel:
    """ms per warm request for one handout from ``build.py serve`` and per warm build (see
    :func:`bench.web.warm_request`)."""
    from bench.web import warm_request

    return Channel("web page", *warm_request(rounds, copies))
