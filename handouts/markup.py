"""Stage 5a, markup: the XHTML subset a template renders, mapped onto Platypus flowables.

Templates write a small, documented subset of XHTML (``h1 h2 p ul ol li strong em a br img
table`` and the classes ``header``, ``footer``, ``callout <kind>``), so a designer writes
HTML, not a new language, and the same template can one day serve an HTML page. Anything
outside the subset is an error: ReportLab would otherwise drop unknown tags silently.

The XHTML is semantic, so it also gives the PDF its structure: each flowable carries the path
of structure elements it belongs to (``h1`` is ``H1``, a list ``L`` › ``LI`` › ``LBody``, a
callout a ``Sect`` with its heading inside, an ``img`` a ``Figure`` with its ``alt`` text), which
the tagging canvas turns into the structure tree as it draws (:mod:`.tagging`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from .confine import confined
from .errors import HandoutError
from .model import LANGUAGE_PATTERN
from .recent import recall
from .tagging.structure import INLINE_END, INLINE_MARK, Tag

BLOCKS = ("h1", "h2", "p", "ul", "ol", "div", "table", "img")
INLINE = {"strong": "b", "em": "i", "a": "a", "br": "br", "span": "span"}
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
PICTURE_HEIGHT = 48.0
"""The printed height (pt) of an ``<img>`` without a ``height``."""
ROLES = {"h1": "H1", "h2": "H2", "p": "P", "th": "TH", "td": "TD"}
"""The structure element of each paragraph-like tag."""
HEADER_PART = "the header (the clinic's name, phone and logo)"
"""How an overflow report calls the header, which the clinic file fills, not the topic."""

KEPT_ELEMENTS = 128
"""How many elements' flowables a sheet keeps for the next build (see :meth:`_Mapper.top`)."""


@dataclass(frozen=True)
class Block:
    """One top-level flowable and the part of the handout it belongs to (for overflow reports)."""

    flowable: Any
    part: str
    pinned_to_bottom: bool = False


Structure = tuple[Tag, ...]
"""The structure elements a flowable belongs to, outermost first (see :mod:`.tagging.structure`)."""


class Sheet(Protocol):
    """What the mapping needs from the layout stage: styles and boxes at the current scale."""

    width: float
    accent: str
    made: dict[bytes, list[Any]]

    def paragraph_style(self, tag: str, classes: list[str], within: list[str]) -> Any: ...
    def boxed(self, box: str, content: list[Any], width: float) -> Any: ...
    def bulleted(self, items: list[Any], ordered: bool, style: Any) -> Any: ...
    def picture(self, path: Path, element: ET.Element) -> Any: ...
    def grid(self, rows: list[list[Any]]) -> Any: ...
    def row(self, columns: list[list[Any]]) -> Any: ...


def parse_page(xhtml: str, template: Path) -> ET.Element:
    """Parse the template's output; a designer's markup slip is reported, not guessed at."""
    try:
        root = ET.fromstring(xhtml)
    except ET.ParseError as error:
        line = error.position[0]
        snippet = xhtml.splitlines()[line - 1].strip()[:80] if line else ""
        raise HandoutError(
            f"the template's output is not well-formed XHTML ({error.msg.split(':')[0]}) "
            f"at line {line} of the output: {snippet!r}",
            file=template,
        ) from None
    if root.tag != "body":
        raise HandoutError(f"the template's output should be one <body> element, not <{root.tag}>", file=template)
    return root


def to_blocks(root: ET.Element, sheet: Sheet, template: Path, image_folders: tuple[Path, ...] = ()) -> list[Block]:
    """Map the page's elements onto flowables, in reading order.

    Pictures may come from the template's folder or from ``image_folders`` (the clinic's).
    """
    mapper = _Mapper(sheet, template, image_folders)
    blocks: list[Block] = []
    part = "the title and summary"
    for index, element in enumerate(root):
        if element.tag == "h2":
            part = f"the section '{_text(element)}'"
        classes = _classes(element)
        label = (f"the box '{_text(element.find('h2'))}'" if "callout" in classes
                 else HEADER_PART if "header" in classes else part)
        for flowable in mapper.top(element, index):
            blocks.append(Block(flowable, label, pinned_to_bottom="footer" in classes))
    return blocks


class _Mapper:
    def __init__(self, sheet: Sheet, template: Path, image_folders: tuple[Path, ...]) -> None:
        self.sheet = sheet
        self.template = template
        self.image_folders = image_folders
        self.handlers: dict[str, Callable[[ET.Element, list[str], Structure], list[Any]]] = {
            "h1": self.paragraph, "h2": self.paragraph, "p": self.paragraph,
            "ul": self.listing, "ol": self.listing, "div": self.division,
            "table": self.table, "img": self.image,
        }

    def top(self, element: ET.Element, index: int) -> list[Any]:
        """The flowables of the page's ``index``-th element, made once per sheet and element.

        Copies of a handout for other patients differ in a line or two, so a sheet (one scale
        of one theme, kept between builds) remembers the flowables it made, measured lines
        and all, by the element's XHTML and place and the size and time of each picture in
        it; only what changed is made and measured again. (The place keeps two equal
        paragraphs two elements of the structure tree.)
        """
        key = b"%d\0" % index + ET.tostring(element) + b"".join(self._picture_stamp(image) for image in element.iter("img"))
        return recall(self.sheet.made, key, lambda: self.block(element, [], ()), KEPT_ELEMENTS)

    def _picture_stamp(self, image: ET.Element) -> bytes:
        try:
            path = picture_path(image, self.template, self.image_folders)
            stat = path.stat()
        except (HandoutError, OSError):
            return b"\0missing"  # self.image refuses it
        return f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()

    def block(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        """``element``'s flowables; ``within``: the classes around it, ``path``: its structure parents."""
        handler = self.handlers.get(element.tag)
        if handler is None:
            raise outside_subset(element, None, self.template)
        return handler(element, within, path)

    def paragraph(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        style = self.sheet.paragraph_style(element.tag, _classes(element), within)
        return [self.text(element, style, (*path, Tag(ROLES[element.tag])))]

    def text(self, element: ET.Element, style: Any, structure: Structure) -> Any:
        """A paragraph of ``element``'s text, drawn as content of the element at ``structure``."""
        inline: list[Tag] = []
        flowable = paragraph_class()(self.inline(element, inline), style)
        flowable.structure, flowable.inline = structure, tuple(inline)
        return flowable

    def listing(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        from reportlab.platypus import ListItem

        ordered = element.tag == "ol"
        listed = (*path, Tag("L", attributes=(("O", "List"), ("ListNumbering", "Decimal" if ordered else "Disc"))))
        style = self.sheet.paragraph_style("li", [], within)
        items = []
        for item in element:
            if item.tag != "li":
                raise outside_subset(item, element, self.template)
            items.append(ListItem(self.text(item, style, (*listed, Tag("LI"), Tag("LBody")))))
        return [self.sheet.bulleted(items, ordered, style)]

    def division(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        """A box, or a row of columns; a callout is a ``Sect`` (its heading inside), any
        other box a ``Div``; a row, or a div without a class, only groups its content."""
        classes = _classes(element)
        inner = [*within, *classes]
        if "row" in classes:
            return [self.sheet.row([self.block(child, inner, path) for child in element])]
        box = box_name(classes)
        inside = (*path, Tag("Sect" if "callout" in classes else "Div")) if box else path
        content = [flowable for child in element for flowable in self.block(child, inner, inside)]
        return [self.sheet.boxed(box, content, self.sheet.width)] if box else content

    def table(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        """A table of ``th`` and ``td`` cells; a ``th`` heads its column in the first row,
        else its row."""
        table = (*path, Tag("Table"))
        rows = []
        for number, row in enumerate(table_rows(element, self.template)):
            where = (*table, Tag("TR"))
            cells = []
            for cell in row:
                scope = (("O", "Table"), ("Scope", "Column" if number == 0 else "Row")) if cell.tag == "th" else ()
                style = self.sheet.paragraph_style(cell.tag, _classes(cell), within)
                cells.append(self.text(cell, style, (*where, Tag(ROLES[cell.tag], attributes=scope))))
            rows.append(cells)
        return [self.sheet.grid(rows)]

    def image(self, element: ET.Element, within: list[str], path: Structure) -> list[Any]:
        """A ``Figure`` described by the picture's ``alt`` text; ``alt=""`` marks a
        decorative picture, which readers skip."""
        from .tagging.flowables import Figure

        file = picture_path(element, self.template, self.image_folders)
        alt = element.get("alt")
        if alt is None:
            raise HandoutError(f"image '{element.get('src')}' needs an alt text: say what it shows for readers who "
                               "cannot see it (alt=\"\" for a picture that only decorates)", file=self.template)
        return [Figure(self.sheet.picture(file, element), (*path, Tag("Figure", alt=alt)) if alt.strip() else ())]

    def inline(self, element: ET.Element, inline: list[Tag]) -> str:
        """The element's content as ReportLab paragraph markup; all text is escaped. The tag
        of each element inside it that is one of the structure tree (a link, words in
        another language) is added to ``inline``."""
        parts = [escape(element.text or "", quote=False)]
        for child in element:
            tag = INLINE.get(child.tag)
            if tag is None:
                raise outside_subset(child, element, self.template)
            if tag == "br":
                parts.append("<br/>")
            elif tag == "a":
                parts.append(self.link(child, inline))
            elif tag == "span":
                parts.append(self.span(child, inline))
            else:
                parts.append(f"<{tag}>{self.inline(child, inline)}</{tag}>")
            parts.append(escape(child.tail or "", quote=False))
        return "".join(parts)

    def link(self, element: ET.Element, inline: list[Tag]) -> str:
        """A link: a ``Link`` element, described by its words."""
        from xml.sax.saxutils import quoteattr  # (it imports urllib.request: only for a handout with a link)

        href = checked_link(element, self.template)
        tag = Tag("Link", alt=_text(element) or href, target=href)
        return self.marked(tag, element, inline, f"<a href={quoteattr(href)} color={quoteattr(self.sheet.accent)}>", "</a>")

    def span(self, element: ET.Element, inline: list[Tag]) -> str:
        """Words in another language (``<span lang="en">``): a ``Span`` element with its ``/Lang``,
        so a screen reader pronounces them in that language. A span without ``lang`` only groups."""
        lang = span_language(element, self.template)
        return self.marked(Tag("Span", lang=lang), element, inline) if lang else self.inline(element, inline)

    def marked(self, tag: Tag, element: ET.Element, inline: list[Tag], opening: str = "", closing: str = "") -> str:
        """``element``'s words (inside ``opening`` and ``closing``) between the marks where the
        element ``tag`` of the structure tree starts and ends."""
        index = len(inline)
        inline.append(tag)
        words = self.inline(element, inline)
        return (f'<onDraw name="{INLINE_MARK}" label="{index}"/>{opening}{words}{closing}'
                f'<onDraw name="{INLINE_MARK}" label="{INLINE_END}"/>')


@cache
def paragraph_class() -> type:
    """ReportLab's Paragraph, breaking its lines once per width instead of at every ``wrap``.

    Platypus asks a paragraph for its size again and again: the fit measures it, the frame
    asks before drawing it, and a list or box asks once more while drawing its items. Each
    ``wrap`` broke the lines anew, which was most of the layout work; the lines only depend
    on the width, so the answer for the last width is kept. It draws its text as content
    of its structure element (:class:`~.tagging.flowables.TextLeaf`). (A class made on first
    use, so importing this module does not import ReportLab.)
    """
    from reportlab.platypus import Paragraph

    from .tagging.flowables import TextLeaf

    class MeasuredParagraph(TextLeaf, Paragraph):
        _measured: tuple[float, tuple[float, float]] | None = None

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            # (``split`` drops ``blPara`` when it moves a paragraph whole to the next page)
            if self._measured is None or self._measured[0] != availWidth or "blPara" not in self.__dict__:
                self._measured = (availWidth, super().wrap(availWidth, availHeight))
            return self._measured[1]

    return MeasuredParagraph


def outside_subset(element: ET.Element, parent: ET.Element | None, template: Path) -> HandoutError:
    """The error for ``element``, which the subset does not allow at the top of the page or
    a box (``parent`` None), in a list, or in a paragraph's text."""
    if parent is None:
        message = f"<{element.tag}> is not in the supported subset ({' '.join(BLOCKS)}) here"
    elif parent.tag in ("ul", "ol"):
        message = f"<{parent.tag}> may hold only <li>, not <{element.tag}>"
    elif parent.tag == "tr":
        message = f"<tr> may hold only <th> and <td>, not <{element.tag}>"
    else:
        message = f"<{element.tag}> is not allowed inside <{parent.tag}>; use strong, em, a, span or br"
    return HandoutError(message, file=template)


def span_language(element: ET.Element, template: Path) -> str | None:
    """A ``<span>``'s ``lang``, the language of its words (None for a span that only groups)."""
    lang = element.get("lang")
    if lang is not None and not re.match(LANGUAGE_PATTERN, lang):
        raise HandoutError(f"lang '{lang}' is not a language code like 'en' or 'es-MX'", file=template)
    return lang


def table_rows(element: ET.Element, template: Path) -> list[list[ET.Element]]:
    """A ``<table>``'s rows, each a list of its ``<th>`` and ``<td>`` cells; anything else is refused."""
    rows = list(element.iter("tr"))
    if not rows:
        raise HandoutError("a <table> needs at least one <tr>", file=template)
    for row in rows:
        for cell in row:
            if cell.tag not in ("th", "td"):
                raise outside_subset(cell, row, template)
    return [list(row) for row in rows]


def picture_height(element: ET.Element) -> float:
    """How high an ``<img>`` is printed, in points: its ``height``, else :data:`PICTURE_HEIGHT`."""
    return float(element.get("height", PICTURE_HEIGHT))


def checked_link(element: ET.Element, template: Path) -> str:
    """An ``<a>``'s address, if it is one a handout may carry: web, mail or phone, never script."""
    href = element.get("href", "")
    if not href.startswith(LINK_SCHEMES):
        raise HandoutError(f"link '{href}' must start with one of {', '.join(LINK_SCHEMES)}", file=template)
    return href


def picture_path(element: ET.Element, template: Path, image_folders: tuple[Path, ...] = ()) -> Path:
    """The file an ``<img>`` shows: named from the template's folder, and inside it or one of
    ``image_folders`` (the clinic's), so a template cannot reach other files."""
    path = confined(template.parent / element.get("src", ""), (template.parent, *image_folders))
    if path is None or not path.is_file():
        raise HandoutError(f"image '{element.get('src')}' must be a file inside {template.parent.resolve()}",
                           file=template)
    return path


class PageParts(NamedTuple):
    """The template's page in three: the ``header`` boxes it starts with, what stands between,
    and the ``footer`` boxes it ends with."""

    header: list[ET.Element]
    content: list[ET.Element]
    footer: list[ET.Element]


def page_parts(root: ET.Element) -> PageParts:
    """``root``'s children as :class:`PageParts`: the HTML page's ``<header>``, ``<main>`` and
    ``<footer>``; an email, which names the clinic itself, carries the last two."""
    children = list(root)
    first = next((i for i, child in enumerate(children) if not _is_box(child, "header")), len(children))
    last = next((i for i in range(len(children), first, -1) if not _is_box(children[i - 1], "footer")), first)
    return PageParts(children[:first], children[first:last], children[last:])


def _is_box(element: ET.Element, name: str) -> bool:
    return element.tag == "div" and name in _classes(element)


def box_name(classes: list[str]) -> str | None:
    """The theme box a ``div`` is drawn in: its last class, ``callout`` aside (``callout urgent``)."""
    return next((name for name in reversed(classes) if name != "callout"), None)


def _classes(element: ET.Element | None) -> list[str]:
    return (element.get("class") or "").split() if element is not None else []


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
