"""What a patient reads in the message itself: a short letter, then every handout in full, in
HTML (the handout's own HTML version, inside the message's page) and in text, in the theme's
look; zero axe-core violations in Chromium, with and without the stylesheet."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from handouts.model import Topic
from handouts.pipeline import Options, Project, discover, prepare
from tests.browser import axe_violations
from tests.helpers import ROOT, html_tree, run, words
from tests.test_email import CONTENT, TITLES, email, parts, read_eml

BLOCKS = ("h1", "h2", "h3", "p", "li", "ul", "aside", "footer")


def topic(slug: str, options: Options = Options()) -> Topic:
    """The tailored topic of ``content/<slug>.yaml``, as the handout says it."""
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    [topic_file] = [found for found in discover(ROOT / "content") if found.path.name == f"{slug}.yaml"]
    return prepare(project, topic_file, options)


def outline(elements: list[ET.Element], shift: int = 0) -> list[tuple[str, str]]:
    """Every block under ``elements`` as (tag, words), headings ``shift`` levels lower."""
    found = []
    for element in (inner for outer in elements for inner in outer.iter()):
        if element.tag in BLOCKS:
            tag = f"h{int(element.tag[1]) + shift}" if re.fullmatch(r"h\d", element.tag) else element.tag
            found.append((tag, words(element)))
    return found


def test_each_handout_is_in_the_message_as_its_html_version_says_it(project: Path) -> None:
    slugs, args = ["quit-smoking", "fracture-warning-signs"], ["--lang", "es", "--patient", "José Núñez"]
    assert email(*slugs, "--to", "jose@example.org", *args).code == 0
    assert run("build", *slugs, "--content", CONTENT, "--format", "html", *args).code == 0
    document = html_tree(parts(read_eml(project / "outbox" / "jose-nunez.eml"))[1])
    html = document.find("html")
    assert html.get("lang") == "es" and html.find("body/div").get("lang") == "es"  # a webmail drops <html>
    main = html.find("body/div/main")
    articles = main.findall("article")
    assert [words(h1) for h1 in html.iter("h1")] == ["Información de Riverside Spine & Bone Clinic"]
    assert [words(article.find("h2")) for article in articles] == [TITLES[f"{slug}.es"] for slug in slugs]
    listed = [(words(item.text), words(item.find("br").tail)) for item in main.find("ul")]  # the letter's list
    assert listed == [(TITLES[f"{slug}.es"], f"Archivo adjunto: {slug}.es.pdf") for slug in slugs]
    for slug, article in zip(slugs, articles):
        page = html_tree((project / "out" / f"{slug}.es.html").read_text(encoding="utf-8")).find("html/body")
        assert article.get("lang") == "es"
        assert outline([article]) == outline([page.find("main"), page.find("footer")], shift=1)  # its own HTML
        told = topic(f"{slug}.es", Options())
        sections = [words(h3) for h3 in article.findall("h3")]
        assert sections == [section.heading for section in told.sections]
        bullets = [words(item.replace("**", "")) for section in told.sections for item in section.bullets]
        assert [words(li) for ul in article.findall("ul") for li in ul] == bullets
        aside = article.find("aside")
        assert (aside is None) == (told.callout is None)
        if aside is not None:  # the "get help now" box, named by its heading
            heading = aside.find("h3")
            assert words(heading) == told.callout.heading and aside.get("aria-labelledby") == heading.get("id")
            assert [words(li) for li in aside.iter("li")] == [words(b.replace("**", "")) for b in told.callout.bullets]
    ids = [element.get("id") for element in html.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == len(list(main.iter("aside"))) == 2  # both boxes named, never by one id
    assert not [e for e in html.iter() if e.tag in ("img", "script", "link", "iframe")]
    assert "Riverside Spine & Bone Clinic" not in [words(p) for a in articles for p in a.findall("p")]  # no header


def test_each_handout_is_in_the_text_part_as_its_text_version_says_it(project: Path) -> None:
    slugs = ["fracture-warning-signs", "preventing-falls", "quit-smoking"]
    assert email(*slugs, "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    assert run("build", *slugs, "--content", CONTENT, "--format", "txt", "--patient", "Ana Díaz").code == 0
    text = parts(read_eml(project / "outbox" / "ana-diaz.eml"))[0]
    position = 0
    for slug in slugs:
        version = (project / "out" / f"{slug}.txt").read_text(encoding="utf-8")
        handout = version[version.index(TITLES[slug] + "\n=") :]  # after the clinic's name and phone
        assert handout in text[position:], slug
        position = text.index(handout, position) + len(handout)
    assert "Get help now\n------------\n\nNew, sudden back pain?" in text and "  - New numbness" not in text
    assert max(len(line) for line in text.splitlines()) <= 72
    assert text.count("Riverside Spine & Bone Clinic\n") == 1 and text.rstrip().endswith("let us know.")


def test_the_message_takes_the_look_of_the_theme_and_the_clinic_brand(project: Path) -> None:
    clinic, theme = project / "clinic.yaml", project / "templates" / "theme.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8") + 'brand_color: "#5b2a86"\n', encoding="utf-8")
    theme.write_text(theme.read_text(encoding="utf-8").replace('accent: "#0b4a66"', 'accent: "#123456"'))
    assert email("fracture-warning-signs", "--to", "ana@example.org").code == 0
    assert email("fracture-warning-signs", "--to", "ana@example.org", "--large-print").code == 0
    standard, large = (parts(read_eml(project / "outbox" / name))[1] for name in ("patient.eml", "patient-2.eml"))
    assert ".b-header { padding: 9pt 9pt 5.4pt; margin: 0 0 10.4px; background: #5b2a86; }" in standard
    assert "color: #123456" in re.search(r"\.s-h1 \{([^}]*)\}", standard)[1]
    assert 'class="b-header">\n  <h1 class="s-header_p-clinic">' in standard  # the band, in the brand colour
    for html, size in ((standard, "17.33px"), (large, "24px")):  # 13 pt, 18 pt: on the message itself too
        assert f'<div class="message" lang="en" style="font-family: ' in html and f"font-size: {size};" in html
    assert "<img" not in standard and "data:" not in standard and "@media print" not in standard


def _open(page, html: str, *, styles: bool = True) -> None:
    page.set_content(html)
    if not styles:  # as a mail program that drops the <style> shows it
        page.evaluate("document.querySelectorAll('style').forEach(style => style.remove())")


@pytest.mark.parametrize("styles", [True, False], ids=["styled", "without-stylesheet"])
def test_a_one_topic_message_has_no_wcag_aa_violations_in_chromium(project: Path, page, styles: bool) -> None:
    assert email("fracture-warning-signs", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    _open(page, parts(read_eml(project / "outbox" / "ana-diaz.eml"))[1], styles=styles)
    assert page.title() == "Information from Riverside Spine & Bone Clinic"
    assert axe_violations(page) == []
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["Information from Riverside Spine & Bone Clinic"]
    assert page.get_by_role("heading", level=2).all_inner_texts() == [TITLES["fracture-warning-signs"]]
    box = page.get_by_role("complementary", name="Get help now")
    assert box.get_by_role("listitem").count() == 5 and "Call 911 right away" in box.inner_text()
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_spanish_packet_message_in_large_print_has_no_wcag_aa_violations(project: Path, page) -> None:
    topics = "fracture-warning-signs;quit-smoking;diet-vitamin-d"
    (project / "patients.csv").write_text(f"name,language,topics,large_print,email\nJosé Núñez,es,{topics},no,"
                                          f"jose@example.org\nZoë Ångström,es,{topics},yes,zoe@example.org\n",
                                          encoding="utf-8")
    assert run("batch", "patients.csv", "--content", CONTENT, "--email", "--jobs", "1").code == 0
    told = [topic(f"{slug}.es") for slug in topics.split(";")]
    boxes = [handout.callout.heading for handout in told if handout.callout]
    assert boxes[0] == "Busque ayuda ahora"
    sizes = {}
    for name in ("jose-nunez", "zoe-angstrom"):
        _open(page, parts(read_eml(project / "outbox" / f"{name}.eml"))[1])
        assert page.evaluate("document.documentElement.lang") == "es" and axe_violations(page) == [], name
        assert page.locator("article h2").all_inner_texts() == [handout.title for handout in told]
        assert page.locator("article[lang=es]").count() == 3
        assert page.get_by_text(f"Archivo adjunto: {name}.pdf").count() == 1
        assert page.get_by_role("complementary").locator("h3").all_inner_texts() == boxes
        _open(page, parts(read_eml(project / "outbox" / f"{name}.eml"))[1], styles=False)
        sizes[name] = page.evaluate("getComputedStyle(document.querySelector('article p')).fontSize")
    assert sizes == {"jose-nunez": "17.33px", "zoe-angstrom": "24px"}  # large print stays large without styles
