"""Tailoring: the clinic's logo and brand colour, the patient's details, the date."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from handouts.contrast import AA, contrast_ratio
from handouts.pipeline import Options, Project, TopicFile, build_handout
from tests.helpers import MINIMAL_TOPIC, fill_colours, page_text, read_pdf, run, write_topic

CLINIC = "name: Lakeside Bone Health\nphone: 555-0199\n"
SQUARE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
              '<rect x="5" y="5" width="30" height="30" fill="#7a1c4a"/>{extra}</svg>')


def clinic(project: Path, extra: str = "") -> str:
    (project / "brand").mkdir(exist_ok=True)
    (project / "brand" / "clinic.yaml").write_text(CLINIC + extra, encoding="utf-8")
    return str(project / "brand" / "clinic.yaml")


def logo_png(project: Path, size: int = 1600) -> None:
    """A big logo, as clinics hand them over: it must be scaled down, not embedded as is."""
    image = Image.new("RGB", (size, size), (122, 28, 74))
    image.paste((255, 255, 255), (size // 3, size // 8, 2 * size // 3, 7 * size // 8))
    image.save(project / "brand" / "logo.png")


def test_logo_and_brand_colour_are_in_the_header(project: Path) -> None:
    write_topic(project, "topic.yaml")
    clinic_file = clinic(project, "logo: logo.png\nbrand_color: '#7a1c4a'\n")
    logo_png(project)
    result = run("build", "--clinic", clinic_file, "--jobs", "1")
    assert result.code == 0, result.output
    pdf = project / "out" / "topic.pdf"
    images = [obj.get_object() for obj in read_pdf(pdf).pages[0]["/Resources"]["/XObject"].values()]
    assert [int(image["/Height"]) for image in images if image["/Subtype"] == "/Image"] == [167]  # 40 pt at 300 dpi
    assert (0.478431, 0.109804, 0.290196) in fill_colours(pdf)
    assert pdf.stat().st_size < 60_000
    assert "Lakeside Bone Health" in page_text(pdf) and read_pdf(pdf).metadata["/Author"] == "Lakeside Bone Health"


def test_svg_logo_is_drawn_without_bringing_in_a_font(project: Path) -> None:
    write_topic(project, "topic.yaml")
    clinic_file = clinic(project, "logo: logo.svg\n")
    (project / "brand" / "logo.svg").write_text(SQUARE_SVG.format(extra=""))
    result = run("build", "--clinic", clinic_file, "--jobs", "1")
    assert result.code == 0, result.output
    fonts = read_pdf(project / "out" / "topic.pdf").pages[0]["/Resources"]["/Font"].values()
    assert all("AtkinsonHyperlegible" in str(font.get_object()["/BaseFont"]) for font in fonts)


@pytest.mark.parametrize(("line", "message"), [
    ("logo: ../../etc/passwd", "logo: the logo '../../etc/passwd' is outside the clinic file's folder"),
    ("logo: missing.png", "logo: there is no logo file 'missing.png'"),
    ("logo: notes.txt", "logo: the logo 'notes.txt': pictures must be PNG, JPEG or SVG files, not '.txt'"),
    ("logo: fake.png", "logo: the logo 'fake.png': cannot read the picture"),
    ("logo: words.svg", "logo: the logo 'words.svg': the SVG contains text"),
    ("brand_color: teal", "brand_color: should be a colour written like '#0b4a66'"),
    ("address: 12 Main St ☎ Suite 4", "address: the font Atkinson Hyperlegible cannot draw '☎' (BLACK TELEPHONE)"),
])
def test_bad_clinic_file_is_a_clear_error_naming_line_and_key(project: Path, line: str, message: str) -> None:
    write_topic(project, "topic.yaml")
    clinic_file = clinic(project, f"{line}\n")
    (project / "brand" / "notes.txt").write_text("not a picture")
    (project / "brand" / "fake.png").write_text("not a picture either")
    (project / "brand" / "words.svg").write_text(SQUARE_SVG.format(extra='<text x="5" y="20">Clinic</text>'))
    result = run("build", "--clinic", clinic_file, "--jobs", "1")
    assert result.code == 1 and "Traceback" not in result.output
    assert f"brand/clinic.yaml, line 3, {message}" in result.flat
    assert not (project / "out").exists()


def test_logo_reached_through_a_link_is_still_contained(project: Path) -> None:
    write_topic(project, "topic.yaml")
    (project / "brand" / "site").mkdir(parents=True)
    logo_png(project)  # in brand/; the clinic file sits in brand/site/ and links back up to it
    (project / "brand" / "site" / "logo.png").symlink_to(project / "brand" / "logo.png")
    (project / "brand" / "site" / "clinic.yaml").write_text(CLINIC + "logo: logo.png\n")
    result = run("build", "--clinic", str(project / "brand" / "site" / "clinic.yaml"), "--jobs", "1")
    assert result.code == 1 and "is outside the clinic file's folder" in result.flat


def test_brand_colour_too_light_for_the_header_text_suggests_a_darker_shade(project: Path) -> None:
    write_topic(project, "topic.yaml")
    result = run("build", "--clinic", clinic(project, "brand_color: '#7fb2d9'\n"), "--jobs", "1")
    assert result.code == 1
    assert "brand/clinic.yaml, line 3, brand_color: the header text (#ffffff) on the brand colour #7fb2d9" in result.flat
    assert "older readers need at least 4.5:1" in result.flat
    shade = re.search(r"darker shade '(#[0-9a-f]{6})'", result.output)[1]
    assert contrast_ratio(shade, "#ffffff") >= AA
    assert run("build", "--clinic", clinic(project, f"brand_color: '{shade}'\n"), "--jobs", "1").code == 0


def test_patient_details_note_and_date(project: Path) -> None:
    write_topic(project, "topic.yaml")
    write_topic(project, "topic.es.yaml")
    result = run("build", "--patient", "Zoë Ångström", "--set", "clinician=Dr. Amal Rahman", "--set", "follow-up=May 4",
                 "--set", "note=Walk 10 minutes a day.", "--date", "2026-03-03", "--jobs", "1")
    assert result.code == 0, result.output
    text = page_text(project / "out" / "topic.pdf")
    assert "Prepared for: Zoë Ångström by Dr. Amal Rahman on March 3, 2026" in text
    assert "Next visit: May 4" in text and "A note for you: Walk 10 minutes a day." in text
    assert "Preparado para: Zoë Ångström por Dr. Amal Rahman el 3 de marzo de 2026" in page_text(project / "out" / "topic.es.pdf")
    assert read_pdf(project / "out" / "topic.pdf").metadata["/CreationDate"] == "D:20260303000000+00'00'"
    assert not re.search("Zoë|Ångström|Amal|Walk", result.output)


def test_no_patient_leaves_a_line_to_write_on_and_no_note(project: Path) -> None:
    write_topic(project, "topic.yaml")
    assert run("build", "--jobs", "1").code == 0
    text = page_text(project / "out" / "topic.pdf")
    assert "Prepared for: ____" in text and "Next visit" not in text and " by " not in text
    assert read_pdf(project / "out" / "topic.pdf").metadata["/CreationDate"] == "D:20261101000000+00'00'"  # reviewed


def test_content_can_use_any_patient_detail(project: Path) -> None:
    write_topic(project, "topic.yaml", MINIMAL_TOPIC.replace("Some words here.", "'Your room is {{ patient.room }}.'"))
    assert run("build", "--set", "room=B12", "--jobs", "1").code == 0
    assert "Your room is B12." in page_text(project / "out" / "topic.pdf")


@pytest.mark.parametrize("setting", ["clinician", "=x", "name=Ana"])
def test_bad_set_is_a_usage_error(project: Path, setting: str) -> None:
    write_topic(project, "topic.yaml")
    assert run("build", "--set", setting).code == 2


def test_bad_date_is_a_usage_error(project: Path) -> None:
    result = run("build", "--date", "3/3/2026")
    assert result.code == 2 and "should be a date like 2026-03-05" in result.flat


def test_a_patient_name_the_font_cannot_draw_is_refused_without_showing_it(project: Path) -> None:
    write_topic(project, "topic.yaml")
    result = run("build", "--patient", "李雷", "--jobs", "1")
    assert result.code == 1 and "cannot draw some characters of the patient's name" in result.flat
    assert "李" not in result.output and not (project / "out" / "topic.pdf").exists()


def test_a_replaced_logo_is_drawn_in_the_next_build_of_the_same_project(project: Path) -> None:
    topic = write_topic(project, "topic.yaml")
    clinic_file = Path(clinic(project, "logo: logo.png\n"))
    logo_png(project, 1600)
    opened = Project.open(project / "templates", clinic_file)
    heights = []
    for size in (1600, 60):  # laid-out parts are kept between builds; a changed picture is not
        logo_png(project, size)
        data = build_handout(opened, TopicFile(topic, "topic", None), Options()).data
        images = [ref.get_object() for ref in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"].values()]
        heights += [int(image["/Height"]) for image in images if image["/Subtype"] == "/Image"]
    assert heights == [167, 60]
