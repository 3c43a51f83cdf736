"""The logical structure of a handout: which element each painted thing belongs to.

The XHTML a template writes is already semantic, so :mod:`markup` gives every flowable it
makes a :data:`Path`: the chain of :class:`Tag` from the page's outermost element down to the
one that holds the flowable's content (``Sect`` › ``L`` › ``LI`` › ``LBody``). While a page is
drawn, :class:`Structure` turns each path into elements of the tree, in drawing order, which
is the template's order (the reading order). A path shares its leading elements with the one
drawn before it as long as their tags are the same objects, so the parts of one element drawn
apart (a list's label and body, a paragraph split across pages) stay one element.

Nothing here knows ReportLab: :mod:`.canvas` draws, :mod:`.objects` writes the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INLINE_MARK = "handouts-inline"
"""The ``onDraw`` mark :mod:`markup` puts where the words of an element inside a paragraph (a
link, words in another language) start (label: the element's index in the paragraph) and end
(label :data:`INLINE_END`), so the canvas can mark them apart."""

INLINE_END = "end"


@dataclass(frozen=True, eq=False)
class Tag:
    """One element of the page as the structure tree names it: a standard role (``P``,
    ``H1``, ``Figure`` …), its alternate description, language and attributes.

    Tags compare by identity: markup makes one per XHTML element, so two paragraphs with the
    same words are still two elements.
    """

    role: str
    alt: str | None = None
    lang: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    """Layout or list/table attributes (``/A``), e.g. ``(("O", "List"), ("ListNumbering", "Disc"))``."""
    target: str | None = None
    """A link's address, which tells its annotations (the clickable areas) which link they are."""


Path = tuple[Tag, ...]


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False)
class Annotation:
    """An annotation (a link's clickable area) that belongs to an element: ``page`` and the
    annotation's PDF object, which gets its ``/StructParent`` when the tree is written."""

    page: int
    pdf: object


@dataclass(eq=False)
class Node:
    """An element of this document's tree (tags are shared between documents; nodes are not)."""

    tag: Tag
    parent: Node | None
    kids: list[Node | Marked | Annotation] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    """A figure's box on its page, in points: left, bottom, right, top."""

    def add(self, tag: Tag) -> Node:
        node = Node(tag, self)
        self.kids.append(node)
        return node

    @property
    def empty(self) -> bool:
        """Nothing was drawn for it (a paragraph without text): left out of the tree."""
        return all(isinstance(kid, Node) and kid.empty for kid in self.kids)


class Structure:
    """A document's tree, grown as its content is drawn."""

    def __init__(self, root: Tag) -> None:
        self.root = Node(root, None)
        self._open: list[Node] = []

    def enter(self, path: Path) -> Node:
        """The element for content drawn now at ``path``, made with any ancestors not open yet."""
        shared = 0
        while shared < min(len(path), len(self._open)) and self._open[shared].tag is path[shared]:
            shared += 1
        del self._open[shared:]
        node = self._open[-1] if self._open else self.root
        for tag in path[shared:]:
            node = node.add(tag)
            self._open.append(node)
        return node
