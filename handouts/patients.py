"""A batch file of patients (CSV), read row by row into checked :class:`Row` objects.

Columns: ``name`` (required), ``language`` (a code; empty means English), ``topics`` (slugs
separated by ``;``) and ``large_print`` (yes/no); every other column is passed on to the
templates and content as ``patient.<column>``. A bad row is reported with its line number and
what is wrong with it, never with the patient's name, and the other rows go on.

Cells are separated by commas, or by semicolons or tabs when the header line has no comma
(a spreadsheet set up for a language that writes decimals with a comma saves CSV that way).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError
from .load import read_text
from .model import LANGUAGE_PATTERN
from .tailor import field_name

MAX_BYTES = 10 * 1024 * 1024
"""Largest batch file accepted: tens of thousands of rows."""

REQUIRED = "name"
KNOWN = ("name", "language", "topics", "large_print")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Row:
    """One patient's line of the batch file, checked, and the name of the packet's file."""

    line: int
    name: str
    language: str
    topics: tuple[str, ...]
    large_print: bool
    fields: dict[str, str]
    output: str


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be built: why, and the file an earlier run may have left for it."""

    error: HandoutError
    output: str | None


def read_rows(path: Path, slugs: set[str], languages: set[str]) -> tuple[list[Row], list[BadRow]]:
    """The good rows of ``path`` and the bad ones; ``slugs`` and ``languages`` are the topics
    and languages there are handouts for."""
    records = _records(path)
    if not records:
        raise HandoutError("the file has no header line; the first line names the columns, e.g. name,language,topics",
                           file=path)
    header_line, header = records[0]
    columns = [field_name(title) for title in header]
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if REQUIRED not in columns or duplicated or "" in columns:
        problem = (f"columns named twice: {', '.join(duplicated)}" if duplicated else "a column has no title"
                   if REQUIRED in columns else f"there is no '{REQUIRED}' column")
        raise HandoutError(f"{problem}; the first line names the columns, separated by commas (or semicolons), "
                           "e.g. name,language,topics,large_print", file=path, line=header_line)
    records = [(line, cells) for line, cells in records[1:] if any(cell.strip() for cell in cells)]
    names = file_names({line: dict(zip(columns, cells)).get(REQUIRED, "").strip() for line, cells in records})
    rows, bad = [], []
    for line, cells in records:
        try:
            rows.append(_row(line, columns, cells, slugs, languages, names.get(line, "")))
        except ValueError as error:
            bad.append(BadRow(HandoutError(str(error), file=path, line=line), names.get(line)))
    return rows, bad


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """The file's records, each with the line it starts on (a quoted cell may span lines)."""
    text = read_text(path, MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
    records, line = [], 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise HandoutError(f"this is not a readable CSV file: {error}", file=path, line=reader.line_num) from None
    return [(line, cells) for line, cells in records if cells]


def _delimiter(header: str) -> str:
    """What separates the cells: a comma, or what the header uses when it has no comma."""
    return "," if "," in header else next((mark for mark in ";\t" if mark in header), ",")


def _row(line: int, columns: list[str], cells: list[str], slugs: set[str], languages: set[str], output: str) -> Row:
    """Check one record; raise ValueError listing every problem (never the patient's data)."""
    if len(cells) > len(columns):
        raise ValueError(f"this row has {len(cells)} values but the header names {len(columns)} columns; "
                         "put quotes around a value that contains a comma")
    values = {column: cell.strip() for column, cell in zip(columns, cells)}
    problems = []
    if not values.get("name"):
        problems.append("the name is missing")
    language = values.get("language", "").lower() or "en"
    if not re.fullmatch(LANGUAGE_PATTERN, language):
        problems.append(f"the language '{values['language']}' is not a language code; use one like en or es")
    elif language not in languages:
        problems.append(f"there are no handouts in '{language}' (languages: {', '.join(sorted(languages))})")
    topics = tuple(dict.fromkeys(t.strip().lower() for t in values.get("topics", "").split(";") if t.strip()))
    unknown = [topic for topic in topics if topic not in slugs]
    if not topics:
        problems.append("no topics are listed; write topic names separated by ';', e.g. quit-smoking;preventing-falls")
    elif unknown:
        problems.append(f"unknown topic {', '.join(map(repr, unknown))} (topics: {', '.join(sorted(slugs))})")
    large = values.get("large_print", "").lower()
    if large not in _YES | _NO:
        problems.append(f"large_print should be yes or no, not '{values['large_print']}'")
    if problems:
        raise ValueError("; ".join(problems))
    extra = {column: value for column, value in values.items() if column not in KNOWN and value}
    return Row(line, values["name"], language, topics, large in _YES, extra, output)


def file_names(names: dict[int, str]) -> dict[int, str]:
    """A safe, unique PDF name for each named row, by line: ``jose-nunez.pdf``, ``jose-nunez-2.pdf``."""
    files: dict[int, str] = {}
    taken: set[str] = set()
    for line, name in names.items():
        if not name:
            continue
        stem = file_stem(name)
        candidate, number = stem, 1
        while candidate in taken:
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(candidate)
        files[line] = f"{candidate}.pdf"
    return files


def file_stem(name: str) -> str:
    """A patient's file name without its extension: ``José Núñez`` -> ``jose-nunez`` (a packet,
    an email draft). Letters lose their accents, anything but letters and digits becomes a
    hyphen, so a name can never reach outside its folder; a name with no such letters is ``patient``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "patient"
