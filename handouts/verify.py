"""Stage 6, verify: open the finished PDF with pypdf and check what a reader will get.

The layout stage already aims for one page; this is the independent check that the bytes we
are about to write really are one page of the right size, with a title, every font embedded,
and the key text extractable (so it can be searched, copied and read aloud).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from .errors import HandoutError


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
    unembedded = sorted({name for page in reader.pages for name in _unembedded_fonts(page)})
    if unembedded:
        problems.append(f"fonts are not embedded: {', '.join(unembedded)}")
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


def _unembedded_fonts(page: object) -> list[str]:
    fonts = page.get("/Resources", {}).get("/Font", {})  # type: ignore[attr-defined]
    names = []
    for ref in fonts.values():
        font = ref.get_object()
        descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descriptor_owner.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            names.append(str(font.get("/BaseFont", "?")).lstrip("/"))
    return names
