"""A small "keep the last N" memory, for the work a run repeats with the same inputs.

Copies of a handout for many patients parse the same YAML, compile the same content strings
and lay out the same elements again and again; :func:`recall` keeps what was made, newest
last, and forgets the oldest beyond a limit so a long batch does not grow without bound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

V = TypeVar("V")


def recall(kept: dict[Hashable, V], key: Hashable, make: Callable[[], V], limit: int) -> V:
    """What ``kept`` holds for ``key``, or ``make()`` kept for it; at most ``limit`` are kept.

    A value that is found or made becomes the newest, so the least recently used goes first.
    """
    value = kept.pop(key) if key in kept else make()
    kept[key] = value
    while len(kept) > limit:
        del kept[next(iter(kept))]
    return value
