"""The HTML version of a handout: the template's XHTML as a standalone, accessible web page.

The page is written from the same parsed XHTML the PDF is laid out from, so it says the
same things in the same order. The template's subset maps onto semantic HTML: the header
and footer boxes at the ends of the page become ``<header>`` and ``<footer>``, everything
between them ``<main>``; a callout is an ``<aside>`` named by its heading; lists stay lists.
The look comes from the theme (:mod:`stylesheet`), embedded in the page.

A page makes no requests: no scripts, no external stylesheets or fonts, pictures only as
the caller supplies them (``pictures``: usually ``data:`` URIs, see :mod:`versions`), and a
Content-Security-Policy that forbids anything else. :func:`to_html` is pure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import NamedTuple

from .markup import box_name, checked_link, outside_subset, page_parts, span_language, table_rows
from .sheet import Scale, style_for
from .stylesheet import PX_PER_PT, box_class, style_class, stylesheet
from .theme import Theme

_BLANK = re.compile(r"(_{4,})")
_PHONE = re.compile(r"((?:\(\d{3}\) )?[^ \t\r\n]*\d[^ \t\r\n]*-[^ \t\r\n]*)")
"""A word with a digit and a hyphen, and an area code before it (``(555) 010-0142``)."""


class Picture(NamedTuple):
    """What an ``<img>`` of the template shows on the page: its ``src`` and printed size (pt)."""

    src: str
    width: float
    height: float


def to_html(root: ET.Element, theme: Theme, *, lang: str, title: str, paper: str = "letter",
            printed: Scale | None = None, pictures: Mapping[str, Picture] | None = None,
            template: Path | None = None) -> str:
    """The page for the template's parsed XHTML ``root`` (a ``<body>``), styled by ``theme``.

    ``printed`` is the scale the page prints at (see :func:`stylesheet.stylesheet`).
    ``pictures`` maps an ``<img>``'s ``src`` in the XHTML to what the page shows; a picture
    not in it is left out. ``template`` is named in the error for markup outside the subset.
    """
    writer = _Writer(theme, pictures or {}, template or Path("template"))
    header, content, footer = page_parts(root)
    lines = [line for child in header for line in writer.block(child, [], tag="header")]
    lines += ["<main>", *(line for child in content for line in writer.block(child, [], depth=1)), "</main>"]
    lines += [line for child in footer for line in writer.block(child, [], tag="footer")]
    sources = sorted({picture.src.split(":")[0] + ":" for picture in writer.shown}) or ["'none'"]
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"img-src {' '.join(sources)}; style-src 'unsafe-inline'\">",
        f"<title>{escape(title, quote=False)}</title>",
        f"<style>\n{stylesheet(theme, paper, printed)}</style>",
        "</head>",
        "<body>",
        *lines,
        "</body>",
        "</html>",
    ]) + "\n"


def to_fragment(root: ET.Element, theme: Theme, *, lang: str, level: int = 2, ids: str = "",
                template: Path | None = None) -> str:
    """The handout as one part of a larger page (an email carrying several): its content and
    footer in an ``<article lang>``, written as :func:`to_html` writes them, styled by the
    classes of :func:`stylesheet.message_stylesheet`.

    The header box is left out (the page around it names the clinic), and with it the
    pictures. The title is an ``h<level>`` and every heading one level below its own, so the
    page keeps one ``h1``; every ``id`` starts with ``ids``, so several parts never share one.
    """
    writer = _Writer(theme, {}, template or Path("template"), shift=level - 1, ids=ids)
    _, content, footer = page_parts(root)
    lines = [line for child in content for line in writer.block(child, [], depth=1)]
    lines += [line for child in footer for line in writer.block(child, [], tag="footer", depth=1)]
    return "\n".join([f'<article lang="{escape(lang)}">', *lines, "</article>"]) + "\n"


class _Writer:
    """Writes the blocks of the page, one line each (a list or box: its items indented)."""

    def __init__(self, theme: Theme, pictures: Mapping[str, Picture], template: Path, *, shift: int = 0,
                 ids: str = "") -> None:
        self.theme = theme
        self.pictures = pictures
        self.template = template
        self.shift = shift
        self.ids = ids
        self.shown: list[Picture] = []
        self.asides = 0

    def block(self, element: ET.Element, within: list[str], *, tag: str | None = None, depth: int = 0) -> list[str]:
        indent = "  " * depth
        if element.tag in ("h1", "h2", "p"):
            return [indent + self.text_block(element, within)]
        if element.tag in ("ul", "ol"):
            items = [indent + "  " + self.item(item, element, within) for item in element]
            return [indent + f"<{element.tag}>", *items, indent + f"</{element.tag}>"]
        if element.tag == "div":
            return self.division(element, within, tag, depth)
        if element.tag == "table":
            return [indent + self.table(element, within)]
        if element.tag == "img":
            return [indent + line for line in self.image(element)]
        raise outside_subset(element, None, self.template)

    def text_block(self, element: ET.Element, within: list[str], extra: str = "") -> str:
        selector, _ = style_for(self.theme, element.tag, _classes(element), within)
        names = _class_attr([*_classes(element), style_class(selector)])
        tag = f"h{int(element.tag[1]) + self.shift}" if element.tag in ("h1", "h2") else element.tag
        return f"<{tag}{names}{extra}>{self.inline(element)}</{tag}>"

    def item(self, item: ET.Element, listing: ET.Element, within: list[str]) -> str:
        if item.tag != "li":
            raise outside_subset(item, listing, self.template)
        return self.text_block(item, within)

    def division(self, element: ET.Element, within: list[str], tag: str | None, depth: int) -> list[str]:
        classes = _classes(element)
        box = box_name(classes) if "row" not in classes else None
        extra = name = ""
        heading = element.find("h2")
        if tag is None and "callout" in classes:
            tag = "aside"
            if heading is not None:
                self.asides += 1
                name = f"{self.ids}callout-{self.asides}"
                extra = f' aria-labelledby="{name}"'
        inner = [*within, *classes]
        lines = []
        for child in element:
            if child is heading and extra:
                lines.append("  " * (depth + 1) + self.text_block(child, inner, f' id="{name}"'))
            else:
                lines += self.block(child, inner, depth=depth + 1)
        tag = tag or "div"
        names = [*classes, *([box_class(box)] if box else [])]
        return ["  " * depth + f"<{tag}{_class_attr(names)}{extra}>", *lines, "  " * depth + f"</{tag}>"]

    def table(self, element: ET.Element, within: list[str]) -> str:
        rows = ("".join(self.text_block(cell, within) for cell in row) for row in table_rows(element, self.template))
        return "<table>" + "".join(f"<tr>{cells}</tr>" for cells in rows) + "</table>"

    def image(self, element: ET.Element) -> list[str]:
        picture = self.pictures.get(element.get("src", ""))
        if picture is None:
            return []
        self.shown.append(picture)
        alt = escape(element.get("alt", ""))
        return [f'<img src="{escape(picture.src)}" alt="{alt}" width="{round(picture.width * PX_PER_PT)}" '
                f'height="{round(picture.height * PX_PER_PT)}">']

    def inline(self, element: ET.Element) -> str:
        """The element's text and inline markup; all text is escaped."""
        parts = [_text(element.text)]
        for child in element:
            if child.tag == "br":
                parts.append("<br>")
            elif child.tag in ("strong", "em"):
                parts.append(f"<{child.tag}>{self.inline(child)}</{child.tag}>")
            elif child.tag == "a":
                parts.append(f'<a href="{escape(checked_link(child, self.template))}">{self.inline(child)}</a>')
            elif child.tag == "span":
                lang = span_language(child, self.template)
                parts.append(f'<span lang="{escape(lang)}">{self.inline(child)}</span>' if lang else self.inline(child))
            else:
                raise outside_subset(child, element, self.template)
            parts.append(_text(child.tail))
        return "".join(parts)


def _text(text: str | None) -> str:
    """Escaped text. A number with hyphens (``1-800-QUIT-NOW``) stays on one line, as in the
    PDF: a browser would break it after a hyphen and a patient dial half of it. A line to write
    on (``____``) is hidden from screen readers, which would read out every underscore."""
    escaped = _PHONE.sub(r'<span class="nowrap">\1</span>', escape(text or "", quote=False))
    return _BLANK.sub(r'<span aria-hidden="true">\1</span>', escaped)


def _classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def _class_attr(names: list[str]) -> str:
    return f' class="{escape(" ".join(names))}"' if names else ""
