"""Stage 5b, lay out and fit: put the blocks on a page, shrinking evenly until they fit.

Fitting measures with ``wrap`` only (no PDF is drawn until the size is chosen): each try is a
pass over the blocks at one :class:`Scale`, and the scales are searched by bisection, so a
handout that fits at its start size takes one pass and a crowded one a handful. A handout
that does not fit at the floor is refused with how much is too much, and where.

A handout is one page. Only a variant given a larger page budget (large print, see
:mod:`variants`) may use more, and only when it does not fit fewer even at the floor; then a
page ends only where a new part begins (a heading, a box, the footer), never inside one, and
the foot of each page says "Page 1 of 2".
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import HandoutError
from .fonts import FontFamily
from .markup import HEADER_PART, Block, to_blocks
from .sheet import Scale, style_sheet
from .theme import Theme, TypeScale

PAPERS = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
PAGE_MARK_BAND = 1.6
"""Height kept at the foot of every page of a multi-page handout for "Page 1 of 2", in start body sizes."""

Size = tuple[float, float, float]
"""A measured block: its height, the space before it and the space after it."""


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


@dataclass(frozen=True)
class Fitted:
    """Blocks that fit the frame, the scale they fit at, and how many layout passes it took.

    ``breaks`` are the indices of the blocks that start page 2, 3 …; ``slack`` is the height
    left free on the last page (the footer is pushed down by it).
    """

    blocks: list[Block]
    scale: Scale
    passes: int
    slack: float
    breaks: tuple[int, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.breaks) + 1


def fit_to_page(root: Any, theme: Theme, family: FontFamily, frame: tuple[float, float], template: Path,
                *, pages: int = 1, image_folders: tuple[Path, ...] = (), type_scale: TypeScale | None = None) -> Fitted:
    """Lay the page out at the largest scale that fits ``frame`` (width, height) on the fewest
    pages, up to ``pages``; ``image_folders`` may hold pictures besides the template's folder;
    ``type_scale`` gives the scales to try instead of the theme's."""
    width, height = frame
    steps = scales(type_scale or theme.type)
    tried: dict[int, tuple[list[Block], list[Size]]] = {}

    def attempt(index: int) -> tuple[list[Block], list[Size]]:
        if index not in tried:
            sheet = style_sheet(theme, family, steps[index], width)
            blocks = to_blocks(root, sheet, template, image_folders)
            tried[index] = (blocks, [_measure(block.flowable, width) for block in blocks])
        return tried[index]

    for count in range(1, pages + 1):
        room = height if count == 1 else height - mark_band(theme)
        index = _largest_fitting(len(steps), lambda i: paginate(*attempt(i), room, count) is not None)
        if index is not None:
            blocks, sizes = attempt(index)
            layout = paginate(blocks, sizes, room, count)
            assert layout is not None
            return Fitted(blocks, steps[index], len(tried), slack=layout[1], breaks=layout[0])
    raise _overflow(*attempt(len(steps) - 1), pages * room, steps[-1], width, pages)


def _largest_fitting(count: int, fits: Callable[[int], bool]) -> int | None:
    """The first (largest) of ``count`` scales that fits, by bisection; None if even the last does not."""
    low, high = 0, count - 1
    if fits(low):
        return low
    if not fits(high):
        return None
    while high - low > 1:  # invariant: low does not fit, high fits
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return high


def paginate(blocks: list[Block], sizes: list[Size], room: float, limit: int) -> tuple[tuple[int, ...], float] | None:
    """Fill pages of height ``room`` in order, starting a new one only where a new part begins.

    Returns the indices that start a new page and the height left on the last page, or None
    when it takes more than ``limit`` pages or one part is taller than a page.
    """
    starts = [i for i in range(1, len(blocks)) if blocks[i].part != blocks[i - 1].part or blocks[i].pinned_to_bottom]
    bounds = list(zip([0, *starts], [*starts, len(blocks)]))
    breaks: list[int] = []
    page_start = 0
    for start, end in bounds:
        if _stacked(sizes[page_start:end]) <= room:
            continue
        if start == page_start or _stacked(sizes[start:end]) > room:
            return None
        breaks.append(start)
        page_start = start
    if len(breaks) >= limit:
        return None
    return tuple(breaks), room - _stacked(sizes[page_start:])


class Overflow(HandoutError):
    """The handout does not fit its page budget even at the floor size; ``longest`` is the
    part that takes the most room (:data:`~handouts.markup.HEADER_PART` when it is the clinic's)."""

    longest: str = ""


def _measure(flowable: Any, width: float) -> Size:
    _, height = flowable.wrapOn(_scratch_canvas(), width, 1e6)
    return height, flowable.getSpaceBefore(), flowable.getSpaceAfter()


def _stacked(sizes: list[Size]) -> float:
    """Same rule as ``Frame.add``: no space before the first block, none after the last."""
    total = sum(height + before + after for height, before, after in sizes)
    return total - (sizes[0][1] + sizes[-1][2] if sizes else 0.0)


def _overflow(blocks: list[Block], sizes: list[Size], room: float, scale: Scale, width: float, pages: int) -> Overflow:
    parts: dict[str, float] = {}
    for block, (height, _, _) in zip(blocks, sizes):
        parts[block.part] = parts.get(block.part, 0.0) + height
    longest = max(parts, key=parts.__getitem__)
    lines = max(_stacked(sizes) - room, 0.0) / (scale.body * scale.leading)
    words = lines * width / (scale.body * 0.5) / 6  # ~half an em a character, ~6 characters a word
    where = "one page" if pages == 1 else f"{pages} pages"
    advice = "shorten what the clinic file puts in it" if longest == HEADER_PART else "shorten it, or split the topic in two"
    overflow = Overflow(
        f"does not fit on {where} even at {scale.body:g} pt body text: about {max(lines, 1):.0f} lines "
        f"(~{max(words, 1):.0f} words) too long. The longest part is {longest}; {advice}"
    )
    overflow.longest = longest
    return overflow


@cache
def _scratch_canvas() -> Any:
    """A canvas that is never saved: some flowables need one to measure themselves."""
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(io.BytesIO())


def mark_band(theme: Theme) -> float:
    """The height kept at the foot of each page of a multi-page handout for its page mark."""
    return theme.type.body * PAGE_MARK_BAND


def frame_size(paper: str, theme: Theme) -> tuple[float, float]:
    """The width and height the blocks may use on ``paper``."""
    width, height = PAPERS[paper]
    return width - 2 * theme.margin, height - 2 * theme.margin
