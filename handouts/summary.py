"""What a run prints: a table of results and one closing line, with rich.

Only file names, sizes and messages appear here, never a patient's name. On a terminal rich
adds colour; in CI and pipes it prints the same text plainly.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .catalog import Entry
from .errors import display_path
from .pipeline import Result


def print_build_summary(results: list[Result], out: Path, seconds: float) -> None:
    console = terminal()
    table = Table(title=None, show_edge=False, pad_edge=False)
    for column, justify in (("Handout", "left"), ("File", "left"), ("Size", "right"), ("Body", "right"), ("", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for result in results:
        handout = result.handout
        if handout and result.output:
            status = "[yellow]built, see warning[/]" if handout.warnings else "[green]built[/]"
            table.add_row(result.topic_file.slug, result.output.name, f"{len(handout.data) / 1024:.0f} KB",
                          f"{handout.body_size:g} pt", status)
        else:
            table.add_row(result.topic_file.slug, result.topic_file.output_name, "", "", "[red]FAILED[/]")
    if results:
        console.print(table)
    for result in results:
        for warning in result.handout.warnings if result.handout else []:
            console.print(f"[yellow]warning:[/] {display_path(result.topic_file.path)}: {warning}")
        if result.error:
            console.print(f"[red]error:[/] {result.error}")
            if result.removed_stale:
                console.print(f"       removed the older {result.topic_file.output_name} so it is not printed by mistake")
    failed = sum(1 for result in results if result.error)
    built = len(results) - failed
    line = f"Built {built} of {len(results)} handouts into {display_path(out)}/ in {seconds:.1f} s"
    console.print(f"{line}; [red]{failed} failed[/]." if failed else f"{line}.")


def print_catalog(entries: list[Entry], markdown: bool = False) -> None:
    """The library as a table; ``markdown=True`` gives one to paste into the README."""
    header = ("Topic", "Language", "Title", "Reviewed", "Grade", "Measures")
    rows = [
        (entry.topic_file.slug, entry.language, entry.title, entry.reviewed,
         _grade(entry.readability.grade), entry.readability.describe())
        for entry in entries if entry.readability
    ]
    if markdown:
        for row in (header, ("---",) * len(header), *rows):
            print("| " + " | ".join(row) + " |")
    else:
        table = Table(show_edge=False, pad_edge=False)
        for column in header:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        terminal().print(table)
    for entry in entries:
        if entry.error:
            terminal().print(f"[red]error:[/] {entry.error}")


def _grade(grade: float | None) -> str:
    return "–" if grade is None else f"{grade:.1f}"


def terminal() -> Console:
    """A console as wide as the terminal, or wide enough for a log or a pipe."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=160)
