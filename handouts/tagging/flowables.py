"""Flowables that say what they draw: content of an element, or decoration.

:mod:`markup` gives each flowable the path of its element (see :mod:`.structure`); these
classes hand it to the :class:`TaggingCanvas` around their drawing:

- a paragraph (:class:`TextLeaf`) draws its text as the element's content;
- a picture is wrapped in :class:`Figure`: content of a ``Figure`` with its alt text and box,
  or an artifact when its alt text is empty (a decorative picture, as in HTML);
- a list (:class:`LabelledList`) draws each bullet or number as the item's ``Lbl``: ReportLab
  draws it outside the item's paragraph, where it would otherwise be untagged;
- a table's fills and lines (a box's background and frame, a rule, a grid) are artifacts,
  through ReportLab's table render callback (:func:`decoration`).

On any other canvas (ReportLab's scratch canvas that measures) they draw as before.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, ListFlowable
from reportlab.platypus.flowables import LIIndenter

from .canvas import TaggingCanvas
from .structure import Path, Tag


class TextLeaf:
    """A paragraph's mixin: its text is content of the element at ``structure``; ``inline``
    are the tags of the elements inside it (links, words in another language), in order
    (see :mod:`.canvas`)."""

    structure: Path = ()
    inline: tuple[Tag, ...] = ()

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not isinstance(canvas, TaggingCanvas) or not self.structure:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        with canvas.text(self.structure, self.inline):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """The parts of a paragraph split across pages stay one element."""
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts:
            part.structure, part.inline = self.structure, self.inline
        return parts


class Figure(Flowable):
    """A picture as a ``Figure`` element (alt text and bounding box), or as an artifact when
    ``structure`` is empty (a decorative picture)."""

    def __init__(self, picture: Any, structure: Path) -> None:
        super().__init__()
        self.picture = picture
        self.structure = structure

    @property
    def picture_width(self) -> float:
        """The width the picture is printed at, whatever room it is given."""
        return float(self.picture.wrap(0, 0)[0])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.picture.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.picture.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.picture.getSpaceAfter())

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not isinstance(canvas, TaggingCanvas):
            self.picture.drawOn(canvas, x, y, _sW)
        elif not self.structure:
            with canvas.artifact():
                self.picture.drawOn(canvas, x, y, _sW)
        else:
            with canvas.marked(self.structure) as node:
                self.picture.drawOn(canvas, x, y, _sW)
            canvas.figure_box(node, self.picture._hAlignAdjust(x, _sW), y, self.width, self.height)


class LabelledList(ListFlowable):
    """A list whose bullets and numbers are drawn as their items' labels (``Lbl``)."""

    def _getContent(self) -> list[Any]:
        items = super()._getContent()
        for item in items:
            path = getattr(item._flowable, "structure", ()) if isinstance(item, LIIndenter) else ()
            if path and item._bullet is not None:
                item._bullet = _Label(item._bullet, (*path[:-1], Tag("Lbl")))
        return items


class _Label:
    """A list item's bullet (ReportLab's ``BulletDrawer``), drawn as its ``Lbl`` element."""

    def __init__(self, bullet: Any, structure: Path) -> None:
        self.bullet = bullet
        self.structure = structure

    def drawOn(self, indenter: Any, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not isinstance(canvas, TaggingCanvas):
            return self.bullet.drawOn(indenter, canvas, x, y, _sW)
        with canvas.marked(self.structure):
            self.bullet.drawOn(indenter, canvas, x, y, _sW)


def decoration(table: Any, command: str, *args: Any) -> None:
    """A table's render callback: its backgrounds and its lines are layout artifacts."""
    canvas = table.canv
    if not isinstance(canvas, TaggingCanvas):
        return
    if command in ("startBG", "startLines"):
        canvas.begin_artifact()
    elif command in ("endBG", "endLines"):
        canvas.end_artifact()


class PartStart(Flowable):
    """Where one of a packet's handouts begins: what follows is content of its ``Part``
    element (``tag``), and a bookmark with its ``title`` leads here."""

    def __init__(self, tag: Tag, title: str, key: str) -> None:
        super().__init__()
        self.tag = tag
        self.title = title
        self.key = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.title, self.key, level=0)
        if isinstance(canvas, TaggingCanvas):
            canvas.prefix = (self.tag,)
