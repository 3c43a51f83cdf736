"""Stage 5c, draw: fitted pages as a tagged PDF, one handout or a patient's packet.

Drawing happens once, after the fit has chosen the size. The canvas is the tagging canvas
(:mod:`.tagging`): what a flowable draws becomes content of its element in the structure
tree, and decoration (a box's fill and frame, a rule, "Page 1 of 2") becomes artifacts.

A packet is drawn as one document, each handout on its own pages exactly as it would be
alone: its structure becomes a ``Part`` of the packet's tree (with its language when that
differs from the packet's, as for a topic without a translation) and it gets a bookmark.
Drawing once keeps every handout's structure, shares the font subsets between them, and
costs less than drawing each handout and merging the files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .fonts import FontFamily
from .layout import PAPERS, Fitted, mark_band
from .tagging.structure import Tag
from .theme import Theme


@dataclass(frozen=True)
class Metadata:
    """What a PDF viewer shows about the document; ``lang`` becomes the catalog's /Lang.

    ``created`` is the creation date written into the file: a date, not the clock, so the
    same inputs still give the same bytes.
    """

    title: str
    author: str
    subject: str
    keywords: list[str]
    lang: str
    creator: str
    created: dt.date | None = None


@dataclass(frozen=True)
class Part:
    """One handout ready to draw: its fitted blocks, its metadata, and ``marks[n]``, what
    the foot of its page n says (nothing for a one-page handout)."""

    fitted: Fitted
    meta: Metadata
    marks: tuple[str, ...] = ()


def draw_handout(part: Part, paper: str, theme: Theme, family: FontFamily) -> bytes:
    """One handout as a tagged PDF; the same inputs give the same bytes."""
    return _draw([part], paper, theme, family, part.meta, packet=False)


def draw_packet(parts: list[Part], paper: str, theme: Theme, family: FontFamily, meta: Metadata) -> bytes:
    """Several handouts as one tagged PDF described by ``meta``, each a ``Part`` with a bookmark."""
    return _draw(parts, paper, theme, family, meta, packet=True)


def _draw(parts: list[Part], paper: str, theme: Theme, family: FontFamily, meta: Metadata, *, packet: bool) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

    from .tagging.flowables import PartStart

    page_width, page_height = PAPERS[paper]
    margin = theme.margin
    frame = Frame(margin, margin, page_width - 2 * margin, page_height - 2 * margin, 0, 0, 0, 0, id="page")
    story: list[Any] = []
    feet: list[tuple[str, float]] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        if packet:
            story.append(PartStart(Tag("Part", lang=part.meta.lang), part.meta.title, f"handout-{index + 1}"))
        story += _story(part.fitted)
        feet += [(mark, part.fitted.scale.body) for mark in part.marks or ("",) * part.fitted.pages]

    def foot(canvas: Any, doc: Any) -> None:
        mark, body = feet[doc.page - 1]
        if mark:
            with canvas.artifact("Pagination", "Footer"):
                canvas.setFont(family.name, body)
                canvas.setFillColor(theme.color("text"))
                canvas.drawRightString(page_width - margin, margin + mark_band(theme) * 0.3, mark)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        pageTemplates=[PageTemplate(id="handout", frames=[frame], onPage=foot)],
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=meta.creator,
        lang=meta.lang,
        displayDocTitle=True,
        invariant=1,
        initialFontName=family.name,
        initialFontSize=parts[0].fitted.scale.body,
    )
    doc.build(story, canvasmaker=_tagging_canvas(meta, outline=packet))
    return buffer.getvalue()


def _story(fitted: Fitted) -> list[Any]:
    """The fitted blocks in order: a page break where a page ends, the footer pushed down."""
    from reportlab.platypus import PageBreak, Spacer

    story: list[Any] = []
    for index, block in enumerate(fitted.blocks):
        if index in fitted.breaks:
            story.append(PageBreak())
        if block.pinned_to_bottom and fitted.slack > 1:
            story.append(Spacer(0, fitted.slack - 1))
        story.append(block.flowable)
    return story


def _tagging_canvas(meta: Metadata, *, outline: bool) -> Callable[..., Any]:
    """A canvas maker: the tagging canvas for ``meta``, stamping ``meta.created`` as the
    creation date and opening on the bookmarks when there are some (a packet).

    Invariant mode (which keeps the bytes reproducible) would stamp 2000-01-01; ReportLab's
    date formatter hook writes the date we choose instead, still independent of the clock.
    """
    from .tagging.canvas import TaggingCanvas
    from .tagging.objects import xmp_date

    created = meta.created
    info = {"title": meta.title, "author": meta.author, "subject": meta.subject, "keywords": ", ".join(meta.keywords),
            "lang": meta.lang, "creator": meta.creator, "created": xmp_date(created) if created else ""}

    def make(*args: Any, **kwargs: Any) -> Any:
        canvas = TaggingCanvas(*args, root=Tag("Document", lang=meta.lang), info=info, **kwargs)
        if created:
            canvas.setDateFormatter(lambda *_: pdf_date(created))
        if outline:
            canvas.showOutline()
        return canvas

    return make


def pdf_date(day: dt.date) -> str:
    """``D:20261120000000+00'00'``: a date as PDF metadata writes it, at midnight UTC."""
    return f"D:{day:%Y%m%d}000000+00'00'"
