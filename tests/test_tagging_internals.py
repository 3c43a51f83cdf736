"""The ReportLab internals the tagging layer leans on, one test each (pyproject pins the
versions they were tried with): ReportLab has no tagging API, so an upgrade that changes one
of these should fail here, by name, rather than as a wrong structure tree elsewhere."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, ListItem, PageTemplate, Table
from reportlab.platypus.flowables import LIIndenter

from handouts.markup import paragraph_class
from handouts.tagging.canvas import TaggingCanvas
from handouts.tagging.flowables import LabelledList
from handouts.tagging.structure import INLINE_END, INLINE_MARK, Tag
from tests.readers import poppler_tree

WORDS = "Calcium and vitamin D keep the bones of your spine strong as the years go by, so eat well every day."
STYLE = ParagraphStyle("p", fontName="Helvetica", fontSize=12, leading=15)


def drawn(*flowables, width: float = 150, height: float = 700) -> bytes:
    """``flowables`` drawn by Platypus on the tagging canvas into frames ``width`` × ``height``."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(612, 792), invariant=1,
                          pageTemplates=[PageTemplate(frames=[Frame(72, 720 - height, width, height, id="f")])])
    doc.build(list(flowables), canvasmaker=lambda *a, **k: TaggingCanvas(*a, root=Tag("Document"), info={}, **k))
    return buffer.getvalue()


def paragraph(markup: str = WORDS, inline: tuple[Tag, ...] = ()):
    flowable = paragraph_class()(markup, STYLE)
    flowable.structure, flowable.inline = (Tag("P"),), inline
    return flowable


def test_a_paragraph_shows_every_line_with_textOut_in_one_text_object() -> None:
    """``PDFTextObject._textOut(text, TStar)`` draws each line: the line ends get their space."""
    drawing = paragraph()
    data = PdfReader(io.BytesIO(drawn(drawing))).pages[0].get_contents().get_data()
    text_object = re.findall(rb"BT .*? ET", data, re.S)[-1]  # (the first sets the page's font)
    assert re.fullmatch(rb"BT [^B]*?/P <</MCID 0>> BDC .* EMC ET", text_object, re.S)
    lines = re.findall(rb"\((.*?)\) Tj T\*", text_object)
    assert len(lines) == len(drawing.blPara.lines) > 2 and all(line.endswith(b" ") for line in lines)


def test_link_marks_run_inside_the_text_object_and_move_no_word() -> None:
    """``onDraw`` callbacks see the text object as ``canvas._curr_tx_info['tx']``; the
    zero-width marks leave the line breaks as they were."""
    marked = (f'Read <onDraw name="{INLINE_MARK}" label="0"/><a href="https://example.org">{WORDS}</a>'
              f'<onDraw name="{INLINE_MARK}" label="{INLINE_END}"/> now.')
    plain = f'Read <a href="https://example.org">{WORDS}</a> now.'

    def lines(markup: str) -> list[str]:
        flowable = paragraph_class()(markup, STYLE)
        flowable.wrap(150, 1000)
        return ["".join(getattr(word, "text", "") for word in line.words) for line in flowable.blPara.lines]

    assert lines(marked) == lines(plain)
    data = PdfReader(io.BytesIO(drawn(paragraph(marked, (Tag("Link", target="https://example.org"),)))))
    stream = data.pages[0].get_contents().get_data()
    assert re.search(rb"BT .*/P <</MCID 0>> BDC .*EMC /Link <</MCID 1>> BDC .*EMC /P <</MCID 2>> BDC .*EMC ET", stream, re.S)


def test_list_items_hold_their_bullet_and_paragraph_where_tagging_finds_them() -> None:
    """``ListFlowable._getContent()`` makes one ``LIIndenter`` an item, with ``_bullet`` and ``_flowable``."""
    listed = Tag("L")
    items = [paragraph(), paragraph()]
    for item in items:
        item.structure = (listed, Tag("LI"), Tag("LBody"))
    content = LabelledList([ListItem(item) for item in items], bulletType="bullet", start="•")._getContent()
    assert [type(item) for item in content] == [LIIndenter, LIIndenter]
    assert [item._flowable for item in content] == items
    labels = [item._bullet.structure for item in content]
    assert [label[:2] for label in labels] == [item.structure[:2] for item in items]
    assert [label[2].role for label in labels] == ["Lbl", "Lbl"]


def test_tables_tell_their_render_callback_where_fills_and_lines_are_drawn() -> None:
    """``Table(renderCB=…)`` is called with startBG/endBG around fills and startLines/endLines around lines."""
    commands = []
    table = Table([[paragraph()]], style=[("BACKGROUND", (0, 0), (-1, -1), "#eeeeee"), ("BOX", (0, 0), (-1, -1), 1, "#000000")],
                  renderCB=lambda table, command, *args: commands.append(command))
    drawn(table, width=300)
    assert [c for c in commands if c in ("startBG", "endBG", "startCell", "startLines", "endLines")] == \
        ["startBG", "endBG", "startCell", "startLines", "endLines"]


def test_a_paragraph_split_across_pages_stays_one_element(tmp_path) -> None:
    """``Paragraph.split`` makes parts of the paragraph's own class; the parts keep its element."""
    pdf = tmp_path / "split.pdf"
    pdf.write_bytes(drawn(paragraph(" ".join([WORDS] * 3)), height=60))
    reader = PdfReader(pdf)
    assert len(reader.pages) > 1
    tree = poppler_tree(pdf)
    assert tree == ("Document", "", (("P", " ".join([WORDS] * 3), ()),))
    element = reader.trailer["/Root"]["/StructTreeRoot"]["/K"].get_object()["/K"].get_object()
    pages = {kid.get_object().raw_get("/Pg").idnum for kid in element["/K"] if not isinstance(kid, int)}
    assert len(pages) == len(reader.pages) - 1  # content on the first page is in its own /Pg
