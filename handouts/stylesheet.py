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

from .layout import PAPERS
from .sheet import BOX_BOTTOM_PADDING, GRID_SPACE_AFTER, LIST_INDENT, ROW_GAP, Scale
from .theme import Box, Style, Theme, scaled

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
    width = (PAPERS[paper][0] - 2 * theme.margin) / PT_PER_REM
    screen = Scale(body, theme.type.leading, theme.type.spacing)
    rules = [
        "html { background: #ffffff; }",
        f"body {{ margin: 0 auto; padding: 1rem; max-width: {width:.3g}rem; font-family: {_fonts(theme)}; "
        f"font-size: {_rem(body)}; color: {theme.color('text')}; background: #ffffff; }}",
        "h1, h2, p, ul, ol { margin: 0; }",
        f"ul, ol {{ padding-left: {LIST_INDENT:g}em; }}",
        f"li::marker {{ color: {theme.color('accent')}; font-weight: bold; }}",
        f"a {{ color: {theme.color('accent')}; text-decoration: underline; }}",
        f".row {{ display: flex; align-items: center; gap: {_rem(body * ROW_GAP)}; }}",
        "img { display: block; max-width: 100%; height: auto; }",
        ".nowrap { white-space: nowrap; }",
        f"table {{ border-collapse: collapse; margin-bottom: {_rem(_space(GRID_SPACE_AFTER, screen))}; }}",
        f"th, td {{ border: 0.5pt solid {theme.color('text')}; padding: 3pt 6pt; vertical-align: top; }}",
        "* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }",
        *(_style_rule(selector, style, theme, screen) for selector, style in theme.styles.items()),
        *(_box_rule(name, box, theme, screen) for name, box in theme.boxes.items()),
    ]
    if theme.pictures == "gray":
        rules.append("img { filter: grayscale(1); }")
    printed = printed or Scale(body, theme.type.tight_leading, theme.type.tight_spacing)
    return "\n".join([*rules, _print_rules(theme, paper, printed)]) + "\n"


def _style_rule(selector: str, style: Style, theme: Theme, scale: Scale) -> str:
    """Every property of a theme style: which style applies is decided once, by :func:`sheet.style_for`."""
    return (f".{style_class(selector)} {{ font-size: {_rem(scaled(style.size, scale.body))}; "
            f"font-weight: {'bold' if style.bold else 'normal'}; font-style: {'italic' if style.italic else 'normal'}; "
            f"color: {theme.color(style.color)}; text-align: {style.align}; {_spacing(style, scale)} }}")


def _spacing(style: Style, scale: Scale) -> str:
    before, after = (_space(value, scale) for value in (style.space_before, style.space_after))
    return f"line-height: {style.leading or scale.leading:g}; margin: {_rem(before)} 0 {_rem(after)};"


def _box_rule(name: str, box: Box, theme: Theme, scale: Scale) -> str:
    padding = f"padding: {box.padding:g}pt {box.padding:g}pt {box.padding * BOX_BOTTOM_PADDING:g}pt"
    parts = [padding, _box_margin(box, scale)]
    if box.background:
        parts.append(f"background: {theme.color(box.background)}")
    if box.border and box.border_width:
        line = f"{box.border_width:g}pt solid {theme.color(box.border)}"
        parts.append(f"border: {line}" if box.border_sides == "all" else f"border-{box.border_sides}: {line}")
    return f".{box_class(name)} {{ {'; '.join(parts)}; }}"


def _box_margin(box: Box, scale: Scale) -> str:
    return f"margin: {_rem(_space(box.space_before, scale))} 0 {_rem(_space(box.space_after, scale))}"


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
        *("  " + _style_rule(selector, style, theme, printed) for selector, style in theme.styles.items()),
        *(f"  .{box_class(name)} {{ {_box_margin(box, printed)}; }}" for name, box in theme.boxes.items()),
        "}",
    ])


def _space(value: float | str, scale: Scale) -> float:
    """A theme spacing in points: a multiple of the body size, times the scale's spacing, or fixed."""
    return scaled(value, scale.body) * (1.0 if isinstance(value, str) else scale.spacing)


def _rem(points: float) -> str:
    return f"{points / PT_PER_REM:.4g}rem" if points else "0"


def _fonts(theme: Theme) -> str:
    own = [f'"{theme.font}"'] if isinstance(theme.font, str) else []
    return ", ".join([*own, *(f'"{name}"' if " " in name else name for name in FONT_FALLBACKS)])
