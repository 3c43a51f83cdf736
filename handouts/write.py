"""Stage 7, write: put bytes on disk atomically.

A handout is written to a temporary file beside its target and renamed over it, so a crash,
a full disk or Ctrl-C never leaves a half-written PDF where a good one is expected.

Each file is forced to disk (fsync) before it is renamed, unless the caller writes many and
asks for that to be done once for all of them with :func:`sync_all` (see :mod:`runner`).
After a power cut, a file forced to disk is either its old self or its new self; one written
since the last sync may be neither, which is why a file whose bytes are not the ones the
manifest lists is always made again.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import HandoutError


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` all at once, or not at all; ``durable=False`` leaves
    forcing it to disk to a later :func:`sync_all`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise HandoutError(f"cannot write to this folder: {error.strerror}", file=path.parent) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise HandoutError(f"cannot write the file: {_why(error)}", file=path) from None
        raise


CAN_SYNC_ALL = hasattr(os, "sync")


def sync_all() -> None:
    """Force every file written so far to disk in one call, instead of an fsync for each."""
    os.sync()


def _why(error: OSError) -> str:
    """What an operating-system error means for the user, in their words."""
    plain = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
             errno.EFBIG: "it is larger than this system lets a program write", errno.EIO: "the disk reported an error"}
    return f"{plain[error.errno]} ({error.strerror})" if error.errno in plain else str(error.strerror)


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files of a run that was killed while writing (``.x.pdf.*.part``);
    only the run holding the folder's lock may call this, as no one else is writing."""
    for path in folder.glob(".*.part"):
        path.unlink(missing_ok=True)


def remove_stale(path: Path) -> bool:
    """Remove an earlier build's output for a handout that now fails, so nobody prints it.

    The caller has checked that the file is one this tool wrote (see ``Manifest.made``).
    Only a file is removed; when there is none (or the folder itself is the problem) the
    handout's own error already says what is wrong, so this stays quiet.
    """
    try:
        if not path.is_file():
            return False
        path.unlink()
    except OSError:
        return False
    return True
