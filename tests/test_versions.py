"""``build --format``: HTML and text files beside the PDFs, named, listed and rebuilt like them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from handouts.pipeline import Options, Project, discover, render_handout
from handouts.tailor import Patient
from handouts.versions import handout_html, handout_text, print_scale
from tests.helpers import MINIMAL_TOPIC, ROOT, run, write_topic


def manifest(project: Path) -> dict:
    return json.loads((project / "out" / "manifest.json").read_text())["files"]


def mtimes(project: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (project / "out").glob("one.*")}


def test_every_kind_and_variant_is_named_like_the_pdf(project: Path) -> None:
    write_topic(project, "one.yaml")
    write_topic(project, "one.es.yaml", MINIMAL_TOPIC)
    result = run("build", "--format", "pdf,html,txt", "--all-variants", "--jobs", "1")
    assert result.code == 0 and "Built 12 of 12 files" in result.flat, result.output
    names = sorted(path.name for path in (project / "out").glob("one.*"))
    assert names == sorted(f"one{lang}{size}.{kind}" for lang in ("", ".es") for size in ("", ".large")
                           for kind in ("pdf", "html", "txt"))
    assert run("build", "--format", "txt", "--lang", "es", "--large-print", "--grayscale", "--jobs", "1").code == 0
    assert (project / "out" / "one.es.large.gray.txt").is_file()


def test_html_and_text_are_listed_and_rebuilt_only_when_something_changed(project: Path) -> None:
    write_topic(project, "one.yaml")
    assert run("build", "--format", "html,txt", "--jobs", "1").code == 0
    assert not (project / "out" / "one.pdf").exists()
    files = manifest(project)
    for name in ("one.html", "one.txt"):
        data = (project / "out" / name).read_bytes()
        assert files[name]["sha256"] == hashlib.sha256(data).hexdigest() and files[name]["bytes"] == len(data)
        assert files[name]["pages"] is None and files[name]["body_pt"] is None
    before = mtimes(project)
    result = run("build", "--format", "html,txt,pdf", "--jobs", "1")
    assert "Built 1 of 3 files" in result.flat and "2 were up to date" in result.flat, result.output
    (project / "out" / "one.txt").write_text("edited by hand")
    write_topic(project, "two.yaml")
    assert "Built 4 of 6 files" in run("build", "--format", "pdf,html,txt", "--jobs", "1").flat
    after = mtimes(project)
    assert after["one.html"] == before["one.html"] and after["one.txt"] != before["one.txt"]
    write_topic(project, "one.yaml", MINIMAL_TOPIC.replace("Test Topic", "Changed Topic"))
    assert "Built 3 of 6 files" in run("build", "--format", "pdf,html,txt", "--jobs", "2").flat
    assert "Changed Topic" in (project / "out" / "one.txt").read_text()


def test_a_broken_topic_leaves_none_of_its_files(project: Path) -> None:
    write_topic(project, "one.yaml")
    assert run("build", "--format", "pdf,html,txt", "--jobs", "1").code == 0
    write_topic(project, "one.yaml", "title: [broken\n")
    result = run("build", "--format", "pdf,html,txt", "--jobs", "1")
    assert result.code == 1 and "3 failed" in result.flat
    assert not list((project / "out").glob("one.*")) and manifest(project) == {}


def test_a_topic_too_long_for_one_page_fails_as_a_pdf_only(project: Path) -> None:
    """The HTML and text have no page to fill; the check and the PDF still say it is too long."""
    write_topic(project, "one.yaml", MINIMAL_TOPIC.replace("Some words here.", "Many words here. " * 400))
    result = run("build", "--format", "pdf,html,txt", "--jobs", "1")
    assert result.code == 1 and "does not fit on one page" in result.flat and "1 failed" in result.flat
    assert sorted(path.name for path in (project / "out").glob("one.*")) == ["one.html", "one.txt"]


def test_an_unknown_format_is_a_usage_error(project: Path) -> None:
    write_topic(project, "one.yaml")
    result = run("build", "--format", "pdf,docx")
    assert result.code == 2 and "'pdf,docx' should be one or more of pdf, html, txt" in result.flat


def test_the_files_are_what_the_library_functions_return(project: Path) -> None:
    """Another way out (an email, a web page) gets the same page and text from memory."""
    write_topic(project, "one.yaml")
    options = Options(large_print=True)
    assert run("build", "--format", "html,txt", "--large-print", "--jobs", "1").code == 0
    opened = Project.open(project / "templates", project / "clinic.yaml")
    topic_file = discover(project / "content")[0]
    assert handout_html(opened, topic_file, options) == (project / "out" / "one.large.html").read_text(encoding="utf-8")
    assert handout_text(opened, topic_file, options) == (project / "out" / "one.large.txt").read_text(encoding="utf-8")


def test_a_pdf_build_does_not_load_the_html_and_text_writers(project: Path) -> None:
    write_topic(project, "one.yaml")
    code = ("import sys; from handouts.cli import main\n"
            "try: main(['build', '--jobs', '1'])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[-1] in ('versions', 'html_out', 'text_out', 'stylesheet')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_a_crowded_handout_prints_smaller_but_never_below_the_floor() -> None:
    """On paper, a browser cannot shrink a page to fit; the page's print size is chosen for it."""
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    short, _, _, crowded = discover(ROOT / "content", ["diet-vitamin-d", "osteoporosis-medicines"])  # en, es, en, es
    with_note = Options(patient=Patient("Ana", {"follow_up": "4 de mayo", "note": "Camine cada día y llámenos."}))
    sizes = {name: print_scale(project, render_handout(project, topic_file, options), options).body
             for name, topic_file, options in (("short", short, Options()), ("crowded", crowded, with_note),
                                               ("large", crowded, Options(large_print=True)))}
    assert crowded.language == "es" and sizes["short"] == 13 and 11 <= sizes["crowded"] < 12.5 and sizes["large"] >= 16
    page = handout_html(project, crowded, with_note)
    assert f"body {{ max-width: none; padding: 0; font-size: {sizes['crowded'] / 12:.4g}rem; }}" in page
