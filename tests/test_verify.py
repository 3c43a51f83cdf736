"""Stage 6: what counts as text a reader can find in the finished PDF, and the checks find it."""

import contextlib
import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import handouts.verify
from handouts.errors import HandoutError
from handouts.pipeline import Options, Project, build_handout, discover
from handouts.tagging.canvas import TaggingCanvas
from handouts.tagging.structure import Tag
from handouts.tailor import Patient
from handouts.verify import Expected, findable, plain, read_fonts, shown_text, verify_pdf
from tests.helpers import ROOT

LETTER = (612.0, 792.0)


@pytest.mark.parametrize(
    "text",
    [
        "Call the clinic today.",
        "Call the\nclinic   today.",
        "Call the clin\nic today.",  # a word wider than the line is split
        "Call the cli-\nnic today.",  # a soft hyphen breaks as '-'
    ],
)
def test_phrase_is_found_through_line_breaks(text: str) -> None:
    assert findable("Call the cli\u00adnic today.", text)


@pytest.mark.parametrize("text", ["Call theclinic today.", "Call the clinic tonight.", "Call the cli-nic today."])
def test_lost_spaces_and_changed_words_are_not_found(text: str) -> None:
    assert not findable("Call the clinic today.", text)


def test_plain_drops_soft_hyphens_only() -> None:
    assert plain("Osteo\u00adporosis & you") == "Osteoporosis & you"


@pytest.fixture(scope="module")
def font() -> str:
    return Project.open(ROOT / "templates", ROOT / "clinic.yaml").family.name


def pdf(draw, pages: int = 1, title: str | None = "A Title", font: str = "Helvetica", tagged: bool = True) -> bytes:
    """A PDF of ``pages`` pages, each drawn by ``draw``: with the tagging canvas, as the
    content of a paragraph (as every handout is drawn) unless not ``tagged``."""
    buffer = io.BytesIO()
    canvas = TaggingCanvas(buffer, pagesize=LETTER, invariant=1, initialFontName=font, root=Tag("Document"), info={})
    if title:
        canvas.setTitle(title)
    for _ in range(pages):
        with canvas.marked((Tag("P"),)) if tagged else contextlib.nullcontext():
            draw(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("slug", ["diet-vitamin-d", "quit-smoking"])
def test_shown_text_is_what_pypdf_extracts(slug: str) -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    for topic_file in discover(ROOT / "content", [slug]):
        page = PdfReader(io.BytesIO(build_handout(project, topic_file, Options()).data)).pages[0]
        assert " ".join(shown_text(page).split()) == " ".join(page.extract_text().split())


def test_escaped_and_non_ascii_text_is_decoded(font: str) -> None:
    text = r"Call (555) 010-0142 \ now • café: 1,200 mg"
    data = pdf(lambda c: (c.setFont(font, 12), c.drawString(72, 700, text)), font=font)
    assert text in shown_text(PdfReader(io.BytesIO(data)).pages[0])
    verify_pdf(data, Expected(1, LETTER, "A Title", (text,)))


def test_text_the_quick_reading_misses_is_found_by_the_full_extraction(font: str) -> None:
    def draw(canvas: Canvas) -> None:  # text inside a form XObject: only extract_text descends into it
        canvas.beginForm("logo")
        canvas.setFont(font, 12)
        canvas.drawString(72, 700, "Hello from a form")
        canvas.endForm()
        canvas.doForm("logo")

    data = pdf(draw, font=font)
    assert "Hello" not in shown_text(PdfReader(io.BytesIO(data)).pages[0])
    assert "Hello from a form" in verify_pdf(data, Expected(1, LETTER, "A Title", ("Hello from a form",)))


def test_every_problem_is_reported_at_once() -> None:
    data = pdf(lambda c: (c.setFont("Helvetica", 12), c.drawString(72, 700, "Hello")), pages=2, title=None)
    with pytest.raises(HandoutError) as caught:
        verify_pdf(data, Expected(1, (595.0, 842.0), "A Title", ("Goodbye",)))
    message = str(caught.value)
    for problem in ("2 pages, not 1", "612×792 pt, not 595×842", "title metadata", "not embedded: Helvetica",
                    "cannot be extracted from it: 'Goodbye'"):
        assert problem in message


def test_paint_outside_tagged_content_and_artifacts_is_refused(font: str) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(font, 12)
        canvas.drawString(72, 700, "Read me")
        with canvas.artifact():
            canvas.rect(72, 690, 100, 1, fill=1)

    verify_pdf(pdf(draw, font=font), Expected(1, LETTER, "A Title", ("Read me",)))
    with pytest.raises(HandoutError, match="page 1: 1 × text drawn outside any tagged element or artifact"):
        verify_pdf(pdf(draw, font=font, tagged=False), Expected(1, LETTER, "A Title", ("Read me",)))


def test_an_untagged_pdf_is_refused() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    canvas.setTitle("A Title")
    canvas.drawString(72, 700, "Read me")
    canvas.save()
    with pytest.raises(HandoutError, match="it is not tagged"):
        verify_pdf(buffer.getvalue(), Expected(1, LETTER, "A Title", ()))


def test_fonts_seen_in_an_earlier_copy_are_not_parsed_again_but_a_changed_one_is(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    topic_file = discover(ROOT / "content", ["quit-smoking"])[0]
    copies = [build_handout(project, topic_file, Options(patient=Patient(name))) for name in ("Ana Díaz", "Tom Kim")]
    parsed = []
    monkeypatch.setattr(handouts.verify, "read_fonts", lambda page: parsed.append(page) or read_fonts(page))
    expected = Expected(1, LETTER, copies[0].title, (copies[0].title,))
    for copy in copies:  # each was checked once already while it was built
        verify_pdf(copy.data, expected)
    assert parsed == []
    unembedded = copies[1].data.replace(b"/FontFile2", b"/FontFileX")  # same length: the offsets still hold
    with pytest.raises(HandoutError, match="fonts are not embedded"):
        verify_pdf(unembedded, expected)
    assert len(parsed) == 1
