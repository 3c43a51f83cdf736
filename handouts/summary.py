"""What a run prints: progress, a table of results and one closing line, with rich.

Only topic names, file names, sizes and messages appear here, never a patient's name (a
packet is called by its line in the batch file) unless the user asks with ``--verbose``.
On a terminal rich draws a progress bar, the table and colour; in CI and pipes each file gets
one plain line as it is made, and the table is written as plain text in the same columns
(rich took 1.2 ms a row to lay it out: over a second for a batch of 1,000).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import display_path
from .runner import Result

if TYPE_CHECKING:  # a build imports neither the batch nor the catalog (and its reading grades)
    from rich.progress import Progress

    from .batch import BatchReport
    from .catalog import Entry


class Reporter:
    """Reports each finished file: a bar on a terminal, else a plain line each (CI, pipes)."""

    def __init__(self, console: Console, bar: Progress | None, name: Callable[[Result], str]) -> None:
        self.console, self.bar, self.name = console, bar, name
        self.total = self.done = 0

    def start(self, total: int) -> None:
        self.total = total
        if self.bar:
            self.bar.add_task("Building", total=total)
            self.bar.refresh()

    def result(self, result: Result) -> None:
        self.done += 1
        if self.bar:
            self.bar.advance(self.bar.task_ids[0])
            self.bar.refresh()
        else:  # plain text needs none of rich's rendering, which cost more than writing the file
            print(f"[{self.done}/{self.total}] {self.name(result)} {_status(result)}",
                  file=self.console.file, flush=True)


@contextmanager
def progress(name: Callable[[Result], str]) -> Iterator[Reporter]:
    """A :class:`Reporter` calling each file ``name(result)``, which must not be a patient's name."""
    console = terminal()
    if not console.is_terminal:
        yield Reporter(console, None, name)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, auto_refresh=False, transient=True) as bar:  # no thread: workers fork
        yield Reporter(console, bar, name)


def print_build_summary(results: list[Result], out: Path, seconds: float) -> None:
    console = terminal()
    rows = [(result.task.label, result.task.output, *_figures(result), _status(result)) for result in results]
    _print_table(console, ("Handout", "File", "Pages", "Size", "Body", ""), rows)
    for result in results:
        _explain(console, result, result.task.output)
        if result.entry and (result.entry.pages or 1) > 1:
            console.print(f"[cyan]note:[/] {result.task.output} is large print on {result.entry.pages} pages: "
                          "it does not fit one page at that size")
    files = "handouts" if all(result.task.output.endswith(".pdf") for result in results) else "files"
    console.print(_closing(results, files, out, seconds))


def print_batch_summary(report: BatchReport, out: Path, seconds: float, verbose: bool = False) -> None:
    """The packets by line of the batch file; names and file names only with ``verbose``."""
    from .batch import PacketTask

    console = terminal()
    extra = ("Patient", "File") if verbose else ()
    rows = []
    for result in report.results:
        task = result.task
        assert isinstance(task, PacketTask)
        shown = (task.row.name, task.output) if verbose else ()
        rows.append((task.label, str(len(task.topic_files)), *_figures(result), _status(result), *shown))
    _print_table(console, ("Row", "Topics", "Pages", "Size", "Body", "", *extra), rows)
    for result in report.results:
        _explain(console, result, result.task.output if verbose else result.task.label, name_errors=True)
    for bad in report.bad_rows:
        console.print(f"[red]error:[/] {escape(str(bad.error))}")
    console.print(_closing(report.results, "packets", out, seconds, bad_rows=len(report.bad_rows)))


RIGHT_ALIGNED = ("Pages", "Size", "Body", "Topics")


def _print_table(console: Console, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """``rows`` (plain text) under ``columns``: with rich on a terminal, else as plain text laid
    out as rich lays it out (without wrapping a long cell), which costs a hundredth as much."""
    if not rows:
        return
    if console.is_terminal:
        table = _table(*columns)
        for row in rows:
            table.add_row(*(_coloured(cell) if column == "" else escape(cell) for column, cell in zip(columns, row)))
        console.print(table)
        return
    widths = [max(cell_len(cell) for cell in column) for column in zip(columns, *rows)]
    last = len(columns) - 1

    def line(cells: tuple[str, ...], separator: str) -> str:
        return separator.join(
            f"{' ' if index else ''}{_justify(cell, widths[index], columns[index])}{' ' if index < last else ''}"
            for index, cell in enumerate(cells))

    rule = "╇".join("━" * (width + (index > 0) + (index < last)) for index, width in enumerate(widths))
    print("\n".join([line(columns, "┃"), rule, *(line(row, "│") for row in rows)]), file=console.file)


def _justify(cell: str, width: int, column: str) -> str:
    padding = " " * (width - cell_len(cell))
    return padding + cell if column in RIGHT_ALIGNED else cell + padding


def _table(*columns: str) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in RIGHT_ALIGNED else "left")
    return table


def _figures(result: Result) -> tuple[str, str, str]:
    entry = result.entry
    if entry is None:
        return "", "", ""
    pages = "" if entry.pages is None else str(entry.pages)
    return pages, f"{entry.bytes / 1024:.0f} KB", f"{entry.body_pt:g} pt" if entry.body_pt else ""


_COLOURS = {"FAILED": "red", "up to date": "dim", "built, see warning": "yellow", "built": "green"}


def _status(result: Result) -> str:
    if result.error:
        return "FAILED"
    if result.current:
        return "up to date"
    return "built, see warning" if result.warnings else "built"


def _coloured(status: str) -> str:
    return f"[{_COLOURS[status]}]{status}[/]"


def _explain(console: Console, result: Result, name: str, name_errors: bool = False) -> None:
    """The warnings and the error of one result, each on its own line."""
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(name)}: {escape(warning)}")
    if result.error:
        console.print(f"[red]error:[/] {escape(name) + ': ' if name_errors else ''}{escape(str(result.error))}")
        if result.old_copy == "removed":
            console.print("       its file from an earlier build was removed, so it is not printed by mistake")
        elif result.old_copy == "not ours":
            console.print("       the file already there under its name was left as it is: no earlier build "
                          "made it (manifest.json does not list it)")


def _closing(results: list[Result], kind: str, out: Path, seconds: float, bad_rows: int = 0) -> str:
    """``Built 3 of 12 handouts into out/ in 1.2 s; 9 were up to date; 1 failed.``"""
    failed = bad_rows + sum(1 for result in results if result.error)
    current = sum(1 for result in results if result.current)
    built = sum(1 for result in results if result.made)
    line = f"Built {built} of {len(results) + bad_rows} {kind} into {display_path(out)}/ in {seconds:.1f} s"
    if current:
        line += f"; {current} {'was' if current == 1 else 'were'} up to date"
    return f"{line}; [red]{failed} failed[/]." if failed else f"{line}."


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
