"""Stage 2: the topic model, and errors that name file, line and key."""

from pathlib import Path

import pytest

from handouts.load import load_yaml
from handouts.model import ContentErrors, Topic, text_fields, validate
from tests.helpers import MINIMAL_TOPIC, run, write_topic


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "topic.yaml"
    path.write_text(text)
    with pytest.raises(ContentErrors) as caught:
        validate(Topic, load_yaml(path))
    return [str(error) for error in caught.value.errors]


def test_minimal_topic_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(MINIMAL_TOPIC)
    topic = validate(Topic, load_yaml(path))
    assert topic.language == "en" and topic.sections[0].bullets[1] == "Another thing to do."


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL_TOPIC + "subtitel: oops\n")
    assert found == [f"{tmp_path / 'topic.yaml'}, line 13: unknown key 'subtitel' — did you mean 'subtitle'?"]


def test_missing_key_names_its_parent(tmp_path: Path) -> None:
    text = MINIMAL_TOPIC.replace("  - heading: First part\n    text:", "  - text:")
    assert problems(tmp_path, text) == [f"{tmp_path / 'topic.yaml'}, line 5, sections #1: missing required key 'heading'"]


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = MINIMAL_TOPIC.replace("summary: A short summary for the test.\n", "").replace("Test Org", "") + "callout:\n  kind: scary\n  heading: H\n"
    found = problems(tmp_path, text)
    assert len(found) == 3
    assert "missing required key 'summary'" in found[0]
    assert "line 10, sources #1 › org: is empty; write a value after the colon" in found[1]
    assert "line 13, callout › kind: should be one of 'info', 'warning' or 'urgent'" in found[2]


def test_wrong_types_are_explained(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL_TOPIC.replace("reviewed: 2026-11-01", "reviewed: last week").replace("- One thing to do.", "- 42"))
    assert any("line 2, reviewed: should be a date like 2026-11-01" in p for p in found)
    assert any("line 8, sections #1 › bullets #1: should be text" in p for p in found)


def test_text_fields_list_what_a_reader_sees(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(MINIMAL_TOPIC)
    topic = validate(Topic, load_yaml(path))
    fields = dict(text_fields(topic))
    assert fields[("sections", 0, "bullets", 0)] == "One thing to do."
    assert ("sources", 0, "org") in fields
    assert ("sources", 0, "org") not in dict(text_fields(topic, sources=False))


def test_category_is_optional_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(MINIMAL_TOPIC)
    assert validate(Topic, load_yaml(path)).category == "general"
    found = problems(tmp_path, MINIMAL_TOPIC + "category: symptoms\n")
    assert found == [f"{tmp_path / 'topic.yaml'}, line 13, category: should be one of 'general' or 'symptom'"]


def _without_english(text: str) -> str:
    return text.replace("\nen:\n", "\nfr:\n")


def _without_english_email(text: str) -> str:
    return text[: text.index("\n  email:")] + text[text.index("\nes:"):]


@pytest.mark.parametrize("change", [_without_english, _without_english_email])
def test_labels_need_english_with_its_email_words(project: Path, change) -> None:
    """English is what every other language falls back to (no words in Python do)."""
    write_topic(project, "one.yaml")
    path = project / "templates" / "labels.yaml"
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    first_key = next(number for number, line in enumerate(text.splitlines(), 1) if not line.startswith("#"))
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output
    assert (f"templates/labels.yaml, line {first_key}: the 'en' block, with its 'email:' words, is needed"
            in result.flat), result.output


@pytest.mark.parametrize(("file", "typo", "where"), [
    ("labels.yaml", ("  sources: Sources\n", "  sorces: Sources\n"), "en: unknown key 'sorces' — did you mean 'sources'?"),
    ("labels.yaml", ("    subject: Información", "    subjeto: Información"),
     "es › email: unknown key 'subjeto' — did you mean 'subject'?"),
    ("theme.yaml", ("  h2:               {size:", "  h2:               {sise:"),
     "styles › h2: unknown key 'sise' — did you mean 'size'?"),
])
def test_a_misspelt_key_under_a_language_or_a_style_names_file_line_and_key(project: Path, file: str,
                                                                            typo: tuple[str, str], where: str) -> None:
    """Keys chosen by the writer (a language code, a style's selector) sit between the model's own."""
    write_topic(project, "one.yaml")
    path = project / "templates" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(typo[0]) == 1
    path.write_text(text.replace(*typo), encoding="utf-8")
    line = text[:text.index(typo[0])].count("\n") + 1
    result = run("build", "--jobs", "1")
    assert result.code == 1 and f"templates/{file}, line {line}, {where}" in result.flat, result.output
    assert "Traceback" not in result.output
