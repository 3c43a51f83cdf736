"""Helpers for the tests: a minimal topic, the CLI runner, and PDF readers."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from handouts.cli import main

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_TOPIC = """\
title: Test Topic
reviewed: 2026-11-01
summary: A short summary for the test.
sections:
  - heading: First part
    text: Some words here.
    bullets:
      - One thing to do.
      - Another thing to do.
sources:
  - org: Test Org
    title: Test Source
"""


def write_topic(project: Path, name: str, text: str = MINIMAL_TOPIC) -> Path:
    path = project / "content" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args: str) -> "CliResult":
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.output)


class CliResult:
    def __init__(self, code: int, output: str) -> None:
        self.code = code
        self.output = output
        self.flat = " ".join(output.split())


def read_pdf(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def page_text(path: Path) -> str:
    """All text of the PDF with whitespace folded, as a reader's search would see it."""
    return " ".join(" ".join(page.extract_text() for page in read_pdf(path).pages).split())


def fonts_of_words(path: Path) -> dict[str, str]:
    """Each word on the first page and the font (BaseFont) it is drawn in."""
    faces: dict[str, str] = {}

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        for word in text.split():
            faces[word.strip('.,"')] = str(font["/BaseFont"]) if font else ""

    read_pdf(path).pages[0].extract_text(visitor_text=visit)
    return faces
