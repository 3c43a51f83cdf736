"""Properties: any text the font covers, in any field, either builds a one-page PDF whose text
contains it or gives a clear HandoutError — never a crash — and the checker takes it too.

Built in process through the pipeline functions, with a modest number of examples, so the
suite stays fast; the characters come from the registered font's own character map.
"""

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from handouts.check import check_topic
from handouts.checks.config import CheckConfig
from handouts.errors import HandoutError
from handouts.pipeline import Options, Project, TopicFile, build_handout
from handouts.tailor import Patient
from handouts.verify import findable
from tests.helpers import ROOT

FIELDS = [("title",), ("subtitle",), ("summary",), ("sections", 0, "heading"), ("sections", 0, "text"),
          ("sections", 0, "bullets", 0), ("callout", "heading"), ("callout", "text"), ("callout", "bullets", 0),
          ("sources", 0, "org"), ("sources", 0, "title")]
TOPIC = {"title": "Title", "subtitle": "Subtitle", "reviewed": dt.date.today(), "summary": "Summary.",
         "sections": [{"heading": "Heading", "text": "Text.", "bullets": ["Bullet."]}],
         "callout": {"kind": "info", "heading": "Callout", "text": "Words.", "bullets": ["Item."]},
         "sources": [{"org": "Org", "title": "Source"}]}
BOLD = re.compile(r"\*\*(.+?)\*\*")  # the one markup content has: **bold** prints as bold


@cache
def project() -> Project:
    return Project.open(ROOT / "templates", ROOT / "clinic.yaml")


def font_text(max_size: int) -> st.SearchStrategy[str]:
    covered = sorted(chr(code) for code in pdfmetrics.getFont(project().family.name).face.charToGlyph)
    return st.text(alphabet=st.sampled_from(covered + [" ", "\n"]), min_size=1, max_size=max_size)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def topic_file(folder: Path, at: tuple, text: str) -> TopicFile:
    data = yaml.safe_load(yaml.safe_dump(TOPIC))
    *parents, last = at
    target = data
    for part in parents:
        target = target[part]
    target[last] = text
    path = folder / "any.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return TopicFile(path, "any", None)


def built_text(topic: TopicFile, options: Options = Options()) -> str | None:
    """The page text of the built handout, or None for a clear error about this topic."""
    try:
        handout = build_handout(project(), topic, options)
    except HandoutError as error:
        assert error.file == topic.path and error.message.strip()
        return None
    reader = PdfReader(io.BytesIO(handout.data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@settings(max_examples=40, deadline=None)
@given(at=st.sampled_from(FIELDS), text=font_text(60))
def test_any_text_in_any_field_builds_and_reads_back_or_fails_clearly(folder: Path, at: tuple, text: str) -> None:
    topic = topic_file(folder, at, text)
    page = built_text(topic)
    if page is not None:
        assert findable(BOLD.sub(r"\1", text), page)
    report = check_topic(topic, project(), CheckConfig(), dt.date.today())
    assert report.findings
    assert (page is None) == any(finding.severity == "error" for finding in report.findings if finding.check != "readability")


@settings(max_examples=20, deadline=None)
@given(name=font_text(40))
def test_any_patient_name_prints_or_fails_clearly(folder: Path, name: str) -> None:
    topic = topic_file(folder, ("title",), "Title")
    page = built_text(topic, Options(patient=Patient(name=name)))
    if page is not None:
        assert findable(f"Prepared for: {name}", page)
