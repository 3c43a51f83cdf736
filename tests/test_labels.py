"""labels.yaml: every language listed has every word a handout prints, or the build stops
and says which word, where, and what English to translate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handouts.labels import load_labels
from handouts.model import ContentErrors
from tests.helpers import MINIMAL_TOPIC, ROOT, run, write_topic

HANDOUT_WORDS = ["by", "on_date", "date", "follow_up", "note", "page_of", "continued", "packet", "month_year"]
"""The words that had English defaults in Python, which a language's block could leave out."""


def _without(text: str, block: str, key: str, indent: str = "  ") -> str:
    """``text`` of labels.yaml without ``key``'s line in the ``block:`` block."""
    start = text.index(f"\n{block}:\n")
    end = text.find("\n", text.index(f"\n{indent}{key}:", start) + 1)
    line = text[text.index(f"\n{indent}{key}:", start) + 1: end + 1]
    assert re.fullmatch(rf"{indent}{key}: .+\n", line), line
    return text[:start] + text[start:].replace(line, "", 1)


def _line_of(text: str, block: str) -> int:
    return text.splitlines().index(f"{block}:") + 1


@pytest.mark.parametrize("word", HANDOUT_WORDS)
def test_a_spanish_block_without_a_word_stops_the_build_naming_file_line_key_and_the_english(
        project: Path, word: str) -> None:
    """No English word on a Spanish handout: the build fails before printing any handout."""
    write_topic(project, "one.yaml")
    write_topic(project, "one.es.yaml", MINIMAL_TOPIC)
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(_without(text, "es", word), encoding="utf-8")
    english = yaml.safe_load(text)["en"][word]
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output
    expected = f"templates/labels.yaml, line {_line_of(text, 'es')}, es: missing required key '{word}' — " \
               f'add the Spanish for "{english}"'
    assert expected in result.flat, result.output
    assert not list(project.rglob("*.pdf"))


def test_check_reports_a_missing_word_as_an_error(project: Path) -> None:
    write_topic(project, "one.es.yaml", MINIMAL_TOPIC)
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(_without(text, "es", "continued"), encoding="utf-8")
    result = run("check")
    assert result.code == 1, result.output
    assert (f"templates/labels.yaml, line {_line_of(text, 'es')}, es: missing required key 'continued' — add the "
            'Spanish for "continued on the next page"') in result.flat, result.output


def test_a_missing_email_word_names_the_english_too(project: Path) -> None:
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(_without(text, "es", "subject", indent="    "), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_labels(project / "templates")
    assert [error.message for error in caught.value.errors] == [
        f"missing required key 'subject' — add the Spanish for \"{yaml.safe_load(text)['en']['email']['subject']}\""]
    assert caught.value.errors[0].key == "es › email"


def test_english_must_have_every_word_itself(project: Path) -> None:
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(_without(text, "en", "page_of"), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_labels(project / "templates")
    assert [str(error) for error in caught.value.errors] == [
        f"templates/labels.yaml, line {_line_of(text, 'en')}, en: missing required key 'page_of'"]


def test_a_block_without_its_name_asks_for_a_translation(project: Path) -> None:
    """A new language copied from ``en`` and half translated: each missing word is listed."""
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    french = text[text.index("\nen:\n") + 1: text.index("\n  email:")].replace("en:\n", "fr:\n", 1)
    french = _without(_without("\n" + french + "\n", "fr", "name"), "fr", "page_of")
    path.write_text(text + french.lstrip("\n"), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_labels(project / "templates")
    assert [(error.key, error.message) for error in caught.value.errors] == [
        ("fr", "missing required key 'name'"),
        ("fr", "missing required key 'page_of' — add its translation of \"Page {page} of {pages}\"")]


def test_every_shipped_language_has_every_word_a_handout_prints() -> None:
    blocks = yaml.safe_load((ROOT / "templates" / "labels.yaml").read_text(encoding="utf-8"))
    labels = load_labels(ROOT / "templates")
    assert set(labels.root) == set(blocks) and "es" in blocks
    for code, block in blocks.items():
        assert set(HANDOUT_WORDS) <= set(block), code
