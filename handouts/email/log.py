"""The delivery log: a SQLite file in the outbox folder, one entry per message.

Each entry says when, for which batch line, to whom, under which Message-ID, which PDFs
(with the sha256 of each, so the clinic can say exactly which version a patient got) and what
happened: ``written`` (an .eml draft), ``accepted`` by the server, ``deferred`` (a temporary
failure: try again later) or ``refused`` (with the server's reply). A message that could not
even be composed (over 10 MB) never reaches the log; the summary reports it.

An entry is written as ``sending`` *before* the message leaves and committed, and updated
after; so a run killed with ``kill -9`` leaves at most one ``sending`` entry, which the next
run sends again under the same Message-ID (and marks ``interrupted``).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import HandoutError
from .compose import Mail

LOG_FILE = "deliveries.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,            -- UTC, ISO 8601, when the outcome was recorded
    source TEXT,                   -- the batch file, or NULL for a single message
    line INTEGER,                  -- its line in the batch file
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    channel TEXT NOT NULL,         -- outbox or smtp
    key TEXT NOT NULL,             -- sha256 over the recipient and the attachments' sha256
    outcome TEXT NOT NULL,         -- sending, written, accepted, deferred, refused, interrupted
    reply TEXT NOT NULL DEFAULT '' -- the server's reply, or the draft's file name
);
CREATE INDEX IF NOT EXISTS deliveries_key ON deliveries (key, channel, outcome);
CREATE TABLE IF NOT EXISTS attachments (
    delivery INTEGER NOT NULL REFERENCES deliveries (id),
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    handouts TEXT NOT NULL         -- JSON list of the handouts in the file, by their usual names
);
"""


@dataclass(frozen=True)
class Entry:
    """One logged message, as ``deliveries`` lists it."""

    id: int
    time: str
    source: str | None
    line: int | None
    recipient: str
    message_id: str
    channel: str
    outcome: str
    reply: str
    attachments: list[dict[str, object]]


class DeliveryLog:
    """The log of one outbox folder; every change is committed at once (it must survive kill -9)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)  # it holds patients' addresses: only its owner may read it
            self.db = sqlite3.connect(path, timeout=30)
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise HandoutError(f"cannot open the delivery log: {error}", file=path) from None

    @classmethod
    def open(cls, folder: Path) -> "DeliveryLog":
        return cls(folder / LOG_FILE)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "DeliveryLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last(self, mail: Mail, channel: str, outcome: str) -> Entry | None:
        """The latest entry for the same recipient and PDFs on ``channel`` with ``outcome``."""
        row = self.db.execute("SELECT id FROM deliveries WHERE key = ? AND channel = ? AND outcome = ? "
                              "ORDER BY id DESC LIMIT 1", (mail.key, channel, outcome)).fetchone()
        return self._entries("WHERE id = ?", (row[0],))[0] if row else None

    def start(self, mail: Mail, channel: str, message_id: str, source: str | None) -> int:
        """Record ``mail`` as being sent, before it leaves; the entry's id."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO deliveries (time, source, line, recipient, message_id, channel, key, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'sending')",
                (_now(), source, mail.line, mail.to, message_id, channel, mail.key))
            entry = cursor.lastrowid
            assert entry is not None
            self.db.executemany("INSERT INTO attachments VALUES (?, ?, ?, ?, ?)", [
                (entry, a.file, a.sha256, len(a.data), json.dumps(list(a.handouts))) for a in mail.attachments])
        return entry

    def finish(self, entry: int, outcome: str, reply: str = "") -> None:
        with self.db:
            self.db.execute("UPDATE deliveries SET time = ?, outcome = ?, reply = ? WHERE id = ?",
                            (_now(), outcome, reply, entry))

    def entries(self, since: dt.date | None = None) -> list[Entry]:
        """Every entry, oldest first; ``since`` keeps those from that (local) day on."""
        if since is None:
            return self._entries("", ())
        start = dt.datetime.combine(since, dt.time()).astimezone(dt.timezone.utc)
        return self._entries("WHERE time >= ?", (_stamp(start),))

    def _entries(self, where: str, parameters: tuple[object, ...]) -> list[Entry]:
        rows = self.db.execute("SELECT id, time, source, line, recipient, message_id, channel, outcome, reply "
                               f"FROM deliveries {where} ORDER BY id", parameters).fetchall()
        attached: dict[int, list[dict[str, object]]] = {row[0]: [] for row in rows}
        for delivery, file, sha256, size, handouts in self.db.execute(
                "SELECT delivery, file, sha256, bytes, handouts FROM attachments "
                f"WHERE delivery IN (SELECT id FROM deliveries {where}) ORDER BY rowid", parameters):
            attached[delivery].append({"file": file, "sha256": sha256, "bytes": size, "handouts": json.loads(handouts)})
        return [Entry(*row, attached[row[0]]) for row in rows]


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return _stamp(dt.datetime.now(dt.timezone.utc))
