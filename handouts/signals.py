"""Stopping a run from outside: SIGTERM and SIGHUP stop it as Ctrl-C does, and worker
processes never outlive the process that started them.

A service manager stops a program with SIGTERM and a closed terminal sends SIGHUP; by default
either kills the run at once, between two lines of code, leaving worker processes behind.
While a run writes, they and Ctrl-C raise :class:`Stop` (a ``KeyboardInterrupt``, so every
path that cleans up after Ctrl-C cleans up after them too), and the command exits with 128 +
the signal's number (130, 143, 129), as shells expect. Inside :func:`between_files` (writing
a file and listing it) a signal waits until the block ends, so a stopped run never has a file
on disk that its manifest does not list. A worker leaves Ctrl-C and hangups to the parent,
and exits by itself when the parent is gone (``kill -9``), instead of waiting forever for
work that will not come.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PARENT_CHECK_SECONDS = 0.25
"""How often a worker looks whether its parent is still there."""


class Stop(KeyboardInterrupt):
    """A signal asked the run to stop; ``number`` is the signal's (SIGINT for Ctrl-C)."""

    def __init__(self, number: int | str = signal.SIGINT) -> None:
        if isinstance(number, str):  # made again with more words by a library (ReportLab's paragraph parser)
            number = next((stopping for stopping in STOPPING if stopping.name in number), signal.SIGINT)
        super().__init__(signal.Signals(number).name)
        self.number = number


def signal_number(interrupt: KeyboardInterrupt) -> int:
    """The signal behind an interrupt: its own for :class:`Stop`, SIGINT for Ctrl-C."""
    return interrupt.number if isinstance(interrupt, Stop) else signal.SIGINT


class _Deferral(threading.local):
    """How deep inside :func:`between_files` the thread is, and the signal held back meanwhile."""

    depth = 0
    pending: int | None = None


_deferral = _Deferral()


def _stop(number: int, frame: object) -> None:
    if _deferral.depth:
        _deferral.pending = number
        return
    raise Stop(number)


@contextmanager
def stopping_on_signals() -> Iterator[None]:
    """While the block runs, Ctrl-C, SIGTERM and SIGHUP raise :class:`Stop` (in the main
    thread, where Python delivers signals; elsewhere, as in a web server's thread, nothing
    changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _stop) for number in STOPPING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def between_files() -> Iterator[None]:
    """Hold a stopping signal back until the block is done, then stop."""
    _deferral.depth += 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if not _deferral.depth and _deferral.pending is not None:
            number, _deferral.pending = _deferral.pending, None
            raise Stop(number)


def start_worker() -> None:
    """Set up a worker process: the parent decides about Ctrl-C and hangups (SIGTERM still
    ends a worker, as the pool uses it to end a broken one), and the worker exits when the
    parent is gone."""
    for number in (signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
