"""Checks of every string a topic prints: characters the font lacks, invisible characters,
and ``{{ … }}`` names.

The build stops at the first such problem; these list them all, each with its file, line and
key, and the glyph check also quotes the text the characters are in. Invisible format
characters (zero-width spaces, right-to-left overrides) are only warned about: the build
prints them faithfully, but they make the text a screen reader or a search sees differ from
the page.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..fonts import FontFamily, describe_characters, missing_characters
from ..load import Document, Location
from ..model import Topic, location_key, text_fields
from ..tailor import expression_problems
from .findings import Finding, Origin

_EXCERPT = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def glyph_findings(origin: Origin, fields: list[tuple[Location, str]], document: Document, family: FontFamily) -> list[Finding]:
    """An error for each string with characters ``family`` cannot draw (which, and where)."""
    findings = []
    for at, text in fields:
        missing = missing_characters(text, family)
        if missing:
            findings.append(origin.finding(
                "glyphs", "error",
                f"the font {family.label} cannot draw {describe_characters(missing)} in {_excerpt(text, missing[0])}",
                line=document.line_of(at), key=location_key(at),
                suggestion="use other characters, or a font that has them (templates/theme.yaml, font)",
            ))
    return findings


_VISIBLE_FORMAT = frozenset("\u00ad")
"""Format characters that are fine in text: the soft hyphen only marks where a word may break."""


def invisible_findings(origin: Origin, fields: list[tuple[Location, str]], document: Document,
                       family: FontFamily | None) -> list[Finding]:
    """A warning for each string with invisible format characters (Unicode category Cf) that
    ``family`` draws; one it cannot draw is already an error of :func:`glyph_findings`."""
    findings = []
    for at, text in fields:
        undrawable = set(missing_characters(text, family)) if family else set()
        hidden = [c for c in dict.fromkeys(text) if unicodedata.category(c) == "Cf" and c not in _VISIBLE_FORMAT
                  and c not in undrawable]
        if hidden:
            findings.append(origin.finding(
                "glyphs", "warning",
                f"the text has invisible characters ({describe_characters(hidden)}) in {_excerpt(text, hidden[0])}; "
                "a screen reader, a search or a copy of the text sees them, and direction marks can make it "
                "read in another order than it prints",
                line=document.line_of(at), key=location_key(at),
                suggestion="delete them (they often come with text pasted from a web page or a word processor)",
            ))
    return findings


def tailoring_findings(origin: Origin, topic: Topic, document: Document, context: dict[str, Any]) -> list[Finding]:
    """An error for every ``{{ … }}`` in the topic's text that is not a name the build can fill."""
    return [
        origin.finding("tailoring", "error", problem, line=document.line_of(at), key=location_key(at))
        for at, text in text_fields(topic)
        for problem in expression_problems(text, context)
    ]


def strings(data: Any, at: Location = ()) -> list[tuple[Location, str]]:
    """Every string in loaded YAML data, with where it stands (for files without a text model)."""
    if isinstance(data, str):
        return [(at, data)]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in strings(value, at + (key,))]
    if isinstance(data, list):
        return [found for index, value in enumerate(data) for found in strings(value, at + (index,))]
    return []


def sentences(text: str) -> list[str]:
    """The sentences of one field as a reader sees them: spaces folded, ``**`` marks gone."""
    return _SENTENCE_END.split(" ".join(text.replace("**", "").split()))


def _excerpt(text: str, char: str) -> str:
    """The text around the first ``char``, quoted, short enough for one line of output."""
    flat = " ".join(text.split())
    start = max(0, flat.find(char) - _EXCERPT // 2)
    shown = flat[start : start + _EXCERPT]
    shown = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in shown)
    return f"“{'…' if start else ''}{shown}{'…' if start + _EXCERPT < len(flat) else ''}”"
