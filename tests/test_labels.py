"""labels.yaml: every language listed has every word a handout prints, or the build stops
and says which word, where, and what English to translate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from handouts.errors import HandoutError
from handouts.labels import load_labels
from handouts.model import ContentErrors
from tests.helpers import MINIMAL_TOPIC, ROOT, page_text, run, write_topic

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


NO_FRENCH = ("templates/labels.yaml has no 'fr' block: add one with the words a handout prints "
             "(copy the en block and translate it)")


def _french_block(text: str, reviewed: str = "Révisé") -> str:
    """labels.yaml's ``en`` block (without its email words) as a ``fr`` block, half translated."""
    block = text[text.index("\nen:\n") + 1: text.index("\n  email:")].replace("en:\n", "fr:\n", 1)
    return block.replace("name: English", "name: French").replace("reviewed: Reviewed", f"reviewed: {reviewed}") + "\n"


def test_a_topic_in_a_language_without_a_block_is_not_built_and_the_others_are(project: Path) -> None:
    """A French reader never gets "Reviewed" and "Page 1 of 2": the build says what to add."""
    write_topic(project, "one.yaml")
    write_topic(project, "one.fr.yaml", MINIMAL_TOPIC.replace("Test Topic", "Sujet d'essai"))
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output
    assert f"content/one.fr.yaml: {NO_FRENCH}" in result.flat, result.output
    assert "Built 1 of 2 handouts" in result.flat
    assert sorted(path.name for path in (project / "out").glob("*.pdf")) == ["one.pdf"]


def test_a_language_said_inside_the_file_is_named_by_its_line(project: Path) -> None:
    write_topic(project, "one.yaml", MINIMAL_TOPIC + "language: fr\n")
    result = run("build")
    assert result.code == 1 and f"content/one.yaml, line 13, language: {NO_FRENCH}" in result.flat, result.output
    assert not list(project.rglob("*.pdf"))


def test_the_block_the_error_asks_for_is_enough_to_build_it(project: Path) -> None:
    """Copying the en block as fr, as the error says, is all it takes; fr's words are printed."""
    write_topic(project, "one.fr.yaml")
    path = project / "templates" / "labels.yaml"
    path.write_text(path.read_text(encoding="utf-8") + _french_block(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert run("build").code == 0
    text = page_text(project / "out" / "one.fr.pdf")
    assert "Révisé: November 2026" in text and "Reviewed" not in text


def test_a_regional_language_uses_its_base_languages_block(project: Path) -> None:
    write_topic(project, "one.es-MX.yaml")
    assert run("build").code == 0
    assert "Revisado: noviembre de 2026" in page_text(project / "out" / "one.es-MX.pdf")


def test_check_reports_a_language_without_a_block_in_an_editors_words(project: Path) -> None:
    write_topic(project, "one.yaml")
    write_topic(project, "one.fr.yaml")
    result = run("check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.output)
    errors = [finding for finding in report["findings"] if finding["severity"] == "error"]
    assert errors == [{
        "topic": "one", "language": "fr", "file": "content/one.fr.yaml", "line": None, "key": None,
        "severity": "error", "check": "labels", "message": NO_FRENCH,
        "suggestion": 'a handout prints some words itself ("Reviewed", "Page 1 of 2", the months); until they are '
                      "written in this language, this file is not built (the topic's other languages still are)"}]
    measured = {(finding["file"], finding["check"]) for finding in report["findings"]}
    assert ("content/one.yaml", "fit") in measured and ("content/one.fr.yaml", "fit") not in measured
    assert "error (labels): content/one.fr.yaml: templates/labels.yaml has no 'fr' block" in run("check").flat


def test_a_patients_packet_in_a_language_without_a_block_fails_alone(project: Path) -> None:
    write_topic(project, "one.yaml")
    write_topic(project, "one.fr.yaml")
    (project / "patients.csv").write_text("name,language,topics\nAna,fr,one\nBo,en,one\n", encoding="utf-8")
    result = run("batch", "patients.csv", "--jobs", "1")
    assert result.code == 1 and f"content/one.fr.yaml: {NO_FRENCH}" in result.flat, result.output
    assert "Built 1 of 2 packets" in result.flat and len(list((project / "packets").glob("*.pdf"))) == 1


def test_an_email_in_a_language_without_a_block_is_not_drafted(project: Path) -> None:
    write_topic(project, "one.fr.yaml")
    write_topic(project, "one.yaml")
    result = run("email", "one", "--to", "ana@example.org", "--lang", "fr")
    assert result.code == 1 and "Traceback" not in result.output
    assert f"content/one.fr.yaml: {NO_FRENCH}" in result.flat, result.output
    assert not list(project.rglob("*.eml"))


def _write_word(project: Path, block: str, key: str, value: str, indent: str = "  ") -> int:
    """Put ``key: value`` in the ``block:`` block of the project's labels.yaml; its line number."""
    path = project / "templates" / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index(f"\n{indent}{key}:", text.index(f"\n{block}:\n")) + 1
    path.write_text(text[:at] + f"{indent}{key}: {value}" + text[text.index("\n", at):], encoding="utf-8")
    return text[:at].count("\n") + 1


def _load_errors(project: Path) -> list[HandoutError]:
    """The errors loading the project's labels.yaml stops at."""
    with pytest.raises(ContentErrors) as caught:
        load_labels(project / "templates")
    return caught.value.errors


@pytest.mark.parametrize(("key", "indent", "word", "wrong", "expected"), [
    ("page_of", "  ", "Página {page}", "lacks {pages}", "{page} and {pages}"),
    ("page_of", "  ", "Página {pagina} de {pages}", "has {pagina}, which the English has not, and lacks {page}",
     "{page} and {pages}"),
    ("date", "  ", "{day} de {mes} de {year}", "has {mes}, which the English has not, and lacks {month}",
     "{month}, {day} and {year}"),
    ("packet", "  ", "Hojas informativas de {clinica}", "has {clinica}, which the English has not, and lacks {clinic}",
     "{clinic}"),
    ("month_year", "  ", "{month} de {year} {page}", "has {page}, which the English has not", "{month} and {year}"),
    ("page_of", "  ", "Página {page de {pages}", "has a brace without its pair", "{page} and {pages}"),
    ("call_us", "    ", "Llámenos al {telefono}.", "has {telefono}, which the English has not, and lacks {phone}",
     "{phone}"),
    ("greeting", "    ", "Hola, {name!r}:", "has {name!r}, which the English has not, and lacks {name}", "{name}"),
])
def test_a_word_whose_placeholders_are_not_its_englishs_stops_the_build(
        project: Path, key: str, indent: str, word: str, wrong: str, expected: str) -> None:
    """"Página {page}" would print no page count, "{pagina}" would print itself: the build names
    the file, line, language and key, and the placeholders the English word has."""
    write_topic(project, "one.es.yaml")
    line = _write_word(project, "es", key, f'"{word}"', indent)
    english = yaml.safe_load((project / "templates" / "labels.yaml").read_text(encoding="utf-8"))["en"]
    english = english["email"][key] if indent == "    " else english[key]
    where = f"es › email › {key}" if indent == "    " else f"es › {key}"
    result = run("build")
    assert result.code == 1 and "Traceback" not in result.output
    assert (f'templates/labels.yaml, line {line}, {where}: the Spanish "{word}" {wrong}; it needs the placeholders '
            f'of the English "{english}", exactly: {expected} (the build fills them in; keep each in braces, spelt '
            "the same)") in result.flat, result.output
    assert not list(project.rglob("*.pdf"))


def test_a_word_the_english_has_without_placeholders_needs_none(project: Path) -> None:
    line = _write_word(project, "es", "reviewed", '"Revisado el {date}"')
    assert [(error.line, error.key, error.message) for error in _load_errors(project)] == [
        (line, "es › reviewed", 'the Spanish "Revisado el {date}" has {date}, which the English has not; it needs none, '
                                'as the English "Reviewed" has none')]


def test_placeholders_in_another_order_are_a_translation_not_a_mistake(project: Path) -> None:
    _write_word(project, "es", "page_of", '"{pages} páginas, esta es la {page}"')
    assert load_labels(project / "templates").root["es"].page_marks(2)[1] == "2 páginas, esta es la 2"


def test_an_english_word_with_a_brace_without_its_pair_is_an_error_of_english(project: Path) -> None:
    """Every translation is held to English's placeholders, so English's must be readable itself."""
    line = _write_word(project, "en", "page_of", '"Page {page} of {pages"')
    assert [str(error) for error in _load_errors(project)] == [
        f'templates/labels.yaml, line {line}, en › page_of: "Page {{page}} of {{pages" has a brace without its pair: '
        "write each placeholder as a name in braces, like {page}"]


def test_check_reports_every_wrong_placeholder_at_once(project: Path) -> None:
    write_topic(project, "one.yaml")
    first = _write_word(project, "es", "page_of", '"Página {page}"')
    second = _write_word(project, "es", "attached", '"Archivo adjunto: {archivo}"', indent="    ")
    result = run("check", "--format", "json")
    assert result.code == 1
    errors = [(f["check"], f["file"], f["line"], f["key"]) for f in json.loads(result.output)["findings"]
              if f["severity"] == "error"]
    assert errors == [("setup", "templates/labels.yaml", first, "es › page_of"),
                      ("setup", "templates/labels.yaml", second, "es › email › attached")]
