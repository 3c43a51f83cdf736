"""What each message carries, made by the pipeline itself: built handouts, or a batch packet.

The PDFs are the pipeline's own bytes (:func:`~handouts.pipeline.build_handout`, or the
packet file ``batch`` wrote and listed in its manifest), so an attachment is byte-identical
to what ``build`` and ``batch`` make. The handouts in the message itself are their HTML and
text versions (:mod:`~handouts.versions`), rendered from the same tailored topic.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..batch import BatchReport, PacketTask
from ..errors import HandoutError
from ..patients import file_stem
from ..pipeline import Options, Project, TopicFile, render_handout
from ..variants import ENGLISH, HandoutTask, output_name, plan
from ..verify import plain
from ..versions import page_fragment, page_text
from .compose import Attachment, Listed, Mail, checked_address
from .deliver import Letter

ADDRESS_COLUMN = "email"


def _listed(project: Project, topic_file: TopicFile, options: Options, file: str, number: int) -> Listed:
    """The ``number``-th handout of a message, in full: rendered as for its PDF, written as HTML
    (whose writer escapes every text) and as text without the clinic's header, which the
    message gives once."""
    page = render_handout(project, topic_file, options)
    html = Markup(page_fragment(page, ids=f"h{number}-"))
    return Listed(plain(page.topic.title), file, html, page_text(page, header=False))


def handouts_mail(project: Project, content: Path, slugs: list[str], to: str, options: Options, *,
                  language: str = ENGLISH) -> tuple[Mail, list[str]]:
    """A message with each of ``slugs`` built for ``options`` and attached under its usual
    name, in ``language`` (a topic without it comes in English); and the notes about that."""
    tasks: list[HandoutTask] = sorted(plan(content, slugs, options, language=language),
                                      key=lambda task: slugs.index(task.topic_file.slug))  # in the order asked
    attachments = tuple(Attachment(task.output, task.make(project).data, (task.output,)) for task in tasks)
    listed = tuple(_listed(project, task.topic_file, task.options, task.output, number)
                   for number, task in enumerate(tasks, 1))
    mail = Mail(checked_address(to), options.patient.name, language, listed, attachments,
                file_stem(options.patient.name), options=options)
    return mail, [note for task in tasks for note in task.notes]


@dataclass(frozen=True)
class Addressed:
    """A batch row whose packet was built and whose address is good: ready to be composed.
    ``sha256`` is the packet's as the batch checked and listed it."""

    task: PacketTask
    to: str
    sha256: str


def addressed_rows(report: BatchReport, patients: Path) -> tuple[list[Addressed], list[HandoutError], int]:
    """The built packets to email, the rows whose address is wrong (by line and column, never
    the address itself), and how many built rows have no address (they are built only)."""
    ready, bad, without = [], [], 0
    for result in report.results:
        task = result.task
        assert isinstance(task, PacketTask)
        address = task.row.fields.get(ADDRESS_COLUMN, "")
        if result.entry is None:
            continue  # not built: its error is already reported
        if not address:
            without += 1
            continue
        try:
            ready.append(Addressed(task, checked_address(address), result.entry.sha256))
        except HandoutError as error:
            bad.append(HandoutError(error.message, file=patients, line=task.row.line, key=ADDRESS_COLUMN))
    return ready, bad, without


def packet_letters(project: Project, rows: list[Addressed], out: Path) -> Iterator[Letter]:
    """A message per row with its packet attached, each made when its turn comes (packets stay
    on disk), so a row whose message cannot be made fails alone."""
    for row in rows:
        yield Letter(row.to, row.task.row.name, row.task.row.line, functools.partial(_packet_mail, project, row, out))


def _packet_mail(project: Project, row: Addressed, out: Path) -> Mail:
    """The row's message, with its packet only if it is still the file the batch built and
    checked. (The folder's lock is not held while the batch is emailed, which can take many
    minutes at the server's pace, blocking every build into the folder; and no lock keeps a
    person or another program from the file. Its digest does.) The errors do not name the
    packet: its name is the patient's."""
    task = row.task
    try:
        data = (out / task.output).read_bytes()
    except OSError as error:
        raise HandoutError(f"its packet can no longer be read ({error.strerror}); build the batch again") from None
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise HandoutError("its packet was changed after the batch built and checked it, so it was not attached; "
                           "build the batch again (it makes the packet anew)")
    names = tuple(output_name(file, task.options) for file in task.topic_files)
    listed = tuple(_listed(project, file, task.options, task.output, number)
                   for number, file in enumerate(task.topic_files, 1))
    return Mail(row.to, task.row.name, task.row.language, listed, (Attachment(task.output, data, names),),
                task.output.removesuffix(".pdf"), line=task.row.line, packet=True, options=task.options)
