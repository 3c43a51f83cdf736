"""Bad input, end to end through the CLI, for `build` and `check` alike.

Each case: a clear message that names the file (and line and key where there is one), exit
code 1, no traceback, no PDF for the bad topic (a stale one is removed), and the good topic
beside it still builds. The loaders' unit tests are in test_load.py; this is what a content
editor sees. (A clinic logo outside the clinic folder belongs to the clinic-branding work.)
"""

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from handouts.cli import main
from handouts.errors import HandoutError
from tests.helpers import MINIMAL_TOPIC, ROOT, page_text, run, write_topic

GOOD = MINIMAL_TOPIC.replace("2026-11-01", dt.date.today().isoformat())
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
)


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    says: str


def _topic(old: str, new: str) -> bytes:
    return GOOD.replace(old, new).encode()


CASES = [
    Case("YAML syntax error", _topic("summary: A short summary for the test.", "summary: [unclosed"),
         "content/bad.yaml, line 4: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence that starts on line 3)"),
    Case("tab-indented file", _topic("  - heading: First part", "\t- heading: First part"),
         "content/bad.yaml, line 5: YAML syntax error: a tab character is used for indentation; indent with spaces instead"),
    Case("non-UTF-8 file", GOOD.replace("A short", "A café").encode("latin-1"),
         "content/bad.yaml, line 3: the file is not UTF-8 text; save it as UTF-8 in your editor (byte 0xe9 cannot be read)"),
    Case("empty file", b"", "content/bad.yaml: the file is empty"),
    Case("list where the top mapping is expected", b"- title: A\n- title: B\n",
         "content/bad.yaml, line 1: expected keys like 'title: ...' at the top level, found a list"),
    Case("list where a mapping is expected", (GOOD + "callout:\n  - heading: Call us\n").encode(),
         "content/bad.yaml, line 13, callout: should be a group of keys (key: value), one a line, indented"),
    Case("5 MB file", b"title: " + b"x" * (5 * 1024 * 1024), "content/bad.yaml: the file is 5.0 MB; files here are limited to 256 KB"),
    Case("billion-laughs alias bomb", BOMB.encode(), "content/bad.yaml, line 2: anchors and aliases (&name, *name) are not allowed"),
    Case("control character pasted in", _topic("Some words", "Some\x01words"),
         "content/bad.yaml, line 6: the file contains a control character (U+0001) that cannot be printed"),
    Case("sandbox escape through a literal", _topic("Some words here.", "\"{{ ''.__class__.__mro__ }}\""),
         "content/bad.yaml, line 6, sections #1 › text: only names like {{ clinic.phone }} can be used in content; code is not allowed"),
    Case("sandbox escape through a global", _topic("Some words here.", "\"{{ cycler.__init__.__globals__ }}\""),
         "content/bad.yaml, line 6, sections #1 › text: 'cycler.__init__.__globals__' is not a name you can use"),
    Case("characters outside the font", _topic("One thing to do.", "Go → there."),
         "content/bad.yaml, line 8, sections #1 › bullets #1: the font Atkinson Hyperlegible cannot draw '→' (RIGHTWARDS ARROW)"),
    Case("invisible character outside the font", _topic("Some words here.", '"Some\\vwords."'),
         "content/bad.yaml, line 6, sections #1 › text: the font Atkinson Hyperlegible cannot draw U+000B (invisible)"),
    Case("a raw block, which would print its contents", _topic("Some words here.", '"{% raw %}x{% endraw %} words"'),
         "content/bad.yaml, line 6, sections #1 › text: '{%' starts template code or a comment, which is not allowed in content"),
    Case("YAML nested 400 levels deep in brackets", b"title: " + b"[" * 400 + b"]" * 400 + b"\n",
         "content/bad.yaml, line 1: lists and keys are nested more than 32 levels deep"),
    Case("YAML nested 400 levels deep by indentation",
         GOOD.encode() + b"callout:\n" + b"".join(b"  " * depth + b"- \n" for depth in range(1, 400)),
         "content/bad.yaml, line 45: lists and keys are nested more than 32 levels deep"),
]


def described(finding: dict) -> str:
    """A JSON finding written the way the text output and `build` say it."""
    where = [finding["file"]] + [f"line {finding['line']}"] * bool(finding["line"]) + [finding["key"]] * bool(finding["key"])
    return " ".join(f"{', '.join(where)}: {finding['message']}".split())


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder as an earlier build of good.yaml and bad.yaml (both still good) left it."""
    folder = tmp_path_factory.mktemp("earlier")
    for name in ("good", "bad"):
        (folder / f"{name}.yaml").write_text(GOOD, encoding="utf-8")
    assert run("build", "--content", str(folder), "--templates", str(ROOT / "templates"),
               "--clinic", str(ROOT / "clinic.yaml"), "--out", str(folder / "out")).code == 0
    return folder / "out"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_topic_fails_clearly_and_alone(project: Path, earlier_build: Path, case: Case) -> None:
    write_topic(project, "good.yaml", GOOD)
    (project / "content" / "bad.yaml").write_bytes(case.content)
    shutil.copytree(earlier_build, project / "out")

    built = run("build")
    assert built.code == 1 and case.says in built.flat and "Traceback" not in built.output
    assert not (project / "out" / "bad.pdf").exists() and (project / "out" / "good.pdf").exists()
    assert "Built 0 of 2 handouts" in built.flat and "1 was up to date" in built.flat
    assert "its file from an earlier build was removed" in built.flat

    checked = run("check", "--format", "json")
    report = json.loads(checked.output)
    assert checked.code == 1
    assert any(case.says in described(finding) for finding in report["findings"] if finding["severity"] == "error")
    assert {topic["file"]: topic["errors"] for topic in report["topics"]}["content/good.yaml"] == 0


def test_output_folder_that_cannot_be_made(project: Path) -> None:
    write_topic(project, "one.yaml", GOOD)
    write_topic(project, "two.yaml", GOOD)
    (project / "blocked").write_text("a file where a folder should be")
    result = run("build", "--out", "blocked/pdfs")
    assert result.code == 1 and "Traceback" not in result.output
    assert result.flat == "error: blocked/pdfs: cannot write to this folder: Not a directory"  # once, not per handout


def test_output_file_that_cannot_be_written_fails_only_that_handout(project: Path) -> None:
    write_topic(project, "one.yaml", GOOD)
    write_topic(project, "two.yaml", GOOD)
    (project / "out" / "one.pdf").mkdir(parents=True)  # a folder where the PDF should go
    result = run("build")
    assert result.code == 1 and "Traceback" not in result.output
    assert "out/one.pdf: cannot write the file" in result.flat
    assert (project / "out" / "two.pdf").is_file() and not list((project / "out").glob(".*.part"))


MARKUP = "Use <b>salt</b> & \"pepper\" <br/> if {n} > 3 &amp; </p> 'ok'"
FIELDS = [("title",), ("subtitle",), ("summary",), ("sections", 0, "heading"), ("sections", 0, "text"),
          ("sections", 0, "bullets", 0), ("callout", "heading"), ("callout", "text"), ("callout", "bullets", 0),
          ("sources", 0, "org"), ("sources", 0, "title")]


def test_markup_characters_in_every_text_field_print_as_typed(project: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["subtitle"] = ""
    data["callout"] = {"kind": "info", "heading": "", "text": "", "bullets": [""]}
    for n, at in enumerate(FIELDS):
        *parents, last = at
        target = data
        for part in parents:
            target = target[part]
        target[last] = MARKUP.format(n=n)
    (project / "content" / "marks.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert run("build").code == 0
    text = page_text(project / "out" / "marks.pdf")
    assert all(" ".join(MARKUP.format(n=n).split()) in text for n in range(len(FIELDS)))
    checked = run("check", "--format", "json")
    assert checked.code == 0 and json.loads(checked.output)["counts"]["error"] == 0


def test_no_traceback_without_debug_and_one_with_it(project: Path) -> None:
    result = run("check", "--content", "nowhere")
    assert result.code == 1 and "nowhere: the content folder does not exist" in result.flat
    assert "Traceback" not in result.output
    with pytest.raises(HandoutError):
        run("check", "--content", "nowhere", "--debug")


def test_list_reports_a_topic_nested_too_deeply_and_lists_the_rest(project: Path) -> None:
    write_topic(project, "good.yaml", GOOD)
    (project / "content" / "deep.yaml").write_bytes(b"title: " + b"[" * 400 + b"]" * 400 + b"\n")
    result = run("list")
    assert result.code == 1 and "Traceback" not in result.output
    assert "good" in result.flat and "error: content/deep.yaml, line 1: lists and keys are nested more than 32" in result.flat


def test_a_failing_handout_never_removes_a_file_it_did_not_write(project: Path) -> None:
    """`echo precious > out/bad.pdf`, then a broken bad.yaml: the file stays, and the summary
    says why it was not removed."""
    write_topic(project, "good.yaml", GOOD)
    write_topic(project, "bad.yaml", "title: [broken\n")
    (project / "out").mkdir()
    (project / "out" / "bad.pdf").write_text("precious\n")
    result = run("build")
    assert result.code == 1 and (project / "out" / "bad.pdf").read_text() == "precious\n"
    assert "the file already there under its name was left as it is: no earlier build made it" in result.flat
    assert "was removed" not in result.flat


@pytest.fixture
def one_handout_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug nobody foresaw: drawing the topic titled 'Broken' divides by zero. Two jobs use
    worker processes even for two handouts, so the bug also happens in a worker."""
    import handouts.pipeline
    import handouts.runner

    real = handouts.pipeline.draw_handout

    def draw(part: object, paper: str, theme: object, family: object) -> bytes:
        if part.meta.title == "Broken":  # type: ignore[attr-defined]
            return 1 // 0  # type: ignore[return-value]
        return real(part, paper, theme, family)

    monkeypatch.setattr(handouts.pipeline, "draw_handout", draw)
    monkeypatch.setattr(handouts.runner, "POOL_FROM", 1)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_error_is_one_line_and_the_rest_still_build(project: Path, one_handout_breaks: None, jobs: str) -> None:
    write_topic(project, "a-good.yaml", GOOD)
    write_topic(project, "broken.yaml", GOOD.replace("Test Topic", "Broken"))  # second: with two jobs, in a worker
    result = run("build", "--jobs", jobs)
    assert result.code == 1 and "Traceback" not in result.output
    assert ("error: internal error while building broken: ZeroDivisionError in pipeline.py, line "
            in result.flat and "(run with --debug for details)" in result.flat)
    assert (project / "out" / "a-good.pdf").exists() and not (project / "out" / "broken.pdf").exists()
    assert "Built 1 of 2 handouts" in result.flat

    checked = run("check", "--format", "json")
    report = json.loads(checked.output)
    assert checked.code == 1 and report["counts"]["error"] == 1
    [finding] = [finding for finding in report["findings"] if finding["severity"] == "error"]
    assert finding["check"] == "internal" and finding["file"] == "content/broken.yaml"
    assert finding["message"].startswith("internal error while checking broken.yaml: ZeroDivisionError")


def test_debug_shows_the_traceback_of_an_unexpected_error(project: Path, one_handout_breaks: None) -> None:
    write_topic(project, "broken.yaml", GOOD.replace("Test Topic", "Broken"))
    result = CliRunner().invoke(main, ["build", "--jobs", "1", "--debug"])
    assert result.exit_code == 1 and "Traceback" in result.output and "ZeroDivisionError" in result.output
