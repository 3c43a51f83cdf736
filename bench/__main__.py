"""``python -m bench`` (through ``bench/run``): measure, then print the report as Markdown.

The report is also saved to ``bench/out/report.md``; README.md's "Performance" section quotes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import statistics
from importlib.metadata import PackageNotFoundError, version

from bench import channels, measure, stages
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
    cold = None
    if "cold" not in args.skip:
        say(f"cold: {args.cold_runs} fresh processes per engine, interleaved")
        cold = measure.cold(figures, args.cold_runs, say)
    batches: dict[tuple[str, int], measure.Rate] = {}
    speedup = measure.parallel_speedup()
    if "batch" not in args.skip:
        say(f"batch: {args.batch} copies, 1 process and {os.cpu_count()}; {args.batch // 3} three-topic packets")
        batches = _batches([n for n in ("handouts", "platypus", "typst-reused") if n in names], args, say)
    say("email and web page: one handout emailed (to memory), or downloaded, against building it, warm")
    ways_out = [*([channels.email()] if importlib.util.find_spec("handouts.email") else []),
                *([channels.web()] if importlib.util.find_spec("handouts.web") else [])]
    say("profile: stages of a warm build, fit passes of every topic")
    profile = stages.profile(args.copies)
    tagging = stages.tagging_cost(args.copies)
    fits = stages.fits()
    report = "\n".join([
        _heading(speedup),
        _engine_table(figures),
        _cold_table(figures, cold) if cold else "",
        _batch_table(batches, args.batch) if batches else "",
        _profile_table(profile),
        _tagging_table(tagging, profile),
        _fit_table(fits),
        _goal_table(goals(figures, cold, batches, ways_out, profile, fits)),
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


def _batches(names: list[str], args: argparse.Namespace, say) -> dict[tuple[str, int], measure.Rate]:
    """Medians over rounds; ``("handouts", "packets", jobs)`` is the three-topic packets' run."""
    runs: dict[tuple, list[measure.Rate]] = {}
    cores = os.cpu_count() or 1
    for round_ in range(args.batch_rounds):
        for name in names:
            for jobs in sorted({1, cores}):
                runs.setdefault((name, jobs), []).append(measure.batch(name, jobs, args.batch))
                say(f"  batch round {round_ + 1}: {name}, {jobs} process(es): {runs[name, jobs][-1].per_second:.0f} handouts/s")
        if "handouts" in names:
            rate = measure.batch("handouts", cores, args.batch // 3, measure.PACKET)
            runs.setdefault(("handouts", "packets", cores), []).append(rate)
            say(f"  batch round {round_ + 1}: three-topic packets, {cores} processes: {rate.per_second:.0f} packets/s")
    return {key: measure.Rate(statistics.median(r.per_second for r in rates), statistics.median(r.cpu_ms for r in rates))
            for key, rates in runs.items()}


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


def _engine_table(figures: dict[str, measure.Figures]) -> str:
    base = figures[BASE]
    lines = [f"### One handout ({SLUG}, letter, 13 pt body), warm", "",
             "| engine | warm ms/handout | vs handouts | peak MB warm | PDF KB | pages |", "|---|--:|---|--:|--:|--:|"]
    for name, entry in figures.items():
        lines.append(f"| {ENGINES[name][2]} | {entry.warm:.1f} | {'' if name == BASE else _ratio(entry.warm, base.warm)} "
                     f"| {entry.warm_peak_mb:.0f} | {entry.pdf_bytes / 1024:.0f} | {entry.pages} |")
    lines += ["", f"Median of {len(base.warm_ms)} interleaved rounds of tailored copies (a new patient name each), "
              "after setup in the same process. Peak MB is the process's peak resident memory.", ""]
    return "\n".join(lines)


def _cold_table(figures: dict[str, measure.Figures], cold: measure.Cold) -> str:
    base = figures["platypus"] if "platypus" in figures else None
    rows = [(f"handouts: `build.py build {SLUG}`, one handout", figures[BASE]),
            (f"handouts: `build.py build {SLUG}` as typed (English and Spanish)", cold.literal),
            ("handouts' libraries, imported and nothing else", cold.libraries),
            *((ENGINES[name][2], entry) for name, entry in figures.items() if entry.cold_cpu_s and name != BASE)]
    lines = ["### Cold: one handout from a fresh process", "",
             "| process | CPU s | wall s | peak MB | CPU vs plain Platypus | peak vs plain Platypus |", "|---|--:|--:|--:|--:|--:|"]
    for label, entry in rows:
        cpu, peak = statistics.median(entry.cold_cpu_s), statistics.median(entry.cold_peak_mb)
        ratios = (f"{measure.paired(entry.cold_cpu_s, base.cold_cpu_s):.2f}×",
                  f"{measure.paired(entry.cold_peak_mb, base.cold_peak_mb):.2f}×") if base else ("", "")
        lines.append(f"| {label} | {cpu:.3f} | {entry.cold:.3f} | {peak:.0f} | {ratios[0]} | {ratios[1]} |")
    lines += ["", f"Median of {len(figures[BASE].cold_s)} rounds, every process of a round run in turn; the ratios are "
              "medians of the ratios round by round. CPU is user + system time of the process and its children, "
              "interpreter start to exit; peak MB its peak resident memory. Nothing is up to date: each run writes "
              "into a new folder. The one-handout run uses a content folder with only the English topic, so it "
              "builds one handout like the other engines.", ""]
    return "\n".join(lines)


def _batch_table(batches: dict[tuple, measure.Rate], count: int) -> str:
    cores = os.cpu_count() or 1
    lines = [f"### Batch: {count:,} tailored handouts, whole process timed", "",
             f"| engine | 1 process, handouts/s | {cores} processes, handouts/s | CPU ms/handout ({cores} processes) |",
             "|---|--:|--:|--:|"]
    for name in dict.fromkeys(key[0] for key in batches if len(key) == 2):
        single, many = batches[name, 1], batches.get((name, cores), batches[name, 1])
        label = "handouts: `build.py batch patients.csv` (a packet a row)" if name == BASE else ENGINES[name][2]
        lines.append(f"| {label} | {single.per_second:.0f} | {many.per_second:.0f} | {many.cpu_ms:.1f} |")
    packets = batches.get((BASE, "packets", cores))
    if packets:
        lines.append(f"| handouts: three-topic packets ({count // 3:,}), packets/s | | {packets.per_second:.0f} | "
                     f"{packets.cpu_ms:.1f} a packet |")
    lines += ["", "Each of this project's packets is the benchmark topic for one patient (or three topics: "
              f"{', '.join(measure.PACKET)}), laid out, drawn as a tagged PDF and checked, then written atomically "
              "with the run's manifest; the other engines write each copy with a plain write. CPU ms counts every "
              "process of the run: on a machine whose cores are busy with other work, handouts/s falls but CPU ms "
              "holds."]
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


def _goal_table(rows: list[tuple[str, str, bool | None]]) -> str:
    lines = ["### Goals (issues 14 and 6)", "", "| goal | measured | |", "|---|---|---|"]
    verdicts = {True: "met", False: "**missed**", None: "—"}
    lines += [f"| {goal} | {measured} | {verdicts[met]} |" for goal, measured, met in rows]
    return "\n".join(lines + [""])


if __name__ == "__main__":
    main()
