"""Where a composed message goes: the backends, behind one small interface (as in Django).

:class:`OutboxBackend` writes a draft ``.eml`` that Outlook, Apple Mail and Thunderbird open
ready to review and send; :class:`MemoryBackend` keeps messages in a list (for programs and
tests that want to look at them); :class:`~handouts.email.smtp.SMTPBackend` sends through
the clinic's server. Each says what became of a message as a :class:`Sent`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from ..errors import HandoutError
from ..lock import writing_to
from ..write import remove_leftovers
from .compose import Mail

Outcome = Literal["written", "accepted", "deferred", "refused"]


class ServerProblem(HandoutError):
    """The run cannot go on: a wrong password, an unverifiable certificate, an unreachable
    server. The message in hand is deferred and the rest are not tried."""


@dataclass(frozen=True)
class Sent:
    """What became of one message: its outcome and the server's reply (or the draft's name)."""

    outcome: Outcome
    reply: str = ""


class Backend(Protocol):
    """A way out for messages. ``open`` before the first message (a server checks the password
    there, before anything is marked sent), ``send`` each, ``close`` at the end; the first two
    raise :class:`ServerProblem` when the run cannot go on."""

    channel: str
    done: Outcome
    """The outcome after which the same message is not sent again (unless resent)."""

    def open(self) -> None: ...
    def send(self, data: bytes, mail: Mail) -> Sent: ...
    def close(self) -> None: ...


class OutboxBackend:
    """Writes each message as a draft (``X-Unsent: 1``) into a folder, never over another file:
    ``ana-diaz.eml``, then ``ana-diaz-2.eml`` for the next message to the same name. Drafts
    hold health information, so only their owner may read them (mode 600)."""

    channel = "outbox"
    done: Outcome = "written"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the folder for a whole run, as a build holds ``out/``: two runs would each find
        a patient not yet in the delivery log and both write their draft, so a second stops at
        once, naming the first. Holding it, a run removes what a killed one left half-written
        (``.draft.*.part``), as no one else is writing there."""
        with writing_to(self.folder, run="email run", elsewhere="write the drafts into another folder with --outbox"):
            remove_leftovers(self.folder)
            yield

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HandoutError(f"cannot make the outbox folder: {error.strerror}", file=self.folder) from None

    def send(self, data: bytes, mail: Mail) -> Sent:
        return Sent("written", self._write_new(b"X-Unsent: 1\r\n" + data, mail.stem).name)

    def _write_new(self, data: bytes, stem: str) -> Path:
        """Write ``data`` completely under a temporary name, then link it to the first free
        ``<stem>[-n].eml``: a draft appears whole or not at all, and no draft is replaced."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".draft.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            number = 1
            while True:
                target = self.folder / (f"{stem}.eml" if number == 1 else f"{stem}-{number}.eml")
                try:
                    os.link(temporary, target)
                    return target
                except FileExistsError:
                    number += 1
        except OSError as error:
            raise HandoutError(f"cannot write the message: {error.strerror}", file=self.folder) from None
        finally:
            Path(temporary).unlink(missing_ok=True)

    def close(self) -> None:
        return None


@dataclass
class MemoryBackend:
    """Keeps every message (as sent: bytes) in ``outbox``: for a program that shows or
    forwards them itself."""

    channel: str = "memory"
    done: Outcome = "accepted"
    outbox: list[bytes] = field(default_factory=list)

    def open(self) -> None:
        return None

    def send(self, data: bytes, mail: Mail) -> Sent:
        self.outbox.append(data)
        return Sent("accepted")

    def close(self) -> None:
        return None
