"""Fonts: register a family with ReportLab once per process, and say which characters it lacks.

ReportLab needs the bold and italic faces mapped to the family (``registerFontFamily``) or
``<b>`` silently renders regular, and it draws a missing glyph as an empty box without any
error, so :func:`missing_characters` lets the pipeline refuse such text instead.

ReportLab embeds in every PDF a subset of each face it uses, building and compressing the
subset's font file anew each time: half of drawing a handout. Copies for other patients use
the same subsets (the first always holds ASCII, the second the accents and symbols of the
text), so each registered face keeps its recent subsets, finished, and writes them again
(:func:`_reuse_subsets`). The bytes are the ones ReportLab would write.
"""

from __future__ import annotations

import importlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import HandoutError
from .load import read_file
from .recent import recall
from .theme import FontFiles

MAX_FONT_BYTES = 50 * 1024 * 1024
"""Largest font file accepted from a theme: a TrueType face is well under a few megabytes."""

_NEVER_DRAWN = frozenset({"Cc", "Cs", "Cn"})
"""Control characters, surrogates and noncharacters: a font may map one (Atkinson maps
U+FFFF), but nothing is drawn, and most are not even allowed in the page's XHTML."""

_FACES = {"regular": (400, "normal"), "bold": (700, "normal"), "italic": (400, "italic"), "bold_italic": (700, "italic")}

_KEPT_SUBSETS = 32
"""Finished subsets kept per face: a run's handouts share a few (languages, patients' names)."""


@dataclass(frozen=True)
class FontFamily:
    """A registered family: ``name`` is the regular face; the others are mapped to it."""

    name: str
    label: str
    bold: str
    files: tuple[Path, ...] = ()
    """The TrueType files, so a build can tell when a font upgrade changes its output."""


def register_family(spec: str | FontFiles, base: Path) -> FontFamily:
    """Register ``spec`` (a pip font package family name, or TrueType files) and return it."""
    files = _package_files(spec) if isinstance(spec, str) else _theme_files(spec, base)
    label = spec if isinstance(spec, str) else files["regular"].stem
    return _register(label, tuple(sorted((face, str(path)) for face, path in files.items())))


def _theme_files(spec: FontFiles, base: Path) -> dict[str, Path]:
    """The four faces a theme names, each checked to be a regular file of a sane size."""
    files = {face: (base / getattr(spec, face)).resolve() for face in _FACES}
    for path in files.values():
        read_file(path, MAX_FONT_BYTES)
    return files


def refuse_undrawable(text: str, family: FontFamily, *, file: Path, line: int | None, key: str | None) -> None:
    """Raise a HandoutError saying where ``text`` has characters ``family`` cannot draw."""
    missing = missing_characters(text, family)
    if missing:
        raise HandoutError(f"the font {family.label} cannot draw {describe_characters(missing)}; "
                           "use other characters", file=file, line=line, key=key)


def missing_characters(text: str, family: FontFamily) -> list[str]:
    """The characters of ``text`` the family cannot draw, in order of first appearance.

    Spaces and line breaks are not drawn but laid out, so they never count; control
    characters that Python also calls space (vertical tab, form feed …) do.
    """
    return [c for c in dict.fromkeys(text) if not _drawable(c, family.name)]


def describe_characters(chars: list[str]) -> str:
    """``'→' (RIGHTWARDS ARROW), U+000B (invisible)``: visible ones shown, the others by code."""
    return ", ".join(
        f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}')})" if c.isprintable()
        else f"U+{ord(c):04X} ({unicodedata.name(c, 'invisible').lower()})"
        for c in chars
    )


@cache
def _drawable(char: str, font_name: str) -> bool:
    """Whether ``char`` is laid out (a space) or drawn by the font; asked once a character,
    as every copy of a handout checks the same text again."""
    if char in "\t\n\r" or (char.isspace() and unicodedata.category(char) != "Cc"):
        return True
    return ord(char) in _char_map(font_name) and unicodedata.category(char) not in _NEVER_DRAWN


@cache
def _register(label: str, files: tuple[tuple[str, str], ...]) -> FontFamily:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    base = "".join(ch for ch in label if ch.isalnum())
    names = {face: base if face == "regular" else f"{base}-{face}" for face in _FACES}
    for face, path in files:
        try:
            font = TTFont(names[face], path)
        except (OSError, TTFError) as error:
            raise HandoutError(f"cannot use the font file: {error}", file=path) from error
        _reuse_subsets(font.face)
        pdfmetrics.registerFont(font)
    for face, (weight, style) in _FACES.items():
        addMapping(base, int(weight >= 700), int(style == "italic"), names[face])
    return FontFamily(name=base, label=label, bold=names["bold"], files=tuple(Path(path) for _, path in files))


def _reuse_subsets(face: Any) -> None:
    """Have ReportLab's ``face`` make each glyph subset's font file, and format its compressed
    stream, once per process; every later PDF that embeds the same subset gets those bytes.

    The hooks are the face's own two steps: ``makeSubset`` (the font file) and
    ``addSubsetObjects`` (the stream and its descriptor, registered in the document under
    ReportLab's name for it). An encrypted document formats every stream anew.
    """
    from reportlab.pdfbase.pdfdoc import NoEncryption, PDFStream

    make_subset, add_subset_objects = face.makeSubset, face.addSubsetObjects
    files: dict[tuple[int, ...], bytes] = {}
    streams: dict[tuple[object, ...], bytes] = {}

    def kept_subset(subset: list[int]) -> bytes:
        return recall(files, tuple(subset), lambda: make_subset(subset), _KEPT_SUBSETS)

    def kept_objects(doc: Any, fontname: str, subset: list[int]) -> Any:
        descriptor = add_subset_objects(doc, fontname, subset)
        stream = doc.idToObject[f"fontFile:{face.filename}({fontname})"]
        if isinstance(doc.encrypt, NoEncryption):
            key = (tuple(subset), doc.compression)
            stream.format = lambda document: recall(streams, key, lambda: PDFStream.format(stream, document),
                                                    _KEPT_SUBSETS)
        return descriptor

    face.makeSubset = kept_subset
    face.addSubsetObjects = kept_objects


@cache
def _char_map(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def _package_files(family: str) -> dict[str, Path]:
    """The four faces of a ``fontpkg-*`` family, found by its module name.

    Importing the one package is much faster than ``fontpkg.family``, which scans every
    installed distribution's entry points; cold starts matter for a command-line tool.
    """
    slug = "".join(ch if ch.isalnum() else "_" for ch in family.lower())
    try:
        root = Path(importlib.import_module(f"fontpkg_{slug}").__file__).parent
    except ImportError:
        raise HandoutError(
            f"the font '{family}' is not installed; install it with "
            f"'pip install fontpkg-{slug.replace('_', '-')}' or name TrueType files in the theme"
        ) from None
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    found = {(f["weight"], f["style"]): root / f["path"] for f in meta["files"]}
    missing = [face for face, key in _FACES.items() if key not in found]
    if missing:
        raise HandoutError(f"the font '{family}' has no {', '.join(missing)} face")
    return {face: found[key] for face, key in _FACES.items()}
