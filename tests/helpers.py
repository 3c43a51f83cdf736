"""Helpers for the tests: a minimal topic, the CLI runner, PDF readers and an HTML reader."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
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


def build_shipped(out: Path, *args: str, clinic: Path = ROOT / "clinic.yaml") -> Path:
    """Build the shipped topics with the shipped templates (and ``clinic``) into ``out``."""
    result = run("build", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                 "--clinic", str(clinic), "--out", str(out), *args)
    assert result.code == 0, result.output
    return out


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


def sized_text(path: Path) -> list[tuple[str, float]]:
    """Every run of text on every page with the size it is drawn at (font size × text matrix)."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if text.strip():
            runs.append((" ".join(text.split()), round(size * tm[3] * cm[3], 2)))

    for page in read_pdf(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def fill_colours(path: Path) -> set[tuple[float, float, float]]:
    """The RGB fill colours (``r g b rg``) the pages' content streams set."""
    import re

    colours = set()
    for page in read_pdf(path).pages:
        data = page.get_contents().get_data().decode("latin-1")
        colours |= {tuple(float(v) for v in match) for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", data)}
    return colours


def read_html(path: Path) -> ET.Element:
    """An HTML file as an element tree (``<html>`` at its root), read by the standard library's
    HTML parser: enough to ask for headings, lists, landmarks and attributes."""
    return html_tree(path.read_text(encoding="utf-8"))


def html_tree(text: str) -> ET.Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


class _TreeBuilder(HTMLParser):
    VOID = {"meta", "img", "br", "link", "input", "hr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("document")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = ET.SubElement(self.open[-1], tag, {name: value or "" for name, value in attrs})
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def words(element: ET.Element | str) -> str:
    """What a reader reads: all text, with runs of whitespace (no-break spaces too) as one space."""
    text = element if isinstance(element, str) else "".join(element.itertext())
    return " ".join(text.replace("\u00ad", "").split())


def run_process(*args: str, cwd: Path, timeout: float = 60, memory_mb: int | None = None,
                file_limit: int | None = None, setup: str = "") -> "subprocess.CompletedProcess[str]":
    """Run ``build.py`` in a new process, as a user would: for inputs that could hang or eat
    memory, so a regression fails on the timeout (or the memory cap) instead of stalling the
    suite. ``file_limit`` (bytes) caps the size of any file the process writes (RLIMIT_FSIZE);
    ``setup`` is Python run first (e.g. a shorter time limit). File permissions hold even when
    the tests run as root (CI does): the process loses root's right to ignore them."""

    def limits() -> None:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        if os.geteuid() == 0:
            _drop_root_file_rights()

    with subprocess.Popen(command(*args, setup=setup), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, preexec_fn=limits, env=process_env(), start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its worker processes too, should they not exit by themselves
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _drop_root_file_rights() -> None:
    """Take CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH out of this (child) process's bounding
    set, so the program it executes obeys file permissions like any user's."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop root's file rights for the test process")


def command(*args: str, setup: str = "") -> list[str]:
    """The command line of ``build.py`` with ``args`` (after ``setup``), for a test to start."""
    if setup:
        return [sys.executable, "-c", f"{setup}\nfrom handouts.cli import main\nmain()", *args]
    return [sys.executable, str(ROOT / "build.py"), *args]


def process_env() -> dict[str, str]:
    """The environment of a ``build.py`` process: this checkout first, a wide plain console."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
