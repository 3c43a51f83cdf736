"""One writer per output folder: a run holds an exclusive lock on the folder while it writes
(a build its ``out/``, an email run the outbox it writes drafts into).

Two runs into one folder would each write files and then a manifest that lists only their
own, so the last to finish would win. The lock is ``fcntl.flock`` on ``.handouts.lock`` in
the folder; the kernel releases it when the process ends however it ends, so a killed run
never leaves a stale lock behind. The file stays (removing it would let a third run lock a
file the second is about to lose) and holds the pid of the run writing, for the message a
second run stops with.

A folder this process may not write (a read-only share, another user's ``out/``) is a
:class:`ReadOnlyFolder`: a build may still confirm that everything in it is up to date
without writing, and needs no lock to do so (see ``runner.confirm_current``).
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import HandoutError, display_path

LOCK_FILE = ".handouts.lock"


class ReadOnlyFolder(HandoutError):
    """The folder is there, but this process may not write in it."""


@contextmanager
def writing_to(folder: Path, *, run: str = "build", elsewhere: str = "build into another folder with --out") -> Iterator[None]:
    """Hold ``folder`` (made if need be) for this process, or stop with a HandoutError
    naming the ``run`` that holds it and how to go ``elsewhere``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        refused = error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and folder.is_dir()
        raise (ReadOnlyFolder if refused else HandoutError)(f"cannot write to this folder: {error.strerror}",
                                                            file=folder) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            raise HandoutError(f"another {run}{f' (pid {holder})' if holder else ''} is writing to "
                               f"{display_path(folder)}/; wait for it to finish, or {elsewhere}") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # releases the lock (worker processes holding a copy release theirs as they exit)


def _holder(handle: int) -> int | None:
    """The pid the lock file names, if it names one."""
    try:
        return int(os.pread(handle, 32, 0).split()[0])
    except (OSError, ValueError, IndexError):
        return None
