"""The floor: the same page in plain ReportLab Platypus, styles written in Python, no template,
no fit loop, no verification. What a programmer would write by hand for this one handout.
"""

from __future__ import annotations

import io
from typing import Any

from bench.content import BODY_PT, font_files, load

ACCENT, TEXT, MUTED, RULE = "#0b4a66", "#1a1a1a", "#3b3b3b", "#6b6b6b"
MARGIN = 0.55 * 72
FOOTER_HEIGHT = 84.0


class Platypus:
    def __init__(self) -> None:
        from reportlab.lib.fonts import addMapping
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for face, path in font_files().items():
            pdfmetrics.registerFont(TTFont(f"Atkinson-{face}", str(path)))
        addMapping("Atkinson-regular", 0, 0, "Atkinson-regular")
        addMapping("Atkinson-regular", 1, 0, "Atkinson-bold")
        self.data = load()
        b = BODY_PT

        def style(name: str, size: float, leading: float = 1.3, bold: bool = False, color: str = TEXT,
                  before: float = 0.0, after: float = 0.35 * b) -> ParagraphStyle:
            return ParagraphStyle(name, fontName="Atkinson-bold" if bold else "Atkinson-regular",
                                  fontSize=size, leading=size * leading, textColor=color,
                                  spaceBefore=before, spaceAfter=after)

        self.styles = {
            "clinic": style("clinic", 15, bold=True, color="#ffffff", after=1),
            "phone": style("phone", 11, color="#ffffff", after=0),
            "h1": style("h1", 1.95 * b, 1.12, True, ACCENT, after=0.15 * b),
            "subtitle": style("subtitle", 1.15 * b, color=MUTED, after=0.3 * b),
            "summary": style("summary", 1.1 * b, before=0.2 * b, after=0.55 * b),
            "h2": style("h2", 1.3 * b, 1.15, True, ACCENT, before=0.55 * b, after=0.2 * b),
            "p": style("p", b),
            "li": style("li", b, after=0.15 * b),
            "prepared": style("prepared", 11, after=4),
            "small": style("small", 9.5, 1.25, color=MUTED, after=2),
        }

    def make(self, patient: str) -> bytes:
        from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate

        width, height = 612.0, 792.0
        body = Frame(MARGIN, MARGIN + FOOTER_HEIGHT, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER_HEIGHT, 0, 0, 0, 0)
        foot = Frame(MARGIN, MARGIN, width - 2 * MARGIN, FOOTER_HEIGHT, 0, 0, 0, 0)
        buffer = io.BytesIO()
        topic = self.data["topic"]
        doc = BaseDocTemplate(buffer, pagesize=(width, height), pageTemplates=[PageTemplate(frames=[body, foot])],
                              title=topic["title"], author=self.data["clinic"]["name"], lang="en", invariant=1)
        doc.build([*self._body(), FrameBreak(), *self._footer(patient)])
        return buffer.getvalue()

    def _body(self) -> list[Any]:
        from reportlab.platypus import Paragraph, Table

        s, topic, clinic = self.styles, self.data["topic"], self.data["clinic"]
        header = Table([[[Paragraph(_x(clinic["name"]), s["clinic"]),
                          Paragraph(_x(f"Phone: {clinic['phone']} · {clinic['website']}"), s["phone"])]]],
                       colWidths=[612 - 2 * MARGIN],
                       style=[("BACKGROUND", (0, 0), (-1, -1), ACCENT), ("FONT", (0, 0), (-1, -1), "Atkinson-regular"),
                              *[(side, (0, 0), (-1, -1), 9) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")],
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 5.4)])
        header.spaceAfter = 0.6 * BODY_PT
        story = [header, Paragraph(_x(topic["title"]), s["h1"]), Paragraph(_x(topic["subtitle"]), s["subtitle"]),
                 Paragraph(_rich(topic["summary"]), s["summary"])]
        for section in topic["sections"]:
            story.append(Paragraph(_x(section["heading"]), s["h2"]))
            if section.get("text"):
                story.append(Paragraph(_rich(section["text"]), s["p"]))
            if section.get("bullets"):
                story.append(self._bullets(section["bullets"]))
        return story

    def _bullets(self, bullets: list[str]) -> Any:
        from reportlab.platypus import ListFlowable, ListItem, Paragraph

        return ListFlowable([ListItem(Paragraph(_rich(item), self.styles["li"])) for item in bullets],
                            bulletType="bullet", start="•", bulletFontName="Atkinson-bold", bulletFontSize=BODY_PT,
                            bulletColor=ACCENT, leftIndent=BODY_PT * 1.4, spaceAfter=0.15 * BODY_PT)

    def _footer(self, patient: str) -> list[Any]:
        from reportlab.platypus import HRFlowable, Paragraph

        s, data = self.styles, self.data
        sources = "; ".join(f"{src['org']}, “{src['title']}”" for src in data["topic"]["sources"])
        clinic = data["clinic"]
        return [
            HRFlowable(width="100%", thickness=0.75, color=RULE, spaceAfter=6),
            Paragraph(_x(f"Prepared for: {patient or '____________________'}"), s["prepared"]),
            Paragraph(f"<b>Reviewed:</b> {_x(data['reviewed'])}. {_x(clinic['name'])}, {_x(clinic['address'])}.", s["small"]),
            Paragraph(f"<b>Sources:</b> {_x(sources)}.", s["small"]),
        ]


def _x(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _rich(text: str) -> str:
    from bench.content import bold_runs

    return "".join(f"<b>{_x(part)}</b>" if bold else _x(part) for part, bold in bold_runs(text))
