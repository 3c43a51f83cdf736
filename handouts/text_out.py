"""The plain-text version of a handout, for channels that carry no formatting: a text-only
email, a portal's message box, a phone's simplest reader.

It is written from the same parsed XHTML as the PDF and says the same things in the same
order. Blocks are separated by a blank line; the title is underlined with ``=`` and other
headings with ``-``; list items start with ``- `` (``1. `` when numbered); a link keeps its
address in full after its words; bold and italics are plain. Lines are wrapped at 72
characters, never inside a phone number or a hyphenated word (``1-800-QUIT-NOW``), and a
word longer than a line (an address) is kept whole. Pictures are left out. :func:`to_text` is pure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .markup import checked_link, outside_subset, page_parts, table_rows
from .wrapping import WIDTH, wrap_lines

_UNDERLINES = {"h1": "=", "h2": "-"}
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""Runs of whitespace, as Unicode counts it (an em space, a line separator, the separators
\\x1c-\\x1f), each read as one space where a line may break; the no-break spaces (plain, figure,
narrow) are not among them: they hold a phone number's parts together."""


def to_text(root: ET.Element, width: int = WIDTH, template: Path | None = None, *, header: bool = True) -> str:
    """The text for the template's parsed XHTML ``root`` (a ``<body>``), ``width`` characters a
    line; without the ``header`` box (the clinic's name and phone) for an email that names them."""
    writer = _Writer(width, template or Path("template"))
    parts = page_parts(root)
    children = [*(parts.header if header else []), *parts.content, *parts.footer]
    blocks = [block for child in children for block in writer.blocks(child)]
    return "\n\n".join(blocks) + "\n"


class _Writer:
    def __init__(self, width: int, template: Path) -> None:
        self.width = width
        self.template = template

    def blocks(self, element: ET.Element) -> list[str]:
        """The element as blocks of wrapped lines; a box or a row gives its children's blocks."""
        if element.tag in ("p", "h1", "h2"):
            lines = wrap_lines(self.inline(element), self.width)
            underline = _UNDERLINES.get(element.tag)
            if underline:
                lines.append(underline * max(len(line) for line in lines))
            return ["\n".join(lines)] if any(lines) else []
        if element.tag in ("ul", "ol"):
            return ["\n".join(self.item(item, element, number) for number, item in enumerate(element, 1))]
        if element.tag == "div":
            return [block for child in element for block in self.blocks(child)]
        if element.tag == "table":
            rows = [" | ".join(self.inline(cell) for cell in row) for row in table_rows(element, self.template)]
            return ["\n".join(line for row in rows for line in wrap_lines(row, self.width))]
        if element.tag == "img":
            return []
        raise outside_subset(element, None, self.template)

    def item(self, item: ET.Element, listing: ET.Element, number: int) -> str:
        if item.tag != "li":
            raise outside_subset(item, listing, self.template)
        marker = f"{number}. " if listing.tag == "ol" else "- "
        return "\n".join(wrap_lines(self.inline(item), self.width, marker))

    def inline(self, element: ET.Element) -> str:
        """The element's words on one line (``\\n`` where a ``<br>`` is), links with their address."""
        parts = [element.text or ""]
        for child in element:
            if child.tag == "br":
                parts.append("\n")
            elif child.tag in ("strong", "em", "span"):  # (plain text has no bold, nor language of parts)
                parts.append(self.inline(child))
            elif child.tag == "a":
                parts.append(_link(self.inline(child), checked_link(child, self.template)))
            else:
                raise outside_subset(child, element, self.template)
            parts.append(child.tail or "")
        text = "".join(parts).replace("\u00ad", "")
        return "\n".join(_SPACES.sub(" ", line) for line in text.split("\n"))


def _link(words: str, href: str) -> str:
    """``NIH (https://www.nih.gov/)``; a web address in full when the words are the address,
    and an email address or phone number as written when the words are it."""
    bare = re.sub(r"^(https?://|mailto:|tel:)", "", href).rstrip("/")
    said = words.strip().rstrip("/")
    if href.startswith("tel:") and re.sub(r"\D", "", said) == re.sub(r"\D", "", bare):
        return words
    if said not in (href.rstrip("/"), bare):
        return f"{words} ({href})"
    return href if href.startswith("http") else words
