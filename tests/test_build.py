"""The whole pipeline through the CLI, checked the way a reader gets it: with pypdf."""

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.helpers import MINIMAL_TOPIC, ROOT, fonts_of_words, page_text, read_pdf, run, write_topic

SHIPPED = sorted(path.name.removesuffix(".yaml") for path in (ROOT / "content").glob("*.yaml"))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped topic, built once with the shipped templates and clinic."""
    out = tmp_path_factory.mktemp("out")
    result = run("build", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                 "--clinic", str(ROOT / "clinic.yaml"), "--out", str(out))
    assert result.code == 0, result.output
    return out


@pytest.mark.parametrize("stem", SHIPPED)
def test_every_shipped_topic_is_one_verified_page(library: Path, stem: str) -> None:
    reader = read_pdf(library / f"{stem}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("AtkinsonHyperlegible" in str(font["/BaseFont"]) for font in fonts)
    assert all("+" in str(font["/BaseFont"]) for font in fonts), "fonts are subset"
    title = reader.metadata["/Title"]
    assert title and title in page_text(library / f"{stem}.pdf")
    assert reader.metadata["/Author"] == "Riverside Spine & Bone Clinic"
    assert reader.trailer["/Root"]["/Lang"] == ("es" if stem.endswith(".es") else "en")
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "(555) 010-0142" in page_text(library / f"{stem}.pdf")
    assert (library / f"{stem}.pdf").stat().st_size < 60_000


@pytest.mark.parametrize("stem", SHIPPED)
def test_the_clinic_phone_never_breaks_across_lines(library: Path, stem: str) -> None:
    lines = [line.strip() for page in read_pdf(library / f"{stem}.pdf").pages for line in page.extract_text().splitlines()]
    assert not [line for line in lines if line.endswith("(555)")]


def test_quitline_is_extractable_as_written(library: Path) -> None:
    text = page_text(library / "quit-smoking.pdf")
    assert "1-800-QUIT-NOW" in text and "1-800-784-8669" in text


def test_markup_characters_and_bold_in_content(project: Path) -> None:
    write_topic(project, "marks.yaml", MINIMAL_TOPIC.replace("Some words here.", "'AT&T <b>not bold</b> \"quoted\" **Bold** 5 > 3.'"))
    assert run("build").code == 0
    text = page_text(project / "out" / "marks.pdf")
    assert 'AT&T <b>not bold</b> "quoted" Bold 5 > 3.' in text
    faces = fonts_of_words(project / "out" / "marks.pdf")
    assert faces["Bold"].endswith("AtkinsonHyperlegible-Bold")
    assert faces["quoted"].endswith("AtkinsonHyperlegible-Regular")


def test_new_topic_in_another_folder_builds_without_code_changes(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "hip-protectors.yaml").write_text(MINIMAL_TOPIC.replace("Test Topic", "Hip Protectors"))
    result = run("build", "--content", str(elsewhere), "--out", str(project / "pdfs"))
    assert result.code == 0, result.output
    assert "Hip Protectors" in page_text(project / "pdfs" / "hip-protectors.pdf")


def test_same_inputs_give_identical_bytes(project: Path) -> None:
    write_topic(project, "same.yaml")
    digests = []
    for out in ("one", "two"):
        assert run("build", "--out", out).code == 0
        digests.append(hashlib.sha256((project / out / "same.pdf").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a4_paper(project: Path) -> None:
    write_topic(project, "paper.yaml")
    assert run("build", "--paper", "a4").code == 0
    box = read_pdf(project / "out" / "paper.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_patient_name_is_printed_on_the_page_but_not_in_the_summary(project: Path) -> None:
    write_topic(project, "named.yaml")
    result = run("build", "--patient", "Zoë Ångström")
    assert result.code == 0 and "Zoë" not in result.output
    assert "Prepared for: Zoë Ångström" in page_text(project / "out" / "named.pdf")


def test_spanish_file_builds_with_spanish_labels_and_lang(project: Path) -> None:
    write_topic(project, "bones.es.yaml", MINIMAL_TOPIC.replace("Test Topic", "'Huesos fuertes: ¿qué comer?'").replace("Some words here.", "Niñas, años, ¡ánimo!"))
    assert run("build").code == 0
    reader = read_pdf(project / "out" / "bones.es.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    text = page_text(project / "out" / "bones.es.pdf")
    assert "Huesos fuertes: ¿qué comer?" in text and "Niñas, años, ¡ánimo!" in text
    assert "Revisado: noviembre de 2026" in text and "Fuentes:" in text


def test_language_in_file_must_match_file_name(project: Path) -> None:
    write_topic(project, "mixed.es.yaml", MINIMAL_TOPIC + "language: fr\n")
    result = run("build")
    assert result.code == 1 and "content/mixed.es.yaml, line 13, language: the file name says 'es'" in result.flat


def test_overflow_fails_clearly_and_leaves_no_pdf(project: Path) -> None:
    long_section = "  - heading: Far too much\n    bullets:\n" + "".join(
        f"      - This is a long bullet number {i} that keeps going to fill the page up.\n" for i in range(60)
    )
    write_topic(project, "toolong.yaml")
    write_topic(project, "fine.yaml")
    assert run("build").code == 0  # an earlier build, whose toolong.pdf is now stale
    write_topic(project, "toolong.yaml", MINIMAL_TOPIC.replace("sections:\n", "sections:\n" + long_section, 1))
    result = run("build")
    assert result.code == 1
    assert "content/toolong.yaml: does not fit on one page even at 11 pt body text" in result.flat
    assert "The longest part is the section 'Far too much'" in result.flat
    assert not (project / "out" / "toolong.pdf").exists()
    assert (project / "out" / "fine.pdf").exists()
    assert "Built 0 of 2 handouts" in result.flat and "1 was up to date" in result.flat and "1 failed" in result.flat
    assert "its file from an earlier build was removed" in result.flat


def test_characters_the_font_cannot_draw_are_refused(project: Path) -> None:
    write_topic(project, "arrow.yaml", MINIMAL_TOPIC.replace("One thing to do.", "Go → there ✓."))
    result = run("build")
    assert result.code == 1
    assert "content/arrow.yaml, line 8, sections #1 › bullets #1: the font Atkinson Hyperlegible cannot draw" in result.flat
    assert "'→' (RIGHTWARDS ARROW)" in result.flat and "'✓' (CHECK MARK)" in result.flat
    assert not (project / "out" / "arrow.pdf").exists()


def test_yaml_error_fails_one_topic_and_the_others_build(project: Path) -> None:
    write_topic(project, "broken.yaml", "title: [oops\n")
    write_topic(project, "fine.yaml")
    result = run("build")
    assert result.code == 1
    assert "content/broken.yaml, line 2: YAML syntax error" in result.flat
    assert (project / "out" / "fine.pdf").exists() and not (project / "out" / "broken.pdf").exists()


def test_unwritable_output_folder_is_reported(project: Path) -> None:
    write_topic(project, "fine.yaml")
    (project / "blocked").write_text("a file where the folder should be")
    result = run("build", "--out", "blocked")
    assert result.code != 0
    assert "blocked" in result.flat and "Traceback" not in result.output


def test_template_outside_the_subset_is_refused(project: Path) -> None:
    write_topic(project, "fine.yaml")
    template = project / "templates" / "handout.html.j2"
    template.write_text(template.read_text().replace("<h1>{{ topic.title }}</h1>", "<h1>{{ topic.title }}</h1><marquee>hi</marquee>"))
    result = run("build")
    assert result.code == 1 and "<marquee> is not in the supported subset" in result.flat
    assert "templates/handout.html.j2" in result.flat


def test_shipped_build_py_builds_everything(tmp_path: Path) -> None:
    """`python build.py` from a copy of the project, as the README's quick start runs it."""
    import subprocess
    import sys

    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("clinic.yaml", "build.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    done = subprocess.run([sys.executable, "build.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == sorted(f"{s}.pdf" for s in SHIPPED)


def test_patient_name_the_font_cannot_draw_is_refused_without_echoing_it(project: Path) -> None:
    write_topic(project, "named.yaml")
    result = run("build", "--patient", "王芳")
    assert result.code == 1 and "cannot draw some characters of the patient's name" in result.flat
    assert "王" not in result.output and not (project / "out" / "named.pdf").exists()


def test_title_with_a_word_wider_than_the_line_and_a_soft_hyphen_builds(project: Path) -> None:
    """Both used to fail the PDF check: the extractor sees the line break inside the word."""
    write_topic(project, "long.yaml", MINIMAL_TOPIC.replace("Test Topic", "Osteo\u00adporosis " + "W" * 40))
    result = run("build")
    assert result.code == 0, result.output
    assert read_pdf(project / "out" / "long.pdf").metadata["/Title"] == "Osteoporosis " + "W" * 40
