"""``manifest.json``: what is in an output folder, and what each file was built from.

Every file a run writes (a PDF, or a handout's HTML or text version) is listed with a digest
of its inputs (content, templates, theme, labels, clinic, logo, options, tool version), its
own sha256, pages (a PDF's), size, body-text size and the build's warnings (shown again while
the file stays up to date). The reading grade is not kept here: it belongs to the content,
and ``list`` and ``check`` show it.
A later run skips a file whose inputs digest is unchanged and whose bytes are still the ones
listed, so nothing is rebuilt needlessly and a file edited or damaged by hand is rebuilt.

Changes are recorded as they happen in the folder's :mod:`journal`, and ``manifest.json`` is
rewritten from it when a run ends, so a run that is killed keeps the record of every file it
finished. The manifest is also what tells a file this tool made from one it did not
(:meth:`Manifest.made`): only the former may be removed when its handout fails, and a file
the manifest does not list at all is never replaced without ``--force`` (:meth:`Manifest.foreign`).
A name the manifest lists but whose entry this version cannot read (an older tool's), and a
name a killed run was writing (its journal's claim), stay listed with an :meth:`Entry.unknown`
entry: ours, but never current, so they are made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .errors import HandoutError, display_path
from .journal import Journal
from .load import read_file
from .write import write_atomic

MANIFEST = "manifest.json"


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Largest file a digest reads; every input has a smaller limit of its own."""


def digest(*parts: str | bytes | Path) -> str:
    """A sha256 over ``parts``: text as UTF-8, files by their bytes, each one delimited.

    Files are read as inputs are (regular files only), so a FIFO in the content folder is an
    error for its handout instead of a run that waits forever."""
    hasher = hashlib.sha256()
    for part in parts:
        data = read_file(part, MAX_INPUT_BYTES) if isinstance(part, Path) else part.encode() if isinstance(part, str) else part
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

    @classmethod
    def unknown(cls) -> "Entry":
        """A file this tool wrote from inputs it no longer knows: matches no inputs and no bytes."""
        return cls("", "", None, 0, None, [])

    @classmethod
    def read(cls, fields: object) -> "Entry":
        """The entry ``fields`` describe, or :meth:`unknown` if another version wrote them."""
        try:
            return cls(**fields)  # type: ignore[arg-type]
        except TypeError:
            return cls.unknown()


class Manifest:
    """The manifest of one output folder: read at the start of a run, each change journalled
    as it is made, saved at its end."""

    def __init__(self, folder: Path, entries: dict[str, Entry]) -> None:
        self.folder = folder
        self.entries = entries
        self.journal = Journal(folder)

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        """The folder's manifest, with the journal of a run that did not end laid over it; a
        missing or unreadable one is empty, so everything is rebuilt (and any file already
        there under a handout's name is taken for the user's own)."""
        try:
            files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
            manifest = cls(folder, {name: Entry.read(fields) for name, fields in files.items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            manifest = cls(folder, {})
        for record in manifest.journal.replay():
            manifest._apply(record)
        return manifest

    def _apply(self, record: dict[str, object]) -> None:
        name, fields = record.get("file"), record.get("entry")
        if not isinstance(name, str):
            return
        if record.get("claim"):
            self.entries.setdefault(name, Entry.unknown())
        elif fields is None:
            self.entries.pop(name, None)
        else:
            self.entries[name] = Entry.read(fields)

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

    def made(self, name: str) -> bool:
        """Whether the file ``name`` is one this tool wrote: listed, and still its bytes."""
        entry = self.entries.get(name)
        try:
            return entry is not None and hashlib.sha256((self.folder / name).read_bytes()).hexdigest() == entry.sha256
        except OSError:
            return False

    def foreign(self, name: str) -> HandoutError | None:
        """Why ``name`` may not be written, if something is there that the manifest does not
        list: the user's own file (an edited copy, say), which only ``--force`` replaces. A
        folder in the way is not refused here: writing the file fails and says so."""
        try:
            mode = os.lstat(self.folder / name).st_mode
        except OSError:
            return None
        if name in self.entries or stat.S_ISDIR(mode):
            return None
        return HandoutError(f"not made by handouts ({display_path(self.folder / MANIFEST)} does not list it); "
                            "move it away, or run again with --force to replace it", file=self.folder / name)

    def claim(self, name: str) -> None:
        """Say in the journal that ``name`` is about to be written, so that the file stays
        ours should this run be killed before it is listed."""
        self.entries.setdefault(name, Entry.unknown())
        self.journal.append({"file": name, "claim": True})

    def record(self, name: str, inputs: str, data: bytes, pages: int | None, body_pt: float | None,
               warnings: list[str]) -> Entry:
        """List the file ``name`` just written with ``data``, in the journal at once."""
        entry = Entry(inputs, hashlib.sha256(data).hexdigest(), pages, len(data), body_pt, warnings)
        self.entries[name] = entry
        self.journal.append({"file": name, "entry": asdict(entry)})
        return entry

    def forget(self, name: str) -> None:
        """Stop listing ``name`` (its handout failed, its file is gone or is not ours)."""
        if self.entries.pop(name, None) is not None:
            self.journal.append({"file": name, "entry": None})

    def save(self) -> None:
        """Write the manifest atomically, listing only files that are still there, and
        drop the journal it now holds."""
        files = {name: asdict(entry) for name, entry in sorted(self.entries.items()) if (self.folder / name).is_file()}
        if files or (self.folder / MANIFEST).exists():
            text = json.dumps({"tool": f"handouts {__version__}", "files": files}, indent=2, ensure_ascii=False)
            write_atomic(self.folder / MANIFEST, (text + "\n").encode("utf-8"))
        self.journal.clear()
