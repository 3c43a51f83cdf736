"""The proof that nothing painted is left untagged, read back from the finished PDF.

PDF/UA's rule that most often fails: everything a page paints (text, a path's fill or
stroke, an image, a shading) lies inside marked content that belongs to an element of the
structure tree, or inside an artifact. :func:`tagging_problems` reads each page's content
stream token by token, as a reader does, keeps the stack of open marked content, and reports
any painting operator outside both. It also checks what makes the marked content findable:
sequences nest properly (with each other and with text objects, and content inside content
never), every marked-content id on a page is in the ParentTree, and every annotation (a
link's clickable area) has its place in the tree.

It uses only pypdf and regular expressions, so it checks any PDF, not just ours (a content
stream encoded as ReportLab writes it is decoded with ReportLab's C decoder, as verify's text
check does).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

PAINTING = {
    b"Tj": "text", b"TJ": "text", b"'": "text", b'"': "text",
    b"f": "a filled shape", b"F": "a filled shape", b"f*": "a filled shape",
    b"B": "a filled shape", b"B*": "a filled shape", b"b": "a filled shape", b"b*": "a filled shape",
    b"S": "a line", b"s": "a line", b"sh": "a shading", b"Do": "a picture", b"BI": "a picture",
}
"""The operators that put ink on the page, and what a reader of our error would call them."""

_SKIPPED = re.compile(rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)|%[^\r\n]*|<[0-9A-Fa-f\s]*+>")
"""Strings (one level of nested parentheses), comments and hex strings: blanked before the scan."""
_INLINE_IMAGE = re.compile(rb"(?<=\s)BI\s.*?\sID\s.*?\sEI(?=\s)", re.S)
"""An inline image, whose data may hold any bytes: read as one ``BI`` (it paints a picture)."""
_DELIMITERS = (b"/", b"[", b"]", b"<<", b">>")
_MARKING = {b"BDC", b"BMC", b"EMC", b"BT", b"ET"}


def tagging_problems(reader: Any) -> list[str]:
    """What is wrong with ``reader``'s tagging, in words; an empty list when nothing is."""
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root or not root.get("/MarkInfo", {}).get("/Marked"):
        return ["it is not tagged (no structure tree, or not marked as tagged)"]
    parents = _parent_tree(root["/StructTreeRoot"])
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        mcids, found = _scan(page_content(page) or b"")
        problems += [f"page {number}: {problem}" for problem in found]
        owners = parents.get(page.get("/StructParents"), [])
        orphans = sorted(mcid for mcid in mcids if mcid >= len(owners) or owners[mcid] is None)
        if orphans:
            problems.append(f"page {number}: marked content {orphans[:5]} belongs to no element of the structure tree")
        for annotation in page.get("/Annots", []):
            key = annotation.get_object().get("/StructParent")
            if key is None or parents.get(key) is None:
                problems.append(f"page {number}: a link area (annotation) has no place in the structure tree")
    return problems


def page_content(page: Any) -> bytes | None:
    """The page's content stream, decoded. ReportLab writes it ASCII85- and then
    Flate-encoded; those two are decoded here in C (pypdf's ASCII85 decoder is pure Python
    and took most of the time of this check and of the text check), anything else by pypdf."""
    from pypdf.generic import StreamObject

    stream = page["/Contents"] if "/Contents" in page else None
    if isinstance(stream, StreamObject) and stream.get("/Filter") == ["/ASCII85Decode", "/FlateDecode"] \
            and "/DecodeParms" not in stream:
        from reportlab.lib.rl_accel import asciiBase85Decode

        return zlib.decompress(asciiBase85Decode(stream._data))  # pypdf keeps a stream's bytes as read in _data
    contents = page.get_contents()
    return None if contents is None else contents.get_data()


def _parent_tree(tree_root: Any) -> dict[int, Any]:
    """The ParentTree as a mapping: a page's list of elements by marked-content id, or an
    annotation's element. (Ours is flat: one ``/Nums`` array.)"""
    entries: dict[int, Any] = {}
    pending = [tree_root.get("/ParentTree")]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        node = node.get_object()
        nums = node.get("/Nums", [])
        for key, value in zip(nums[::2], nums[1::2]):
            value = value.get_object() if hasattr(value, "get_object") else value
            entries[int(key)] = list(value) if isinstance(value, list) else value
        pending += list(node.get("/Kids", []))
    return entries


def _scan(data: bytes) -> tuple[set[int], list[str]]:
    """The marked-content ids a content stream uses, and what is wrong with its marking."""
    stack: list[str] = []  # open marked content: "content", "artifact" or "other"
    text_depth: int | None = None  # the stack's depth at BT, inside a text object
    mcids: set[int] = set()
    untagged: dict[str, int] = {}
    problems: list[str] = []
    tokens = _tokens(data)
    for index, word in enumerate(tokens):
        if word in PAINTING:
            if "content" not in stack and "artifact" not in stack:
                untagged[PAINTING[word]] = untagged.get(PAINTING[word], 0) + 1
        elif word not in _MARKING:
            continue
        elif word == b"BDC" or word == b"BMC":
            kind, mcid = _opened(tokens, index) if word == b"BDC" else ("other", None)
            if mcid is not None:
                if "content" in stack:
                    problems.append("marked content of one element is nested inside another's")
                mcids.add(mcid)
            stack.append(kind)
        elif word == b"EMC":
            if not stack or (text_depth is not None and len(stack) <= text_depth):
                problems.append("marked content ends where none began (or across a text object)")
            else:
                stack.pop()
        elif word == b"BT":
            text_depth = len(stack)
        elif text_depth is not None and len(stack) != text_depth:  # ET
            problems.append("marked content begins inside a text object and ends outside it")
            text_depth = None
        else:
            text_depth = None
    if stack:
        problems.append("marked content is left open at the end of the page")
    problems += [f"{count} × {what} drawn outside any tagged element or artifact" for what, count in untagged.items()]
    return mcids, problems


def _tokens(data: bytes) -> list[bytes]:
    """The content stream's words, with strings and comments blanked and delimiters apart
    (splitting bytes is many times faster than a tokenizing regular expression)."""
    if b"ID" in data:
        data = _INLINE_IMAGE.sub(b" BI ", data)
    data = _SKIPPED.sub(b" ", data)
    for delimiter in _DELIMITERS:
        data = data.replace(delimiter, b" " + delimiter + b" " if delimiter != b"/" else b" /")
    return data.split()


def _opened(tokens: list[bytes], index: int) -> tuple[str, int | None]:
    """What the ``BDC`` at ``index`` opens, from its operands (a tag, then a property list:
    an inline dictionary or a name): ``("content", mcid)``, ``("artifact", None)`` or ``("other", None)``."""
    start = index - 1
    if tokens[start] == b">>":  # walk back to the dictionary's <<
        depth = 0
        while start >= 0:
            depth += (tokens[start] == b">>") - (tokens[start] == b"<<")
            if depth == 0:
                break
            start -= 1
    if start > 0 and tokens[start - 1] == b"/Artifact":
        return "artifact", None
    properties = tokens[start:index]
    if b"/MCID" in properties:
        value = properties.index(b"/MCID") + 1
        if value < len(properties) and properties[value].isdigit():
            return "content", int(properties[value])
    return "other", None
