"""Stage 6, verify: open the finished PDF with pypdf and check what a reader will get.

The layout stage already aims for one page; this is the independent check that the bytes we
are about to write really are one page of the right size, with a title, every font embedded,
and the key text extractable (so it can be searched, copied and read aloud).
"""

from __future__ import annotations

import io
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
    flat = " ".join(text.split())
    missing = [phrase for phrase in expected.phrases if " ".join(phrase.split()) not in flat]
    if missing:
        problems.append(f"this text cannot be extracted from it: {', '.join(map(repr, missing))}")
    if problems:
        raise HandoutError("the PDF failed its check: " + "; ".join(problems))
    return text


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
