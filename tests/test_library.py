"""The shipped topic library: plain language, sourced figures, current reviews, one page at 13 pt."""

import datetime as dt
import re
from pathlib import Path

import pytest

from handouts.model import text_fields
from handouts.pipeline import Options, Project, build_handout, discover, load_topic, prepare
from handouts.readability import readability
from tests.helpers import ROOT, run

TOPICS = discover(ROOT / "content")
ENGLISH = {"diet-vitamin-d", "fracture-warning-signs", "quit-smoking", "understanding-osteoporosis",
           "bone-density-test", "osteoporosis-medicines", "exercise-and-spine-safety", "alcohol-and-bones",
           "preventing-falls"}
FACTS = ROOT / "docs" / "osteoporosis-facts.md"
ADDENDUM = "\n---\n\n## Addendum: clinical review of December 2026"
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.open(ROOT / "templates", ROOT / "clinic.yaml")


def ids(topic_file) -> str:  # noqa: ANN001 - pytest id callback
    return topic_file.output_name


def numbers(text: str) -> set[str]:
    """Figures in ``text``, normalised: 1,200 -> 1200, 1½ -> 1.5, −2.5 -> 2.5."""
    text = text.replace("½", ".5")
    return {re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", n) for n in NUMBER.findall(text)}


def test_the_library_has_every_topic_in_english_and_spanish() -> None:
    assert {t.slug for t in TOPICS if t.language is None} == ENGLISH
    assert {t.slug for t in TOPICS if t.language == "es"} == ENGLISH
    assert len(TOPICS) == 18


@pytest.mark.parametrize("topic_file", TOPICS, ids=ids)
def test_reading_grade_is_7_or_lower_by_both_formulas(project: Project, topic_file) -> None:  # noqa: ANN001
    measured = readability(prepare(project, topic_file, Options()))
    if topic_file.language is None:
        assert set(measured.measures) == {"flesch_kincaid", "smog"}
    else:  # Spanish: the Crawford grade, and "fairly easy" or easier on the INFLESZ scale
        assert set(measured.measures) == {"crawford", "szigriszt_pazos"} and measured.ease >= 65
    grades = {name: value for name, value in measured.measures.items() if name != "szigriszt_pazos"}
    assert grades and all(value <= 7 for value in grades.values()), measured.describe()


@pytest.mark.parametrize("topic_file", TOPICS, ids=ids)
def test_review_date_is_within_two_years_and_not_in_the_future(topic_file) -> None:  # noqa: ANN001
    reviewed = load_topic(topic_file)[0].reviewed
    today = dt.date.today()
    assert today - dt.timedelta(days=730) <= reviewed <= today


@pytest.mark.parametrize("topic_file", TOPICS, ids=ids)
def test_every_figure_is_sourced_from_the_fact_sheet(topic_file) -> None:  # noqa: ANN001
    """Never invent a number: each figure a patient reads is in the fact sheet, and the
    topic cites sources. Clinic details ({{ clinic.phone }}) are not figures of the topic."""
    topic, _ = load_topic(topic_file)
    known = numbers(FACTS.read_text(encoding="utf-8"))
    for at, text in text_fields(topic, sources=False):
        figures = numbers(re.sub(r"\{\{.*?\}\}", "", text))
        if figures:
            assert topic.sources, f"{at}: figures but no sources"
            assert figures <= known, f"{topic_file.path.name} {at}: {sorted(figures - known)} not in the fact sheet"


@pytest.mark.parametrize("topic_file", TOPICS, ids=ids)
def test_tells_the_patient_whom_to_ask_and_shouts_nowhere(project: Project, topic_file) -> None:  # noqa: ANN001
    topic = prepare(project, topic_file, Options())
    texts = [text for _, text in text_fields(topic, sources=False)]
    assert any(project.clinic.phone in text for text in texts), "no line with the clinic's phone"
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            letters = re.sub(r"[^A-Za-zÁÉÍÓÚÑáéíóúñ ]", "", sentence)
            assert not (len(letters.replace(" ", "")) > 12 and letters.isupper()), f"all caps: {sentence}"


@pytest.mark.parametrize("topic_file", TOPICS, ids=ids)
def test_fits_one_page_at_the_default_body_size(project: Project, topic_file) -> None:  # noqa: ANN001
    handout = build_handout(project, topic_file, Options())
    assert handout.body_size == project.theme.type.body and not handout.warnings


def test_the_symptom_topic_has_an_urgent_get_help_block() -> None:
    for topic_file in TOPICS:
        if topic_file.slug == "fracture-warning-signs":
            topic, _ = load_topic(topic_file)
            assert topic.callout and topic.callout.kind == "urgent"
            assert "911" in (topic.callout.text or "") + " ".join(topic.callout.bullets)


def test_readme_library_table_is_the_list_command_output() -> None:
    result = run("list", "--format", "markdown", "--content", str(ROOT / "content"),
                 "--templates", str(ROOT / "templates"), "--clinic", str(ROOT / "clinic.yaml"))
    assert result.code == 0
    assert result.output.strip() in (ROOT / "README.md").read_text(encoding="utf-8"), \
        "README's library table is out of date: paste `python3 build.py list --format markdown`"


def test_fact_sheet_is_the_shared_sheet_plus_a_marked_addendum() -> None:
    """docs/ holds the shared fact sheet unchanged, then an addendum in which every added
    figure or corrected statement names its public source and the review row it answers."""
    sheet, marker, addendum = FACTS.read_text(encoding="utf-8").partition(ADDENDUM)
    assert marker, f"docs/osteoporosis-facts.md needs the heading '{ADDENDUM.strip()}' after the shared sheet"
    shared = ROOT.parent / "shared" / "facts" / "osteoporosis-facts.md"
    if shared.exists():  # beside a checkout of the steering repo: keep the copy in step
        assert sheet == shared.read_text(encoding="utf-8")
    assert "NIH-ODS-CA" in sheet
    tables = addendum.split("### ")[1:3]
    assert [table.splitlines()[0] for table in tables] == ["New figures", "Corrections to statements above"]
    rows = [row.split(" | ") for table in tables for row in [r for r in table.splitlines() if r.startswith("|")][2:]]
    assert len(rows) >= 10
    for cells in rows:
        source, review_row = cells[-2], cells[-1]
        assert "http" in source or "no primary page read" in source, cells
        assert ".yaml" in review_row, cells


def test_reading_grade_works_offline_without_nltk() -> None:
    """textstat would download nltk's CMU dictionary on first English use; here it must not
    touch the network, nor import nltk, and still count syllables by the CMU dictionary."""
    import subprocess
    import sys

    script = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network is off in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
from handouts.model import Topic
from handouts.readability import readability, syllables
topic = Topic.model_validate({"title": "Calcium", "reviewed": "2026-01-01", "summary": "Eat food with calcium every day.",
    "sections": [{"heading": "Why", "text": "Osteoporosis makes bones weak."}], "sources": [{"org": "O", "title": "T"}]})
measured = readability(topic)
assert syllables("osteoporosis", "en") == 6 and syllables("calcium", "en") == 3
assert 0 < measured.grade < 12, measured
assert "nltk" not in sys.modules
print("ok", measured.describe())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.startswith("ok"), done.stderr
