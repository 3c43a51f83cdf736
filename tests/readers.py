"""PDF readers we did not write, for the tests: poppler's ``pdfinfo``, ``qpdf`` and Mozilla pdf.js.

All three are installed by ``tests/install-test-tools.sh`` (the README's test command runs it);
pdf.js is the pinned copy in ``tests/js``, run by ``tests/js/structure.mjs`` in one Node
process for many files. Each reader's view of a structure tree is brought to one shape,
:data:`Shape`: ``(role, text, kids)`` with the text's whitespace folded, so the tests compare
like with like.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

JS = Path(__file__).resolve().parent / "js"

Shape = tuple[str, str, tuple]
"""An element: its role, the text of its own content, and its child elements."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: run `sh tests/install-test-tools.sh` (the README's test command does)")
    return found


def pdfinfo(path: Path, *options: str) -> str:
    """``pdfinfo``'s report on ``path`` (with ``-struct-text``: the structure tree and its text)."""
    return subprocess.run([_tool("pdfinfo"), *options, str(path)], check=True, capture_output=True, text=True).stdout


def qpdf_check(path: Path) -> subprocess.CompletedProcess[str]:
    """``qpdf --check``: the file's syntax, cross-reference table and streams."""
    return subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)


def pdfjs(paths: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """What pdf.js sees in each file: per page, ``tree`` (``page.getStructTree()``) and ``text``
    (the text of each marked-content id)."""
    script = JS / "structure.mjs"
    if not (JS / "node_modules" / "pdfjs-dist").is_dir():
        raise RuntimeError("pdf.js is missing: run `sh tests/install-test-tools.sh` (the README's test command does)")
    result = subprocess.run([_tool("node"), str(script), *map(str, paths)], check=True, capture_output=True, text=True)
    return {Path(name): pages for name, pages in json.loads(result.stdout).items()}


def folded(text: str) -> str:
    """Text as a reader hears it: whitespace (no-break spaces too) folded to single spaces,
    none before punctuation (where a span of another language starts, ReportLab draws the
    space before it inside it)."""
    return re.sub(r" (?=[;.,:])", "", " ".join(text.replace("\u00a0", " ").split()))


_ROLE = re.compile(r"^( *)(\w+)(?: \((?:block|inline)\))?:?$")
_TEXT = re.compile(r'^( *)"(.*)"$')


def poppler_tree(path: Path) -> Shape:
    """The structure tree ``pdfinfo -struct-text`` prints (two spaces a level; attributes, on
    lines of their own that start with '/', are left out)."""
    root: list[Any] = ["", [], []]
    stack: list[tuple[int, list[Any]]] = [(-1, root)]
    for line in pdfinfo(path, "-struct-text").splitlines():
        found = _ROLE.match(line) or _TEXT.match(line)
        if not found:
            continue
        depth = len(found[1])
        while stack[-1][0] >= depth:
            stack.pop()
        if found.re is _TEXT:
            stack[-1][1][1].append(found[2])
            continue
        node: list[Any] = [found[2], [], []]
        stack[-1][1][2].append(node)
        stack.append((depth, node))
    return _shape(root[2][0])


def _shape(node: list[Any]) -> Shape:
    role, texts, kids = node
    return role, folded("".join(texts)), tuple(_shape(kid) for kid in kids)


def pdfjs_leaves(pages: list[dict[str, Any]]) -> list[tuple[tuple[str, ...], str, str | None]]:
    """pdf.js's elements that hold content, in reading order over all pages: the roles from
    the root down to each, its text and its alt text."""
    found = []
    for page in pages:
        for path, node in _walk(page["tree"], ()):
            contents = [kid["id"] for kid in node["children"] if kid.get("type") == "content"]
            if contents:
                found.append((path, folded("".join(page["text"].get(id, "") for id in contents)), node.get("alt")))
    return found


def _walk(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for kid in node.get("children", []):
        if "role" in kid:
            yield (*path, kid["role"]), kid
            yield from _walk(kid, (*path, kid["role"]))


def leaves(shape: Shape, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """The elements of ``shape`` that hold text, with their roles from the root down."""
    role, text, kids = shape
    here = (*path, role)
    return ([(here, text)] if text or not kids else []) + [leaf for kid in kids for leaf in leaves(kid, here)]
