"""Batch: a packet PDF per CSV row, named safely, with bookmarks; bad rows by line; privacy."""

import re
from pathlib import Path

import pytest

from handouts.batch import batch
from handouts.load import load_yaml
from handouts.pipeline import Options, Project
from tests.helpers import ROOT, page_text, read_pdf, run

CONTENT = str(ROOT / "content")
PATIENTS = """\
name,language,topics,large_print,clinician
José Núñez,es,quit-smoking;fracture-warning-signs;diet-vitamin-d,no,Dra. Ruiz
"O'Brien & Sons <b>",en,preventing-falls;alcohol-and-bones,no,
Zoë Ångström,,bone-density-test,yes,
José Núñez,en,hip-pads,no,
,en,quit-smoking,,
Ana Díaz,Spanish,quit-smoking,maybe,
José Núñez,,quit-smoking;preventing-falls;diet-vitamin-d,no,
"""
NAMES = ("José", "Núñez", "O'Brien", "Sons <b>", "Zoë", "Ångström", "Ana Díaz")
TITLES = {path.name.removesuffix(".yaml"): load_yaml(path).data["title"] for path in (ROOT / "content").glob("*.yaml")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The batch above, built once with two workers; the folder and the command's output."""
    folder = tmp_path_factory.mktemp("batch")
    (folder / "patients.csv").write_text(PATIENTS, encoding="utf-8")
    result = run("batch", str(folder / "patients.csv"), "--content", CONTENT, "--templates", str(ROOT / "templates"),
                 "--clinic", str(ROOT / "clinic.yaml"), "--out", str(folder / "packets"), "--jobs", "2")
    assert result.code == 1, result.output  # the bad rows
    return folder, result.output


def outline(path: Path) -> list[tuple[str, int]]:
    reader = read_pdf(path)
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_each_good_row_gets_a_safely_named_packet(built: tuple[Path, str]) -> None:
    folder, _ = built
    names = sorted(path.name for path in (folder / "packets").glob("*.pdf"))
    assert names == ["jose-nunez-3.pdf", "jose-nunez.pdf", "o-brien-sons-b.pdf", "zoe-angstrom.pdf"]


def test_packets_show_the_names_exactly_with_a_bookmark_and_a_page_per_topic(built: tuple[Path, str]) -> None:
    packets = built[0] / "packets"
    jose = packets / "jose-nunez.pdf"
    assert outline(jose) == [(TITLES["quit-smoking.es"], 0), (TITLES["fracture-warning-signs.es"], 1), (TITLES["diet-vitamin-d.es"], 2)]
    assert len(read_pdf(jose).pages) == 3
    assert all("Preparado para: José Núñez por Dra. Ruiz" in page.extract_text() for page in read_pdf(jose).pages)
    obrien = packets / "o-brien-sons-b.pdf"
    assert outline(obrien) == [(TITLES["preventing-falls"], 0), (TITLES["alcohol-and-bones"], 1)]
    assert "Prepared for: O'Brien & Sons <b>" in page_text(obrien)
    assert "Prepared for: Zoë Ångström" in page_text(packets / "zoe-angstrom.pdf")


def test_packet_metadata_language_and_size(built: tuple[Path, str]) -> None:
    jose = built[0] / "packets" / "jose-nunez.pdf"
    reader = read_pdf(jose)
    assert reader.metadata["/Title"] == "Hojas informativas de Riverside Spine & Bone Clinic"
    assert reader.metadata["/Author"] == "Riverside Spine & Bone Clinic"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert jose.stat().st_size <= 250_000  # three topics, email-ready
    assert (built[0] / "packets" / "jose-nunez-3.pdf").stat().st_size <= 250_000


def test_large_print_row_uses_large_print(built: tuple[Path, str]) -> None:
    zoe = read_pdf(built[0] / "packets" / "zoe-angstrom.pdf")
    assert len(zoe.pages) == 2 and "Page 1 of 2" in zoe.pages[0].extract_text()


def test_bad_rows_are_reported_by_line_and_skipped(built: tuple[Path, str]) -> None:
    output = " ".join(built[1].split())
    assert "patients.csv, line 5: unknown topic 'hip-pads'" in output
    assert "patients.csv, line 6: the name is missing" in output
    assert "patients.csv, line 7: the language 'Spanish' is not a language code; use one like en or es; " \
           "large_print should be yes or no, not 'maybe'" in output
    assert "Built 4 of 7 packets" in output and "3 failed" in output


def test_names_never_reach_the_output_without_verbose(built: tuple[Path, str]) -> None:
    output = built[1]
    assert not [name for name in NAMES if name in output]
    assert not re.search(r"jose|nunez|brien|zoe|angstrom", output, re.IGNORECASE)
    assert "line 2" in output and "line 8" in output


def test_verbose_shows_names_and_file_names_and_a_rerun_builds_nothing(built: tuple[Path, str]) -> None:
    folder, _ = built
    result = run("batch", str(folder / "patients.csv"), "--content", CONTENT, "--templates", str(ROOT / "templates"),
                 "--clinic", str(ROOT / "clinic.yaml"), "--out", str(folder / "packets"), "--jobs", "1", "--verbose")
    assert "José Núñez" in result.output and "o-brien-sons-b.pdf" in result.output
    assert "Built 0 of 7 packets" in result.flat and "4 were up to date" in result.flat


def test_batch_is_a_library_function(project: Path) -> None:
    (project / "few.csv").write_text("Name,Topics,Room\nAna Díaz,quit-smoking,B12\n", encoding="utf-8")
    opened = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    report = batch(project / "few.csv", opened, ROOT / "content", project / "packets", Options(paper="a4"))
    assert not report.bad_rows and [result.task.output for result in report.results] == ["ana-diaz.pdf"]
    box = read_pdf(project / "packets" / "ana-diaz.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_a_file_without_a_name_column_is_refused(project: Path) -> None:
    (project / "bad.csv").write_text("patient,topics\nAna,quit-smoking\n", encoding="utf-8")
    result = run("batch", "bad.csv", "--content", CONTENT)
    assert result.code == 1 and "bad.csv, line 1: there is no 'name' column" in result.flat
    assert not (project / "packets").exists()


def test_a_row_that_now_fails_loses_its_old_packet(project: Path) -> None:
    csv = project / "one.csv"
    csv.write_text("name,topics\nAna Díaz,quit-smoking\n", encoding="utf-8")
    assert run("batch", "one.csv", "--content", CONTENT, "--jobs", "1").code == 0
    csv.write_text("name,topics\nAna Díaz,quit-smokin\n", encoding="utf-8")
    result = run("batch", "one.csv", "--content", CONTENT, "--jobs", "1")
    assert result.code == 1 and "line 2: unknown topic 'quit-smokin'" in result.flat
    assert not (project / "packets" / "ana-diaz.pdf").exists()
