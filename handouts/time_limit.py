"""How long a template may render: an exception raised in the rendering thread when its time is up.

A template's time goes in loops that need not write anything (two nested ``range(99999)``),
in calls (a macro calling itself twice) and inside one filter (``wordwrap(1)`` on a long word
runs for minutes in textwrap's own loop), so a deadline checked where a template writes,
loops or calls would still miss the last. What bounds them all is an exception raised in the
rendering thread at its next Python instruction, from outside it:

- in the main thread (the command line, and each of its worker processes) a timer signal
  raises it, as a signal handler can only run there;
- in any other thread (the page of ``serve`` builds in waitress's) :class:`_Watchdog`, one
  thread of its own, raises it with ``PyThreadState_SetAsyncExc``.

Building in a worker process the page could stop was not chosen: the page's builds share the
warm caches of its one process, and a process per build would cost more than the build.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class RenderTimeout(Exception):
    """Rendering took longer than it may. (An Exception, so Jinja2 points its traceback at the
    template's line, as for any error a template makes.)"""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`RenderTimeout`, in whatever thread it runs."""
    if threading.current_thread() is not threading.main_thread():
        with _WATCHDOG.watching(seconds):
            yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Watchdog:
    """One thread (started on first use) that raises :class:`RenderTimeout` in a rendering
    thread whose time is up, as the timer signal does in the main thread.

    Careful cancellation: a render and the watchdog end a watch under the same lock, so the
    exception is set only while its render is under way, and one set as the render ended but
    not yet raised is withdrawn: it never surfaces in the code that follows. That lock is a
    plain ``threading.Lock``, whose ``with`` runs no Python code of its own, so the exception
    cannot land between taking it and letting it go (a ``Condition``'s could), and the
    rendering thread runs nothing else there; the page's own lock is released as the
    exception unwinds through it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: dict[object, tuple[float, int]] = {}
        """Each watched render: when its time is up, and its thread."""
        self._wakes: float | None = None
        """When the watchdog looks next (None: when a render is watched)."""
        self._woken = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, seconds: float) -> Iterator[None]:
        token, due = object(), time.monotonic() + seconds
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="handouts render watchdog", daemon=True)
                self._thread.start()
            self._due[token] = (due, threading.get_ident())
            sooner = self._wakes is None or due < self._wakes
        if sooner:
            self._woken.set()
        try:
            yield
        finally:
            with self._lock:
                if self._due.pop(token, None) is None:  # its time was up: withdraw it if not yet raised
                    _raise_in(threading.get_ident(), None)

    def _watch(self) -> None:
        while True:
            with self._lock:
                self._woken.clear()
                now = time.monotonic()
                for token, (due, thread) in list(self._due.items()):
                    if due <= now:
                        del self._due[token]
                        _raise_in(thread, RenderTimeout)
                self._wakes = min((due for due, _ in self._due.values()), default=None)
            self._woken.wait(None if self._wakes is None else self._wakes - now)


def _raise_in(thread: int, error: type[BaseException] | None) -> None:
    """Raise ``error`` in ``thread`` at its next Python instruction; None withdraws one not yet raised."""
    import ctypes  # (imported by the watchdog when it first raises, before any is withdrawn)

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(error) if error else None)


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.__init__)  # a forked child has no watchdog thread, nor its lock held
