"""The plain-text version: the handout's words at 72 columns, readable with no formatting at all."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from handouts.model import text_fields
from handouts.pipeline import Options, Project, discover, prepare
from handouts.text_out import to_text
from tests.helpers import ROOT, build_shipped, words

@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped(tmp_path_factory.mktemp("out"), "--format", "txt", "--jobs", "1")


def test_every_shipped_handout_says_everything_in_short_lines(library: Path) -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    for topic_file in discover(ROOT / "content"):
        stem = topic_file.path.name.removesuffix(".yaml")
        topic = prepare(project, topic_file, Options())
        text = (library / f"{stem}.txt").read_text(encoding="utf-8")
        lines = text.splitlines()
        assert all(len(line) <= 72 for line in lines), stem
        assert lines[lines.index(topic.title) + 1] == "=" * len(topic.title), stem
        for section in topic.sections:
            assert lines[lines.index(section.heading) + 1] == "-" * len(section.heading), stem
        for _, field in text_fields(topic):
            assert words(field.replace("**", "")) in words(text), f"{stem}: {field!r} is missing"
        bullets = [block.bullets for block in [*topic.sections, *([topic.callout] if topic.callout else [])]]
        assert sum(line.startswith("- ") for line in lines) == sum(map(len, bullets)), stem
        assert "**" not in text and "\u00ad" not in text and "\u00a0" not in text and text.endswith(".\n"), stem


def test_numbers_a_patient_dials_are_never_split(library: Path) -> None:
    text = (library / "quit-smoking.txt").read_text(encoding="utf-8")
    assert text.count("1-800-QUIT-NOW") == words(text).count("1-800-QUIT-NOW") >= 1
    assert text.count("(555) 010-0142") == words(text).count("(555) 010-0142") >= 1


def _text(body: str, width: int = 72) -> str:
    return to_text(ET.fromstring(f"<body>{body}</body>"), width)


def test_lists_links_breaks_and_long_addresses() -> None:
    long_url = "https://www.example.org/" + "a" * 70
    text = _text(
        "<h2>Steps</h2><ol><li>First thing to do, which is long enough to need a second line here.</li>"
        "<li>Second</li></ol>"
        '<p>Read <a href="https://www.nih.gov/bones">this page</a>, visit '
        '<a href="https://smokefree.gov/">smokefree.gov</a>, or call <a href="tel:5550100">555-0100</a>.<br/>'
        f'Next line, then <strong>bold</strong> and <em>italic</em>: {long_url}</p>'
        '<div class="callout urgent"><h2>Get help now</h2><ul><li>Call 911.</li></ul></div>'
        '<div class="row"><img src="logo.png"/><div><p>Clinic</p></div></div>', width=40)
    assert text == (
        "Steps\n-----\n\n"
        "1. First thing to do, which is long\n   enough to need a second line here.\n2. Second\n\n"
        "Read this page\n(https://www.nih.gov/bones), visit\nhttps://smokefree.gov/, or call\n555-0100.\n"
        f"Next line, then bold and italic:\n{long_url}\n\n"
        "Get help now\n------------\n\n- Call 911.\n\n"
        "Clinic\n"
    )


def test_whitespace_soft_hyphens_dashes_and_blank_paragraphs() -> None:
    assert _text("<p>  Os\u00adteo\u00adporosis \n  is   common.</p><p> </p><p>(555)\u00a0010-0142</p>"
                 "<p>Calcium - Fact Sheet</p>", 12) == (
        "Osteoporosis\nis common.\n\n(555) 010-0142\n\nCalcium -\nFact Sheet\n")  # no line starts like a list item


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\u00a0\u2007\u202f"), max_size=300),
       st.integers(20, 80))
@example("bR4t\x1f\u2003" * 5 + "end\u2028of\x85line", 20)  # Unicode spaces, as str.split reads them
def test_any_text_keeps_its_words_and_fits_its_lines(text: str, width: int) -> None:
    body = ET.Element("body")
    ET.SubElement(body, "p").text = text
    ET.SubElement(ET.SubElement(body, "ul"), "li").text = text
    written = to_text(body, width)
    if words(text):
        assert words(written) == words(f"{text} - {text}")
    else:
        assert written == "-\n"  # an empty paragraph is left out; an empty item keeps its bullet
    for line in written.splitlines():  # longer only when one word (a dash after it stays with it)
        assert len(line) <= width or re.fullmatch(r"\S+( -+)?", line.strip().removeprefix("- ")), line
