"""`build.py check` end to end: every problem at once, with file, line and key; exit codes; JSON."""

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.helpers import MINIMAL_TOPIC, ROOT, run, write_topic

TODAY = dt.date.today().isoformat()
FINDING_KEYS = {"topic", "language", "file", "line", "key", "severity", "check", "message", "suggestion"}


def topic(text: str = MINIMAL_TOPIC) -> str:
    """A clean topic: reviewed today (no test depends on the date it runs) and in words short
    enough that SMOG, which overrates a text this short, stays below grade 7."""
    return text.replace("reviewed: 2026-11-01", f"reviewed: {TODAY}").replace("A short summary", "A short note").replace("Another thing", "One more thing")


def check_json(*args: str) -> tuple[int, dict]:
    result = run("check", "--format", "json", *args)
    return result.code, json.loads(result.output)


def findings(report: dict, check: str) -> list[dict]:
    return [finding for finding in report["findings"] if finding["check"] == check]


def test_shipped_library_is_clean_even_strictly() -> None:
    """No errors and no warnings: every translation says what its English says, too."""
    result = run("check", "--strict", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                 "--clinic", str(ROOT / "clinic.yaml"), "--config", str(ROOT / "check.yaml"))
    assert result.code == 0, result.output
    assert "0 errors, 0 warnings" in result.flat
    shipped = sorted(path.name.removesuffix(".yaml") for path in (ROOT / "content").glob("*.yaml"))
    assert all(stem in result.output for stem in shipped)


def test_clean_topic_json_shape_and_no_output_written(project: Path) -> None:
    write_topic(project, "fine.yaml", topic())
    code, report = check_json()
    assert code == 0
    assert report["format"] == 1 and report["passed"] is True and report["strict"] is False
    assert report["counts"]["error"] == 0 and report["counts"]["warning"] == 0
    assert report["topics"] == [{"topic": "fine", "language": "en", "file": "content/fine.yaml",
                                 "measures": report["topics"][0]["measures"], "errors": 0, "warnings": 0}]
    assert set(report["topics"][0]["measures"]) == {"body_pt", "flesch_kincaid", "smog"}
    assert all(set(finding) == FINDING_KEYS for finding in report["findings"])
    assert {finding["check"] for finding in report["findings"]} >= {"fit", "readability", "hygiene", "contrast"}
    assert not (project / "out").exists()


def test_every_schema_problem_at_once_and_the_other_topics_still_checked(project: Path) -> None:
    write_topic(project, "broken.yaml", topic().replace("heading: First part", "heding: First part") + "subtitel: x\n")
    write_topic(project, "fine.yaml", topic())
    code, report = check_json()
    assert code == 1
    problems = [(f["file"], f["line"], f["key"], f["message"]) for f in findings(report, "schema")]
    assert ("content/broken.yaml", 5, "sections #1", "unknown key 'heding' — did you mean 'heading'?") in problems
    assert ("content/broken.yaml", 5, "sections #1", "missing required key 'heading'") in problems
    assert any(line == 13 and "subtitel" in message for _, line, _, message in problems)
    assert [t["errors"] for t in report["topics"]] == [3, 0]


def test_all_undrawable_characters_listed_with_their_text(project: Path) -> None:
    write_topic(project, "arrows.yaml", topic().replace("One thing to do.", "Go → there.").replace("Some words here.", "Done ✓ today."))
    result = run("check")
    assert result.code == 1
    assert "content/arrows.yaml, line 6, sections #1 › text: the font Atkinson Hyperlegible cannot draw '✓' (CHECK MARK) in “Done ✓ today.”" in result.flat
    assert "content/arrows.yaml, line 8, sections #1 › bullets #1: the font Atkinson Hyperlegible cannot draw '→' (RIGHTWARDS ARROW) in “Go → there.”" in result.flat


def test_all_unknown_names_listed(project: Path) -> None:
    write_topic(project, "names.yaml", topic().replace("Some words here.", "Call {{ clinic.phon }}.").replace("One thing to do.", "Hi {{ patient.nmae }}."))
    code, report = check_json()
    assert code == 1
    found = [(f["line"], f["key"], f["message"]) for f in findings(report, "tailoring")]
    assert found[0][:2] == (6, "sections #1 › text") and "'clinic.phon' is not a name you can use (did you mean 'clinic.phone'?)" in found[0][2]
    assert found[1][:2] == (8, "sections #1 › bullets #1") and "'patient.nmae'" in found[1][2]


HARD = """\
title: Pharmacotherapeutic Considerations
reviewed: {today}
summary: Comprehensive pharmacological interventions substantially diminish osteoporotic vertebral fracture probability among postmenopausal individuals demonstrating densitometric abnormalities.
sections:
  - heading: Considerations
    text: Bisphosphonate administration necessitates meticulous adherence to gastrointestinal precautionary instructions, particularly regarding simultaneous consumption.
sources:
  - org: Test Org
    title: Test Source
"""


def test_hard_text_is_an_error_with_its_longest_sentences_and_words(project: Path) -> None:
    write_topic(project, "hard.yaml", HARD.format(today=TODAY))
    code, report = check_json()
    [reading] = findings(report, "readability")
    assert code == 1 and reading["severity"] == "error"
    assert "Flesch-Kincaid grade" in reading["message"] and "aim for grade 7 or below" in reading["message"]
    assert "shorten the longest sentences: line 3 (summary): “Comprehensive pharmacological" in reading["suggestion"]
    assert "(15 words)" in reading["suggestion"] and "line 6" not in reading["suggestion"]  # 13 words: short enough
    assert "try shorter words for these of 4+ syllables: " in reading["suggestion"]
    assert "pharmacological (6)" in reading["suggestion"]


def test_thresholds_come_from_check_yaml(project: Path) -> None:
    write_topic(project, "hard.yaml", HARD.format(today=TODAY))
    (project / "check.yaml").write_text("readability:\n  warn_above_grade: 50\n  error_above_grade: 60\n")
    code, report = check_json()
    assert code == 0 and findings(report, "readability")[0]["severity"] == "info"


def test_bad_check_yaml_names_file_line_and_key(project: Path) -> None:
    write_topic(project, "fine.yaml", topic())
    (project / "check.yaml").write_text("readability:\n  warn_above_grade: 7\n  eror_above_grade: 9\n")
    result = run("check")
    assert result.code == 1 and "Traceback" not in result.output
    assert "check.yaml, line 3, readability: unknown key 'eror_above_grade' — did you mean 'error_above_grade'?" in result.flat


def test_spanish_is_graded_with_spanish_formulas(project: Path) -> None:
    write_topic(project, "bones.es.yaml", topic().replace("Some words here.", "Coma alimentos con calcio todos los días."))
    code, report = check_json()
    assert code == 0
    assert set(report["topics"][0]["measures"]) == {"body_pt", "crawford", "szigriszt_pazos"}
    assert "Crawford grade" in findings(report, "readability")[0]["message"]


def test_review_dates(project: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    old = (dt.date.today() - dt.timedelta(days=3 * 366)).isoformat()
    write_topic(project, "future.yaml", MINIMAL_TOPIC.replace("2026-11-01", future))
    write_topic(project, "old.yaml", MINIMAL_TOPIC.replace("2026-11-01", old))
    result = run("check")
    assert result.code == 1
    assert f"error (hygiene): content/future.yaml, line 2, reviewed: the review date {future} is in the future" in result.flat
    assert f"warning (hygiene): content/old.yaml, line 2, reviewed: last reviewed {old}, more than 2 years ago" in result.flat


def test_old_review_is_a_warning_that_fails_only_with_strict(project: Path) -> None:
    old = (dt.date.today() - dt.timedelta(days=3 * 366)).isoformat()
    write_topic(project, "old.yaml", MINIMAL_TOPIC.replace("2026-11-01", old))
    assert run("check").code == 0
    strict = run("check", "--strict")
    assert strict.code == 1 and "--strict: warnings count" in strict.flat


def test_figures_in_a_topic_without_sources(project: Path) -> None:
    text = topic().replace("Some words here.", "Take 1,200 mg a day. Eat well.").split("sources:")[0]
    write_topic(project, "unsourced.yaml", text)
    code, report = check_json()
    assert code == 1
    assert any("missing required key 'sources'" in f["message"] for f in findings(report, "schema"))
    [figure] = findings(report, "hygiene")
    assert (figure["line"], figure["key"]) == (6, "sections #1 › text")
    assert figure["message"] == "this states a figure, but the topic has no sources: “Take 1,200 mg a day.”"


def test_phone_numbers_patients_cannot_read_are_warned(project: Path) -> None:
    write_topic(project, "phones.yaml", topic().replace("Some words here.", "Call 5550100142 or 1-800-784-8669."))
    (project / "clinic.yaml").write_text("name: Test Clinic\nphone: call the front desk\n")
    code, report = check_json()
    assert code == 0
    warnings = [(f["file"], f["line"], f["message"]) for f in report["findings"] if f["severity"] == "warning"]
    assert ("content/phones.yaml", 6, "'5550100142' looks like a phone number but is hard to read or dial") in warnings
    assert ("clinic.yaml", 2, "the clinic phone 'call the front desk' is not in a format patients can dial") in warnings
    assert len(warnings) == 2


def test_symptom_topic_needs_a_callout(project: Path) -> None:
    write_topic(project, "signs.yaml", topic() + "category: symptom\n")
    result = run("check")
    assert result.code == 1
    assert "content/signs.yaml, line 13, category: a symptom topic needs a callout that says when to get help" in result.flat


def test_contrast_of_the_pairs_the_template_uses(project: Path) -> None:
    write_topic(project, "fine.yaml", topic())
    theme = project / "templates" / "theme.yaml"
    text = theme.read_text().replace('  p:                {space_after: 0.35}', '  p:                {space_after: 0.35, color: "#777777"}')
    text = text.replace("\n  footer p:", '\n  footer h1:        {color: "#ffffff"}\n  footer p:', 1)  # never rendered: not checked
    theme.write_text(text)
    code, report = check_json()
    assert code == 1
    errors = [f for f in findings(report, "contrast") if f["severity"] == "error"]
    assert {f["file"] for f in errors} == {"templates/theme.yaml"} and all(f["key"] == "styles › p › color" for f in errors)
    assert "'p' text (#777777) on the page (#ffffff) has contrast 4.5:1; body text needs 7:1" in [f["message"] for f in errors]
    assert all(f["topic"] is None for f in errors) and "darker colour such as #" in errors[0]["suggestion"]


def test_overflow_names_the_longest_section(project: Path) -> None:
    long_section = "  - heading: Far too much\n    bullets:\n" + "".join(
        f"      - This is a long bullet number {i} that keeps going to fill the page up.\n" for i in range(60))
    write_topic(project, "toolong.yaml", topic().replace("sections:\n", "sections:\n" + long_section, 1))
    result = run("check")
    assert result.code == 1
    assert "error (fit): content/toolong.yaml: does not fit on one page even at 11 pt body text" in result.flat
    assert "The longest part is the section 'Far too much'" in result.flat


def test_a_broken_template_is_reported_once_not_per_topic(project: Path) -> None:
    write_topic(project, "one.yaml", topic())
    write_topic(project, "two.yaml", topic())
    template = project / "templates" / "handout.html.j2"
    template.write_text(template.read_text().replace("<h1>{{ topic.title }}</h1>", "<h1>{{ topic.title }}</h1><marquee>x</marquee>"))
    code, report = check_json()
    assert code == 1
    [build] = findings(report, "build")
    assert build["file"] == "templates/handout.html.j2" and build["topic"] is None
    assert "<marquee> is not in the supported subset" in build["message"]


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "--strictly"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).code == 2


def test_a_broken_theme_is_reported_and_the_topics_still_checked(project: Path) -> None:
    write_topic(project, "names.yaml", topic().replace("Some words here.", "Call {{ clinic.phon }}."))
    theme = project / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace("  text: \"#1a1a1a\"", "  text: dark grey"))
    code, report = check_json()
    assert code == 1
    [setup] = findings(report, "setup")
    assert (setup["file"], setup["line"], setup["key"]) == ("templates/theme.yaml", 23, "colors › text")
    assert [f["check"] for f in report["findings"] if f["topic"] == "names"] == ["readability", "hygiene"]
