"""Contrast: every text colour the template and theme actually put on a background.

The pairs come from rendering the real template (a sample topic with every field, once per
callout kind) and asking the layout's own rules which style and which box each element gets,
so a style never used on a dark box raises no false alarm and a new box is never missed.
Body text (paragraphs and list items outside the header and footer) needs the higher ratio.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import get_args

from ..contrast import contrast_ratio, darken_until
from ..sheet import style_for
from ..load import Document
from ..markup import box_name, parse_page
from ..model import Callout, Topic
from ..pipeline import Options, Project, page_context
from ..render import TEMPLATE, render_page
from ..tailor import Patient
from ..theme import Theme
from .config import Contrast
from .findings import Finding, Origin

PAPER = "#ffffff"
_TEXT = {"h1", "h2", "p", "li", "td", "th"}
_FRAMES = {"header", "footer"}


@dataclass(frozen=True)
class Pair:
    """A text colour on a background, and the theme entry it comes from."""

    what: str
    line_key: tuple[str, ...]
    color: str
    background: str
    on: str
    body: bool


def contrast_findings(project: Project, theme_document: Document, limits: Contrast) -> list[Finding]:
    """An error for each pair below its ratio, and one info line with the weakest pair."""
    origin = Origin(theme_document.path)
    pairs = {(p.what, p.color, p.background): p for kind in get_args(Callout.model_fields["kind"].annotation)
             for p in _pairs(_sample_page(project, kind), project.theme, [], PAPER, "the page")}.values()
    findings, weakest = [], None
    for pair in pairs:
        ratio, needed = contrast_ratio(pair.color, pair.background), limits.body if pair.body else limits.text
        weakest = min(weakest or (ratio, pair), (ratio, pair), key=lambda item: item[0])
        if ratio < needed:
            findings.append(origin.finding(
                "contrast", "error",
                f"{pair.what} ({pair.color}) on {pair.on} ({pair.background}) has contrast {ratio:.1f}:1; "
                f"{'body ' if pair.body else ''}text needs {needed:g}:1",
                line=theme_document.line_of(pair.line_key), key=" › ".join(pair.line_key),
                suggestion=f"use a darker colour such as {darken_until(pair.color, pair.background, needed)}",
            ))
    if weakest and not findings:
        ratio, pair = weakest
        findings.append(origin.finding("contrast", "info", f"{len(pairs)} colour pairs checked; the lowest is "
                                       f"{pair.what} on {pair.on}, {ratio:.1f}:1"))
    return findings


def _sample_page(project: Project, kind: str) -> ET.Element:
    """The template rendered for a topic with every field and a callout of ``kind``."""
    block = {"heading": "Heading", "text": "Text.", "bullets": ["Item."]}
    topic = Topic.model_validate({
        "title": "Title", "subtitle": "Subtitle", "reviewed": dt.date(2000, 1, 1), "summary": "Summary.",
        "sections": [block], "callout": {"kind": kind, **block},
        "sources": [{"org": "Org", "title": "Title", "url": "https://example.org"}],
    })
    context = page_context(project, topic, Options(patient=Patient(name="Name")))
    return parse_page(render_page(project.env, context), project.templates / TEMPLATE)


def _pairs(element: ET.Element, theme: Theme, within: list[str], background: str, on: str) -> Iterator[Pair]:
    for child in element:
        classes = (child.get("class") or "").split()
        if child.tag == "div":
            name = box_name(classes)
            box = theme.boxes.get(name or "")
            inner, label = (theme.color(box.background), f"the {name} box") if box and box.background else (background, on)
            yield from _pairs(child, theme, [*within, *classes], inner, label)
            continue
        if child.tag in ("ul", "ol"):
            yield Pair("the list bullets", ("colors", "accent"), theme.color("accent"), background, on, False)
        if child.tag in _TEXT:
            tag, own = ("li", []) if child.tag == "li" else (child.tag, classes)
            name, style = style_for(theme, tag, own, within)
            body = tag in ("p", "li") and not _FRAMES & set(within)
            yield Pair(f"'{name}' text", ("styles", name, "color"), theme.color(style.color), background, on, body)
            if child.find(".//a") is not None:
                yield Pair("links", ("colors", "accent"), theme.color("accent"), background, on, body)
        yield from _pairs(child, theme, within, background, on)
