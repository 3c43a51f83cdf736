"""Drawing a tagged page: a ReportLab canvas that marks what it paints as it paints it.

Every painted operator must sit inside marked content that belongs to an element of the
structure tree, or inside an artifact (decoration a reader skips). Flowables ask this canvas
for one or the other around their drawing (:mod:`.flowables`); the canvas numbers the marked
content of each page (MCIDs), grows the :class:`Structure` and, when the document is saved,
writes it with ReportLab's own PDF objects (:mod:`.objects`), so the file is never reopened.

A paragraph is the one delicate case. ReportLab draws it as one text object, and an element
inside it (a link, words in another language) needs marked content of its own, which PDF only
allows when every marked-content sequence nests properly with ``BT``/``ET``. So a paragraph's
marked content lives inside its text object: opened just after ``BT``, cut where such an
element starts and ends (zero-width ``onDraw`` marks that :mod:`markup` puts around its
words), and closed before ``ET``. ReportLab also writes no space where it wraps a line, so a reader that
joins a paragraph's lines would run the last word of one into the first of the next; the
text object here shows an (invisible) space at the end of every line instead.

This leans on a few ReportLab internals, each checked by ``tests/test_tagging_internals.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from .objects import Page, write_tree
from .structure import INLINE_END, INLINE_MARK, Annotation, Marked, Node, Path, Structure, Tag

_NO_SPACE_AFTER = (" ", "\u00a0", "-", "\u00ad", "\u2010", "\u2011")
"""A line that ends in one of these needs no space added: it has one, or a word breaks there."""


@dataclass
class _Paragraph:
    """The paragraph being drawn: its element, the tags of the elements inside it (links,
    words in another language), those open where drawing is now, and the links drawn so far."""

    node: Node
    inline: tuple[Tag, ...]
    open: list[Node] = field(default_factory=list)
    links: list[Node] = field(default_factory=list)

    @property
    def current(self) -> Node:
        """The element the words drawn now belong to."""
        return self.open[-1] if self.open else self.node

    def link_to(self, address: str) -> Node | None:
        """The link drawn last in this paragraph that goes to ``address``."""
        return next((node for node in reversed(self.links) if node.tag.target == address), None)


class TaggingCanvas(Canvas):
    """A canvas that builds the structure tree of what it draws (see the module's docstring).

    ``root`` is the tree's top element (``Document`` with the document's language); ``info``
    (title, author, subject, keywords, language, creator, creation date) becomes the XMP metadata.
    """

    def __init__(self, *args: Any, root: Tag, info: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.structure = Structure(root)
        self.prefix: Path = ()
        """Prepended to every path: a packet's current handout (its ``Part``)."""
        self.info = info
        self.pages: list[Page] = []
        self._owners: list[Node] = []
        self._paragraph: _Paragraph | None = None
        self.setNamedCB(INLINE_MARK, self._inline_mark)

    @contextmanager
    def marked(self, path: Path) -> Iterator[Node]:
        """Draw content of the element at ``path`` (an image, a list label) as marked content."""
        node = self.structure.enter(self.prefix + path)
        self.addLiteral(self._begin(node))
        yield node
        self.addLiteral("EMC")

    @contextmanager
    def artifact(self, kind: str = "Layout", subtype: str | None = None) -> Iterator[None]:
        """Draw decoration (a box's fill, a rule, a page number) that readers should skip."""
        self.begin_artifact(kind, subtype)
        yield
        self.end_artifact()

    def begin_artifact(self, kind: str = "Layout", subtype: str | None = None) -> None:
        extra = f" /Subtype /{subtype}" if subtype else ""
        self.addLiteral(f"/Artifact <</Type /{kind}{extra}>> BDC")

    def end_artifact(self) -> None:
        self.addLiteral("EMC")

    @contextmanager
    def text(self, path: Path, inline: tuple[Tag, ...] = ()) -> Iterator[None]:
        """Draw a paragraph of the element at ``path``; ``inline``: the tags of the elements
        inside it, in order (see :data:`~.structure.INLINE_MARK`)."""
        self._paragraph = _Paragraph(self.structure.enter(self.prefix + path), inline)
        try:
            yield
        finally:
            self._paragraph = None

    def figure_box(self, node: Node, x: float, y: float, width: float, height: float) -> None:
        """Record where a figure drawn at ``x, y`` (current coordinates) lies on the page."""
        a, b, c, d, e, f = self._currentMatrix
        corners = [(a * px + c * py + e, b * px + d * py + f) for px in (x, x + width) for py in (y, y + height)]
        xs, ys = [round(px, 2) for px, _ in corners], [round(py, 2) for _, py in corners]
        node.bbox = (min(xs), min(ys), max(xs), max(ys))

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        if self._paragraph is None:
            return super().beginText(x, y, direction)
        text = _ParagraphText(self, x, y, direction=direction)
        text._code.append(self._begin(self._paragraph.current))
        return text

    def _inline_mark(self, canvas: Canvas, kind: str, label: str) -> None:
        """``onDraw`` where an element inside the paragraph starts (label: its index) or ends:
        cut the marked content there."""
        paragraph = self._paragraph
        if paragraph is None:
            return
        if label == INLINE_END:
            if paragraph.open:
                paragraph.open.pop()
        else:
            paragraph.open.append(paragraph.current.add(paragraph.inline[int(label)]))
            if paragraph.current.tag.target:
                paragraph.links.append(paragraph.current)
        self._curr_tx_info["tx"]._code.append("EMC " + self._begin(paragraph.current))

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
        """ReportLab makes a link's annotation itself and hands out no reference to it: catch
        it here and give it to its ``Link`` element, with the link's words as its description."""
        super()._addAnnotation(annotation, name, addtopage)
        action = annotation.dict.get("A") if hasattr(annotation, "dict") else None
        if self._paragraph is None or action is None:
            return
        link = self._paragraph.link_to(action.dict["URI"].s)
        if link is not None:
            link.kids.append(Annotation(len(self.pages), annotation))
            annotation["Contents"] = PDFString(link.tag.alt or link.tag.target)

    def _begin(self, node: Node) -> str:
        """Give ``node`` the next marked-content id on this page; the operator that opens it."""
        mcid = len(self._owners)
        self._owners.append(node)
        node.kids.append(Marked(len(self.pages), mcid))
        return f"/{node.tag.role} <</MCID {mcid}>> BDC"

    def showPage(self) -> None:
        """End the page; it points to its part of the tree (``/StructParents``) and asks for
        the structure's order when tabbing through its links (``/Tabs /S``)."""
        self.pages.append(Page(self._doc.thisPageRef(), self._owners))
        self._owners = []
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = len(self.pages) - 1
        page.Tabs = PDFName("S")

    def save(self) -> None:
        if self._code:
            self.showPage()
        write_tree(self._doc, self.structure.root, self.pages, self.info)
        super().save()


class _ParagraphText(PDFTextObject):
    """A paragraph's text object: its marked content closes before ``ET``, and every line
    ends in a space, so readers that join lines keep the words apart."""

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if TStar:
            ends = text[-1:] if text else getattr(self, "_last", "")
            if ends and not ends.endswith(_NO_SPACE_AFTER):
                text += " "
            self._last = ""
        elif text:
            self._last = text[-1]
        super()._textOut(text, TStar)

    def getCode(self) -> str:
        self._code.append("EMC")
        return super().getCode()
