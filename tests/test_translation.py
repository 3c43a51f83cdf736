"""The `translation` check: a translation must carry every figure of its English, add none
unless it lists it with a reason, keep the English's shape, and be reviewed no earlier."""

import datetime as dt
import json
from pathlib import Path

import pytest

from handouts.checks.figures import figures
from tests.helpers import run, write_topic

TODAY = dt.date.today()

ENGLISH = f"""\
title: Calcium
reviewed: {TODAY}
summary: Your bones need calcium.
sections:
  - heading: Each day
    bullets:
      - Women 51 and older need **1,200 mg** a day.
      - Take no more than 500 mg at one time.
  - heading: Help
    bullets:
      - Call 1-800-QUIT-NOW (1-800-784-8669).
      - Go to smokefree.gov or call {{{{ clinic.phone }}}}.
sources:
  - org: Test Org
    title: Test Source
"""

SPANISH = f"""\
title: Calcio
reviewed: {TODAY}
summary: Sus huesos necesitan calcio.
sections:
  - heading: Cada día
    bullets:
      - Las mujeres de 51 años o más necesitan **1.200 mg** al día.
      - No tome más de 500 mg a la vez.
  - heading: Ayuda
    bullets:
      - Llame al 1-800-QUIT-NOW (1-800-784-8669).
      - Visite smokefree.gov o llame al {{{{ clinic.phone }}}}.
sources:
  - org: Test Org
    title: Test Source
"""


def translation_findings(project: Path, spanish: str, english: str | None = ENGLISH) -> tuple[int, list[dict]]:
    if english is not None:
        write_topic(project, "calcium.yaml", english)
    write_topic(project, "calcium.es.yaml", spanish)
    result = run("check", "--format", "json")
    report = json.loads(result.output)
    return result.code, [f for f in report["findings"] if f["check"] == "translation" and f["severity"] != "info"]


@pytest.mark.parametrize("text, shown, kind, value, unit", [
    ("**1,200 mg**", "1,200 mg", "figure", "1200", "mg"), ("1.200 mg", "1.200 mg", "figure", "1200", "mg"),
    ("1 200 mg", "1 200 mg", "figure", "1200", "mg"), ("1½ inches", "1½ inches", "figure", "1.5", "inch"),
    ("1,5 pulgadas", "1,5 pulgadas", "figure", "1.5", "inch"), ("−2.5 or lower", "−2.5", "figure", "-2.5", None),
    ("8 onzas", "8 onzas", "figure", "8", "oz"), ("600 UI", "600 UI", "figure", "600", "IU"), ("95%", "95%", "figure", "95", "%"),
    ("1-800-QUIT-NOW", "1-800-QUIT-NOW", "phone number", "18007848669", None),
    ("(555) 010-0142", "(555) 010-0142", "phone number", "15550100142", None),
    ("+1 555 010 0142", "+1 555 010 0142", "phone number", "15550100142", None),
    ("+34 91 123 45 67", "+34 91 123 45 67", "phone number", "+34911234567", None),
    ("1-855-DÉJELO-YA", "1-855-DÉJELO-YA", "phone number", "18553353569", None),
    ("https://www.Smokefree.gov/.", "https://www.Smokefree.gov/", "web address", "smokefree.gov", None),
    ("{{clinic.phone }}", "{{ clinic.phone }}", "name", "clinic.phone", None),
])
def test_each_figure_is_read_for_what_it_means(text: str, shown: str, kind: str, value: str, unit: str | None) -> None:
    [figure] = figures(text)
    assert (figure.shown, figure.kind, figure.value, figure.unit) == (shown, kind, value, unit)


def test_a_phone_number_is_not_read_again_as_numbers_and_600_iu_is_no_phone() -> None:
    found = figures("Call 1-800-662-HELP (1-800-662-4357) about 600 IU a day, 24/7.")
    assert [(f.kind, f.value) for f in found] == [("phone number", "18006624357"), ("phone number", "18006624357"),
                                                  ("figure", "600"), ("figure", "24"), ("figure", "7")]


def test_a_faithful_translation_passes(project: Path) -> None:
    code, found = translation_findings(project, SPANISH)
    assert code == 0 and found == []


def test_a_changed_dose_names_both_files_and_lines(project: Path) -> None:
    code, found = translation_findings(project, SPANISH.replace("**1.200 mg**", "**1.000 mg**"))
    assert code == 1
    messages = {(f["file"], f["line"], f["severity"], f["message"]) for f in found}
    assert ("content/calcium.es.yaml", 7, "error",
            "the English has '1,200 mg' (content/calcium.yaml, line 7) but the translation does not") in messages
    assert ("content/calcium.es.yaml", 7, "error",
            "the translation has '1.000 mg' but the English (content/calcium.yaml) does not") in messages
    assert len(found) == 2


def test_a_changed_unit_is_caught_even_with_the_same_number(project: Path) -> None:
    code, found = translation_findings(project, SPANISH.replace("500 mg", "500 g"))
    assert code == 1 and {f["message"].split("'")[1] for f in found} == {"500 mg", "500 g"}


def test_a_wrong_phone_number_is_caught(project: Path) -> None:
    code, found = translation_findings(project, SPANISH.replace("(1-800-784-8669)", "(1-800-784-8696)"))
    assert code == 1
    assert [f["message"] for f in found] == [
        "the translation has '1-800-784-8696' but the English (content/calcium.yaml) does not"]


def test_a_lost_bullet_is_a_shape_warning_and_its_figures_errors(project: Path) -> None:
    code, found = translation_findings(project, SPANISH.replace("      - No tome más de 500 mg a la vez.\n", ""))
    assert code == 1
    assert [(f["severity"], f["key"], f["message"]) for f in found] == [
        ("warning", "sections #1", "section 1 ('Cada día', in English 'Each day') has 1 bullets, the English 2 "
                                   "(content/calcium.yaml, line 5)"),
        ("error", "sections #1 › bullets #2", "the English has '500 mg' (content/calcium.yaml, line 8) but the translation does not"),
    ]


def test_a_lost_name_and_web_address_are_errors(project: Path) -> None:
    code, found = translation_findings(project, SPANISH.replace("Visite smokefree.gov o llame al {{ clinic.phone }}.", "Llámenos."))
    assert code == 1 and {f["message"].split("'")[1] for f in found} == {"smokefree.gov", "{{ clinic.phone }}"}


def test_a_stale_translation_is_a_warning(project: Path) -> None:
    older = (TODAY - dt.timedelta(days=40)).isoformat()
    code, found = translation_findings(project, SPANISH.replace(f"reviewed: {TODAY}", f"reviewed: {older}"))
    assert code == 0
    assert [(f["line"], f["key"], f["severity"], f["message"]) for f in found] == [
        (2, "reviewed", "warning", f"the English was reviewed after this translation ({TODAY}, this {older}); "
                                   "review the translation")]
    assert run("check", "--strict").code == 1


def test_a_translation_without_an_english_file_is_a_warning(project: Path) -> None:
    code, found = translation_findings(project, SPANISH, english=None)
    assert code == 0
    assert [f["message"] for f in found] == ["there is no English file content/calcium.yaml to compare this translation with"]


def test_a_different_callout_kind_and_missing_subtitle_are_warnings(project: Path) -> None:
    english = ENGLISH.replace("summary:", "subtitle: Strong bones.\nsummary:") + "callout:\n  kind: urgent\n  heading: Now\n"
    code, found = translation_findings(project, SPANISH + "callout:\n  kind: info\n  heading: Ahora\n", english)
    assert code == 0
    assert {(f["key"], f["message"]) for f in found} == {
        ("title", "the English has a subtitle and the translation does not"),
        ("callout › kind", "the callout is 'info' but the English one is 'urgent'")}


ADDS = """\
translation:
  adds:
    - figure: 1-855-335-3569
      reason: the Spanish-language quitline
"""
QUITLINE = "      - Llame al 1-800-QUIT-NOW (1-800-784-8669).\n"
SPANISH_LINE = "      - En español, llame al 1-855-DÉJELO-YA (1-855-335-3569) o al 1-800-QUIT-NOW (1-800-784-8669).\n"


def test_an_extra_phone_number_is_an_error_unless_listed_with_its_reason(project: Path) -> None:
    with_line = SPANISH.replace(QUITLINE, SPANISH_LINE)
    code, found = translation_findings(project, with_line)
    assert code == 1 and [f["message"] for f in found] == [
        "the translation has '1-855-DÉJELO-YA' but the English (content/calcium.yaml) does not"]
    assert "list it under 'translation › adds' with the reason" in found[0]["suggestion"]
    code, found = translation_findings(project, with_line + ADDS)
    assert code == 0 and found == []
    report = json.loads(run("check", "--format", "json").output)
    assert "adds '1-855-335-3569' on purpose: the Spanish-language quitline" in [f["message"] for f in report["findings"]]


def test_the_list_lets_off_only_what_it_names(project: Path) -> None:
    text = SPANISH.replace(QUITLINE, SPANISH_LINE.replace(".\n", ", o al 1-800-555-0199.\n")) + ADDS
    code, found = translation_findings(project, text)
    assert code == 1 and [f["message"] for f in found] == [
        "the translation has '1-800-555-0199' but the English (content/calcium.yaml) does not"]


@pytest.mark.parametrize("figure, severity, message", [
    ("1-855-335-3569", "warning", "'1-855-335-3569' is listed as an addition, but the translation does not have it"),
    ("1-800-784-8669", "warning", "the English has '1-800-784-8669' too, so it is not an addition"),
    ("the quitline", "error", "'the quitline' is not one figure, phone number or web address"),
])
def test_a_stale_or_vague_list_entry_is_reported(project: Path, figure: str, severity: str, message: str) -> None:
    code, found = translation_findings(project, SPANISH + ADDS.replace("1-855-335-3569", figure))
    assert [(f["line"], f["key"], f["severity"], f["message"]) for f in found] == [
        (18, "translation › adds #1 › figure", severity, message)]
    assert code == (1 if severity == "error" else 0)


def test_an_english_file_cannot_list_additions(project: Path) -> None:
    code, found = translation_findings(project, SPANISH, ENGLISH + ADDS)
    assert code == 0 and [(f["file"], f["key"], f["severity"]) for f in found] == [
        ("content/calcium.yaml", "translation", "warning")]


def test_any_language_code_is_compared(project: Path) -> None:
    write_topic(project, "calcium.yaml", ENGLISH)
    write_topic(project, "calcium.pt-BR.yaml", SPANISH.replace("**1.200 mg**", "**1.300 mg**"))
    report = json.loads(run("check", "--format", "json").output)
    errors = [f for f in report["findings"] if f["check"] == "translation" and f["severity"] == "error"]
    assert {(f["file"], f["language"]) for f in errors} == {("content/calcium.pt-BR.yaml", "pt-BR")} and len(errors) == 2
