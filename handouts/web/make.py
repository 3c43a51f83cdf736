"""What the page's buttons make, in memory: a handout or a packet, a print-ready copy, a
preview, the handout's web page (its HTML version).

One topic gives that handout, exactly as ``build`` makes it; several give one packet with a
bookmark each, made by the function ``batch`` uses. Nothing here writes a file: the PDFs
carry the patient's name. The caller holds :attr:`Shelf.lock <.library.Shelf.lock>`.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from ..batch import make_packet
from ..pipeline import Options, build_handout
from ..variants import ENGLISH, output_name, variant_suffix
from .library import Library
from .order import Order

PREVIEW_SCALE = 1.5
"""Pixels per point of the preview (108 dpi): sharp at the size the page shows it, about 200 KB."""

PRINT_ON_OPEN = "this.print({bUI: true, bSilent: false, bShrinkToFit: false});"
"""What a PDF viewer runs when the Print button's copy opens: the print dialog, at actual size."""


@dataclass(frozen=True)
class Download:
    """A PDF to send: its bytes and the file name the browser saves it as."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class Preview:
    """The first page of one chosen handout, as a PNG (base64) and what it shows."""

    title: str
    language: str
    pages: int
    body_size: float
    png: str
    width: int
    height: int


def pdf(library: Library, order: Order) -> Download:
    """The handout (one topic) or the packet (several) the order asks for."""
    assert library.project is not None
    files = [version.topic_file for version in order.versions]
    if len(files) == 1:
        handout = build_handout(library.project, files[0], order.options)
        return Download(handout.data, output_name(files[0], order.options))
    packet = make_packet(library.project, files, order.options, order.language)
    return Download(packet.data, packet_name(order.language, order.options))


def web_page(library: Library, order: Order) -> str:
    """The order's one handout as the HTML page ``build --format html`` writes (see :mod:`handouts.versions`)."""
    from ..versions import handout_html

    assert library.project is not None and len(order.versions) == 1
    return handout_html(library.project, order.versions[0].topic_file, order.options)


def packet_name(language: str, options: Options) -> str:
    """``handouts.es.large.pdf``: a packet's file name says its variant, never the patient."""
    return f"handouts{f'.{language}' if language != ENGLISH else ''}{variant_suffix(options)}.pdf"


def print_ready(data: bytes) -> bytes:
    """``data`` that opens the viewer's print dialog and prints at actual size, not shrunk."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    preferences = writer.viewer_preferences or writer.create_viewer_preferences()
    preferences[NameObject("/PrintScaling")] = NameObject("/None")
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(PRINT_ON_OPEN)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def previews(library: Library, order: Order) -> list[Preview]:
    """The first page of each chosen handout, drawn by PDFium exactly as it will print."""
    assert library.project is not None
    shown = []
    for version in order.versions:
        handout = build_handout(library.project, version.topic_file, order.options)
        png, width, height = first_page_png(handout.data)
        shown.append(Preview(handout.title, version.language, handout.pages, handout.body_size,
                             base64.b64encode(png).decode("ascii"), width, height))
    return shown


def first_page_png(data: bytes, scale: float = PREVIEW_SCALE) -> tuple[bytes, int, int]:
    """The PDF's first page as a PNG and its size in pixels, drawn in memory by PDFium.

    PDFium is not thread-safe: the caller holds the shelf's lock.
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # fast; the best compression saves only a tenth
    return buffer.getvalue(), image.width, image.height
