"""WeasyPrint from a Jinja2 HTML template and a stylesheet: what a web developer would reach for.

Warm copies reuse what WeasyPrint lets a caller reuse: the font configuration, the parsed
stylesheet and the compiled Jinja2 template.
"""

from __future__ import annotations

from bench.content import TEMPLATES, font_files, load


class WeasyPrint:
    def __init__(self) -> None:
        from jinja2 import Environment, FileSystemLoader
        from markupsafe import Markup, escape
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from bench.content import bold_runs

        def rich(text: str) -> Markup:
            return Markup("".join(f"<strong>{escape(p)}</strong>" if b else str(escape(p)) for p, b in bold_runs(text)))

        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
        env.filters["rich"] = rich
        self.template = env.get_template("handout.html.j2")
        self.fonts = FontConfiguration()
        urls = {face: path.as_uri() for face, path in font_files().items()}
        css = (TEMPLATES / "handout.css").read_text(encoding="utf-8")
        for face, url in urls.items():
            css = css.replace("{{ %s }}" % face, url)
        self.css = CSS(string=css, font_config=self.fonts)
        self.html = HTML
        self.data = load()

    def make(self, patient: str) -> bytes:
        page = self.template.render(**self.data, patient=patient)
        return self.html(string=page, base_url=str(TEMPLATES)).write_pdf(stylesheets=[self.css], font_config=self.fonts)
