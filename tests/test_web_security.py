"""The page's safety rules, through Flask's test page_client and a real waitress server."""

from __future__ import annotations

import base64
import io
import logging
import re
import tempfile

import pytest
from pypdf import PdfReader

from handouts.errors import HandoutError
from handouts.web.app import WebConfig
from handouts.web.library import Paths
from handouts.web.serve import serve
from tests.helpers import run
from tests.web_support import Visitor, app_for, copy_project, live_server, pdf_text, post, token

NAME = "Zoë Ångström"


def test_every_response_forbids_caching_framing_sniffing_and_other_sites(page_client) -> None:
    responses = [page_client.get("/"), page_client.get("/static/page.css"), page_client.get("/nowhere"),
                 post(page_client, "/download", topic="quit-smoking", name=NAME), post(page_client, "/preview", name=NAME)]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 422]
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'self';") and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "script-src" not in policy  # scripts: this server's files only
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_page_needs_no_inline_script_or_style_for_its_policy(page_client) -> None:
    html = page_client.get("/").get_data(as_text=True)
    assert re.findall(r"<script[^>]*>", html) == ['<script src="static/page.js" defer>']
    assert " style=" not in html and "<style" not in html and "http://" not in html and "https://" not in html


def test_a_link_in_the_static_folder_to_a_file_outside_it_is_not_served(tmp_path) -> None:
    shipped = copy_project(tmp_path / "project")
    secret = tmp_path / "outside.txt"
    secret.write_text("a file outside the project", encoding="utf-8")
    static = shipped.page_templates / "static"
    (static / "notes.txt").symlink_to(secret)
    (static / "up").symlink_to(tmp_path, target_is_directory=True)
    (static / "style.css").symlink_to(static / "page.css")  # a link that stays inside is fine
    client = app_for(shipped).test_client()
    for name in ("notes.txt", "up/outside.txt", "../../clinic.yaml", "%2e%2e/%2e%2e/clinic.yaml", "nowhere.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 404, name
        assert b"outside the project" not in response.data and b"clinic" not in response.data
    served = client.get("/static/style.css")
    assert served.status_code == 200 and served.data == (static / "page.css").read_bytes()
    assert client.get("/static/page.js").data == (static / "page.js").read_bytes()


def test_a_post_without_the_sessions_token_is_refused_and_builds_nothing(page_client, shipped: Paths) -> None:
    other = app_for(shipped).test_client()
    stolen = token(other.get("/").get_data(as_text=True))
    page_client.get("/")
    for fields in ({}, {"csrf": "guess"}, {"csrf": stolen}):
        response = page_client.post("/download", data={"topic": "quit-smoking", "name": NAME, **fields})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert "This page was out of date" in html and NAME not in html  # nothing from the form is shown back


def test_a_password_is_asked_for_and_compared(shipped: Paths) -> None:
    guarded = app_for(shipped, password="correct horse").test_client()
    refused = guarded.get("/")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith('Basic realm="handouts"')
    assert guarded.get("/", headers=_basic("staff", "wrong")).status_code == 401
    assert guarded.post("/download", headers=_basic("staff", "wrong")).status_code == 401
    assert guarded.get("/", headers=_basic("any name", "correct horse")).status_code == 200


def test_serving_beyond_this_computer_needs_a_password(shipped: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_WEB_PASSWORD", raising=False)
    for host in ("0.0.0.0", "192.168.1.20", "::", "clinic-pc"):
        with pytest.raises(HandoutError, match="set a password first .export HANDOUTS_WEB_PASSWORD"):
            serve(WebConfig(shipped), host, 0, print)
    monkeypatch.chdir(shipped.content.parent)
    result = run("serve", "--host", "0.0.0.0", "--port", "0")
    assert result.code == 1 and "HANDOUTS_WEB_PASSWORD" in result.output


def test_on_loopback_without_a_password_only_loopback_host_names_are_answered(page_client, shipped: Paths) -> None:
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.1.1:8000", "LocalHost:8000"):
        assert page_client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("attacker.example:8000", "localhost.attacker.example", "127.0.0.1.attacker.example", "[::2]:8000"):
        assert page_client.get("/", headers={"Host": host}).status_code == 400, host  # DNS rebinding
    with_password = app_for(shipped, password="pw").test_client()
    assert with_password.get("/", headers={"Host": "clinic.example", **_basic("x", "pw")}).status_code == 200


def test_request_bodies_are_capped(page_client) -> None:
    response = post(page_client, "/download", topic="quit-smoking", note="x" * 70_000)
    assert response.status_code == 413 and "larger than 64 KB" in response.get_data(as_text=True)


def test_patient_data_is_never_in_a_url_or_a_log(page_client, caplog: pytest.LogCaptureFixture) -> None:
    html = page_client.get("/").get_data(as_text=True)
    assert re.findall(r"<form[^>]*>", html) == ['<form method="post" action="preview#preview" class="order" data-order novalidate>']
    assert all("?" not in target for target in re.findall(r'(?:action|formaction)="([^"]*)"', html))
    caplog.set_level(logging.DEBUG)
    fields = {"topic": "quit-smoking", "name": NAME, "clinician": "Dr. Q", "note": "Walk daily", "follow_up": "May 4"}
    for path in ("/download", "/preview", "/print"):
        post(page_client, path, **fields)
    post(page_client, "/download", **{**fields, "name": f"{NAME} 王"})  # an error names the character, not the name
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    assert "POST /download 200" in logged and "POST /download 422" in logged
    for value in fields.values():
        assert value == "quit-smoking" or value not in logged


def test_waitress_keeps_bodies_in_memory_and_every_pdf_reaches_its_patient(shipped: Paths, monkeypatch) -> None:
    """A packet of every topic in large print, under a real server, with temporary files forbidden."""
    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was opened while serving a patient's PDF")
    with live_server(app_for(shipped)) as server:
        visitor = Visitor(server.port)
        visitor.open_page()
        for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp"):
            monkeypatch.setattr(tempfile, name, no_disk)
        topics = [("topic", slug) for slug in ("alcohol-and-bones", "bone-density-test", "diet-vitamin-d",
                                              "exercise-and-spine-safety", "fracture-warning-signs")]
        status, headers, data = visitor.post("/download", [*topics, ("name", NAME), ("large_print", "on")])
        visitor.close()
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert len(PdfReader(io.BytesIO(data)).pages) == 10 and NAME in pdf_text(data)


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
