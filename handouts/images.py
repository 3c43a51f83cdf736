"""Pictures on a handout, such as the clinic's logo: PNG and JPEG with Pillow, SVG with svglib.

A logo straight from a design folder can be thousands of pixels wide; printed half an inch
high it needs a couple of hundred, so a larger image is scaled down before it is embedded,
which keeps a handout small enough to email. An SVG stays vector art, but text in it would
need fonts that are not embedded, so it is refused with what to do instead.

A picture is read like every other input (a regular file of at most :data:`MAX_BYTES`), and
its size in pixels is checked before it is decoded: a small PNG can claim 40,000 × 40,000
pixels and would take gigabytes of memory to open.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import HandoutError
from .load import read_file

MAX_BYTES = 20 * 1024 * 1024
"""Largest picture file accepted: a logo is tens of kilobytes; a photo straight from a camera fits."""

MAX_PIXELS = 50_000_000
"""Most pixels a picture may have (e.g. 8,000 × 6,000), checked before it is decoded."""

PRINT_DPI = 300
"""Pixels per inch a picture keeps: enough for any office printer."""

KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


def picture(path: Path, height: float, font: str | None = None, gray: bool = False) -> Any:
    """A flowable showing ``path`` ``height`` points high; raises HandoutError naming the file.

    ``font`` is the page's font, which ReportLab's vector drawing selects on its way in
    (without it, an SVG would bring in unembedded Helvetica though it draws no text);
    ``gray`` turns the picture's colours into greys, for an ink-saving handout.
    """
    kind, data = _read(path)
    return _vector(path, height, font, gray) if kind == "SVG" else _raster(path, data, height, kind, gray)


def _read(path: Path) -> tuple[str, bytes]:
    """The picture's kind and bytes: a PNG, JPEG or SVG file, regular and not too large."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise HandoutError(f"pictures must be PNG, JPEG or SVG files, not '{path.suffix}'", file=path)
    return kind, read_file(path, MAX_BYTES)


@dataclass(frozen=True)
class WebPicture:
    """A picture as a web page or an email carries it: its bytes, media type and printed size (pt)."""

    data: bytes
    media_type: str
    width: float
    height: float


def web_picture(path: Path, height: float, gray: bool = False) -> WebPicture:
    """``path`` for a web page, ``height`` points high: a PNG scaled as for print (greys when
    ``gray``), or the SVG file as it is (the page greys it with CSS)."""
    kind, data = _read(path)
    if kind == "SVG":
        return WebPicture(data, "image/svg+xml", float(_vector(path, height, None, False).width), height)
    png, width = _png(path, data, height, kind, gray)
    return WebPicture(png, "image/png", width, height)


def _raster(path: Path, data: bytes, height: float, kind: str, gray: bool) -> Any:
    from reportlab.platypus import Image

    png, width = _png(path, data, height, kind, gray)
    return Image(io.BytesIO(png), width=width, height=height, mask="auto")


def _png(path: Path, data: bytes, height: float, kind: str, gray: bool) -> tuple[bytes, float]:
    """The picture as PNG bytes with at most :data:`PRINT_DPI` at ``height`` points, and its width in points."""
    from PIL import Image as PILImage, UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            if opened.format != kind:
                raise HandoutError(f"the file is not a {kind} image (it looks like {opened.format})", file=path)
            _refuse_huge(path, *opened.size)
            transparent = opened.mode in ("RGBA", "LA", "P")
            image = opened.convert(("LA" if transparent else "L") if gray else ("RGBA" if transparent else "RGB"))
    except PILImage.DecompressionBombError:  # Pillow's own limit, should it ever be lower than ours
        raise HandoutError(f"the picture has too many pixels; at most {MAX_PIXELS:,} are accepted", file=path) from None
    except (OSError, UnidentifiedImageError) as error:
        raise HandoutError(f"cannot read the picture: {error}", file=path) from None
    pixels = round(height / 72 * PRINT_DPI)
    if image.height > pixels:
        image = image.resize((max(1, round(image.width * pixels / image.height)), pixels), PILImage.LANCZOS)
    encoded = io.BytesIO()
    image.save(encoded, "PNG")
    return encoded.getvalue(), height * image.width / image.height


def _refuse_huge(path: Path, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise HandoutError(f"the picture is {width:,} × {height:,} pixels, more than the {MAX_PIXELS:,} accepted; "
                           "save a smaller copy (a logo needs a few hundred pixels)", file=path)


def _vector(path: Path, height: float, font: str | None, gray: bool) -> Any:
    from reportlab.graphics.shapes import Group, String
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path), external_reference_root=str(path.parent))
    if drawing is None or not drawing.height:
        raise HandoutError("cannot read the picture: it is not a valid SVG file", file=path)

    def has_text(node: Any) -> bool:
        children = node.getContents() if isinstance(node, Group) else []
        return isinstance(node, String) or any(has_text(child) for child in children)

    if has_text(drawing):
        raise HandoutError("the SVG contains text, which would print in a font that is not embedded; "
                           "convert the text to outlines (paths) in your drawing program", file=path)
    if font:
        drawing.initialFontName = font
    if gray:
        _to_gray(drawing)
    scale = height / drawing.height
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, height
    return drawing


def _to_gray(node: Any) -> None:
    """Turn every fill and stroke colour of a drawing into the grey of the same lightness."""
    from reportlab.graphics.shapes import Group
    from reportlab.lib.colors import Color

    for name in ("fillColor", "strokeColor"):
        colour = getattr(node, name, None)
        if isinstance(colour, Color):
            grey = 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue
            setattr(node, name, Color(grey, grey, grey, colour.alpha))
    for child in node.getContents() if isinstance(node, Group) else []:
        _to_gray(child)
