"""Stage 5b, styles: the theme turned into ReportLab styles, boxes, lists and rows at one scale.

The fit stage asks :func:`style_sheet` for a :class:`StyleSheet` for every size it tries;
:mod:`markup` asks the sheet for the paragraph style of an element, the box around a ``div``
and so on (the :class:`markup.Sheet` protocol), so the mapping from XHTML knows nothing about
sizes or colours. Sheets are kept between builds, with the flowables made at them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .fonts import FontFamily
from .images import picture
from .markup import picture_height
from .recent import recall
from .theme import Box, Style, Theme, scaled

_ALIGN = {"left": 0, "center": 1, "right": 2}
LIST_INDENT = 1.4
"""How far a list's items are indented, in multiples of their text size."""
ROW_GAP = 0.8
"""The gap between the columns of a ``row``, in body sizes."""
BOX_BOTTOM_PADDING = 0.6
"""A box's padding below its content, as a share of its padding on the other sides."""
GRID_SPACE_AFTER = 0.4
"""The space after a table, in body sizes."""


@dataclass(frozen=True)
class Scale:
    """One step of the fit: the body size and how tightly lines and blocks are spaced."""

    body: float
    leading: float
    spacing: float


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
    _colors: dict[str, Any] = field(default_factory=dict)
    made: dict[bytes, list[Any]] = field(default_factory=dict)

    @cached_property
    def accent(self) -> str:
        return self.theme.color("accent")

    def color(self, name: str) -> Any:
        """A theme colour as a ReportLab Color, made once. Given a string, ReportLab parses it
        again at every use, trying colour names and Python literals before hex."""
        if name not in self._colors:
            from reportlab.lib.colors import HexColor

            self._colors[name] = HexColor(self.theme.color(name))
        return self._colors[name]

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
            textColor=self.color(style.color),
            spaceBefore=self.space(style.space_before),
            spaceAfter=self.space(style.space_after),
            alignment=_ALIGN[style.align],
            bulletFontName=self.family.name,
        )

    def space(self, value: float | str) -> float:
        return scaled(value, self.scale.body) * (1.0 if isinstance(value, str) else self.scale.spacing)

    def bulleted(self, items: list[Any], ordered: bool, style: Any) -> Any:
        from .tagging.flowables import LabelledList

        return LabelledList(
            items,
            bulletType="1" if ordered else "bullet",
            start=None if ordered else "•",
            bulletFormat="%s." if ordered else None,
            bulletFontName=self.family.bold,
            bulletFontSize=style.fontSize,
            bulletColor=self.color("accent"),
            leftIndent=style.fontSize * LIST_INDENT,
            spaceBefore=0,
            spaceAfter=style.spaceAfter,
        )

    def boxed(self, box: str, content: list[Any], width: float) -> Any:
        frame = self.theme.boxes.get(box, Box())
        table = _table([[content]], colWidths=[width], style=self._box_style(frame))
        table.spaceBefore = self.space(frame.space_before)
        table.spaceAfter = self.space(frame.space_after)
        return table

    def _box_style(self, frame: Box) -> list[tuple[Any, ...]]:
        commands: list[tuple[Any, ...]] = [
            self._table_font(),
            ("LEFTPADDING", (0, 0), (-1, -1), frame.padding + (frame.border_width if frame.border_sides == "left" else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), frame.padding),
            ("TOPPADDING", (0, 0), (-1, -1), frame.padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), frame.padding * BOX_BOTTOM_PADDING),
        ]
        if frame.background:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), self.color(frame.background)))
        if frame.border and frame.border_width:
            line = {"all": "BOX", "left": "LINEBEFORE", "top": "LINEABOVE", "bottom": "LINEBELOW"}[frame.border_sides]
            commands.append((line, (0, 0), (-1, -1), frame.border_width, self.color(frame.border)))
        return commands

    def _table_font(self) -> tuple[Any, ...]:
        """Tables set a cell font even around flowables; unset, it is unembedded Helvetica."""
        return ("FONT", (0, 0), (-1, -1), self.family.name, self.scale.body)

    def grid(self, rows: list[list[Any]]) -> Any:
        table = _table(rows, style=[self._table_font(), ("GRID", (0, 0), (-1, -1), 0.5, self.color("text")), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        table.spaceAfter = self.space(GRID_SPACE_AFTER)
        return table

    def picture(self, path: Path, element: Any) -> Any:
        image = picture(path, picture_height(element), self.family.name, self.theme.pictures == "gray")
        image.hAlign = "LEFT"
        return image

    def row(self, columns: list[list[Any]]) -> Any:
        """Columns side by side: a picture's column as wide as the picture, the others share the rest."""
        gap = self.scale.body * ROW_GAP
        widths = [_picture_width(column) for column in columns]
        commands = [self._table_font(), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        commands += [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "TOPPADDING", "BOTTOMPADDING")]
        commands += [("RIGHTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-2, -1), gap)]
        return _table([columns], colWidths=["*" if w is None else w + gap for w in widths], style=commands)


_KEPT_SHEETS = 16
_kept = threading.local()


def style_sheet(theme: Theme, family: FontFamily, scale: Scale, width: float) -> StyleSheet:
    """The sheet for one scale of ``theme``, kept between builds with its styles and the
    flowables made at it (see :meth:`markup._Mapper.top`): copies of a handout for other
    patients differ in a line or two, and only those are laid out again. Kept per thread,
    as flowables are not safe to share between threads; the last 16 used are kept."""
    kept: dict[tuple[Any, ...], StyleSheet] = _kept.__dict__.setdefault("sheets", {})
    key = (id(theme), family, scale, width)
    sheet = recall(kept, key, lambda: StyleSheet(theme, family, scale, width), _KEPT_SHEETS)
    if sheet.theme is not theme:  # a new theme that reuses a freed one's id
        sheet = kept[key] = StyleSheet(theme, family, scale, width)
    return sheet


def _picture_width(column: list[Any]) -> float | None:
    """The width of a column that is one picture (a :class:`~.tagging.flowables.Figure`), or
    None for a column of text."""
    return column[0].picture_width if len(column) == 1 and hasattr(column[0], "picture_width") else None


def _table(*args: Any, **kwargs: Any) -> Any:
    """A ReportLab table whose fills and lines are drawn as artifacts: decoration, not content."""
    from reportlab.platypus import Table

    from .tagging.flowables import decoration

    return Table(*args, renderCB=decoration, **kwargs)
