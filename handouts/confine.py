"""Which files a template may use: only those inside its folders, every link followed first.

A template names other files (an include, a picture, the page's style sheet). A name with
``..``, or a link put in the folder, could lead anywhere on the disk and print or serve what
is there, so every such file is resolved and must still lie inside a folder it is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def confined(path: Path, folders: Iterable[Path]) -> Path | None:
    """``path`` with every link followed, if that lies inside one of ``folders`` (their own
    links followed too); None if it leads outside them."""
    resolved = path.resolve()
    return resolved if any(resolved.is_relative_to(folder.resolve()) for folder in folders) else None
