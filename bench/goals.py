"""The issue's goals, checked against this run's figures (reported, never asserted in tests)."""

from __future__ import annotations

import os

from bench.measure import Figures
from bench.stages import Fit, Profile

COLD_GOAL_S = 0.2
SIZE_GOAL_KB = 40
BATCH_GOAL = 300
WEASYPRINT_GOAL = 20


def goals(figures: dict[str, Figures], batches: dict[tuple[str, int], float], profile: Profile,
          fits: list[Fit]) -> list[tuple[str, str, bool]]:
    """(goal, what was measured, met?) for each goal the run has the figures for."""
    ours = figures["handouts"]
    rows = []
    if "typst" in figures:
        ratio = ours.warm / figures["typst"].warm
        rows.append(("warm, full pipeline ≤ Typst compile() per call", f"{ours.warm:.1f} vs {figures['typst'].warm:.1f} ms ({ratio:.2f}×)", ratio <= 1))
    if "weasyprint" in figures:
        ratio = figures["weasyprint"].warm / ours.warm
        rows.append((f"≥ {WEASYPRINT_GOAL}× faster than WeasyPrint", f"{ratio:.1f}×", ratio >= WEASYPRINT_GOAL))
    if ours.cold is not None:
        rows.append((f"cold single build ≤ {COLD_GOAL_S} s", f"{ours.cold:.3f} s", ours.cold <= COLD_GOAL_S))
    largest = max(fits, key=lambda fit: fit.size_kb)
    large = max(fits, key=lambda fit: fit.large[3])
    rows.append((f"every handout ≤ {SIZE_GOAL_KB} KB", f"largest {largest.size_kb:.0f} KB ({largest.name}); large print "
                 f"(two pages) up to {large.large[3]:.0f} KB", max(largest.size_kb, large.large[3]) <= SIZE_GOAL_KB))
    cores = os.cpu_count() or 1
    if ("handouts", cores) in batches:
        rate = batches["handouts", cores]
        rows.append((f"batch ≥ {BATCH_GOAL} handouts/s on {cores} cores", f"{rate:.0f}/s", rate >= BATCH_GOAL))
    if ("typst-reused", 1) in batches:
        ours_ms, typst_ms = 1000 / batches["handouts", 1], 1000 / batches["typst-reused", 1]
        rows.append(("batch per handout ≤ Typst with a reused compiler (moonshot)",
                     f"{ours_ms:.1f} vs {typst_ms:.1f} ms ({ours_ms / typst_ms:.2f}×)", ours_ms <= typst_ms))
    most, large = max(fit.passes for fit in fits), max(fit.large[2] for fit in fits)
    rows.append(("fit: layout passes only as needed (measured with wrap, never by drawing)",
                 f"{profile.passes} for this topic; at most {most} over the shipped topics, {large} in large print",
                 most <= 5))
    return rows
