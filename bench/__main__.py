"""``python -m bench`` (through ``bench/run``): measure, then print the report as Markdown.

The report is also saved to ``bench/out/report.md``; README.md's "Performance" section quotes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
from importlib.metadata import PackageNotFoundError, version

from bench import measure, stages
from bench.content import SLUG
from bench.engines import ENGINES
from bench.goals import goals

BASE = "handouts"


def main() -> None:
    args = _arguments()
    names = [name for name in ENGINES if not args.only or name in args.only or name == BASE]
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"warm: {args.rounds} rounds × {args.copies} tailored copies per engine, interleaved")
    figures = measure.warm(names, args.rounds, args.copies, say)
    literal_cold = None
    if "cold" not in args.skip:
        say(f"cold: {args.cold_runs} fresh processes per engine, interleaved")
        literal_cold = measure.cold(figures, args.cold_runs, say)
    batches: dict[tuple[str, int], float] = {}
    speedup = measure.parallel_speedup()
    if "batch" not in args.skip:
        say(f"batch: {args.batch} copies, 1 process and {os.cpu_count()}")
        batches = _batches([n for n in ("handouts", "platypus", "typst-reused") if n in names], args, say)
    say("profile: stages of a warm build, fit passes of every topic")
    profile = stages.profile(args.copies)
    tagging = stages.tagging_cost(args.copies)
    fits = stages.fits()
    report = "\n".join([
        _heading(speedup),
        _engine_table(figures, literal_cold),
        _batch_table(batches, args.batch) if batches else "",
        _profile_table(profile),
        _tagging_table(tagging, profile),
        _fit_table(fits),
        _goal_table(goals(figures, batches, profile, fits)),
    ])
    measure.OUT.mkdir(exist_ok=True)
    (measure.OUT / "report.md").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds per engine (default 3)")
    parser.add_argument("--copies", type=int, default=200, help="tailored copies per warm round (default 200)")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per engine (default 5)")
    parser.add_argument("--batch", type=int, default=1000, help="copies per batch (default 1000)")
    parser.add_argument("--batch-rounds", type=int, default=1, help="interleaved rounds of batches (default 1)")
    parser.add_argument("--only", nargs="+", choices=list(ENGINES), help="engines to compare with handouts")
    parser.add_argument("--skip", nargs="+", default=[], choices=["cold", "batch"], help="leave these measurements out")
    parser.add_argument("--quick", action="store_true", help="a rough look: 2 rounds of 20, 3 cold runs, batches of 200")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.copies, args.cold_runs, args.batch = 2, 20, 3, 200
    return args


def _batches(names: list[str], args: argparse.Namespace, say) -> dict[tuple[str, int], float]:
    runs: dict[tuple[str, int], list[float]] = {}
    for round_ in range(args.batch_rounds):
        for name in names:
            for jobs in sorted({1, os.cpu_count() or 1}):
                runs.setdefault((name, jobs), []).append(measure.batch(name, jobs, args.batch))
                say(f"  batch round {round_ + 1}: {name}, {jobs} process(es): {runs[name, jobs][-1]:.0f} handouts/s")
    return {key: statistics.median(values) for key, values in runs.items()}


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or base is None:
        return ""
    ratio = value / base
    return f"{ratio:.1f}× slower" if ratio >= 1.05 else f"{1 / ratio:.1f}× faster" if ratio <= 0.95 else "same"


def _heading(speedup: float) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    packages = ", ".join(f"{name} {_version(name)}" for name in ("reportlab", "pypdf", "weasyprint", "typst"))
    cores = os.cpu_count() or 1
    return (f"## Benchmark, {dt.date.today():%Y-%m-%d}\n\n{cpu}, {cores} cores (pure-Python work in {cores} "
            f"processes runs {speedup:.1f}× as fast as in one on this machine), {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; {packages}.\n")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "(not installed)"


def _engine_table(figures: dict[str, measure.Figures], literal_cold: float | None) -> str:
    base = figures[BASE]
    lines = [f"### One handout ({SLUG}, letter, 13 pt body): warm and cold", "",
             "| engine | warm ms/handout | vs handouts | cold s, whole process | vs handouts | peak MB cold | peak MB warm | PDF KB | pages |",
             "|---|--:|---|--:|---|--:|--:|--:|--:|"]
    for name, entry in figures.items():
        cold = f"{entry.cold:.3f}" if entry.cold is not None else "(as above)" if name == "handouts+write" else "—"
        peak = f"{statistics.median(entry.cold_peak_mb):.0f}" if entry.cold_peak_mb else ""
        lines.append(f"| {ENGINES[name][2]} | {entry.warm:.1f} | {'' if name == BASE else _ratio(entry.warm, base.warm)} "
                     f"| {cold} | {'' if name == BASE else _ratio(entry.cold, base.cold)} | {peak} "
                     f"| {entry.warm_peak_mb:.0f} | {entry.pdf_bytes / 1024:.0f} | {entry.pages} |")
    lines += ["", f"Warm: median of {len(base.warm_ms)} interleaved rounds of tailored copies (a new patient name "
              "each), after setup in the same process. Peak MB is the process's peak resident memory."]
    if literal_cold is not None:
        lines[-1] += (f" Cold: median of {len(base.cold_s)} fresh processes, interpreter start to exit, one "
                      f"handout written; for handouts this is `python build.py build {SLUG}` with only the English "
                      f"topic in the content folder. The literal command, which also builds the Spanish "
                      f"translation, takes {literal_cold:.3f} s.")
    lines.append("")
    return "\n".join(lines)


def _batch_table(batches: dict[tuple[str, int], float], count: int) -> str:
    cores = os.cpu_count() or 1
    lines = [f"### Batch: {count:,} tailored handouts, whole process timed", "",
             f"| engine | 1 process, handouts/s | ms/handout | {cores} processes, handouts/s |", "|---|--:|--:|--:|"]
    for name in dict.fromkeys(name for name, _ in batches):
        single, many = batches[name, 1], batches.get((name, cores), batches[name, 1])
        label = "handouts: `build.py batch patients.csv` (a packet a row)" if name == BASE else ENGINES[name][2]
        lines.append(f"| {label} | {single:.0f} | {1000 / single:.1f} | {many:.0f} |")
    lines += ["", "Each of this project's packets is the benchmark topic for one patient, laid out, drawn as a "
              "tagged PDF and checked, then written atomically with the run's manifest; the other engines write "
              "each copy with a plain write."]
    return "\n".join(lines + [""])


def _profile_table(profile: stages.Profile) -> str:
    total = sum(profile.stages.values())
    lines = ["### Where a warm build's time goes (handouts, own time per stage, mean of the copies)", "",
             "| stage | ms | share |", "|---|--:|--:|"]
    for stage, ms in sorted(profile.stages.items(), key=lambda item: -item[1]):
        lines.append(f"| {stage} | {ms:.2f} | {ms / total:.0%} |")
    lines += [f"| **total (with write)** | **{total:.2f}** | |", "",
              f"The fit took {profile.passes} layout pass(es) for this topic; a pass (styles, flowables, "
              f"measuring) costs {profile.per_pass_ms:.2f} ms.", ""]
    return "\n".join(lines)


def _tagging_table(cost: stages.TaggingCost, profile: stages.Profile) -> str:
    check = profile.stages.get("tagging: check nothing is left untagged", 0.0)
    added = cost.tagged_ms - cost.untagged_ms + check
    return "\n".join([
        "### The cost of tagging (the same laid-out handout, drawn both ways, interleaved)", "",
        "| | ms/handout | PDF KB |", "|---|--:|--:|",
        f"| draw untagged (ReportLab's plain canvas) | {cost.untagged_ms:.2f} | {cost.untagged_kb:.1f} |",
        f"| draw tagged (marked content, structure tree, XMP) | {cost.tagged_ms:.2f} | {cost.tagged_kb:.1f} |",
        f"| check that nothing is left untagged (in verify) | {check:.2f} | |",
        f"| **tagging in all** | **{added:.2f}** ({added / profile.total_ms:.0%} of a warm build) "
        f"| **+{cost.tagged_kb - cost.untagged_kb:.1f}** |", ""])


def _fit_table(fits: list[stages.Fit]) -> str:
    lines = ["### Fit passes for every shipped topic (letter, with a patient name)", "",
             "| handout | body pt | layout passes | KB | warm ms | large print: body pt, pages, passes, KB |",
             "|---|--:|--:|--:|--:|--:|"]
    lines += [f"| {fit.name} | {fit.body:g} | {fit.passes} | {fit.size_kb:.0f} | {fit.ms:.1f} | "
              f"{fit.large[0]:g} pt, {fit.large[1]}, {fit.large[2]}, {fit.large[3]:.0f} KB |" for fit in fits]
    return "\n".join(lines + [""])


def _goal_table(rows: list[tuple[str, str, bool]]) -> str:
    lines = ["### Goals (issue 6)", "", "| goal | measured | |", "|---|---|---|"]
    lines += [f"| {goal} | {measured} | {'met' if met else '**missed**'} |" for goal, measured, met in rows]
    return "\n".join(lines + [""])


if __name__ == "__main__":
    main()
