"""Incremental, parallel and atomic builds: the manifest, skipping, --force, Ctrl-C."""

import hashlib
import json
import os
from pathlib import Path

import pytest

import handouts.write
from handouts.pipeline import Options, Project
from handouts.runner import POOL_FROM, Interrupted, run as run_tasks
from handouts.variants import plan
from tests.helpers import MINIMAL_TOPIC, page_text, read_pdf, run, write_topic


def manifest(project: Path) -> dict:
    return json.loads((project / "out" / "manifest.json").read_text())["files"]


def mtimes(project: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (project / "out").glob("*.pdf")}


@pytest.fixture
def two_topics(project: Path) -> Path:
    write_topic(project, "one.yaml")
    write_topic(project, "two.yaml", MINIMAL_TOPIC.replace("Test Topic", "Second Topic"))
    assert run("build", "--jobs", "1").code == 0
    return project


def test_manifest_lists_every_file_with_hashes_pages_and_size(two_topics: Path) -> None:
    files = manifest(two_topics)
    assert sorted(files) == ["one.pdf", "two.pdf"]
    data = (two_topics / "out" / "one.pdf").read_bytes()
    entry = files["one.pdf"]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert entry["pages"] == 1 and entry["body_pt"] == 13
    assert len(entry["inputs"]) == 64 and entry["inputs"] != files["two.pdf"]["inputs"]


def test_second_run_with_nothing_changed_rebuilds_nothing(two_topics: Path) -> None:
    before = mtimes(two_topics)
    result = run("build", "--jobs", "1")
    assert result.code == 0 and "Built 0 of 2 handouts" in result.flat and "2 were up to date" in result.flat
    assert mtimes(two_topics) == before


def test_only_what_changed_is_rebuilt(two_topics: Path) -> None:
    write_topic(two_topics, "two.yaml", MINIMAL_TOPIC.replace("Test Topic", "Second Topic, changed"))
    before = mtimes(two_topics)
    assert "Built 1 of 2 handouts" in run("build", "--jobs", "1").flat
    after = mtimes(two_topics)
    assert after["one.pdf"] == before["one.pdf"] and after["two.pdf"] != before["two.pdf"]


@pytest.mark.parametrize(("change", "rebuilt"), [("template", 2), ("email template", 0), ("clinic", 2), ("options", 2),
                                               ("force", 2), ("damaged file", 1)])
def test_shared_inputs_options_force_and_damage_rebuild(two_topics: Path, change: str, rebuilt: int) -> None:
    args = ["build", "--jobs", "1"]
    if change == "template":
        labels = two_topics / "templates" / "labels.yaml"
        labels.write_text(labels.read_text().replace("Sources", "References"))
    elif change == "email template":  # the letter of the email, which no handout prints
        for name in ("email.txt.j2", "email.html.j2"):
            template = two_topics / "templates" / name
            template.write_text(template.read_text() + "{# the clinic's own wording #}\n")
    elif change == "clinic":
        (two_topics / "clinic.yaml").write_text("name: Other Clinic\nphone: 555-0100\n")
    elif change == "options":
        args += ["--patient", "Ana"]
    elif change == "force":
        args += ["--force"]
    else:
        (two_topics / "out" / "one.pdf").write_bytes(b"%PDF-1.4 damaged")
    result = run(*args)
    assert result.code == 0 and f"Built {rebuilt} of 2 handouts" in result.flat, result.output
    assert len(read_pdf(two_topics / "out" / "one.pdf").pages) == 1


def test_a_topic_that_now_fails_loses_its_file_and_its_manifest_entry(two_topics: Path) -> None:
    write_topic(two_topics, "two.yaml", "title: [broken\n")
    assert run("build", "--jobs", "1").code == 1
    assert not (two_topics / "out" / "two.pdf").exists() and sorted(manifest(two_topics)) == ["one.pdf"]


def test_parallel_build_gives_the_same_bytes_as_serial(project: Path) -> None:
    names = [f"topic-{index}" for index in range(POOL_FROM)]  # enough for a worker pool
    for name in names:
        write_topic(project, f"{name}.yaml", MINIMAL_TOPIC.replace("Test Topic", f"Topic {name}"))
    assert run("build", "--jobs", "1", "--out", "serial").code == 0
    result = run("build", "--jobs", "2", "--out", "parallel")
    assert result.code == 0 and f"Built {len(names)} of {len(names)} handouts" in result.flat
    for name in names:
        assert (project / "serial" / f"{name}.pdf").read_bytes() == (project / "parallel" / f"{name}.pdf").read_bytes()


def test_a_build_killed_while_writing_leaves_no_partial_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C arriving inside a write: the file being written is not there, not even as a
    temporary; the one before it is complete and listed; the next run builds the rest."""
    for name in ("a", "b", "c"):
        write_topic(project, f"{name}.yaml")
    real_fsync, calls = os.fsync, []

    def interrupted_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # halfway through writing the second PDF
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(handouts.write.os, "fsync", interrupted_fsync)
    project_ = Project.open(project / "templates", project / "clinic.yaml")
    with pytest.raises(Interrupted) as caught:
        run_tasks(project_, plan(project / "content", [], Options()), project / "out")
    assert len(caught.value.results) == 1 and caught.value.total == 3
    assert sorted(path.name for path in (project / "out").iterdir()) == [".handouts.lock", "a.pdf", "manifest.json"]
    assert sorted(manifest(project)) == ["a.pdf"]
    monkeypatch.setattr(handouts.write.os, "fsync", real_fsync)
    result = run("build", "--jobs", "1")
    assert "Built 2 of 3 handouts" in result.flat and "1 was up to date" in result.flat


def test_ctrl_c_on_the_command_line_exits_130_with_what_was_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_topic(project, "a.yaml")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(handouts.write.os, "replace", interrupt)
    result = run("build", "--jobs", "1")
    assert result.code == 130 and "Every file written is complete" in result.flat
    assert not any(path.suffix == ".part" for path in (project / "out").iterdir())


def test_warnings_are_shown_again_while_a_file_stays_up_to_date(project: Path) -> None:
    write_topic(project, "small.yaml")
    theme = project / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace("body: 13  ", "body: 11.5"))
    for _ in range(2):
        result = run("build", "--jobs", "1")
        assert "warning: small.pdf: fits only at 11.5 pt body text" in result.flat
    assert "1 was up to date" in result.flat


def test_font_files_are_inputs_of_every_handout(project: Path) -> None:
    """A font upgrade changes every PDF, so it must make every handout out of date."""
    import shutil

    from handouts.fonts import register_family

    fonts = project / "fonts"  # outside templates/, which is an input as a whole anyway
    fonts.mkdir()
    packaged = register_family("Atkinson Hyperlegible", project / "templates")
    faces = dict(zip(("bold", "bold_italic", "italic", "regular"), sorted(packaged.files)))
    for face, path in faces.items():
        shutil.copy(path, fonts / f"{face}.ttf")
    theme = project / "templates" / "theme.yaml"
    files = ", ".join(f"{face}: ../fonts/{face}.ttf" for face in faces)
    theme.write_text(theme.read_text().replace("font: Atkinson Hyperlegible", f"font: {{{files}}}"))
    before = Project.open(project / "templates", project / "clinic.yaml").fingerprint
    (fonts / "italic.ttf").write_bytes((fonts / "italic.ttf").read_bytes() + b"\0")
    assert Project.open(project / "templates", project / "clinic.yaml").fingerprint != before


def test_a_file_of_the_users_own_under_a_handouts_name_is_kept_until_force(two_topics: Path) -> None:
    """A clinic's own two.pdf (never listed in the manifest) is not overwritten: that handout
    fails naming the file and the way out, the others still build; --force replaces it."""
    out = two_topics / "out"
    (out / "manifest.json").write_text(json.dumps({"files": {"one.pdf": manifest(two_topics)["one.pdf"]}}))
    (out / "two.pdf").write_bytes(b"%PDF-1.4 the clinic's own edited copy")
    write_topic(two_topics, "one.yaml", MINIMAL_TOPIC.replace("Test Topic", "Changed"))
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Built 1 of 2 handouts" in result.flat and "1 failed" in result.flat
    assert ("error: out/two.pdf: not made by handouts (out/manifest.json does not list it); move it away, "
            "or run again with --force to replace it") in result.flat
    assert (out / "two.pdf").read_bytes() == b"%PDF-1.4 the clinic's own edited copy"
    assert sorted(manifest(two_topics)) == ["one.pdf"] and "Changed" in page_text(out / "one.pdf")
    result = run("build", "--jobs", "1", "--force")
    assert result.code == 0 and "Built 2 of 2 handouts" in result.flat
    assert len(read_pdf(out / "two.pdf").pages) == 1 and sorted(manifest(two_topics)) == ["one.pdf", "two.pdf"]


def test_a_file_a_killed_run_wrote_but_did_not_list_is_made_again_not_refused(two_topics: Path) -> None:
    """kill -9 between the rename and the journal's entry: the claim made before the rename
    keeps the file ours, so the next run rebuilds it as the README promises."""
    out = two_topics / "out"
    (out / "manifest.json").write_text(json.dumps({"files": {"one.pdf": manifest(two_topics)["one.pdf"]}}))
    (out / ".manifest.journal").write_text('{"file": "two.pdf", "claim": true}\n{"file": "two.p')
    result = run("build", "--jobs", "1")
    assert result.code == 0 and "Built 1 of 2 handouts" in result.flat and "1 was up to date" in result.flat
    assert sorted(manifest(two_topics)) == ["one.pdf", "two.pdf"] and not (out / ".manifest.journal").exists()


def test_an_older_versions_manifest_still_says_which_files_are_ours(two_topics: Path) -> None:
    """Entries in another version's shape are ours but never current: rebuilt, not refused."""
    out = two_topics / "out"
    files = {name: {"sha256": entry["sha256"], "pages": 1, "grade": 6.5} for name, entry in manifest(two_topics).items()}
    (out / "manifest.json").write_text(json.dumps({"tool": "handouts 0.0.9", "files": files}))
    result = run("build", "--jobs", "1")
    assert result.code == 0 and "Built 2 of 2 handouts" in result.flat
    assert all(len(entry["inputs"]) == 64 for entry in manifest(two_topics).values())
