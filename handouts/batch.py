"""Patient packets: one PDF a row of a batch file, the patient's handouts drawn as one document.

Each handout of a packet is laid out exactly as a single one (tailored with the row's name and
other columns, in its language and print size); the pages follow the row's topic order, each
topic gets a bookmark and is a ``Part`` of the packet's structure tree, and the fonts are
embedded once for the whole packet (see :mod:`.draw`).

:func:`batch` is the library entry point; the command line is a thin layer over it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .draw import Metadata, draw_packet
from .layout import PAPERS
from .manifest import digest
from .patients import BadRow, Row, read_rows
from .pipeline import LaidOut, Options, Project, TopicFile, discover, lay_out, legibility_warnings
from .runner import Result, run
from .tailor import Patient
from .variants import ENGLISH, in_language, options_key
from .verify import Expected, verify_pdf


@dataclass(frozen=True)
class Packet:
    """A built packet: its PDF and what the summary and manifest show."""

    data: bytes
    pages: int
    body_size: float
    warnings: list[str]


@dataclass(frozen=True)
class PacketTask:
    """One row's packet to make (see :mod:`runner`): its topic files, chosen for its language."""

    row: Row
    topic_files: tuple[TopicFile, ...]
    options: Options
    notes: tuple[str, ...] = ()

    @property
    def output(self) -> str:
        return self.row.output

    @property
    def label(self) -> str:
        return f"line {self.row.line}"

    def inputs(self, project: Project) -> str:
        return digest(project.fingerprint, *(f.path for f in self.topic_files), options_key(self.options), self.row.language)

    def make(self, project: Project) -> Packet:
        return make_packet(project, self.topic_files, self.options, self.row.language)


def make_packet(project: Project, topic_files: Sequence[TopicFile], options: Options, language: str) -> Packet:
    """The packet of ``topic_files``, in that order, built in memory (the page calls this too)."""
    handouts = [lay_out(project, topic_file, options) for topic_file in topic_files]
    return Packet(
        data=packet_pdf(project, handouts, language, options),
        pages=sum(handout.part.fitted.pages for handout in handouts),
        body_size=min(handout.part.fitted.scale.body for handout in handouts),
        warnings=[warning for handout in handouts for warning in legibility_warnings(handout.part.fitted.scale.body)],
    )


def packet_pdf(project: Project, handouts: list[LaidOut], language: str, options: Options) -> bytes:
    """The handouts as one tagged PDF with a bookmark each, checked like a single handout."""
    title = project.labels.for_language(language).packet_title(project.clinic.name)
    meta = Metadata(title=title, author=project.clinic.name, subject="; ".join(h.part.meta.title for h in handouts),
                    keywords=["patient handouts"], lang=language, creator=f"handouts {__version__}",
                    created=options.date or max(handout.topic.reviewed for handout in handouts))
    data = draw_packet([handout.part for handout in handouts], options.paper, handouts[0].theme, project.family, meta)
    pages = sum(handout.part.fitted.pages for handout in handouts)
    verify_pdf(data, Expected(pages, PAPERS[options.paper], title, (project.clinic.phone,)))
    return data


@dataclass(frozen=True)
class BatchReport:
    """What a batch run did: a result per good row, in file order, and the bad rows."""

    results: list[Result]
    bad_rows: list[BadRow]


def batch(patients: Path, project: Project, content: Path, out: Path, options: Options = Options(), *,
          jobs: int = 1, force: bool = False, on_start: Callable[[int], None] = lambda total: None,
          on_result: Callable[[Result], None] = lambda result: None) -> BatchReport:
    """Build a packet for every good row of the ``patients`` CSV into ``out``.

    ``options`` holds what every row shares (paper, grayscale, date); each row adds its
    patient, language and print size. Bad rows are reported, their old packets removed.
    """
    topic_files = discover(content)
    languages = {file.language or ENGLISH for file in topic_files} | set(project.labels.root)
    rows, bad_rows = read_rows(patients, {file.slug for file in topic_files}, languages)
    tasks = [packet_task(row, topic_files, options) for row in rows]
    withdrawn = tuple(bad.output for bad in bad_rows if bad.output)
    results = run(project, tasks, out, jobs=jobs, force=force, withdrawn=withdrawn, on_start=on_start,
                  on_result=on_result)
    return BatchReport(results, bad_rows)


def packet_task(row: Row, topic_files: list[TopicFile], options: Options) -> PacketTask:
    """The task for ``row``: its topics in its language (or English, with a note), in row order."""
    chosen = [in_language([f for f in topic_files if f.slug == slug], row.language)[0] for slug in row.topics]
    row_options = dataclasses.replace(options, patient=Patient(row.name, row.fields), large_print=row.large_print)
    return PacketTask(row, tuple(file for file, _ in chosen), row_options, tuple(n for _, notes in chosen for n in notes))
