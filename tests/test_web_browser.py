"""The page in real headless Chromium (Playwright), as a clinician uses it, with axe-core
checking every state at WCAG 2.1 AA. The server is waitress on 127.0.0.1, as ``serve`` runs it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser import axe_violations
from tests.web_support import UNTRANSLATED, LiveServer, app_for, copy_project, live_server, pdf_text, title

WAIT_MS = 15_000
"""The longest any step may wait (a build takes milliseconds; the machine may be busy)."""

NAME = "Zoë Ångström"
QUIT = "Quit Smoking for Stronger Bones"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(app_for(copy_project(tmp_path_factory.mktemp("page"), untranslated=UNTRANSLATED))) as running:
        yield running


@pytest.fixture
def page(page: Page, server: LiveServer) -> Page:
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(WAIT_MS)
    page.goto(server.url)
    return page


def accessible(page: Page, state: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core, {state}: {violations}"


def test_a_clinician_downloads_a_spanish_large_print_packet(page: Page, server: LiveServer) -> None:
    spanish = title(server.paths, "quit-smoking", "es")
    accessible(page, "the empty form")
    page.get_by_role("searchbox", name="Search topics").fill("smok")
    expect(page.get_by_role("checkbox", name="Preventing Falls", exact=True)).to_be_hidden()
    expect(page.locator("#search-status")).to_have_text("1 of 9 topics shown")
    accessible(page, "the list filtered")
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    page.get_by_role("searchbox", name="Search topics").fill("falls")
    page.get_by_role("checkbox", name="Preventing Falls", exact=True).check()
    page.get_by_role("textbox", name="Patient name", exact=True).fill(NAME)
    page.get_by_role("combobox", name="Language", exact=True).select_option("es")
    page.get_by_role("checkbox", name="Large print", exact=True).check()
    expect(page.get_by_role("alert")).to_have_text("Preventing Falls has no Spanish version, so it will print in English.")
    page.get_by_role("searchbox", name="Search topics").fill("")
    expect(page.get_by_role("checkbox", name=spanish, exact=True)).to_be_checked()  # titles in the language chosen
    expect(page.locator("tr", has_text=spanish).locator(".also")).to_have_text(QUIT)  # the English under it
    accessible(page, "filled in, with the notice of a topic in English only")

    with page.expect_download(timeout=WAIT_MS) as started:
        page.get_by_role("button", name="Download PDF", exact=True).click()
    download = started.value
    assert download.suggested_filename == "handouts.es.large.pdf"
    data = Path(download.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert [item.title for item in reader.outline] == ["Preventing Falls", spanish]
    assert len(reader.pages) == 4  # large print: two pages each
    text = pdf_text(data)
    assert f"Preparado para: {NAME}" in text and f"Prepared for: {NAME}" in text
    assert spanish in text


def test_every_control_has_the_name_people_and_tests_rely_on(page: Page) -> None:
    for role, names in {"textbox": ["Patient name", "Clinician", "Follow-up", "Note"], "searchbox": ["Search topics"],
                        "combobox": ["Language", "Paper size"], "checkbox": ["Large print", "Ink-saving", QUIT],
                        "button": ["Preview", "Download PDF", "Print", "Web page version"]}.items():
        for name in names:
            expect(page.get_by_role(role, name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Email to patient")).to_have_count(0)  # the clinic file has no email


def test_preview_shows_each_first_page_as_it_will_print(page: Page) -> None:
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    page.get_by_role("checkbox", name="Diet & Vitamin D", exact=True).check()
    page.get_by_role("textbox", name="Patient name", exact=True).fill(NAME)
    page.get_by_role("checkbox", name="Ink-saving", exact=True).check()
    page.get_by_role("button", name="Preview", exact=True).click()
    pictures = page.get_by_role("img", name="Page 1 of the handout")
    expect(pictures).to_have_count(2)
    expect(pictures.first).to_have_accessible_name(
        "Page 1 of the handout “Diet & Vitamin D” as it will print: English, standard print, ink-saving, body text 13 pt, "
        f"1 page; prepared for {NAME}.")
    assert pictures.first.evaluate("img => img.complete && img.naturalWidth") == 918
    expect(page.get_by_role("textbox", name="Patient name", exact=True)).to_have_value(NAME)  # the form is kept
    accessible(page, "the preview")


def test_print_opens_the_pdf_in_a_new_tab_ready_to_print(page: Page) -> None:
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    with page.context.expect_page(timeout=WAIT_MS) as opened, page.context.expect_event(
            "response", lambda response: response.url.endswith("/print"), timeout=WAIT_MS) as answer:
        page.get_by_role("button", name="Print", exact=True).click()
    response = answer.value  # its bytes (with the print action) are checked in test_web_app
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="quit-smoking.pdf"'
    assert opened.value.url.endswith("/print") and opened.value is not page
    expect(page.get_by_role("checkbox", name=QUIT, exact=True)).to_be_checked()  # the form stays as it was


def test_the_web_page_version_opens_in_a_new_tab_and_passes_axe(page: Page) -> None:
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    with page.context.expect_page(timeout=WAIT_MS) as opened:
        page.get_by_role("button", name="Web page version", exact=True).click()
    version = opened.value
    version.set_default_timeout(WAIT_MS)
    expect(version.get_by_role("heading", level=1)).to_have_text(QUIT)
    accessible(version, "the web page version")


def test_mistakes_are_told_next_to_their_fields(page: Page) -> None:
    page.get_by_role("button", name="Download PDF", exact=True).click()
    topics_error = page.locator("#topics-error")
    expect(topics_error).to_have_text("Choose at least one topic: tick the box next to its title.")
    expect(topics_error).to_have_attribute("role", "alert")
    expect(page.get_by_role("group", name="1 Choose the topics")).to_have_accessible_description(
        "Error: Choose at least one topic: tick the box next to its title.")
    accessible(page, "no topic chosen")

    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    page.get_by_role("textbox", name="Patient name", exact=True).fill("王小明")
    page.get_by_role("button", name="Preview", exact=True).click()
    name = page.get_by_role("textbox", name="Patient name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(
        "Printed on the “Prepared for” line. Leave it empty to write the name by hand. Error: The handout's font cannot "
        "print “王”, “小”, “明”. Write it with other letters, for example as it is spelled in English.")
    accessible(page, "a name the font cannot print")

    page.get_by_role("searchbox", name="Search topics").fill("zzz")
    expect(page.locator("#search-status")).to_have_text("No topic matches “zzz”. Clear the search to see them all.")
    accessible(page, "a search that matches nothing")


def test_an_out_of_date_form_builds_nothing_and_says_so(page: Page) -> None:
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    page.locator("input[name=csrf]").evaluate("input => input.value = 'from-before-a-restart'")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="This page was out of date")).to_be_visible()
    expect(page.get_by_role("checkbox", name=QUIT, exact=True)).not_to_be_checked()
    accessible(page, "an out-of-date form")


def test_the_keyboard_alone_reaches_every_control_in_order_with_focus_visible(page: Page) -> None:
    names = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const e = document.activeElement, style = getComputedStyle(e);
            return {name: e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || e.id),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }""")
        if focused["name"] == "Print":
            names.append("Print")
            break
        assert focused["outline"] == "solid" and focused["width"] >= 2, focused
        names.append(focused["name"].strip())
    assert names == ["Skip to the topics", "New patient (clear the form)", "Search topics", "Alcohol & Your Bones",
                     "Bone Density Test (DXA)", "Diet & Vitamin D", "Exercise & Spine Safety",
                     "Spine Fracture Warning Signs", "Medicines for Your Bones", "Preventing Falls", QUIT,
                     "What Is Osteoporosis?", "Patient name", "Language", "Large print", "Ink-saving", "Paper size",
                     "Clinician", "Follow-up", "Note", "Preview", "Download PDF", "Print"]

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back to the note, then to a topic by searching for it
    page.keyboard.type("Walk every day.")
    page.get_by_role("searchbox", name="Search topics").focus()
    page.keyboard.type("bone density")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Bone Density Test (DXA)", exact=True)).to_be_checked()
    page.get_by_role("button", name="Preview", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="Page 1 of the handout “Bone Density Test (DXA)”")).to_be_visible()
    expect(page.get_by_role("textbox", name="Note", exact=True)).to_have_value("Walk every day.")


def test_without_javascript_the_form_still_downloads(browser, server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(server.url)
        expect(page.get_by_role("searchbox", name="Search topics")).to_have_count(0)  # it needs the script
        page.get_by_role("checkbox", name=QUIT, exact=True).check()
        page.get_by_role("textbox", name="Patient name", exact=True).fill(NAME)
        with page.expect_download(timeout=WAIT_MS) as started:
            page.get_by_role("button", name="Download PDF", exact=True).click()
        assert NAME in pdf_text(Path(started.value.path()).read_bytes())
    finally:
        context.close()


def test_a_broken_clinic_file_is_shown_plainly_until_it_is_fixed(page: Page, server: LiveServer) -> None:
    clinic = server.paths.clinic_file
    original = clinic.read_text(encoding="utf-8")
    try:
        clinic.write_text("name: Riverside\n", encoding="utf-8")
        page.reload()
        expect(page.get_by_role("heading", name="The handouts cannot be made right now")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("clinic.yaml, line 1: missing required key 'phone'")
        accessible(page, "a broken clinic file")
    finally:
        clinic.write_text(original, encoding="utf-8")
    page.reload()
    expect(page.get_by_role("checkbox", name=QUIT, exact=True)).to_be_visible()


def test_on_a_narrow_screen_nothing_scrolls_sideways(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 700})  # WCAG 1.4.10: reflow at 320 CSS pixels
    page.get_by_role("checkbox", name=QUIT, exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    accessible(page, "a 320-pixel-wide screen")
