"""Fit: the body size a handout fits one page at, by building it exactly as ``build`` does.

The build is run in memory (nothing is written), so a clean check means the build succeeds.
Large print is measured too, as information only: one more layout pass at its body size.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import HandoutError
from ..layout import Overflow
from ..pipeline import LEGIBLE_BODY, Options, Project, TopicFile, build_handout
from .config import Fit
from .findings import Finding, Origin


def fit_findings(origin: Origin, project: Project, topic_file: TopicFile, limits: Fit) -> tuple[list[Finding], float | None]:
    """What the build says about fitting the topic on one page, and the body size it fits at."""
    try:
        handout = build_handout(project, topic_file, Options())
    except Overflow as error:
        return origin.from_error("fit", error), None
    except HandoutError as error:
        return origin.from_error("build", error), None
    body = handout.body_size
    if body < LEGIBLE_BODY:
        found = origin.finding("fit", "warning", f"fits on one page only at {body:g} pt body text, below the "
                               f"{LEGIBLE_BODY:g} pt guideline for older readers",
                               suggestion="shorten the longest section, or split the topic in two")
    else:
        found = origin.finding("fit", "info", f"fits on one page at {body:g} pt body text")
    return [found, _large_print(origin, project, topic_file, limits.large_print_body)], body


def _large_print(origin: Origin, project: Project, topic_file: TopicFile, size: float) -> Finding:
    """Whether the topic would fit one page with body text at ``size`` (information only)."""
    scale = project.theme.type.model_copy(update={"body": size, "floor": size})
    large = replace(project, theme=project.theme.model_copy(update={"type": scale}))
    try:
        build_handout(large, topic_file, Options())
    except HandoutError as error:
        return origin.finding("fit", "info", f"large print: {error.message}")
    return origin.finding("fit", "info", f"large print: fits on one page at {size:g} pt body text too")
