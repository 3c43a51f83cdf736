"""The theme as CSS, for the HTML version of a handout: the same colours, sizes and boxes.

``theme.yaml`` stays the one source of the look. Each theme style becomes one CSS class
(``urgent h2`` -> ``.s-urgent_h2``) holding every property, and :mod:`html_out` gives each
element the class of the style :func:`sheet.style_for` picks for it, the same choice the PDF
makes; CSS's own cascade (which ranks selectors differently) never decides. Boxes become
``.b-<name>`` classes the same way.

Sizes are in ``rem``, 12 pt to the rem at a browser's default text size, so the page prints
at the theme's point sizes and still grows when a reader asks their browser for larger
text. On screen the page is set at the theme's start size (13 pt; 18 pt in large print),
since a screen has no page to fit; on paper at the ``printed`` scale its caller chose.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .layout import PAPERS
from .sheet import BOX_BOTTOM_PADDING, GRID_SPACE_AFTER, LIST_INDENT, ROW_GAP, Scale, style_for
from .theme import Box, Style, Theme, scaled

Sizer = Callable[[float], str]
"""Writes a size in points as CSS: ``rem`` on a web page, ``px`` in an email."""

PX_PER_PT = 96 / 72
"""CSS pixels a point: the page's pictures and an email's sizes are given in pixels."""
PT_PER_REM = 12.0
"""A browser's default text size (16 px) in points: sizes in points / this = sizes in rem."""

FONT_FALLBACKS = ("Verdana", "DejaVu Sans", "Arial", "sans-serif")
"""Where the reader has not installed the theme's font (it is not embedded: its regular and
bold faces would make the page about twenty times larger), wide, open sans-serif faces."""


def style_class(selector: str) -> str:
    """``urgent h2`` -> ``s-urgent_h2``, ``p.summary`` -> ``s-p-summary``: a theme style's CSS class."""
    return "s-" + re.sub(r"[^a-z0-9_-]", "", selector.lower().replace(" ", "_").replace(".", "-"))


def box_class(name: str) -> str:
    """``urgent`` -> ``b-urgent``: the CSS class of the theme box a ``div`` is drawn in."""
    return "b-" + re.sub(r"[^a-z0-9_-]", "", name.lower())


def stylesheet(theme: Theme, paper: str = "letter", printed: Scale | None = None) -> str:
    """The CSS of a handout in ``theme``, printed on ``paper`` (``letter`` or ``a4``) at the
    ``printed`` scale (default: the start size, spaced as tightly as the theme allows)."""
    body = theme.type.body
    rules = [
        "html { background: #ffffff; }",
        f"body {{ margin: 0 auto; padding: 1rem; max-width: {_line_length(theme, paper) / PT_PER_REM:.3g}rem; "
        f"font-family: {_fonts(theme)}; font-size: {_rem(body)}; color: {theme.color('text')}; background: #ffffff; }}",
        f".row {{ display: flex; align-items: center; gap: {_rem(body * ROW_GAP)}; }}",
        "img { display: block; max-width: 100%; height: auto; }",
        "* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }",
        *_content_rules(theme, _rem),
        *(["img { filter: grayscale(1); }"] if theme.pictures == "gray" else []),
    ]
    printed = printed or Scale(body, theme.type.tight_leading, theme.type.tight_spacing)
    return "\n".join([*rules, _print_rules(theme, paper, printed)]) + "\n"


def message_stylesheet(theme: Theme) -> str:
    """The CSS of an email that carries handouts (:func:`html_out.to_fragment`): the classes
    of :func:`stylesheet`, sized in pixels, which every mail program reads the same way (a
    webmail's own root size would change ``rem``); a rule in the accent colour above each
    handout; no print rules (the attached PDF is for paper)."""
    return "\n".join([
        f".message {{ {message_style(theme)} }}",
        f"article {{ margin-top: 2em; padding-top: 0.5em; border-top: 4px solid {theme.color('accent')}; }}",
        *_content_rules(theme, _px),
    ]) + "\n"


def message_style(theme: Theme) -> str:
    """The look of the message as a whole, also written on its outermost element: a mail
    program that drops the stylesheet keeps it, so the text keeps the theme's size (large
    print stays large), colour and line length."""
    fonts = _fonts(theme).replace('"', "'")
    return (f"font-family: {fonts}; font-size: {_px(theme.type.body)}; line-height: {theme.type.leading:g}; "
            f"color: {theme.color('text')}; background: #ffffff; max-width: {_px(_line_length(theme, 'letter'))}; "
            "margin: 0 auto; padding: 1em;")


def message_classes(theme: Theme) -> dict[str, str]:
    """The classes of a message's own parts, each the style its like in a handout takes (the
    choice :func:`sheet.style_for` makes): the title in a ``band`` like the handout's header,
    ``text`` and list ``item`` like the handout's, a ``footer`` like its footer."""
    def style(tag: str, classes: list[str], within: list[str]) -> str:
        return style_class(style_for(theme, tag, classes, within)[0])

    return {"band": box_class("header"), "title": style("p", ["clinic"], ["header"]), "text": style("p", [], []),
            "item": style("li", [], []), "footer": box_class("footer")}


def _content_rules(theme: Theme, size: Sizer) -> list[str]:
    """The rules for what a handout holds, on a page or in an email: lists, links, tables,
    each theme style and box."""
    body = theme.type.body
    screen = Scale(body, theme.type.leading, theme.type.spacing)
    return [
        "h1, h2, p, ul, ol { margin: 0; }",
        f"ul, ol {{ padding-left: {LIST_INDENT:g}em; }}",
        f"li::marker {{ color: {theme.color('accent')}; font-weight: bold; }}",
        f"a {{ color: {theme.color('accent')}; text-decoration: underline; }}",
        ".nowrap { white-space: nowrap; }",
        f"table {{ border-collapse: collapse; margin-bottom: {size(_space(GRID_SPACE_AFTER, screen))}; }}",
        f"th, td {{ border: 0.5pt solid {theme.color('text')}; padding: 3pt 6pt; vertical-align: top; }}",
        *(_style_rule(selector, style, theme, screen, size) for selector, style in theme.styles.items()),
        *(_box_rule(name, box, theme, screen, size) for name, box in theme.boxes.items()),
    ]


def _style_rule(selector: str, style: Style, theme: Theme, scale: Scale, size: Sizer) -> str:
    """Every property of a theme style: which style applies is decided once, by :func:`sheet.style_for`."""
    return (f".{style_class(selector)} {{ font-size: {size(scaled(style.size, scale.body))}; "
            f"font-weight: {'bold' if style.bold else 'normal'}; font-style: {'italic' if style.italic else 'normal'}; "
            f"color: {theme.color(style.color)}; text-align: {style.align}; {_spacing(style, scale, size)} }}")


def _spacing(style: Style, scale: Scale, size: Sizer) -> str:
    before, after = (_space(value, scale) for value in (style.space_before, style.space_after))
    return f"line-height: {style.leading or scale.leading:g}; margin: {size(before)} 0 {size(after)};"


def _box_rule(name: str, box: Box, theme: Theme, scale: Scale, size: Sizer) -> str:
    padding = f"padding: {box.padding:g}pt {box.padding:g}pt {box.padding * BOX_BOTTOM_PADDING:g}pt"
    parts = [padding, _box_margin(box, scale, size)]
    if box.background:
        parts.append(f"background: {theme.color(box.background)}")
    if box.border and box.border_width:
        line = f"{box.border_width:g}pt solid {theme.color(box.border)}"
        parts.append(f"border: {line}" if box.border_sides == "all" else f"border-{box.border_sides}: {line}")
    return f".{box_class(name)} {{ {'; '.join(parts)}; }}"


def _box_margin(box: Box, scale: Scale, size: Sizer) -> str:
    return f"margin: {size(_space(box.space_before, scale))} 0 {size(_space(box.space_after, scale))}"


def _print_rules(theme: Theme, paper: str, printed: Scale) -> str:
    """On paper: the theme's margins, no screen padding, no part split across pages, and the
    type at the ``printed`` scale, as the PDF's fit would set it."""
    size = "letter" if paper == "letter" else "A4"
    return "\n".join([
        f"@page {{ size: {size}; margin: {theme.margin:g}pt; }}",
        "@media print {",
        f"  body {{ max-width: none; padding: 0; font-size: {_rem(printed.body)}; }}",
        "  header, aside, li, tr, .note { break-inside: avoid; }",
        "  h1, h2 { break-after: avoid; }",
        *("  " + _style_rule(selector, style, theme, printed, _rem) for selector, style in theme.styles.items()),
        *(f"  .{box_class(name)} {{ {_box_margin(box, printed, _rem)}; }}" for name, box in theme.boxes.items()),
        "}",
    ])


def _line_length(theme: Theme, paper: str) -> float:
    """The width (pt) the handout's lines have on paper: a screen keeps them no longer."""
    return PAPERS[paper][0] - 2 * theme.margin


def _space(value: float | str, scale: Scale) -> float:
    """A theme spacing in points: a multiple of the body size, times the scale's spacing, or fixed."""
    return scaled(value, scale.body) * (1.0 if isinstance(value, str) else scale.spacing)


def _rem(points: float) -> str:
    return f"{points / PT_PER_REM:.4g}rem" if points else "0"


def _px(points: float) -> str:
    return f"{points * PX_PER_PT:.4g}px" if points else "0"


def _fonts(theme: Theme) -> str:
    own = [f'"{theme.font}"'] if isinstance(theme.font, str) else []
    return ", ".join([*own, *(f'"{name}"' if " " in name else name for name in FONT_FALLBACKS)])
