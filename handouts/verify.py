"""Stage 6, verify: open the finished PDF with pypdf and check what a reader will get.

The layout stage already aims for one page; this is the independent check that the bytes we
are about to write really are one page of the right size, with a title, every font embedded,
the key text extractable (so it can be searched, copied and read aloud), and everything
painted tagged as content or as an artifact (:mod:`.tagging.coverage`).

Text is checked the way a PDF reader extracts it: each string the page shows, decoded through
its font's ToUnicode map. That is most of what pypdf's ``extract_text`` does, without its
layout analysis, which cost five times the rest of the check together. Only when a phrase is
not found this way is the full ``extract_text`` asked, so a PDF is never refused that pypdf
could read.

Copies of a handout embed the same font objects, and parsing them (their width tables most
of all) was most of what was left; what the check learns from a page's fonts is kept by the
exact bytes of every object they are made of (:func:`_page_fonts`), so the same bytes are
judged the same way without being parsed again.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import HandoutError
from .recent import recall
from .tagging.coverage import page_content, tagging_problems


@dataclass(frozen=True)
class Expected:
    pages: int
    size: tuple[float, float]
    title: str
    phrases: tuple[str, ...]


def verify_pdf(data: bytes, expected: Expected) -> str:
    """Check ``data`` against ``expected``; return the page text. Raises HandoutError."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    problems = []
    if len(reader.pages) != expected.pages:
        problems.append(f"it has {len(reader.pages)} pages, not {expected.pages}")
    first = reader.pages[0]
    size = (float(first.mediabox.width), float(first.mediabox.height))
    if any(abs(a - b) > 1 for a, b in zip(size, expected.size)):
        problems.append(f"the page is {size[0]:.0f}×{size[1]:.0f} pt, not {expected.size[0]:.0f}×{expected.size[1]:.0f}")
    if (reader.metadata or {}).get("/Title") != expected.title:
        problems.append("its title metadata is missing or wrong")
    fonts = [_page_fonts(page, data) for page in reader.pages]
    unembedded = sorted({name for page_fonts in fonts for name in page_fonts.unembedded})
    if unembedded:
        problems.append(f"fonts are not embedded: {', '.join(unembedded)}")
    problems += tagging_problems(reader)
    text = "\n".join(shown_text(page, page_fonts.decoders) for page, page_fonts in zip(reader.pages, fonts))
    if not all(findable(phrase, text) for phrase in expected.phrases):
        text = "\n".join(page.extract_text() for page in reader.pages)
    missing = [phrase for phrase in expected.phrases if not findable(phrase, text)]
    if missing:
        problems.append(f"this text cannot be extracted from it: {', '.join(map(repr, missing))}")
    if problems:
        raise HandoutError("the PDF failed its check: " + "; ".join(problems))
    return text


SOFT_HYPHEN = "\u00ad"
"""A hyphenation hint: invisible unless a line breaks there, where it is drawn as '-'."""


def findable(phrase: str, text: str) -> bool:
    """Whether a reader's search finds ``phrase`` in extracted ``text``.

    Spaces may be any run of whitespace, and a line may break inside a word (a word wider
    than the line is split; a soft hyphen breaks as '-'): extractors report those breaks as
    whitespace, which a search should see through.
    """
    words = [
        r"\s?".join(r"(?:-\s)?" if char == SOFT_HYPHEN else re.escape(char) for char in word)
        for word in phrase.split()
    ]
    return re.search(r"\s+".join(words), " ".join(text.split())) is not None


def plain(text: str) -> str:
    """``text`` for the document's metadata, which cannot hyphenate: without soft hyphens."""
    return text.replace(SOFT_HYPHEN, "")


Decoder = Callable[[bytes], str]


@dataclass(frozen=True)
class PageFonts:
    """What the check needs of a page's fonts: which are not embedded, and how each decodes."""

    unembedded: tuple[str, ...]
    decoders: dict[str, Decoder]


def read_fonts(page: Any) -> PageFonts:
    """Parse the page's fonts with pypdf."""
    fonts = {str(name): ref.get_object() for name, ref in page.get("/Resources", {}).get("/Font", {}).items()}
    unembedded = []
    for font in fonts.values():
        descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descriptor_owner.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            unembedded.append(str(font.get("/BaseFont", "?")).lstrip("/"))
    return PageFonts(tuple(unembedded), {name: _decoder(font) for name, font in fonts.items()})


_kept_fonts: dict[tuple[bytes, ...], PageFonts] = {}
_KEPT_FONTS = 16
_REFERENCE = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z])")


def _page_fonts(page: Any, data: bytes) -> PageFonts:
    """:func:`read_fonts`, kept by the bytes of every object the page's fonts are made of."""
    key = _font_bytes(page, data)
    return read_fonts(page) if key is None else recall(_kept_fonts, key, lambda: read_fonts(page), _KEPT_FONTS)


def _font_bytes(page: Any, data: bytes) -> tuple[bytes, ...] | None:
    """The page's font entry and the bytes of every object it leads to (each ``N G R`` in an
    object's dictionary followed), or None where that cannot be told from a classic
    cross-reference table: then the fonts are parsed as usual."""
    entry = dict.get(page["/Resources"], "/Font") if "/Resources" in page else None
    if entry is None:
        return None
    refs = [entry] if not isinstance(entry, dict) else [entry[name] for name in sorted(entry)]
    if not all(hasattr(ref, "idnum") for ref in refs):
        return None
    todo = [(ref.idnum, ref.generation) for ref in reversed(refs)]
    offsets = {(number, generation): at for generation, table in page.pdf.xref.items() for number, at in table.items()}
    starts = sorted(offsets.values())
    parts, seen = [repr(sorted(entry) if isinstance(entry, dict) else None).encode()], set()
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if ref not in offsets:
            return None
        at = offsets[ref]
        following = bisect.bisect_right(starts, at)
        raw = data[at:starts[following] if following < len(starts) else len(data)]
        parts.append(raw)
        todo.extend((int(number), int(generation)) for number, generation in _REFERENCE.findall(raw.split(b"stream")[0]))
    return tuple(parts)


_TOKENS = re.compile(
    rb"\((?P<literal>(?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*)\)"  # (string), one level of nested ( )
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)>"  # <hex string>
    rb"|/(?P<font>[^\s/\[\]()<>{}%]+)\s+[-+.\d]+\s+Tf"  # /F1 12 Tf
    rb"|(?P<line>T\*|Td|TD|Tm|ET)(?![A-Za-z*])",  # operators that start a new line
    re.S,
)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\r\n]|.)", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\r": b"", b"\n": b""}


def shown_text(page: Any, decoders: dict[str, Decoder] | None = None) -> str:
    """The text the page's content stream shows, decoded by each font's ToUnicode map
    (``decoders``, by font resource name, when the caller has read the fonts already).

    Strings are joined as they are drawn; a new line (``T*``, ``Td``, ``Tm``, ``ET`` …) adds
    a space, so words never run together across lines.
    """
    content = page_content(page)
    if content is None:
        return ""
    decoders = read_fonts(page).decoders if decoders is None else decoders
    unknown = decode = _decoder(None)
    parts = []
    for token in _TOKENS.finditer(content):
        kind = token.lastgroup
        if kind == "font":
            decode = decoders.get("/" + token["font"].decode("latin-1"), unknown)
        elif kind == "line":
            parts.append(" ")
        elif kind == "hex":
            digits = b"".join(token["hex"].split())
            parts.append(decode(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))))
        else:
            raw = token["literal"]
            parts.append(decode(_ESCAPE.sub(lambda m: _ESCAPED.get(m[1]) or _octal(m[1]), raw) if b"\\" in raw else raw))
    return "".join(parts)


def _octal(escape: bytes) -> bytes:
    return bytes([int(escape, 8) & 0xFF]) if escape[:1].isdigit() else escape


def _decoder(font: Any) -> Any:
    """bytes -> text for one font: its ToUnicode map, or Latin-1 for a font without one."""
    cmap = font.get("/ToUnicode") if font is not None else None
    if cmap is None:
        return lambda raw: raw.decode("latin-1")
    width, table = _read_cmap(cmap.get_object().get_data())
    if width == 1:
        by_byte = {code[0]: text for code, text in table.items()}
        return lambda raw: raw.decode("latin-1").translate(by_byte)
    return lambda raw: "".join(table.get(raw[i:i + width], "") for i in range(0, len(raw), width))


_RANGE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_RANGE_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


@lru_cache(maxsize=64)
def _read_cmap(data: bytes) -> tuple[int, dict[bytes, str]]:
    """A ToUnicode CMap's code width in bytes and its code -> text map (bfchar and bfrange);
    kept, as the same font subsets come back in copy after copy (callers must not change it)."""
    space = _RANGE.search(data)
    width = len(space[1]) // 2 if space else 1
    table: dict[bytes, str] = {}
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for code, text in zip(codes[::2], codes[1::2]):
            table[bytes.fromhex(code.decode())] = _utf16(text)
    for block in _BFRANGE.findall(data):
        for low, high, target in _RANGE_ENTRY.findall(block):
            first, last = int(low, 16), int(high, 16)
            targets = [_utf16(t) for t in _HEX.findall(target)]
            for offset, code in enumerate(range(first, last + 1)):
                if target.startswith(b"["):
                    text = targets[offset] if offset < len(targets) else ""
                else:
                    text = targets[0][:-1] + chr(ord(targets[0][-1]) + offset) if targets[0] else ""
                table[code.to_bytes(width, "big")] = text
    return width, table


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")
