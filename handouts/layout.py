"""Stage 5b, lay out and fit: put the blocks on one page, shrinking evenly until they fit.

Fitting measures with ``wrap`` only (no PDF is drawn until the size is chosen): each try is a
pass over the blocks at one :class:`Scale`, and the scales are searched by bisection, so a
handout that fits at its start size takes one pass and a crowded one a handful. A handout
that does not fit at the floor is refused with how much is too much, and where.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from .errors import HandoutError
from .fonts import FontFamily
from .markup import Block, to_blocks
from .theme import Box, Style, Theme, TypeScale, scaled

PAPERS = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
_ALIGN = {"left": 0, "center": 1, "right": 2}


@dataclass(frozen=True)
class Scale:
    """One step of the fit: the body size and how tightly lines and blocks are spaced."""

    body: float
    leading: float
    spacing: float


def scales(type_scale: TypeScale) -> list[Scale]:
    """From the start size down to the floor, leading and spacing tightening on the way."""
    count = max(0, round((type_scale.body - type_scale.floor) / type_scale.step))
    steps = []
    for index in range(count + 1):
        t = index / count if count else 0.0
        steps.append(
            Scale(
                body=type_scale.body - index * type_scale.step,
                leading=type_scale.leading + t * (type_scale.tight_leading - type_scale.leading),
                spacing=type_scale.spacing + t * (type_scale.tight_spacing - type_scale.spacing),
            )
        )
    return steps


def style_for(theme: Theme, tag: str, classes: list[str], within: list[str]) -> tuple[str, Style]:
    """The most specific theme style: ``urgent h2`` before ``callout h2`` before ``h2``."""
    own = [f"{tag}.{name}" for name in classes] + [tag]
    candidates = [f"{outer} {sel}" for outer in reversed(within) for sel in own] + own + ["p"]
    name = next(sel for sel in candidates if sel in theme.styles)
    return name, theme.styles[name]


@dataclass
class StyleSheet:
    """Paragraph styles and boxes for one scale; implements :class:`markup.Sheet`."""

    theme: Theme
    family: FontFamily
    scale: Scale
    width: float
    _styles: dict[tuple[str, ...], Any] = field(default_factory=dict)

    @cached_property
    def accent(self) -> str:
        return self.theme.color("accent")

    def paragraph_style(self, tag: str, classes: list[str], within: list[str]) -> Any:
        key = (tag, *classes, "|", *within)
        if key not in self._styles:
            name, style = style_for(self.theme, tag, classes, within)
            self._styles[key] = self._make(name, style)
        return self._styles[key]

    def _make(self, name: str, style: Style) -> Any:
        from reportlab.lib.styles import ParagraphStyle

        size = scaled(style.size, self.scale.body)
        return ParagraphStyle(
            name,
            fontName=self.family.bold if style.bold else self.family.name,
            fontSize=size,
            leading=size * (style.leading or self.scale.leading),
            textColor=self.theme.color(style.color),
            spaceBefore=self.space(style.space_before),
            spaceAfter=self.space(style.space_after),
            alignment=_ALIGN[style.align],
            bulletFontName=self.family.name,
        )

    def space(self, value: float | str) -> float:
        return scaled(value, self.scale.body) * (1.0 if isinstance(value, str) else self.scale.spacing)

    def bulleted(self, items: list[Any], ordered: bool, style: Any) -> Any:
        from reportlab.platypus import ListFlowable

        return ListFlowable(
            items,
            bulletType="1" if ordered else "bullet",
            start=None if ordered else "•",
            bulletFormat="%s." if ordered else None,
            bulletFontName=self.family.bold,
            bulletFontSize=style.fontSize,
            bulletColor=self.accent,
            leftIndent=style.fontSize * 1.4,
            spaceBefore=0,
            spaceAfter=style.spaceAfter,
        )

    def boxed(self, box: str, content: list[Any], width: float) -> Any:
        from reportlab.platypus import Table

        frame = self.theme.boxes.get(box, Box())
        table = Table([[content]], colWidths=[width], style=self._box_style(frame))
        table.spaceBefore = self.space(frame.space_before)
        table.spaceAfter = self.space(frame.space_after)
        return table

    def _box_style(self, frame: Box) -> list[tuple[Any, ...]]:
        commands: list[tuple[Any, ...]] = [
            self._table_font(),
            ("LEFTPADDING", (0, 0), (-1, -1), frame.padding + (frame.border_width if frame.border_sides == "left" else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), frame.padding),
            ("TOPPADDING", (0, 0), (-1, -1), frame.padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), frame.padding * 0.6),
        ]
        if frame.background:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), self.theme.color(frame.background)))
        if frame.border and frame.border_width:
            line = {"all": "BOX", "left": "LINEBEFORE", "top": "LINEABOVE", "bottom": "LINEBELOW"}[frame.border_sides]
            commands.append((line, (0, 0), (-1, -1), frame.border_width, self.theme.color(frame.border)))
        return commands

    def _table_font(self) -> tuple[Any, ...]:
        """Tables set a cell font even around flowables; unset, it is unembedded Helvetica."""
        return ("FONT", (0, 0), (-1, -1), self.family.name, self.scale.body)

    def grid(self, rows: list[list[Any]]) -> Any:
        from reportlab.platypus import Table

        table = Table(rows, style=[self._table_font(), ("GRID", (0, 0), (-1, -1), 0.5, self.theme.color("text")), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        table.spaceAfter = self.space(0.4)
        return table

    def picture(self, path: Path, element: Any) -> Any:
        from reportlab.platypus import Image

        height = float(element.get("height", 48))
        image = Image(str(path), width=height * 4, height=height, kind="proportional")
        image.hAlign = "LEFT"
        return image


@dataclass(frozen=True)
class Fitted:
    """Blocks that fit the frame, the scale they fit at, and how many layout passes it took."""

    blocks: list[Block]
    scale: Scale
    passes: int
    slack: float


def fit_to_page(root: Any, theme: Theme, family: FontFamily, frame: tuple[float, float], template: Path) -> Fitted:
    """Lay the page out at the largest scale that fits ``frame`` (width, height)."""
    width, height = frame
    steps = scales(theme.type)
    tried: dict[int, tuple[list[Block], float]] = {}

    def attempt(index: int) -> tuple[list[Block], float]:
        if index not in tried:
            sheet = StyleSheet(theme, family, steps[index], width)
            blocks = to_blocks(root, sheet, template)
            tried[index] = (blocks, stack_height([b.flowable for b in blocks], width))
        return tried[index]

    low, high = 0, len(steps) - 1
    if attempt(low)[1] > height:
        if attempt(high)[1] > height:
            raise _overflow(*attempt(high), height, steps[high], width, template)
        while high - low > 1:  # invariant: low does not fit, high fits
            middle = (low + high) // 2
            low, high = (low, middle) if attempt(middle)[1] <= height else (middle, high)
        low = high
    blocks, needed = attempt(low)
    return Fitted(blocks=blocks, scale=steps[low], passes=len(tried), slack=height - needed)


def stack_height(flowables: list[Any], width: float) -> float:
    """The height a Platypus ``Frame`` uses for ``flowables``, measured with ``wrap`` alone.

    Same rule as ``Frame.add``: no space before the first block, none after the last.
    """
    canvas = _scratch_canvas()
    total = 0.0
    for index, flowable in enumerate(flowables):
        _, height = flowable.wrapOn(canvas, width, 1e6)
        total += height + (flowable.getSpaceBefore() if index else 0.0)
        total += flowable.getSpaceAfter() if index < len(flowables) - 1 else 0.0
    return total


class Overflow(HandoutError):
    """The handout does not fit one page even at the floor size."""


def _overflow(blocks: list[Block], needed: float, height: float, scale: Scale, width: float, template: Path) -> Overflow:
    parts: dict[str, float] = {}
    for block in blocks:
        _, block_height = block.flowable.wrapOn(_scratch_canvas(), width, 1e6)
        parts[block.part] = parts.get(block.part, 0.0) + block_height
    longest = max(parts, key=parts.__getitem__)
    over = needed - height
    lines = over / (scale.body * scale.leading)
    words = lines * width / (scale.body * 0.5) / 6  # ~half an em a character, ~6 characters a word
    return Overflow(
        f"does not fit on one page even at {scale.body:g} pt body text: about {lines:.0f} lines "
        f"(~{max(words, 1):.0f} words) too long. The longest part is {longest}; shorten it, "
        "or split the topic in two"
    )


@cache
def _scratch_canvas() -> Any:
    """A canvas that is never saved: some flowables need one to measure themselves."""
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(io.BytesIO())


@dataclass(frozen=True)
class Metadata:
    """What a PDF viewer shows about the document; ``lang`` becomes the catalog's /Lang."""

    title: str
    author: str
    subject: str
    keywords: list[str]
    lang: str
    creator: str


def draw_pdf(fitted: Fitted, paper: str, theme: Theme, family: FontFamily, meta: Metadata) -> bytes:
    """Draw the fitted blocks as a one-page PDF; the same inputs give the same bytes."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    page_width, page_height = PAPERS[paper]
    margin = theme.margin
    frame = Frame(margin, margin, page_width - 2 * margin, page_height - 2 * margin, 0, 0, 0, 0, id="page")
    story = []
    for block in fitted.blocks:
        if block.pinned_to_bottom and fitted.slack > 1:
            story.append(Spacer(0, fitted.slack - 1))
        story.append(block.flowable)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        pageTemplates=[PageTemplate(id="handout", frames=[frame])],
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=meta.creator,
        lang=meta.lang,
        displayDocTitle=True,
        invariant=1,
        initialFontName=family.name,
        initialFontSize=fitted.scale.body,
    )
    doc.build(story)
    return buffer.getvalue()


def frame_size(paper: str, theme: Theme) -> tuple[float, float]:
    """The width and height the blocks may use on ``paper``."""
    width, height = PAPERS[paper]
    return width - 2 * theme.margin, height - 2 * theme.margin
