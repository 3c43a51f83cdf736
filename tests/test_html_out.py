"""The HTML version: a standalone, semantic page that says what the PDF says, in the theme's look.

These read the page with the standard library's HTML parser; tests/test_html_browser.py
checks it in Chromium with axe-core.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from handouts.html_out import to_html
from handouts.model import text_fields
from handouts.pipeline import Options, Project, discover, prepare
from handouts.theme import load_theme
from tests.helpers import MINIMAL_TOPIC, ROOT, build_shipped, html_tree, read_html, read_pdf, run, words, write_topic

@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped topic as PDF and HTML, with the shipped templates and clinic."""
    return build_shipped(tmp_path_factory.mktemp("out"), "--format", "pdf,html", "--jobs", "1")


def _rule(html: str, selector: str) -> str:
    """The declarations of the first CSS rule for ``selector`` in the page's stylesheet."""
    match = re.search(re.escape(selector) + r" \{([^}]*)\}", html)
    assert match, f"no rule for {selector}"
    return match[1]


def test_every_shipped_handout_is_a_semantic_page_saying_what_the_pdf_says(library: Path) -> None:
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    for topic_file in discover(ROOT / "content"):
        stem = topic_file.path.name.removesuffix(".yaml")
        topic = prepare(project, topic_file, Options())
        page = read_html(library / f"{stem}.html")
        html = page.find("html")
        assert html is not None and html.get("lang") == topic.language, stem
        title = read_pdf(library / f"{stem}.pdf").metadata["/Title"]
        assert words(html.find("head/title")) == title == words(html.find("body/main/h1")), stem
        assert [child.tag for child in html.find("body")] == ["header", "main", "footer"], stem
        assert len(list(html.iter("h1"))) == 1, stem
        text = words(html.find("body"))
        for _, field in text_fields(topic):
            assert words(field.replace("**", "")) in text, f"{stem}: {field!r} is missing"
        bullets = sum(len(block.bullets) for block in [*topic.sections, *([topic.callout] if topic.callout else [])])
        assert [child.tag for listing in html.iter("ul") for child in listing] == ["li"] * bullets, stem
        assert len(list(html.iter("li"))) == bullets, stem  # every item in a list
        if topic.callout:
            aside = html.find("body/main/aside")
            heading = aside.find("h2")
            assert aside.get("aria-labelledby") == heading.get("id") and words(heading) == topic.callout.heading, stem
        assert not list(html.iter("script")) and not list(html.iter("link")), stem


def test_the_page_requests_nothing_and_allows_no_scripts(library: Path) -> None:
    html = (library / "quit-smoking.html").read_text()
    policy = read_html(library / "quit-smoking.html").find("html/head/meta[@http-equiv='Content-Security-Policy']")
    assert policy.get("content") == "default-src 'none'; img-src 'none'; style-src 'unsafe-inline'"
    assert not re.search(r"(src|href)=\"(https?:)?//", html) and "@import" not in html and "url(" not in html


def test_the_look_comes_from_the_theme(project: Path) -> None:
    write_topic(project, "one.yaml")
    theme = project / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace('accent: "#0b4a66"', 'accent: "#123456"'))
    assert run("build", "--format", "html", "--all-variants", "--jobs", "1").code == 0
    assert run("build", "--format", "html", "--grayscale", "--jobs", "1").code == 0
    standard = (project / "out" / "one.html").read_text()
    large = (project / "out" / "one.large.html").read_text()
    gray = (project / "out" / "one.gray.html").read_text()
    assert "color: #123456" in _rule(standard, ".s-h1") and "font-size: 2.112rem" in _rule(standard, ".s-h1")
    assert "font-size: 1.083rem" in _rule(standard, ".s-p")  # 13 pt: the theme's start size
    assert "font-size: 1.5rem" in _rule(large, ".s-p")  # 18 pt in large print
    assert "background: #fde9e7" in _rule(standard, ".b-urgent") and "background" not in _rule(gray, ".b-urgent")
    assert "filter: grayscale(1)" in gray and "#123456" not in gray
    assert "@page { size: letter; margin: 39.6pt; }" in standard


def test_each_element_gets_the_style_the_pdf_gives_it(project: Path) -> None:
    write_topic(project, "one.yaml", MINIMAL_TOPIC + "callout:\n  kind: urgent\n  heading: Get help now\n"
                "  text: Call 911.\n")
    write_topic(project, "two.yaml", MINIMAL_TOPIC + "callout:\n  heading: Good to know\n  text: Walk daily.\n")
    assert run("build", "--format", "html", "--jobs", "1").code == 0
    one, two = (read_html(project / "out" / name).find("html/body") for name in ("one.html", "two.html"))
    assert one.find("main/aside").get("class") == "callout urgent b-urgent"
    assert one.find("main/aside/h2").get("class") == "s-urgent_h2"  # urgent h2 before callout h2, as in the PDF
    assert two.find("main/aside/h2").get("class") == "s-callout_h2"
    assert one.find("main/aside/p").get("class") == "s-p"
    assert one.find("footer/p").get("class") == "prepared s-footer_p-prepared"
    assert one.find("header").get("class") == "header b-header"


def test_content_text_stays_text(project: Path) -> None:
    write_topic(project, "one.yaml", MINIMAL_TOPIC.replace("A short summary for the test.",
                                                           "Tom & Jerry's <script>alert(1)</script> \"plan\"."))
    assert run("build", "--format", "html", "--jobs", "1").code == 0
    page = read_html(project / "out" / "one.html")
    assert not list(page.iter("script"))
    assert words(page.find("html/body/main/p")) == "Tom & Jerry's <script>alert(1)</script> \"plan\"."


def test_a_phone_number_stays_on_one_line_and_a_line_to_write_on_is_not_read_aloud(project: Path) -> None:
    write_topic(project, "one.yaml", MINIMAL_TOPIC.replace("A short summary for the test.",
                                                           "Call 1-800-QUIT-NOW or {{ clinic.phone }}."))
    assert run("build", "--format", "html", "--jobs", "1").code == 0
    html = (project / "out" / "one.html").read_text()
    assert '<span class="nowrap">1-800-QUIT-NOW</span>' in html
    assert '<span class="nowrap">(555)\u00a0010-0142.</span>' in html
    assert 'Prepared for: <span aria-hidden="true">____________________</span>' in html
    assert "white-space: nowrap" in _rule(html, ".nowrap")


def _logo(project: Path, name: str = "logo.png") -> None:
    if name.endswith(".svg"):
        (project / name).write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
                                    '<rect width="20" height="10" fill="#c03"/></svg>')
    else:
        Image.new("RGB", (1600, 1600), (200, 30, 60)).save(project / name)
    clinic = project / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"logo: {name}\n")


def test_the_logo_is_in_the_page_with_its_alt_text(project: Path) -> None:
    write_topic(project, "one.yaml")
    _logo(project)
    assert run("build", "--format", "html", "--jobs", "1").code == 0
    assert run("build", "--format", "html", "--grayscale", "--jobs", "1").code == 0
    for name, mode in (("one.html", "RGB"), ("one.gray.html", "L")):
        image = read_html(project / "out" / name).find("html/body/header/div/img")
        assert image.get("alt") == "Riverside Spine & Bone Clinic logo"
        assert (image.get("width"), image.get("height")) == ("53", "53")  # 40 pt
        prefix = "data:image/png;base64,"
        assert image.get("src").startswith(prefix)
        picture = Image.open(io.BytesIO(base64.b64decode(image.get("src").removeprefix(prefix))))
        assert picture.size == (167, 167) and picture.mode == mode  # 300 dpi at 40 pt, not 1600 px
    policy = read_html(project / "out" / "one.html").find("html/head/meta[@http-equiv='Content-Security-Policy']")
    assert "img-src data:;" in policy.get("content")


def test_an_svg_logo_is_carried_as_it_is(project: Path) -> None:
    write_topic(project, "one.yaml")
    _logo(project, "logo.svg")
    assert run("build", "--format", "html", "--jobs", "1").code == 0
    image = read_html(project / "out" / "one.html").find("html/body/header/div/img")
    assert image.get("src").startswith("data:image/svg+xml;base64,")
    assert (image.get("width"), image.get("height")) == ("107", "53")


def test_links_tables_and_markup_outside_the_subset(project: Path) -> None:
    write_topic(project, "one.yaml")
    template = project / "templates" / "handout.html.j2"
    original = template.read_text()
    template.write_text(original.replace("<h1>{{ topic.title }}</h1>", '<h1>{{ topic.title }}</h1><p>See '
                                         '<a href="https://example.org/x">Example</a>.</p><table><tr><th>Food</th>'
                                         "<th>Calcium</th></tr><tr><td>Milk</td><td>299 mg</td></tr></table>"))
    assert run("build", "--format", "html,txt", "--jobs", "1").code == 0
    main = read_html(project / "out" / "one.html").find("html/body/main")
    assert main.find("p/a").get("href") == "https://example.org/x" and words(main.find("p/a")) == "Example"
    assert [[cell.tag + ":" + words(cell) for cell in row] for row in main.iter("tr")] == [
        ["th:Food", "th:Calcium"], ["td:Milk", "td:299 mg"]]
    text = (project / "out" / "one.txt").read_text()
    assert "See Example (https://example.org/x).\n\nFood | Calcium\nMilk | 299 mg\n" in text
    for bad, message in (('<h1><a href="javascript:alert(1)">x</a></h1>', "link 'javascript:alert(1)' must start with one of"),
                         ("<h1><blink>x</blink></h1>", "<blink> is not allowed inside <h1>"),
                         ("<table><tr><script>alert(1)</script></tr></table>", "<tr> may hold only <th> and <td>, not <script>"),
                         ("<table></table>", "a <table> needs at least one <tr>")):
        template.write_text(original.replace("<h1>{{ topic.title }}</h1>", "<h1>{{ topic.title }}</h1>" + bad))
        result = run("build", "--format", "pdf,html,txt", "--jobs", "1")
        assert result.code == 1 and result.flat.count(message) == 3, result.output  # the same words for each kind
        assert not list((project / "out").glob("one.*"))


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=200))
def test_any_text_reads_back_as_written(text: str) -> None:
    body = ET.Element("body")
    ET.SubElement(body, "h1").text = text
    item = ET.SubElement(ET.SubElement(body, "ul"), "li")
    item.text, ET.SubElement(item, "strong").text = text, text
    page = html_tree(to_html(body, load_theme(ROOT / "templates"), lang="en", title=text)).find("html")
    assert [child.tag for child in page.find("body/main")] == ["h1", "ul"]
    assert words(page.find("head/title")) == words(page.find("body/main/h1")) == words(text)
    assert words(page.find("body/main/ul/li")) == words(text + text)
