"""``manifest.json``: what is in an output folder, and what each file was built from.

Every file a run writes (a PDF, or a handout's HTML or text version) is listed with a digest
of its inputs (content, templates, theme, labels, clinic, logo, options, tool version), its
own sha256, pages (a PDF's), size, body-text size and the build's warnings (shown again while
the file stays up to date). The reading grade is not kept here: it belongs to the content,
and ``list`` and ``check`` show it.
A later run skips a file whose inputs digest is unchanged and whose bytes are still the ones
listed, so nothing is rebuilt needlessly and a file edited or damaged by hand is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .write import write_atomic

MANIFEST = "manifest.json"


def digest(*parts: str | bytes | Path) -> str:
    """A sha256 over ``parts``: text as UTF-8, files by their bytes, each one delimited."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


@dataclass(frozen=True)
class Entry:
    """One file of the folder as the manifest lists it."""

    inputs: str
    sha256: str
    pages: int | None
    bytes: int
    body_pt: float | None
    warnings: list[str]


class Manifest:
    """The manifest of one output folder: read at the start of a run, saved at its end."""

    def __init__(self, folder: Path, entries: dict[str, Entry]) -> None:
        self.folder = folder
        self.entries = entries

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        """The folder's manifest; a missing or unreadable one is empty, so everything is rebuilt."""
        try:
            files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
            return cls(folder, {name: Entry(**fields) for name, fields in files.items()})
        except (OSError, ValueError, KeyError, TypeError):
            return cls(folder, {})

    def current(self, name: str, inputs: str) -> Entry | None:
        """The entry of ``name`` if it was built from ``inputs`` and the file is still as written."""
        entry = self.entries.get(name)
        if entry is None or entry.inputs != inputs:
            return None
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        return entry if hashlib.sha256(data).hexdigest() == entry.sha256 else None

    def record(self, name: str, inputs: str, data: bytes, pages: int | None, body_pt: float | None,
               warnings: list[str]) -> Entry:
        entry = Entry(inputs, hashlib.sha256(data).hexdigest(), pages, len(data), body_pt, warnings)
        self.entries[name] = entry
        return entry

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        """Write the manifest atomically, listing only files that are still there."""
        files = {name: asdict(entry) for name, entry in sorted(self.entries.items()) if (self.folder / name).is_file()}
        if not files and not (self.folder / MANIFEST).exists():
            return
        text = json.dumps({"tool": f"handouts {__version__}", "files": files}, indent=2, ensure_ascii=False)
        write_atomic(self.folder / MANIFEST, (text + "\n").encode("utf-8"))
