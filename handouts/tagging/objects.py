"""Writing the structure tree into the PDF with ReportLab's own objects, as the file is saved.

What a reader needs besides the tagged page content: the tree of structure elements
(``/StructTreeRoot``), the ParentTree that leads from each page's marked content and each link
annotation back to its element, ``/MarkInfo``, and XMP metadata with the title and the PDF/UA
identifier. ReportLab formats these objects together with its own, so no second pass over the
file is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from reportlab.pdfbase.pdfdoc import (XMP, PDFArray, PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFString,
                                      PDFtrue, PDFZCompress, format)

from .structure import Annotation, Marked, Node


@dataclass(frozen=True)
class Page:
    """A drawn page: its reference, and the element each of its marked-content ids belongs to."""

    ref: PDFObjectReference
    owners: list[Node]


def write_tree(doc: Any, root: Node, pages: list[Page], info: dict[str, str]) -> None:
    """Add the tree under ``root`` and the document-level entries to ``doc``'s catalog.

    Page ``n`` is ParentTree key ``n`` (its ``/StructParents``); annotations follow.
    """
    tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    tree_ref = doc.Reference(tree_root, "StructTreeRoot")
    refs: dict[Node, PDFObjectReference] = {}
    annotations: list[tuple[Annotation, Node]] = []
    tree_root["K"] = _element(doc, root, tree_ref, pages, refs, annotations)
    numbers: list[Any] = []
    for key, page in enumerate(pages):
        numbers += [key, _Compact([refs[node] for node in page.owners], array=True)]
    for key, (annotation, node) in enumerate(annotations, start=len(pages)):
        annotation.pdf["StructParent"] = key
        numbers += [key, refs[node]]
    tree_root["ParentTree"] = _Compact([b"/Nums", _Compact(numbers, array=True)])
    tree_root["ParentTreeNextKey"] = len(pages) + len(annotations)
    doc.Catalog.StructTreeRoot = tree_root
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})
    metadata = XMP(creator=lambda _: xmp(info).encode("utf-8"))
    metadata.filters = [PDFZCompress]  # as ReportLab compresses page content: half the size
    doc.Catalog.Metadata = metadata


def _element(doc: Any, node: Node, parent: PDFObjectReference, pages: list[Page],
             refs: dict[Node, PDFObjectReference], annotations: list[tuple[Annotation, Node]]) -> PDFObjectReference:
    """Write ``node`` and the elements below it; the reference to ``node``'s dictionary."""
    tag = node.tag
    entries: list[Any] = [b"/S", b"/" + tag.role.encode(), b"/P", parent]  # (/Type /StructElem is optional)
    element = _Compact(entries)
    ref = refs[node] = doc.Reference(element, f"Struct{len(refs)}")
    first = next((kid.page for kid in _content(node)), None)
    if first is not None:
        entries += [b"/Pg", pages[first].ref]
    kids: list[Any] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            if not kid.empty:
                kids.append(_element(doc, kid, ref, pages, refs, annotations))
        elif isinstance(kid, Marked):
            kids.append(kid.mcid if kid.page == first else
                        PDFDictionary({"Type": PDFName("MCR"), "Pg": pages[kid.page].ref, "MCID": kid.mcid}))
        else:
            annotations.append((kid, node))
            kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": doc.Reference(kid.pdf), "Pg": pages[kid.page].ref}))
    entries += [b"/K", kids[0] if len(kids) == 1 else _Compact(kids, array=True)]
    if tag.alt is not None:
        entries += [b"/Alt", PDFString(tag.alt)]
    if tag.lang and node.parent and tag.lang != _language(node.parent):  # the root's is the catalog's /Lang
        entries += [b"/Lang", PDFString(tag.lang)]
    attributes: dict[str, Any] = {name: PDFName(value) for name, value in tag.attributes}
    if node.bbox:
        attributes.update(O=PDFName("Layout"), BBox=PDFArray(list(node.bbox)))
    if attributes:
        entries += [b"/A", PDFDictionary(attributes)]
    return ref


class _Compact(PDFObject):
    """A dictionary (keys and values in turn) or an array formatted in one go. ReportLab's own
    make and format an object for every key, which made writing the tree three quarters of
    what tagging cost; here a name, a number or a reference is written directly."""

    def __init__(self, items: list[Any], array: bool = False) -> None:
        self.items = items
        self.array = array

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        words = b" ".join(item if isinstance(item, bytes) else b"%d" % item if isinstance(item, int)
                          else b"%d %d R" % numbers[item.name] if isinstance(item, PDFObjectReference)
                          else format(item, document) for item in self.items)
        return b"[%s]" % words if self.array else b"<<%s>>" % words


def _content(node: Node) -> list[Marked | Annotation]:
    return [kid for kid in node.kids if not isinstance(kid, Node)]


def _language(node: Node | None) -> str | None:
    """The language in force at ``node``: its own, or the nearest ancestor's."""
    while node is not None and not node.tag.lang:
        node = node.parent
    return node.tag.lang if node is not None else None


def xmp(info: dict[str, str]) -> str:
    """XMP metadata: Dublin Core title, author, subject and language, and ``pdfuaid:part 1``
    (the PDF/UA identifier, which screen-reader software looks for)."""
    keys = ("title", "author", "subject", "lang", "keywords", "creator", "created")
    text = {key: escape(info.get(key, ""), quote=False) for key in keys}
    created = f"<xmp:CreateDate>{text['created']}</xmp:CreateDate>" if text["created"] else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        "<dc:format>application/pdf</dc:format>\n"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text["title"]}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:creator><rdf:Seq><rdf:li>{text['author']}</rdf:li></rdf:Seq></dc:creator>\n"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text["subject"]}</rdf:li></rdf:Alt></dc:description>\n'
        f"<dc:language><rdf:Bag><rdf:li>{text['lang']}</rdf:li></rdf:Bag></dc:language>\n"
        f"<pdf:Keywords>{text['keywords']}</pdf:Keywords>\n"
        f"<xmp:CreatorTool>{text['creator']}</xmp:CreatorTool>{created}\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    )


def xmp_date(day: dt.date) -> str:
    """``2026-11-20T00:00:00Z``: a date as XMP writes it, at midnight UTC (as the Info dictionary)."""
    return f"{day:%Y-%m-%d}T00:00:00Z"
