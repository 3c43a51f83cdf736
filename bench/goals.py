"""The issues' goals, checked against this run's figures (reported, never asserted in tests).

Issue 14 ("one handout should cost what ReportLab costs") sets the cold, warm and batch
goals as ratios; issue 6 set the others (file size, WeasyPrint, the moonshot, fit passes).
"""

from __future__ import annotations

import importlib.util
import os

from bench.channels import Channel
from bench.measure import PACKET, Cold, Figures, Rate, paired
from bench.stages import Fit, Profile

COLD_GOAL = 1.5
"""Cold CPU and peak memory at most this many times plain Platypus's (issue 14)."""
BATCH_GOAL = 300
PACKET_GOAL = 100
CHANNEL_GOAL = 2.0
"""A handout through the web page or email, warm, at most this many times building it."""
SIZE_GOAL_KB = 40
WEASYPRINT_GOAL = 20


def goals(figures: dict[str, Figures], cold: Cold | None, batches: dict[tuple, Rate], ways_out: list[Channel],
          profile: Profile, fits: list[Fit]) -> list[tuple[str, str, bool | None]]:
    """(goal, what was measured, met?) for each goal the run has the figures for; None when
    the goal does not apply yet."""
    ours = figures["handouts"]
    rows = []
    if cold and "platypus" in figures:
        floor = figures["platypus"]
        cpu, peak = paired(ours.cold_cpu_s, floor.cold_cpu_s), paired(ours.cold_peak_mb, floor.cold_peak_mb)
        libraries = paired(cold.libraries.cold_cpu_s, floor.cold_cpu_s)
        rows.append((f"14: cold `build.py build`, one handout: CPU ≤ {COLD_GOAL}× plain Platypus",
                     f"{cpu:.2f}× (the libraries alone, imported: {libraries:.2f}×)", cpu <= COLD_GOAL))
        rows.append((f"14: … and peak memory ≤ {COLD_GOAL}×", f"{peak:.2f}×", peak <= COLD_GOAL))
    if "typst" in figures:
        ratio = ours.warm / figures["typst"].warm
        rows.append(("14: warm, full pipeline ≤ 1.0× Typst compile() per call",
                     f"{ours.warm:.1f} vs {figures['typst'].warm:.1f} ms ({ratio:.2f}×)", ratio <= 1))
    cores = os.cpu_count() or 1
    if ("handouts", cores) in batches:
        rate = batches["handouts", cores]
        rows.append((f"14: batch of one-topic packets ≥ {BATCH_GOAL} handouts/s on {cores} cores",
                     f"{rate.per_second:.0f}/s ({rate.cpu_ms:.1f} CPU ms a handout)", rate.per_second >= BATCH_GOAL))
    if ("handouts", "packets", cores) in batches:
        rate = batches["handouts", "packets", cores]
        rows.append((f"14: {len(PACKET)}-topic packets ≥ {PACKET_GOAL}/s on {cores} cores",
                     f"{rate.per_second:.0f}/s ({rate.cpu_ms:.1f} CPU ms a packet)", rate.per_second >= PACKET_GOAL))
    for channel in ways_out:
        rows.append((f"14: {channel.name}: one handout, warm, ≤ {CHANNEL_GOAL:g}× the warm build",
                     f"{channel.ms:.1f} vs {channel.build_ms:.1f} ms ({channel.ratio:.2f}×)", channel.ratio <= CHANNEL_GOAL))
    if importlib.util.find_spec("handouts.web") is None:
        rows.append(("14: web page: a warm single-handout request ≤ 2× the warm build", "no web page yet", None))
    if "weasyprint" in figures:
        ratio = figures["weasyprint"].warm / ours.warm
        rows.append((f"6: ≥ {WEASYPRINT_GOAL}× faster than WeasyPrint", f"{ratio:.1f}×", ratio >= WEASYPRINT_GOAL))
    largest = max(fits, key=lambda fit: fit.size_kb)
    large = max(fits, key=lambda fit: fit.large[3])
    rows.append((f"6: every handout ≤ {SIZE_GOAL_KB} KB", f"largest {largest.size_kb:.0f} KB ({largest.name}); large "
                 f"print (two pages) up to {large.large[3]:.0f} KB", max(largest.size_kb, large.large[3]) <= SIZE_GOAL_KB))
    if ("typst-reused", 1) in batches:
        ours_ms, typst_ms = 1000 / batches["handouts", 1].per_second, 1000 / batches["typst-reused", 1].per_second
        rows.append(("6: batch per handout ≤ Typst with a reused compiler (moonshot)",
                     f"{ours_ms:.1f} vs {typst_ms:.1f} ms ({ours_ms / typst_ms:.2f}×)", ours_ms <= typst_ms))
    most, large_passes = max(fit.passes for fit in fits), max(fit.large[2] for fit in fits)
    rows.append(("6: fit: layout passes only as needed (measured with wrap, never by drawing)",
                 f"{profile.passes} for this topic; at most {most} over the shipped topics, {large_passes} in large print",
                 most <= 5))
    return rows
