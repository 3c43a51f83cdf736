"""Tagging what the shipped template does not use: the logo as a Figure, links, tables,
numbered lists and decorative pictures, as poppler, pdf.js and pypdf read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import MINIMAL_TOPIC, read_pdf, run, write_topic
from tests.readers import pdfinfo, pdfjs, poppler_tree, qpdf_check
from tests.test_tailoring import SQUARE_SVG, clinic, logo_png

EXTRAS = """<p>Read <a href="https://example.org/help">our help page</a> or call us.</p>
<p>Before <a href="https://example.org/long">a link whose words are many, so many that they cannot all fit on one line
of the page and go on to the next</a> after.</p>
<table><tr><th>Food</th><th>Calcium</th></tr><tr><td>Milk, 1 cup</td><td>300 mg</td></tr></table>
<ol><li>First step.</li><li>Second step.</li></ol>
<img src="rule.png" height="4" alt=""/>
"""


def with_extras(project: Path) -> None:
    """The shipped template with a link, a long link, a table, a numbered list and a decorative picture."""
    template = project / "templates" / "handout.html.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% if topic.callout %}", EXTRAS + "{% if topic.callout %}", 1), encoding="utf-8")
    Image.new("RGB", (100, 4), (0, 0, 0)).save(project / "templates" / "rule.png")


def build(project: Path, *options: str) -> Path:
    write_topic(project, "topic.yaml")
    result = run("build", "--jobs", "1", *options)
    assert result.code == 0, result.output
    pdf = project / "out" / "topic.pdf"
    checked = qpdf_check(pdf)
    assert checked.returncode == 0, checked.stdout
    return pdf


def roles(shape: tuple) -> list[str]:
    return [shape[0], *(role for kid in shape[2] for role in roles(kid))]


def find(shape: tuple, role: str) -> list[tuple]:
    return ([shape] if shape[0] == role else []) + [found for kid in shape[2] for found in find(kid, role)]


@pytest.mark.parametrize(("logo", "alt_line", "alt"), [
    ("logo.png", "", "Lakeside Bone Health logo"),
    ("logo.svg", "logo_alt: Lakeside Bone Health, a heron over a lake\n", "Lakeside Bone Health, a heron over a lake"),
])
def test_the_logo_is_a_figure_with_its_alt_text_and_place(project: Path, logo: str, alt_line: str, alt: str) -> None:
    clinic_file = clinic(project, f"logo: {logo}\n{alt_line}")
    if logo.endswith(".png"):
        logo_png(project)
    else:
        (project / "brand" / logo).write_text(SQUARE_SVG.format(extra=""))
    pdf = build(project, "--clinic", clinic_file)
    header = poppler_tree(pdf)[2][0]
    assert header[0] == "Div" and [kid[0] for kid in header[2]] == ["Figure", "P", "P"]
    figure = pdfjs([pdf])[pdf][0]["tree"]["children"][0]["children"][0]["children"][0]
    left, bottom, right, top = figure["bbox"]
    assert figure["role"] == "Figure" and figure["alt"] == alt
    assert 30 < left < right < 200 and 650 < bottom < top < 760 and abs(top - bottom - 40) < 1  # 40 pt high, top left


def test_links_tables_and_numbered_lists_are_tagged(project: Path) -> None:
    with_extras(project)
    pdf = build(project)
    tree = poppler_tree(pdf)
    short, long = find(tree, "Link")
    assert short == ("Link", "our help page", ()) and long[1].startswith("a link whose words are many")
    paragraph = next(p for p in find(tree, "P") if p[2] and p[2][0] is short)
    assert paragraph[1] == "Read or call us."  # its own words, the link's inside the Link
    table = find(tree, "Table")[0]
    assert table == ("Table", "", (("TR", "", (("TH", "Food", ()), ("TH", "Calcium", ()))),
                                   ("TR", "", (("TD", "Milk, 1 cup", ()), ("TD", "300 mg", ())))))
    numbered = [item for item in find(tree, "L") if find(item, "Lbl")[0][1] == "1."][0]
    assert [label[1] for label in find(numbered, "Lbl")] == ["1.", "2."]
    assert "Figure" not in roles(tree)  # the picture with alt="" is decoration
    assert "/ListNumbering /Decimal" in pdfinfo(pdf, "-struct-text")


def test_every_link_area_belongs_to_its_link_and_says_where_it_goes(project: Path) -> None:
    with_extras(project)
    pdf = build(project)
    reader = read_pdf(pdf)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[::2], nums[1::2]))
    areas = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    links = [parents[area["/StructParent"]] for area in areas]
    assert len(areas) == 3 and links[1].idnum == links[2].idnum != links[0].idnum  # the long link wraps: two areas
    assert all(link.get_object()["/S"] == "/Link" for link in links)
    assert areas[0]["/Contents"] == "our help page" and areas[1]["/Contents"].startswith("a link whose words are many")
    for area, link in zip(areas, links):
        pointers = [kid.get_object() for kid in link.get_object()["/K"] if not isinstance(kid, int)]
        assert any(pointer["/Type"] == "/OBJR" and pointer["/Obj"].get_object() == area for pointer in pointers)
    seen = [node for node in _nodes(pdfjs([pdf])[pdf][0]["tree"]) if node.get("role") == "Link"]
    pointed = [[kid["id"] for kid in node["children"] if kid.get("type") == "object"] for node in seen]
    numbers = [f"{annotation.idnum}R" for annotation in reader.pages[0]["/Annots"]]
    assert pointed == [numbers[:1], numbers[1:]]  # pdf.js: each link's words and its areas
    assert all(node["children"][0]["type"] == "content" for node in seen)


def _nodes(node: dict) -> list[dict]:
    return [node, *(found for kid in node.get("children", []) for found in _nodes(kid))]


def test_a_picture_without_alt_text_is_refused(project: Path) -> None:
    template = project / "templates" / "handout.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("<h1>", '<img src="x.png" height="4"/><h1>', 1))
    Image.new("RGB", (4, 4)).save(project / "templates" / "x.png")
    write_topic(project, "topic.yaml")
    result = run("build", "--jobs", "1")
    assert result.code == 1
    assert "image 'x.png' needs an alt text" in result.flat and "alt=\"\" for a picture that only decorates" in result.flat


def test_a_packet_part_in_another_language_says_so(project: Path) -> None:
    write_topic(project, "topic.yaml")
    write_topic(project, "topic.es.yaml", MINIMAL_TOPIC.replace("Test Topic", "Tema de prueba"))
    write_topic(project, "other.yaml", MINIMAL_TOPIC.replace("Test Topic", "Only in English"))
    (project / "rows.csv").write_text("name,language,topics\nAna,es,topic;other\n", encoding="utf-8")
    result = run("batch", "rows.csv", "--out", "packets", "--jobs", "1")
    assert result.code == 0, result.output
    pdf = project / "packets" / "ana.pdf"
    assert read_pdf(pdf).trailer["/Root"]["/Lang"] == "es"
    parts = [part for page in pdfjs([pdf])[pdf] for part in page["tree"]["children"][0]["children"]]
    assert [(part["role"], part.get("lang")) for part in parts] == [("Part", None), ("Part", "en")]
    assert [part[0] for part in poppler_tree(pdf)[2]] == ["Part", "Part"]


def test_a_source_in_another_language_is_a_span_that_says_so(project: Path) -> None:
    spanish = MINIMAL_TOPIC.replace("Test Topic", "Tema de prueba").replace(
        "    title: Test Source\n", "    title: Test Source\n    language: en\n  - org: Otra fuente\n    title: Una fuente\n")
    write_topic(project, "topic.es.yaml", spanish)
    assert run("build", "--jobs", "1").code == 0
    pdf = project / "out" / "topic.es.pdf"
    footer = poppler_tree(pdf)[2][-1]
    assert footer[2][-1] == ("P", "Fuentes:; Otra fuente, “Una fuente”.", (("Span", "Test Org, “Test Source”", ()),))
    spans = [node for node in _nodes(pdfjs([pdf])[pdf][0]["tree"]) if node.get("role") == "Span"]
    assert [span.get("lang") for span in spans] == ["en"]


def test_a_span_with_a_language_that_is_not_a_code_is_refused(project: Path) -> None:
    template = project / "templates" / "handout.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("<h1>", '<p><span lang="English">Hi</span></p><h1>', 1))
    write_topic(project, "topic.yaml")
    result = run("build", "--jobs", "1")
    assert result.code == 1 and "lang 'English' is not a language code like 'en' or 'es-MX'" in result.flat
