"""*Email to patient* on the page, through a real SMTP server on 127.0.0.1 (tests/smtp_server.py:
aiosmtpd, STARTTLS on a trustme certificate, a login), as the email channel's own tests send."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

from handouts.web.library import Paths
from tests.browser import axe_violations
from tests.helpers import write_topic
from tests.smtp_server import PASSWORD
from tests.test_email import parts
from tests.test_smtp import use_server
from tests.web_support import app_for, live_server, pdf_text, post, title

ADDRESS = "ana@example.org"


def test_the_button_is_there_only_when_the_clinic_file_sets_up_email(page_client, shipped: Paths, mail_server) -> None:
    assert "Email to patient" not in page_client.get("/").get_data(as_text=True)
    assert post(page_client, "/email", topic="quit-smoking", email=ADDRESS).status_code == 404
    use_server(shipped.clinic_file.parent, mail_server())
    html = page_client.get("/").get_data(as_text=True)  # the clinic file is read again: no restart
    assert '<button type="submit" formaction="email">Email to patient</button>' in html
    assert '<label for="email">Patient’s email address</label>' in html


def test_nothing_is_emailed_in_a_language_without_labels(shipped: Paths, mail_server, tmp_path: Path) -> None:
    """A French topic that ``build`` refuses (labels.yaml has no fr block) is not offered, so never sent."""
    server = mail_server()
    use_server(shipped.clinic_file.parent, server)
    write_topic(shipped.content.parent, "quit-smoking.fr.yaml")
    client = app_for(shipped, outbox=tmp_path / "outbox").test_client()
    refused = post(client, "/email", topic="quit-smoking", language="fr", email=ADDRESS)
    assert refused.status_code == 422 and "Choose a language from the list" in refused.get_data(as_text=True)
    assert server.received == [] and not list(tmp_path.rglob("*.eml"))


def test_the_page_emails_the_patients_handouts_once(shipped: Paths, mail_server, tmp_path: Path) -> None:
    server = mail_server()
    use_server(shipped.clinic_file.parent, server)
    client = app_for(shipped, outbox=tmp_path / "outbox").test_client()
    fields = {"topic": ["quit-smoking", "diet-vitamin-d"], "name": "Ana Díaz", "language": "es", "email": ADDRESS}

    wrong = post(client, "/email", **{**fields, "email": "ana@"})
    assert wrong.status_code == 422 and server.received == []
    assert 'id="email-error" role="alert">Type the patient&#39;s email address' in wrong.get_data(as_text=True)

    sent = post(client, "/email", **fields)
    assert sent.status_code == 200
    assert '<div class="done" role="status" id="sent"><p>The message: accepted by the mail server.</p>' in sent.get_data(as_text=True)
    [received] = server.received
    assert received.rcpt_tos == [ADDRESS] and received.tls and received.authenticated
    _, _, attached = parts(received.message)
    assert sorted(attached) == ["diet-vitamin-d.es.pdf", "quit-smoking.es.pdf"]
    assert "Ana Díaz" in pdf_text(attached["quit-smoking.es.pdf"])
    assert title(shipped, "quit-smoking", "es") in pdf_text(attached["quit-smoking.es.pdf"])

    again = post(client, "/email", **fields)  # a second click, or the browser sending the form again
    assert "already sent to this address; nothing was sent again" in again.get_data(as_text=True)
    assert len(server.received) == 1
    with sqlite3.connect(tmp_path / "outbox" / "deliveries.sqlite") as log:  # the clinic's record, on purpose
        assert log.execute("SELECT recipient, outcome FROM deliveries").fetchall() == [(ADDRESS, "accepted")]


def test_a_refusal_and_a_wrong_login_are_said_plainly(shipped: Paths, mail_server, tmp_path: Path, monkeypatch) -> None:
    use_server(shipped.clinic_file.parent, mail_server(refuse={ADDRESS}))
    client = app_for(shipped, outbox=tmp_path / "outbox").test_client()
    refused = post(client, "/email", topic="quit-smoking", email=ADDRESS)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 502
    assert re.search(r'<div class="banner" role="alert" id="sent"><p>The message: refused by the mail server: 550', html)

    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "not-the-Pa55word")
    failed = post(client, "/email", topic="diet-vitamin-d", email="bo@example.org")
    html = failed.get_data(as_text=True)
    assert failed.status_code == 422 and 'id="build-error" role="alert">The email was not sent: ' in html
    assert "refused the user name or password" in html and "not-the-Pa55word" not in html and PASSWORD not in html


def test_in_the_browser_the_result_is_shown_and_passes_axe(browser, shipped: Paths, mail_server, tmp_path: Path) -> None:
    server = mail_server()
    use_server(shipped.clinic_file.parent, server)
    with live_server(app_for(shipped, outbox=tmp_path / "outbox")) as running:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(running.url)
            page.get_by_role("checkbox", name="Quit Smoking for Stronger Bones", exact=True).check()
            page.get_by_role("textbox", name="Patient name", exact=True).fill("Ana Díaz")
            page.get_by_role("textbox", name="Patient’s email address", exact=True).fill("ana@")
            page.get_by_role("button", name="Email to patient", exact=True).click()
            expect(page.locator("#email-error")).to_have_text("Type the patient's email address, like name@example.com.")
            assert axe_violations(page) == []
            page.get_by_role("textbox", name="Patient’s email address", exact=True).fill(ADDRESS)
            page.get_by_role("button", name="Email to patient", exact=True).click()
            expect(page.get_by_role("status").filter(has_text="The message")).to_have_text(
                "The message: accepted by the mail server.")
            assert axe_violations(page) == []
        finally:
            context.close()
    assert [received.rcpt_tos for received in server.received] == [[ADDRESS]]
