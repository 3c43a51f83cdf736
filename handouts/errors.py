"""The one exception type users see.

Every problem a user can fix (bad YAML, a missing key, a handout that will not fit) is raised
as a :class:`HandoutError` that knows where it happened, so the CLI can print one clear line
and no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path


class HandoutError(Exception):
    """A problem in the user's input, described in the user's words.

    ``file``, ``line`` and ``key`` say where; any of them may be unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = location(self.file, self.line, self.key)
        return f"{where}: {self.message}" if where else self.message


class InternalError(HandoutError):
    """Something went wrong that is not the user's input: a bug, or a failure nobody foresaw.

    It is reported like any other error, in one line, so one bad handout never hides the
    summary of the others; the traceback goes to the ``handouts`` logger, which ``--debug``
    shows.
    """


def internal_error(error: BaseException, doing: str) -> InternalError:
    """``error`` as one line: "internal error while building X: ZeroDivisionError in
    layout.py, line 12 (run with --debug for details)". Its message is left out, as it may
    quote a patient's details; ``--debug`` shows it with the traceback."""
    import logging
    import traceback

    logging.getLogger("handouts").debug("internal error while %s", doing, exc_info=error)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if "handouts" in Path(frame.filename).parts]
    where = f" in {Path(frames[-1].filename).name}, line {frames[-1].lineno}" if frames else ""
    return InternalError(f"internal error while {doing}: {type(error).__name__}{where} (run with --debug for details)")


def location(file: Path | None, line: int | None, key: str | None) -> str:
    """``content/x.yaml, line 12, sections #3 › heading``: the parts that are known."""
    parts = [display_path(file)] if file else []
    parts += [f"line {line}"] if line else []
    return ", ".join(parts + ([key] if key else []))


def display_path(path: Path) -> str:
    """Show ``path`` relative to the working folder when it is inside it, as users typed it
    (a link is shown as the link, not as the file it leads to)."""
    absolute, here = Path(os.path.abspath(path)), Path.cwd()
    return str(absolute.relative_to(here)) if absolute.is_relative_to(here) else str(path)
