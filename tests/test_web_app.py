"""The page through Flask's test page_client: what it lists, what its buttons make, its errors."""

from __future__ import annotations

import base64
import io
import logging
import os
import re
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image
from pypdf import PdfReader

from handouts.catalog import catalog
from handouts.web.library import Paths
from tests.helpers import MINIMAL_TOPIC, write_topic
from tests.web_support import UNTRANSLATED, app_for, pdf_text, post, title, token


def test_the_page_lists_every_topic_with_languages_review_date_and_grade(page_client, shipped: Paths) -> None:
    html = page_client.get("/").get_data(as_text=True)
    rows = {re.search(r'value="([a-z-]+)"', row)[1]: row for row in re.findall(r"<tr data-topic.*?</tr>", html, re.S)}
    listed = catalog(shipped.content, shipped.templates, shipped.clinic_file)  # what `build.py list` shows
    assert sorted(rows) == sorted({entry.topic_file.slug for entry in listed})
    for entry in listed:
        row = rows[entry.topic_file.slug]
        assert f'<span lang="{entry.language}" data-lang="{entry.language}"' in row and str(escape(entry.title)) in row
        assert f'datetime="{entry.reviewed}"' in row and f">{entry.readability.grade:.1f}<" in row
    assert "English, Spanish" in rows["quit-smoking"]
    assert re.search(r'<option value="es"[^>]*>Spanish \(español\)</option>', html)


def test_the_page_names_languages_as_labels_yaml_does(shipped: Paths) -> None:
    labels = shipped.templates / "labels.yaml"
    text = labels.read_text(encoding="utf-8").replace("name: Spanish", "name: Castilian")
    labels.write_text(text.replace("native_name: español", "native_name: castellano"), encoding="utf-8")
    html = app_for(shipped).test_client().get("/").get_data(as_text=True)
    rows = re.findall(r"<tr data-topic.*?</tr>", html, re.S)
    assert any("English, Castilian" in row for row in rows) and "Spanish" not in html
    assert re.search(r'<option value="es" data-name="Castilian"[^>]*>Castilian \(castellano\)</option>', html)
    assert re.search(r'<option value="en" data-name="English"[^>]*>English</option>', html)


def test_a_language_without_labels_is_not_offered_and_its_topic_says_why(shipped: Paths) -> None:
    """As ``build`` refuses it, the page never makes a French handout with English words on it."""
    write_topic(shipped.content.parent, "quit-smoking.fr.yaml")  # a language labels.yaml has no block for
    client = app_for(shipped).test_client()
    html = client.get("/").get_data(as_text=True)
    row = next(row for row in re.findall(r"<tr data-topic.*?</tr>", html, re.S) if 'value="quit-smoking"' in row)
    assert re.search(r'<p class="error">Cannot be made until this is fixed: [^<]*quit-smoking.fr.yaml: [^<]*'
                     r'labels.yaml has no &#39;fr&#39; block: add one with the words a handout prints', row)
    assert 'data-languages="en es"' in row and '<option value="fr"' not in html
    for path in ("/download", "/preview", "/web-page"):
        refused = post(client, path, topic="quit-smoking", language="fr")
        assert refused.status_code == 422 and "Choose a language from the list" in refused.get_data(as_text=True)
    assert post(client, "/download", topic="quit-smoking").status_code == 200


def test_one_topic_downloads_that_handout_with_the_patients_name(page_client) -> None:
    response = post(page_client, "/download", topic="quit-smoking", name="Ana Díaz", clinician="Dr. Lee")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="quit-smoking.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1 and reader.metadata.title == "Quit Smoking for Stronger Bones"
    assert "Prepared for: Ana Díaz by Dr. Lee" in pdf_text(response.data)


def test_several_topics_download_one_packet_with_a_bookmark_each(page_client, shipped: Paths) -> None:
    (shipped.content / f"{UNTRANSLATED}.es.yaml").unlink()
    response = post(page_client, "/download", topic=["quit-smoking", "preventing-falls"], name="Zoë Ångström",
                    language="es", large_print="on", grayscale="on", paper="a4")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="handouts.es.large.gray.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    spanish = title(shipped, "quit-smoking", "es")
    assert [item.title for item in reader.outline] == [spanish, "Preventing Falls"]  # the form's order
    assert len(reader.pages) == 4 and round(float(reader.pages[0].mediabox.width)) == 595  # A4, 2 pages each
    text = pdf_text(response.data)
    assert "Preparado para: Zoë Ångström" in text and spanish in text and "Prepared for: Zoë Ångström" in text


def test_preview_shows_the_first_page_of_each_handout_as_a_picture(page_client, shipped: Paths) -> None:
    (shipped.content / f"{UNTRANSLATED}.es.yaml").unlink()
    response = post(page_client, "/preview", topic=["quit-smoking", "preventing-falls"], name="Zoë Ångström", language="es")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    pictures = re.findall(r'<img src="data:image/png;base64,([^"]+)" width="(\d+)" height="(\d+)"\s+alt="([^"]+)"', html)
    assert len(pictures) == 2
    image = Image.open(io.BytesIO(base64.b64decode(pictures[0][0])))
    assert image.size == (int(pictures[0][1]), int(pictures[0][2])) == (918, 1188)  # letter at 108 dpi
    assert image.getpixel((30, 30)) == (255, 255, 255) and image.getpixel((459, 70)) != (255, 255, 255)
    assert pictures[0][3].startswith(f"Page 1 of the handout “{title(shipped, 'quit-smoking', 'es')}” as it will print: "
                                     "Spanish, standard print, body text 13 pt, 1 page; prepared for Zoë Ångström")
    assert "“Preventing Falls” as it will print: English" in pictures[1][3]
    notice = re.search(r'id="language-notice" role="alert"[^>]*>([^<]*)<', html)[1]
    assert notice == "Preventing Falls has no Spanish version, so it will print in English."
    assert 'value="Zoë Ångström"' in html and re.search(r'value="preventing-falls"\s+checked', html)


def test_a_preview_of_every_topic_fits_within_the_pages_output_bound(page_client, shipped: Paths) -> None:
    """Render's bound on a template's output is a handout's; the page, with a picture per
    topic in its text, has its own."""
    topics = sorted({path.name.split(".")[0] for path in shipped.content.glob("*.yaml")})
    response = post(page_client, "/preview", topic=topics, name="Ana")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(html) > 1_000_000
    assert html.count('<img src="data:image/png;base64,') == len(topics)


def test_print_opens_the_pdf_inline_with_the_print_dialog_at_full_size(page_client) -> None:
    response = post(page_client, "/print", topic="diet-vitamin-d")
    assert response.headers["Content-Disposition"] == 'inline; filename="diet-vitamin-d.pdf"'
    root = PdfReader(io.BytesIO(response.data)).trailer["/Root"]
    assert root["/OpenAction"]["/S"] == "/JavaScript" and "this.print(" in root["/OpenAction"]["/JS"]
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) and root["/Lang"] == "en"


def test_the_web_page_version_is_the_handouts_html_with_its_own_strict_policy(page_client, shipped: Paths) -> None:
    response = post(page_client, "/web-page", topic="quit-smoking", name="Ana Díaz", language="es", large_print="on")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html" and "Content-Disposition" not in response.headers
    assert html.startswith('<!DOCTYPE html>\n<html lang="es">') and re.search(f"<h1[^>]*>{title(shipped, 'quit-smoking', 'es')}</h1>", html)
    assert "Ana Díaz" in html and "<script" not in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'; img-src data:; style-src 'unsafe-inline'")
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Content-Type-Options"] == "nosniff"
    several = post(page_client, "/web-page", topic=["quit-smoking", "diet-vitamin-d"])
    assert several.status_code == 422
    assert 'id="topics-error" role="alert">The web page version shows one handout: choose just one topic.' in several.get_data(as_text=True)


@pytest.mark.parametrize("fields, field, message", [
    ({}, "topics", "Choose at least one topic"),
    ({"topic": "../../etc/passwd"}, "topics", "no longer in the library"),
    ({"topic": "quit-smoking", "name": "王小明"}, "name", "cannot print “王”, “小”, “明”. Write it with other letters"),
    ({"topic": "quit-smoking", "clinician": "Dr.\u200bLee"}, "clinician", "an invisible character (U+200B)"),
    ({"topic": "quit-smoking", "note": "x" * 301}, "note", "keep it to 300"),
    ({"topic": "quit-smoking", "language": "fr"}, "language", "Choose a language from the list"),
    ({"topic": "quit-smoking", "paper": "legal"}, "paper", "Choose Letter or A4"),
])
def test_a_mistake_comes_back_in_plain_words_next_to_its_field(page_client, fields, field, message) -> None:
    for path in ("/download", "/preview", "/print", "/web-page"):
        response = post(page_client, path, **fields)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and response.mimetype == "text/html"
        error = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', html)
        assert error and message in error[1].replace("&#39;", "'")
        assert f'aria-describedby="{field}-error' in html or f'aria-describedby="{field}-hint {field}-error"' in html
        assert f'<a href="#{field}">' in html  # the summary at the top links to the field


def test_a_handout_that_cannot_be_built_says_why_next_to_the_buttons(page_client, shipped: Paths) -> None:
    long_topic = MINIMAL_TOPIC.replace("      - Another thing to do.", "\n".join(["      - A thing to do today."] * 80))
    write_topic(shipped.content.parent, "too-long.yaml", long_topic)
    response = post(page_client, "/download", topic="too-long")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="build-error" role="alert">The handout could not be made: [^<]*does not fit', html)


def test_an_unexpected_error_is_one_line_on_the_page_as_build_says_it(page_client, monkeypatch, caplog) -> None:
    import handouts.pipeline

    def draw(*args: object) -> bytes:
        return 1 // 0  # type: ignore[return-value]

    monkeypatch.setattr(handouts.pipeline, "draw_handout", draw)
    response = post(page_client, "/download", topic="quit-smoking", name="Ana Díaz")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert re.search(r'id="build-error" role="alert">The handout could not be made: internal error while making the '
                     r"handout: ZeroDivisionError in pipeline\.py, line \d+ \(run with --debug for details\)<", html)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]  # no traceback in the log


def test_the_library_reloads_when_a_content_or_clinic_file_changes(page_client, shipped: Paths) -> None:
    assert "Alcohol &amp; Your Bones" in page_client.get("/").get_data(as_text=True)
    topic = shipped.content / "alcohol-and-bones.yaml"
    _edit(topic, topic.read_text().replace("title: Alcohol & Your Bones", "title: Alcohol and Your Bones"))
    assert "Alcohol and Your Bones" in page_client.get("/").get_data(as_text=True)

    original, csrf = shipped.clinic_file.read_text(), token(page_client.get("/").get_data(as_text=True))
    _edit(shipped.clinic_file, original.replace("phone:", "phones:"))
    broken = page_client.get("/")
    assert broken.status_code == 503
    assert re.search(r'<div class="problem" role="alert">.*clinic.yaml, line \d+: unknown key &#39;phones&#39;',
                     broken.get_data(as_text=True), re.S)
    assert page_client.post("/download", data={"csrf": csrf, "topic": "quit-smoking"}).status_code == 503

    _edit(shipped.clinic_file, original.replace("Riverside Spine & Bone Clinic", "Lakeside Bone Clinic"))
    assert "Lakeside Bone Clinic" in pdf_text(post(page_client, "/download", topic="quit-smoking").data)


def test_a_broken_topic_is_shown_with_its_problem_and_the_rest_still_build(page_client, shipped: Paths) -> None:
    _edit(shipped.content / "preventing-falls.yaml", "title: [unclosed\n")
    html = page_client.get("/").get_data(as_text=True)
    assert re.search(r'Cannot be made until this is fixed: [^<]*preventing-falls.yaml, line 2: YAML syntax error', html)
    refused = post(page_client, "/download", topic="preventing-falls").get_data(as_text=True)  # never Spanish instead
    assert 'id="topics-error" role="alert">A topic you chose cannot be made in this language until its file is fixed' in refused
    assert title(shipped, "preventing-falls", "es") in pdf_text(post(page_client, "/download", topic="preventing-falls", language="es").data)
    assert post(page_client, "/download", topic="quit-smoking").status_code == 200


def _edit(path: Path, text: str) -> None:
    """Write ``text`` and move the modification time on, as an editor's save does."""
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    later = max(path.stat().st_mtime_ns, stamp + 1_000_000)  # a coarse clock may not have moved
    os.utime(path, ns=(later, later))
