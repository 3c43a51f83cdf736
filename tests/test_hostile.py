"""Hostile and careless inputs beyond a topic file: special files, templates that leak or
hang, picture bombs, absurd theme values, a clinic name too long, a European CSV, invisible
characters, more jobs than CPUs, and a failure nobody foresaw.

Each: exit code 1 (or 0 where the input is fine after all), one message naming the file and,
where there is one, the line and key, no traceback, and nothing written or removed that
should not be. Whatever could hang or eat memory on a regression runs in a subprocess with a
timeout (and a memory cap), so the suite fails instead of stalling. Topic files are in
test_robustness.py; killed and concurrent runs in test_faults.py.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest

from tests.helpers import MINIMAL_TOPIC, page_text, run, run_process, write_topic

TEMPLATE = "templates/handout.html.j2"


def flat(result: object) -> str:
    """A finished process's output, on one line."""
    return " ".join((result.stdout + result.stderr).split())  # type: ignore[attr-defined]


def add_to_template(project: Path, snippet: str) -> int:
    """Put ``snippet`` on a line of its own before the title; return that line's number."""
    path = project / TEMPLATE
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(number for number, line in enumerate(lines) if line.startswith("<h1>"))
    path.write_text("\n".join(lines[:at] + [snippet] + lines[at:]) + "\n", encoding="utf-8")
    return at + 1


def add_logo(project: Path, name: str) -> None:
    clinic = project / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"logo: {name}\n")


def logo_line(project: Path) -> int:
    return len((project / "clinic.yaml").read_text().splitlines())


@pytest.fixture
def two_topics(project: Path) -> Path:
    write_topic(project, "one.yaml")
    write_topic(project, "two.yaml", MINIMAL_TOPIC.replace("Test Topic", "Second Topic"))
    return project


@pytest.mark.parametrize(("place", "says"), [
    ("clinic", "clinic.yaml: this is a FIFO (named pipe), not a regular file; name a file"),
    ("topic", "content/two.yaml: this is a FIFO (named pipe), not a regular file; name a file"),
    ("logo", "clinic.yaml, line {logo}, logo: the logo 'logo.png': this is a FIFO (named pipe), not a regular file"),
    ("theme", "templates/theme.yaml: this is a FIFO (named pipe), not a regular file"),
    ("included template", "templates/footer.j2: this is a FIFO (named pipe), not a regular file"),
])
def test_a_fifo_in_place_of_a_file_is_refused_not_waited_on(two_topics: Path, place: str, says: str) -> None:
    paths = {"clinic": "clinic.yaml", "topic": "content/two.yaml", "logo": "logo.png",
             "theme": "templates/theme.yaml", "included template": "templates/footer.j2"}
    path = two_topics / paths[place]
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    if place == "logo":
        add_logo(two_topics, "logo.png")
    if place == "included template":
        add_to_template(two_topics, '{% include "footer.j2" %}')
    says = says.format(logo=logo_line(two_topics) if place == "logo" else None)  # (a FIFO clinic file is not read)
    result = run_process("build", cwd=two_topics, timeout=60)
    assert result.returncode == 1 and says in flat(result) and "Traceback" not in flat(result)
    assert (two_topics / "out" / "one.pdf").exists() == (place == "topic")  # a shared file stops every handout


def test_a_template_that_is_not_utf8_is_read_like_every_other_input(two_topics: Path) -> None:
    (two_topics / "templates" / "footer.j2").write_bytes("<p>Caf\xe9</p>\n".encode("latin-1"))
    add_to_template(two_topics, '{% include "footer.j2" %}')
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output and "internal error" not in result.output
    assert result.flat.count("templates/footer.j2, line 1: the file is not UTF-8 text") == 2


@pytest.mark.parametrize("args", [("build", "--clinic", "/dev/zero"), ("check", "--clinic", "/dev/zero"),
                                  ("check", "--config", "/dev/zero"), ("batch", "/dev/zero")],
                         ids=lambda args: " ".join(args))
def test_a_device_as_an_input_is_refused_not_read_forever(two_topics: Path, args: tuple[str, ...]) -> None:
    result = run_process(*args, cwd=two_topics, timeout=60, memory_mb=1500)
    assert result.returncode == 1 and "Traceback" not in flat(result)
    assert "/dev/zero: this is a device, not a regular file; name a file" in flat(result)
    assert not (two_topics / "out").exists() and not (two_topics / "packets").exists()


def test_an_include_linked_outside_the_templates_is_refused_and_leaks_nothing(two_topics: Path) -> None:
    secret = two_topics / "secret.txt"
    secret.write_text("TOP SECRET 4242")
    (two_topics / "templates" / "footer.j2").symlink_to(secret)
    add_to_template(two_topics, '<p>{% include "footer.j2" %}</p>')

    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Built 0 of 2 handouts" in result.flat
    assert result.flat.count("templates/footer.j2: the template 'footer.j2' is a link to") == 2
    assert result.flat.count("outside the templates folder; templates may only use files inside it") == 2
    assert "TOP SECRET" not in result.output and not list((two_topics / "out").glob("*.pdf"))

    checked = run("check", "--format", "json")
    report = json.loads(checked.output)
    assert checked.code == 1 and not report["passed"]
    assert any("outside the templates folder" in finding["message"] for finding in report["findings"])


@pytest.mark.parametrize(("snippet", "says", "jobs"), [
    ("{{ 'x' * 10**9 }}", "the template makes a number, text or list too large for a handout", "1"),
    ("{{ 'x'|center(10**9) }}", "the template makes a number, text or list too large for a handout", "1"),
    ("{{ '%999999999d' % 1 }}", "the template makes a number, text or list too large for a handout", "1"),
    ("{{ range(10**9)|list }}", "the template makes a number, text or list too large for a handout", "1"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "the template took more than 1 s to render; look for a loop that runs too many times", "1"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "the template took more than 1 s to render; look for a loop that runs too many times", "2"),
    ("{% for i in range(99999) %}{{ 'many words ' * 50 }}{% endfor %}", "the template writes more than 1,000,000 characters", "1"),
], ids=["repeat a string", "centre in a huge width", "format a huge width", "huge range", "nested loops",
        "nested loops in worker processes", "endless output"])
def test_a_template_that_would_hang_or_eat_memory_stops_with_its_line(
        two_topics: Path, snippet: str, says: str, jobs: str) -> None:
    line = add_to_template(two_topics, snippet)
    result = run_process("build", "--jobs", jobs, cwd=two_topics, timeout=90, memory_mb=1500,
                         setup="import handouts.render, handouts.runner\nhandouts.render.RENDER_SECONDS = 1\n"
                               "handouts.runner.POOL_FROM = 1")  # with two jobs, the second handout in a worker
    assert result.returncode == 1 and "Traceback" not in flat(result), flat(result)
    where = TEMPLATE if "writes more" in says else f"{TEMPLATE}, line {line}"  # the output as a whole has no line
    assert flat(result).count(f"{where}: {says}") == 2  # both handouts (with two jobs, each in a worker)
    assert "Built 0 of 2 handouts" in flat(result)


SLOW = "{% for i in range(20000) %}{% for j in range(20000) %}{% endfor %}{% endfor %}"
"""Two nested loops that write nothing: well over 5 s on any machine, yet they end (so a
regression fails the test instead of leaving a thread spinning)."""


@pytest.mark.parametrize("snippet", [SLOW, "{{ ('x' * 1000000) | wordwrap(1) | length }}"],
                         ids=["nested loops that write nothing", "one filter call that takes its time"])
def test_a_template_is_stopped_in_a_thread_as_in_the_main_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snippet: str) -> None:
    """The web page renders in worker threads, where no timer signal reaches: the limit holds
    there too, nothing of it is left behind in the thread, and the thread renders again."""
    from handouts import render
    from handouts.errors import HandoutError

    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    (tmp_path / "slow.j2").write_text(f"<p>\n{snippet}\n</p>\n", encoding="utf-8")
    (tmp_path / "quick.j2").write_text("<p>{{ 6 * 7 }}</p>", encoding="utf-8")
    env = render.environment(tmp_path)
    seen: list[object] = []

    def renders() -> None:
        started = time.monotonic()
        try:
            render.render_page(env, {}, "slow.j2")
        except HandoutError as error:
            seen.append(str(error))
        seen.append(time.monotonic() - started)
        seen.append(render.render_page(env, {}, "quick.j2"))
        time.sleep(2)  # a quick render's time runs out while the thread does something else
        seen.append("nothing raised afterwards")

    thread = threading.Thread(target=renders)
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    message, took, *rest = seen
    assert message == (f"{tmp_path / 'slow.j2'}, line 2: the template took more than 1 s to render; "
                       "look for a loop that runs too many times")
    assert isinstance(took, float) and took < 4
    assert rest == ["<p>42</p>", "nothing raised afterwards"]


def test_a_template_that_includes_itself_is_one_clear_error(two_topics: Path) -> None:
    add_to_template(two_topics, '{% include "handout.html.j2" %}')
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output
    assert (f"{TEMPLATE}: the template includes itself, or calls a macro within itself, too many times"
            in result.flat)


def png(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` × ``height`` grey pixels, with only one row of data:
    a few hundred bytes that would decode to gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("size", "says"), [
    (40_000, "the picture has too many pixels; at most 50,000,000 are accepted"),
    (8_000, "the picture is 8,000 × 8,000 pixels, more than the 50,000,000 accepted"),
], ids=["40,000 squared (Pillow's own bomb limit)", "8,000 squared (ours)"])
def test_a_decompression_bomb_logo_is_refused_before_it_is_decoded(two_topics: Path, size: int, says: str) -> None:
    (two_topics / "bomb.png").write_bytes(png(size, size))
    add_logo(two_topics, "bomb.png")
    built = run_process("build", cwd=two_topics, timeout=60, memory_mb=1500)
    assert built.returncode == 1 and "Traceback" not in flat(built)
    assert f"clinic.yaml, line {logo_line(two_topics)}, logo: the logo 'bomb.png': {says}" in flat(built)
    checked = run_process("check", "--format", "json", cwd=two_topics, timeout=60, memory_mb=1500)
    assert checked.returncode == 1 and says in checked.stdout


@pytest.mark.parametrize(("change", "says"), [
    (("margin: 0.55in", "margin: 10in"), "line 10, margin: a margin of 10in leaves too little of the page; use at most 2in"),
    (("margin: 0.55in", "margin: .inf"), "line 10, margin: should be an ordinary number (not .inf or .nan)"),
    (("step: 0.25 ", "step: 0.0000001"), "line 12, type: from 13 pt down to 11 pt in steps of 1e-07 pt is 20,000,000 "
                                         "sizes to try; use a step of at least 0.01 pt"),
    (("body: 13  ", "body: .nan"), "line 13, type › body: should be an ordinary number (not .inf or .nan)"),
    (("{size: 1.95,", "{size: 1000000000,"), "line 38, styles › h1: size 1000000000.0 is out of range: use 0.1 to 8 "
                                             "times the body size"),
], ids=["a margin wider than the page", "an infinite margin", "a fit step of 1e-7 pt", "nan body size", "a huge heading"])
def test_theme_numbers_out_of_range_name_their_key(two_topics: Path, change: tuple[str, str], says: str) -> None:
    theme = two_topics / "templates" / "theme.yaml"
    assert change[0] in theme.read_text()
    theme.write_text(theme.read_text().replace(*change, 1))
    built = run("build")
    assert built.code == 1 and f"templates/theme.yaml, {says}" in built.flat and "Traceback" not in built.output
    checked = run("check", "--format", "json")
    assert checked.code == 1 and says.split(": ", 1)[1] in checked.output


def test_a_clinic_name_too_long_is_the_clinic_files_error(two_topics: Path) -> None:
    clinic = two_topics / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("Riverside Spine & Bone Clinic", "Riverside " * 60))
    line = next(number for number, text in enumerate(clinic.read_text().splitlines(), 1) if text.startswith("name:"))
    result = run("build")
    assert result.code == 1 and f"clinic.yaml, line {line}, name: is too long: at most 80 characters fit" in result.flat
    assert "content/" not in result.flat


def test_an_overflow_the_header_causes_is_blamed_on_the_clinic_file(two_topics: Path) -> None:
    theme = two_topics / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace("header p.clinic:  {size: 15pt", "header p.clinic:  {size: 140pt"))
    result = run("build")
    assert result.code == 1 and "content/" not in result.flat
    assert ("clinic.yaml: does not fit on one page even at 11 pt body text" in result.flat
            and "The longest part is the header (the clinic's name, phone and logo); shorten what the clinic file "
                "puts in it" in result.flat)


def test_more_jobs_than_cpus_are_capped_with_a_note(two_topics: Path) -> None:
    result = run("build", "--jobs", "150")
    cpus = len(os.sched_getaffinity(0))
    assert result.code == 0 and f"note: --jobs 150 is more than the {cpus} CPUs here; building {cpus} at a time" in result.flat


def test_a_semicolon_separated_csv_is_read(two_topics: Path) -> None:
    (two_topics / "patients.csv").write_text('name;topics;large_print\nAna Díaz;one;no\nBo Li;"one;two";yes\n',
                                             encoding="utf-8")
    result = run("batch", "patients.csv", "--verbose")
    assert result.code == 0, result.output
    assert "Ana Díaz" in page_text(two_topics / "packets" / "ana-diaz.pdf")
    assert "Second Topic" in page_text(two_topics / "packets" / "bo-li.pdf")


def dejavu_theme(project: Path) -> None:
    """The theme with DejaVu Sans, a font that draws zero-width and direction characters."""
    faces = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans.ttf",
             "bold_italic": "DejaVuSans-Bold.ttf"}
    spec = ", ".join(f"{face}: /usr/share/fonts/truetype/dejavu/{file}" for face, file in faces.items())
    theme = project / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace("font: Atkinson Hyperlegible", f"font: {{{spec}}}"))


def test_invisible_characters_are_warned_of_where_the_font_would_print_them(project: Path) -> None:
    dejavu_theme(project)
    write_topic(project, "hidden.yaml", MINIMAL_TOPIC.replace("Some words here.", '"Take\\u200b it \\u202edaily\\u202c."'))
    assert run("build").code == 0  # printed as written: a warning, not an error
    report = json.loads(run("check", "--format", "json").output)
    warnings = [finding for finding in report["findings"] if finding["severity"] == "warning" and finding["check"] == "glyphs"]
    assert [(finding["line"], finding["key"], finding["check"]) for finding in warnings] == [(6, "sections #1 › text", "glyphs")]
    assert ("invisible characters (U+200B (zero width space), U+202E (right-to-left override), "
            "U+202C (pop directional formatting))") in warnings[0]["message"]
