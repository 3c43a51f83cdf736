"""How plain text is cut into lines: one rule for every text a patient reads without formatting
(a handout's text version, the text part of an email).

A line break inside ``1-800-QUIT-NOW`` or ``follow-up`` leaves a number no one can dial and a
word no one recognises, so lines break only at spaces; a word longer than a line is kept whole.
"""

from __future__ import annotations

import re
import textwrap

WIDTH = 72
"""Characters a line: what every mail program and terminal shows without reflowing."""

_DASH = re.compile(r" (-+|\u2013|\u2014) ")


def wrap_lines(text: str, width: int = WIDTH, marker: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters (a line break always breaks), the
    first after ``marker`` and the rest indented under it. A dash between words stays at the
    end of a line, so no line looks like a list item; no-break spaces hold words together
    (a phone number's area code), then become spaces."""
    lines = []
    for part in _DASH.sub("\u00a0\\1 ", text).split("\n"):
        wrapped = textwrap.wrap(part.strip(), width, initial_indent=marker, subsequent_indent=" " * len(marker),
                                break_long_words=False, break_on_hyphens=False) or [marker.rstrip()]
        lines += wrapped
        marker = " " * len(marker)
    return [line.replace("\u00a0", " ").rstrip() for line in lines]


def wrap(text: str, width: int = WIDTH, marker: str = "") -> str:
    """:func:`wrap_lines` as one text: the templates' ``wrap`` filter (``{{ words | wrap }}``,
    ``{{ title | wrap(marker="- ") }}``), where Jinja2's ``wordwrap`` would break at hyphens."""
    return "\n".join(wrap_lines(text, width, marker))
