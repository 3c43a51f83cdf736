"""Fault injection: real processes killed, stopped, run twice at once, out of disk, read-only.

Each test starts `build.py` as a user would (a subprocess, every wait bounded) and injects a
real fault: `kill -9` or SIGTERM/SIGHUP in the middle of a batch, a second run into the same
folder while the first is paused, a file-size limit (RLIMIT_FSIZE, the disk-full of a child process), a folder the
process may not write. Then it checks what a user would: the exit code and the one-line
message, that every packet ends up built exactly once, that the manifest lists what is on
disk, and that no worker process is left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import MINIMAL_TOPIC, command, process_env, run, run_process, write_topic

ROWS = 40
"""Enough packets that a run is still going when the test strikes (half a second of work or more)."""


@pytest.fixture
def batch(project: Path) -> Path:
    """A project with one small topic and a batch file of ROWS patients."""
    write_topic(project, "t.yaml")
    lines = ["name,topics"] + [f"Patient {row:03},t" for row in range(ROWS)]
    (project / "patients.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


@pytest.fixture
def started(batch: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start `build.py` runs in the background; any still running at the end is killed."""
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        log = open(batch / f"run-{len(processes)}.log", "w+", encoding="utf-8")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(command(*args), cwd=batch, stdout=log, stderr=subprocess.STDOUT, text=True,
                                   env=process_env(), start_new_session=True)
        process.log = log  # type: ignore[attr-defined]
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.log.close()  # type: ignore[attr-defined]


def output_of(process: subprocess.Popen[str]) -> str:
    process.log.seek(0)  # type: ignore[attr-defined]
    return " ".join(process.log.read().split())  # type: ignore[attr-defined]


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def journalled(out: Path) -> dict[str, dict]:
    """The files the journal of an unfinished run lists (read here, not with our own code)."""
    try:
        lines = (out / ".manifest.journal").read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    files: dict[str, dict] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("claim"):  # about to be written: not listed yet
            continue
        if record["entry"]:
            files[record["file"]] = record["entry"]
        else:
            files.pop(record["file"], None)
    return files


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (its workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def assert_listed_exactly(out: Path, files: dict[str, dict]) -> None:
    """Every listed file is on disk with its listed bytes."""
    for name, entry in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"], name


def strike_mid_batch(started: Callable[..., subprocess.Popen[str]], out: Path, jobs: str,
                     number: int) -> tuple[subprocess.Popen[str], list[int]]:
    """Start a batch, wait until it has written some packets, send ``number``; return the
    process (ended) and its workers."""
    process = started("batch", "patients.csv", "--jobs", jobs)
    wait_for(lambda: len(journalled(out)) >= 5, "five packets to be written")
    workers = children(process.pid)
    os.kill(process.pid, number)
    process.wait(timeout=60)
    return process, workers


def rerun_builds_the_rest(batch: Path, listed: int) -> None:
    """A second run builds exactly the packets the first did not list, and lists them all."""
    result = run_process("batch", "patients.csv", "--jobs", "2", cwd=batch)
    flat = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Built {ROWS - listed} of {ROWS} packets" in flat and f"{listed} were up to date" in flat
    files = json.loads((batch / "packets" / "manifest.json").read_text())["files"]
    assert sorted(files) == sorted(path.name for path in (batch / "packets").glob("*.pdf")) and len(files) == ROWS
    assert_listed_exactly(batch / "packets", files)
    assert not (batch / "packets" / ".manifest.journal").exists()
    assert not list((batch / "packets").glob(".*.part"))


def test_kill_9_mid_batch_loses_only_the_files_in_flight(batch: Path, started: Callable[..., subprocess.Popen[str]]) -> None:
    out = batch / "packets"
    process, workers = strike_mid_batch(started, out, "2", signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL and workers
    wait_for(lambda: not any(alive(worker) for worker in workers), "the orphaned workers to exit", seconds=10)

    listed = journalled(out)
    on_disk = {path.name for path in out.glob("*.pdf")}
    assert_listed_exactly(out, listed)
    assert set(listed) <= on_disk and len(on_disk - set(listed)) <= 1  # at most the one written, not yet listed
    assert len(listed) < ROWS
    rerun_builds_the_rest(batch, len(listed))


@pytest.mark.parametrize(("number", "code", "jobs"), [(signal.SIGTERM, 143, "2"), (signal.SIGHUP, 129, "1")],
                         ids=["SIGTERM, two workers", "SIGHUP, one process"])
def test_sigterm_and_sighup_stop_between_files_and_keep_the_manifest(
        batch: Path, started: Callable[..., subprocess.Popen[str]], number: int, code: int, jobs: str) -> None:
    out = batch / "packets"
    process, workers = strike_mid_batch(started, out, jobs, number)
    assert process.returncode == code, output_of(process)
    assert f"Stopped by {signal.Signals(number).name}: interrupted after" in output_of(process)
    assert "Traceback" not in output_of(process)
    assert not any(alive(worker) for worker in workers)  # the pool was shut down before the exit

    files = json.loads((out / "manifest.json").read_text())["files"]
    assert sorted(files) == sorted(path.name for path in out.glob("*.pdf")) and 5 <= len(files) < ROWS
    assert_listed_exactly(out, files)
    assert not (out / ".manifest.journal").exists() and not list(out.glob(".*.part"))
    rerun_builds_the_rest(batch, len(files))


def test_a_signal_during_a_paragraph_still_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """ReportLab's paragraph parser catches everything and raises it again, made anew with its
    own words ("paragraph text … caused exception SIGHUP"): the run still stops, for that signal
    (it once failed that one packet as an internal error and went on)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus.paraparser import ParaParser

    from handouts.signals import Stop

    def hangup(*args: object, **kwargs: object) -> None:
        raise Stop(signal.SIGHUP)

    monkeypatch.setattr(ParaParser, "feed", hangup)  # what parse() wraps in its catch-all
    with pytest.raises(Stop) as caught:
        Paragraph("Prepared for: Ana", ParagraphStyle("body"))
    assert caught.value.number == signal.SIGHUP and caught.value.__traceback__ is not None


def test_a_second_run_into_the_same_folder_stops_and_names_the_first(
        batch: Path, started: Callable[..., subprocess.Popen[str]]) -> None:
    """The first run is paused (SIGSTOP) mid-way, as a slow or suspended build would be, so the
    second surely starts while the first holds the folder."""
    out = batch / "packets"
    first = started("batch", "patients.csv", "--jobs", "1")
    wait_for(lambda: len(journalled(out)) >= 3, "the first run to write")
    os.kill(first.pid, signal.SIGSTOP)
    try:
        second = run_process("batch", "patients.csv", "--jobs", "1", cwd=batch)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert " ".join(second.stderr.split()) == (f"error: another build (pid {first.pid}) is writing to packets/; "
                                               "wait for it to finish, or build into another folder with --out")
    assert second.stdout == ""
    first.wait(timeout=120)
    assert first.returncode == 0 and f"Built {ROWS} of {ROWS} packets" in output_of(first)
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert len(files) == ROWS == len(list(out.glob("*.pdf")))


def test_a_write_that_fails_for_want_of_space_removes_the_stale_copy(project: Path) -> None:
    """RLIMIT_FSIZE makes every write past 10 KB fail (EFBIG), as a full disk fails one."""
    write_topic(project, "t.yaml")
    write_topic(project, "u.yaml")
    assert run("build").code == 0
    clinic = project / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("Riverside Spine & Bone Clinic", "Lakeside Clinic"))

    result = run_process("build", "--jobs", "1", cwd=project, file_limit=10_000)
    flat = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "Traceback" not in flat
    assert ("out/t.pdf: cannot write the file: it is larger than this system lets a program write "
            "(File too large)") in flat
    assert flat.count("its file from an earlier build was removed") == 2
    assert not list((project / "out").glob("*.pdf")) and not list((project / "out").glob(".*.part"))
    assert json.loads((project / "out" / "manifest.json").read_text())["files"] == {}


def test_a_read_only_output_folder_is_one_clear_error_and_nothing_changes(project: Path) -> None:
    write_topic(project, "t.yaml")
    assert run("build").code == 0
    write_topic(project, "t.yaml", MINIMAL_TOPIC.replace("Test Topic", "Changed"))
    out = project / "out"
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    out.chmod(0o555)
    for path in out.iterdir():
        path.chmod(0o444)
    try:
        result = run_process("build", cwd=project)
    finally:
        out.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert " ".join(result.stderr.split()) == ("error: out: cannot write to this folder: Permission denied, "
                                               "and t.pdf needs writing")
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_read_only_output_folder_that_is_up_to_date_builds_and_a_forced_run_fails(project: Path) -> None:
    """Building into a read-only share only to confirm it is current succeeds; --force must write, so it cannot."""
    write_topic(project, "t.yaml")
    write_topic(project, "u.yaml", MINIMAL_TOPIC.replace("Test Topic", "Other Topic"))
    assert run("build").code == 0
    out = project / "out"
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()}
    out.chmod(0o555)
    for path in out.iterdir():
        path.chmod(0o444)
    try:
        current = run_process("build", cwd=project)
        forced = run_process("build", "--force", cwd=project)
    finally:
        out.chmod(0o755)
    assert current.returncode == 0, current.stderr
    assert "Built 0 of 2 handouts into out/" in " ".join(current.stdout.split())
    assert "2 were up to date" in current.stdout
    assert forced.returncode == 1 and "Traceback" not in forced.stderr
    assert " ".join(forced.stderr.split()) == ("error: out: cannot write to this folder: Permission denied, "
                                               "and t.pdf, u.pdf need writing")
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()} == before
