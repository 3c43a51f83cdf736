"""The command line: help everywhere, exit codes, and the list of topics."""

from pathlib import Path

import pytest

from tests.helpers import MINIMAL_TOPIC, ROOT, run, write_topic


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["list", "--help"]])
def test_help_everywhere(args: list[str]) -> None:
    result = run(*args)
    assert result.code == 0 and "Usage:" in result.output


def test_usage_error_exits_2() -> None:
    assert run("build", "--paper", "legal").code == 2
    assert run("frobnicate").code == 2


def test_unknown_slug_is_an_error_listing_the_topics(project: Path) -> None:
    write_topic(project, "known.yaml")
    result = run("build", "unknown")
    assert result.code == 1 and "no topic named unknown" in result.flat and "(topics: known)" in result.flat


def test_build_only_the_named_slugs(project: Path) -> None:
    write_topic(project, "one.yaml")
    write_topic(project, "two.yaml")
    assert run("build", "two").code == 0
    assert [p.name for p in (project / "out").glob("*.pdf")] == ["two.pdf"]


def test_badly_named_content_file(project: Path) -> None:
    write_topic(project, "My Topic.yaml")
    result = run("build")
    assert result.code == 1 and "name content files like 'my-topic.yaml'" in result.flat


def test_missing_clinic_file(project: Path) -> None:
    write_topic(project, "one.yaml")
    result = run("build", "--clinic", "nowhere.yaml")
    assert result.code == 1 and "nowhere.yaml: cannot read the file" in result.flat and "Traceback" not in result.output


def test_list_shows_language_review_date_and_grade(project: Path) -> None:
    write_topic(project, "alpha.yaml")
    write_topic(project, "alpha.es.yaml", MINIMAL_TOPIC.replace("Test Topic", "Tema"))
    result = run("list")
    assert result.code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("alpha")]
    assert len(lines) == 2
    assert "en" in lines[0] and "Test Topic" in lines[0] and "2026-11-01" in lines[0]
    assert "es" in lines[1] and "Tema" in lines[1]


def test_list_of_the_shipped_library() -> None:
    result = run("list", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"), "--clinic", str(ROOT / "clinic.yaml"))
    assert result.code == 0 and "quit-smoking" in result.output and "Grade" in result.output
