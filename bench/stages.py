"""Where a warm build's time goes, stage by stage, and how many layout passes the fit takes.

The stage functions are wrapped where ``handouts.pipeline`` (and the fit, inside
``handouts.layout``) looks them up, so the real ``build_handout`` runs unchanged and each
stage is charged only its own time (a stage called inside another is not counted twice).
Anything a future pipeline no longer calls by these names simply drops out of the table.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.content import CLINIC_FILE, ROOT, SLUG, patient

STAGES = [  # (module, function, stage)
    ("handouts.pipeline", "load_yaml", "load (YAML with line numbers)"),
    ("handouts.pipeline", "validate", "validate (pydantic)"),
    ("handouts.tailor", "validate", "validate (pydantic)"),
    ("handouts.pipeline", "tailor", "tailor (clinic, patient)"),
    ("handouts.pipeline", "missing_characters", "font coverage check"),
    ("handouts.pipeline", "render_page", "render template (Jinja2)"),
    ("handouts.pipeline", "parse_page", "parse XHTML"),
    ("handouts.layout", "to_blocks", "layout: styles and flowables"),
    ("handouts.layout", "_measure", "layout: measure (wrap)"),
    ("handouts.layout", "paginate", "fit: page breaks"),
    ("handouts.pipeline", "fit_to_page", "fit loop (choosing the size)"),
    ("handouts.pipeline", "draw_handout", "draw (ReportLab, tagged)"),
    ("handouts.tagging.canvas", "write_tree", "tagging: write the structure tree"),
    ("handouts.pipeline", "verify_pdf", "verify (pypdf)"),
    ("handouts.verify", "tagging_problems", "tagging: check nothing is left untagged"),
    ("handouts.pipeline", "readability", "reading grade (textstat)"),
    ("handouts.pipeline", "build_handout", "pipeline glue"),
]
WRITE = "write (atomic, fsync)"


@dataclass
class Profile:
    stages: dict[str, float]  # stage -> mean ms per handout, own time only
    total_ms: float
    passes: int
    per_pass_ms: float


class _Clock:
    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[float] = []

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            self.stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.own[stage] += elapsed - self.stack.pop()
                self.calls[stage] += 1
                if self.stack:
                    self.stack[-1] += elapsed
        return timed


@contextmanager
def _instrumented(clock: _Clock) -> Iterator[None]:
    saved = []
    for module_name, name, stage in STAGES:
        module = importlib.import_module(module_name)
        if hasattr(module, name):
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, clock.wrap(stage, getattr(module, name)))
    try:
        yield
    finally:
        for module, name, function in reversed(saved):
            setattr(module, name, function)


def profile(copies: int = 200) -> Profile:
    """Profile ``copies`` warm builds of the benchmark topic, each for another patient."""
    import tempfile

    from handouts.pipeline import Options, Project, build_handout, discover
    from handouts.tailor import Patient
    from handouts.write import write_atomic

    project = Project.open(ROOT / "templates", CLINIC_FILE)
    topic_file = next(t for t in discover(ROOT / "content", [SLUG]) if t.language is None)
    for index in range(10):
        build_handout(project, topic_file, Options(patient=Patient(name=patient(index))))
    clock = _Clock()
    passes = []
    with tempfile.TemporaryDirectory() as out, _instrumented(clock):
        timed_write = clock.wrap(WRITE, write_atomic)
        started = time.perf_counter()
        for index in range(copies):
            handout = build_handout(project, topic_file, Options(patient=Patient(name=patient(index))))
            timed_write(Path(out) / f"{index}.pdf", handout.data)
            passes.append(handout.passes)
        total = time.perf_counter() - started
    per_pass = (clock.own["layout: styles and flowables"] + clock.own["layout: measure (wrap)"]) / max(1, sum(passes))
    return Profile(stages={stage: seconds / copies * 1000 for stage, seconds in clock.own.items()},
                   total_ms=total / copies * 1000, passes=round(statistics.median(passes)), per_pass_ms=per_pass * 1000)


@dataclass
class Fit:
    name: str
    body: float
    passes: int
    size_kb: float
    ms: float
    large: tuple[float, int, int, float]  # large print: body size, pages, passes, KB


def fits(paper: str = "letter") -> list[Fit]:
    """Every shipped topic: the body size it fits at, the layout passes it took, its size, and
    the same for large print (which may take two pages)."""
    from handouts.pipeline import Options, Project, build_handout, discover
    from handouts.tailor import Patient

    project = Project.open(ROOT / "templates", CLINIC_FILE)
    rows = []
    for topic_file in discover(ROOT / "content"):
        options = Options(paper=paper, patient=Patient(name="Bartholomew Featherstonehaugh"))
        build_handout(project, topic_file, options)
        started = time.perf_counter()
        handout = build_handout(project, topic_file, options)
        elapsed = (time.perf_counter() - started) * 1000
        large = build_handout(project, topic_file, Options(paper=paper, large_print=True))
        rows.append(Fit(topic_file.output_name, handout.body_size, handout.passes, len(handout.data) / 1024, elapsed,
                        (large.body_size, large.pages, large.passes, len(large.data) / 1024)))
    return rows


@dataclass
class TaggingCost:
    """Drawing the benchmark handout with and without tags: ms per handout and PDF KB."""

    tagged_ms: float
    untagged_ms: float
    tagged_kb: float
    untagged_kb: float


def tagging_cost(copies: int = 200) -> TaggingCost:
    """Draw the laid-out benchmark handout ``copies`` times with the tagging canvas and as many
    with ReportLab's plain canvas (on which the same flowables draw untagged), interleaved."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts import draw
    from handouts.pipeline import Options, Project, discover, lay_out
    from handouts.tailor import Patient

    project = Project.open(ROOT / "templates", CLINIC_FILE)
    topic_file = next(t for t in discover(ROOT / "content", [SLUG]) if t.language is None)
    laid = lay_out(project, topic_file, Options(patient=Patient(name=patient(0))))
    makers = {True: draw._tagging_canvas, False: lambda meta, *, outline: Canvas}
    seconds: dict[bool, list[float]] = {True: [], False: []}
    sizes: dict[bool, int] = {}
    try:
        for _ in range(copies):
            for tagged, maker in makers.items():
                draw._tagging_canvas = maker
                started = time.perf_counter()
                sizes[tagged] = len(draw.draw_handout(laid.part, "letter", laid.theme, project.family))
                seconds[tagged].append(time.perf_counter() - started)
    finally:
        draw._tagging_canvas = makers[True]
    ms = {tagged: statistics.median(values) * 1000 for tagged, values in seconds.items()}
    return TaggingCost(ms[True], ms[False], sizes[True] / 1024, sizes[False] / 1024)
