"""Tagged PDF, as readers we did not write see it: poppler's pdfinfo, Mozilla pdf.js and qpdf.

Every shipped handout in every variant (standard, large print, grayscale; English and
Spanish) and a packet is built once; the structure each reader finds is compared with the
one the rendered XHTML describes, read here by a second, independent mapping
(:func:`expected`), text included.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from handouts.pipeline import Options, Project, TopicFile, discover, page_context, prepare
from handouts.render import render_page
from handouts.tailor import Patient
from tests.helpers import ROOT, read_pdf, run
from tests.readers import Shape, folded, leaves, pdfinfo, pdfjs, pdfjs_leaves, poppler_tree, qpdf_check

CONTENT = ROOT / "content"
TOPICS = discover(CONTENT)
VARIANTS = {"": Options(), ".large": Options(large_print=True), ".gray": Options(grayscale=True),
            ".large.gray": Options(large_print=True, grayscale=True)}
HANDOUTS = [f"{topic.path.name.removesuffix('.yaml')}{suffix}.pdf" for topic in TOPICS for suffix in VARIANTS]
PACKET_ROWS = """\
name,language,topics,large_print
Ana Díaz,es,quit-smoking;preventing-falls,yes
"""
ROLES = {"h1": "H1", "h2": "H2", "p": "P"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped handout in every variant, and one packet, built with the commands users run."""
    folder = tmp_path_factory.mktemp("tagged")
    shared = ["--content", str(CONTENT), "--templates", str(ROOT / "templates"), "--clinic", str(ROOT / "clinic.yaml")]
    for extra in ([], ["--grayscale"]):
        assert run("build", "--all-variants", *extra, *shared, "--out", str(folder), "--jobs", "2").code == 0
    (folder / "patients.csv").write_text(PACKET_ROWS, encoding="utf-8")
    assert run("batch", str(folder / "patients.csv"), *shared, "--out", str(folder / "packets")).code == 0
    return folder


@pytest.fixture(scope="module")
def seen_by_pdfjs(built: Path) -> dict[Path, list[dict]]:
    """pdf.js's view of every built file, read in one Node process."""
    return pdfjs([built / name for name in HANDOUTS] + [built / "packets" / "ana-diaz.pdf"])


def expected(xhtml: str) -> Shape:
    """The structure the XHTML describes: headings and paragraphs as themselves, lists as
    L › LI › Lbl + LBody, a callout as a Sect, the header, note and footer boxes as Divs, words
    in another language (``span lang``) as a Span in their paragraph; a row or a div without a
    class only groups."""
    return "Document", "", tuple(_elements(ET.fromstring(xhtml)))


def _elements(parent: ET.Element) -> Iterator[Shape]:
    for element in parent:
        classes = (element.get("class") or "").split()
        if element.tag in ROLES:
            spans = tuple(("Span", _text(span), ()) for span in element.iter("span") if span.get("lang"))
            yield ROLES[element.tag], folded(_own_words(element).replace("\u00ad", "")), spans
        elif element.tag in ("ul", "ol"):
            labels = (f"{number}." if element.tag == "ol" else "•" for number in range(1, len(element) + 1))
            yield "L", "", tuple(("LI", "", (("Lbl", label, ()), ("LBody", _text(item), ())))
                                 for label, item in zip(labels, element))
        elif element.tag == "img":
            yield "Figure", "", ()
        elif element.tag == "div" and classes and "row" not in classes:
            yield "Sect" if "callout" in classes else "Div", "", tuple(_elements(element))
        elif element.tag == "div":
            yield from _elements(element)


def _text(element: ET.Element) -> str:
    return folded("".join(element.itertext()).replace("\u00ad", ""))


def _own_words(element: ET.Element) -> str:
    """The words of ``element`` that are not in a span of another language."""
    words = [element.text or ""]
    for child in element:
        if not (child.tag == "span" and child.get("lang")):
            words.append(_own_words(child))
        words.append(child.tail or "")
    return "".join(words)


@cache
def shipped_project() -> Project:
    return Project.open(ROOT / "templates", ROOT / "clinic.yaml")


def handout_xhtml(name: str, patient: Patient = Patient()) -> str:
    """The XHTML the build rendered for the output file ``name`` (every variant renders the same)."""
    project = shipped_project()
    slug, _, rest = name.partition(".")
    language = rest.split(".")[0] if rest.split(".")[0] not in ("pdf", "large", "gray") else None
    topic_file = TopicFile(CONTENT / (f"{slug}.{language}.yaml" if language else f"{slug}.yaml"), slug, language)
    options = Options(patient=patient)
    return render_page(project.env, page_context(project, prepare(project, topic_file, options), options))


@pytest.mark.parametrize("name", HANDOUTS)
def test_poppler_reads_the_structure_and_text_of_every_handout(built: Path, name: str) -> None:
    assert "Tagged:          yes" in pdfinfo(built / name)
    assert poppler_tree(built / name) == expected(handout_xhtml(name))


@pytest.mark.parametrize("name", HANDOUTS)
def test_pdfjs_reads_the_same_structure_and_text(built: Path, seen_by_pdfjs: dict, name: str) -> None:
    seen = [(path, text) for path, text, _ in pdfjs_leaves(seen_by_pdfjs[built / name])]
    assert seen == leaves(expected(handout_xhtml(name)))


@pytest.mark.parametrize("name", [*HANDOUTS, "packets/ana-diaz.pdf"])
def test_qpdf_finds_nothing_wrong(built: Path, name: str) -> None:
    checked = qpdf_check(built / name)
    assert checked.returncode == 0 and "No syntax or stream encoding errors found" in checked.stdout, checked.stdout


def test_a_packet_keeps_each_handouts_structure_as_a_part(built: Path, seen_by_pdfjs: dict) -> None:
    packet = built / "packets" / "ana-diaz.pdf"
    patient = Patient("Ana Díaz")
    parts = [("Part", "", expected(handout_xhtml(name, patient))[2]) for name in ("quit-smoking.es.pdf", "preventing-falls.es.pdf")]
    assert "Tagged:          yes" in pdfinfo(packet)
    assert poppler_tree(packet) == ("Document", "", tuple(parts))
    assert [(path, text) for path, text, _ in pdfjs_leaves(seen_by_pdfjs[packet])] == leaves(("Document", "", tuple(parts)))


def test_the_document_says_it_is_tagged_and_in_which_language(built: Path) -> None:
    for name, language in (("quit-smoking.pdf", "en"), ("fracture-warning-signs.es.large.pdf", "es")):
        reader = read_pdf(built / name)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] == True and root["/Lang"] == language  # noqa: E712 (a PDF boolean)
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
        assert "/ParentTree" in root["/StructTreeRoot"]
        assert all(page["/Tabs"] == "/S" and page["/StructParents"] == index for index, page in enumerate(reader.pages))
        xmp = reader.xmp_metadata
        assert xmp.dc_title == {"x-default": reader.metadata.title}
        assert b"<pdfuaid:part>1</pdfuaid:part>" in root["/Metadata"].get_data()
        fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
        assert fonts and all("/ToUnicode" in font for font in fonts)


def test_two_page_large_print_reads_as_one_document_without_its_page_marks(built: Path) -> None:
    name = next(name for name in HANDOUTS if name.endswith(".large.pdf") and len(read_pdf(built / name).pages) == 2)
    text = pdfinfo(built / name, "-struct-text")
    assert "Page 1 of 2" not in text and "Página 1 de 2" not in text  # pagination artifacts
    assert text.count("\nDocument") + text.startswith("Document") == 1
