"""The manifest's journal: each file a run writes is recorded the moment it is written.

``manifest.json`` is rewritten once, when a run ends; until then every change (a file about to
be written, written, or withdrawn) is one line appended to ``.manifest.journal`` beside it. A
line is one ``write`` to a file opened for appending, so a process killed at any moment
(``kill -9``) leaves whole lines and at most a torn last one, which reading skips. The next
run replays the lines over the manifest it reads, so whatever the killed run finished counts
as done and only the files in flight are made again (one renamed into place but not yet
listed was claimed first, so it is made again too, not taken for the user's own); saving the
manifest folds the journal in and removes it.

Lines are not synced to disk one by one: a crash of the program loses no line, while a power
cut can lose the last few (as it can the newest files' own bytes, see :mod:`write`); a file
whose lines were lost is not listed, so the next run takes it for the user's own and leaves
it until ``--force`` (which the README says).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

JOURNAL = ".manifest.journal"


class Journal:
    """The journal of one output folder; only the run holding the folder's lock writes it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL
        self._handle: int | None = None
        self._broken = False

    def replay(self) -> Iterator[dict[str, Any]]:
        """The records of an earlier run that did not end (or of this one), oldest first."""
        try:
            lines = self.path.read_bytes().splitlines()
        except OSError:
            return
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:  # the torn last line of a killed run
                continue
            if isinstance(record, dict):
                yield record

    def append(self, record: dict[str, Any]) -> None:
        """Add ``record`` as one line. On a full disk the journal stops for this run (the
        manifest saved at its end still lists everything), rather than fail a good file."""
        if self._broken:
            return
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if self._handle is None:
                self._handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.write(self._handle, line)
        except OSError:
            self._broken = True

    def clear(self) -> None:
        """Forget the journal: its records are in the manifest now."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None
        self.path.unlink(missing_ok=True)
        self._broken = False
