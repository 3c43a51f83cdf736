"""Under load the page keeps answering: 20 users at once each get their own, correct PDF; a
template that would run for ever is stopped, and the next request is answered.

Timing is measured by ``python -m bench.web``, not here; this checks only that every answer
is right while 20 requests compete for the server (a real waitress server on 127.0.0.1).
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.test_hostile import SLOW
from tests.test_smtp import use_server
from tests.web_support import TIMEOUT, Visitor, app_for, copy_project, live_server, pdf_text, title

USERS = 20


def test_twenty_users_at_once_each_get_their_own_handout(tmp_path: Path) -> None:
    answers: dict[int, list[tuple[int, bytes]]] = {user: [] for user in range(USERS)}
    paths = copy_project(tmp_path)
    phrases = (title(paths, "quit-smoking"), title(paths, "quit-smoking", "es"))
    with live_server(app_for(paths)) as server:
        visitors = [Visitor(server.port) for _ in range(USERS)]
        for visitor in visitors:
            visitor.open_page()
        start = threading.Barrier(USERS, timeout=TIMEOUT)

        def user(number: int) -> None:
            start.wait()
            topics = [("topic", "quit-smoking")] + ([("topic", "preventing-falls")] if number % 2 else [])
            for language in ("en", "es"):
                status, _, data = visitors[number].post("/download", [*topics, ("name", f"Patient {number:02d}"),
                                                                       ("language", language)])
                answers[number].append((status, data))

        threads = [threading.Thread(target=user, args=(number,)) for number in range(USERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 4)
        for visitor in visitors:
            visitor.close()
    assert not any(thread.is_alive() for thread in threads)
    for number, got in answers.items():
        assert [status for status, _ in got] == [200, 200], number
        for (_, data), phrase in zip(got, phrases):
            assert len(PdfReader(io.BytesIO(data)).pages) == 1 + number % 2
            text = pdf_text(data)
            assert f"Patient {number:02d}" in text and phrase in text


@pytest.mark.parametrize(("template", "when", "button", "answer", "says"), [
    ("handout.html.j2", "patient.name", "/download", 422, "The handout could not be made: {where}"),
    ("web/page.html.j2", "choices.value('name')", "/preview", 500, "The page's template has a problem: {where}"),
    ("email.txt.j2", "greeting", "/email", 502, "The message: not sent: {where}"),
], ids=["handout", "page", "email"])
def test_a_template_that_runs_too_long_is_stopped_and_the_next_request_is_answered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mail_server, template: str, when: str, button: str,
        answer: int, says: str) -> None:
    """Builds hold the page's one lock: a template that never ended would keep every later
    handout from being made until the server restarted."""
    from handouts import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    paths = copy_project(tmp_path)
    use_server(tmp_path, mail_server())
    hostile = paths.templates / template
    hostile.write_text(f"{{% if 'Loop Forever' in {when} %}}{SLOW}{{% endif %}}\n" + hostile.read_text(encoding="utf-8"),
                       encoding="utf-8")
    with live_server(app_for(paths, outbox=tmp_path / "outbox")) as server:
        visitor = Visitor(server.port)
        visitor.open_page()
        fields = [("topic", "quit-smoking"), ("email", "ana@example.org")]
        started = time.monotonic()
        status, _, body = visitor.post(button, [*fields, ("name", "Loop Forever")])
        took = time.monotonic() - started
        assert status == answer and took < 10
        expected = says.format(where=f"{hostile}, line 1: ") + "the template took more than 1 s to render"
        assert expected in body.decode()
        status, headers, body = visitor.post(button, [*fields, ("name", "Ana Díaz")])
        visitor.close()
    assert status == 200
    assert "Ana Díaz" in (pdf_text(body) if headers["Content-Type"] == "application/pdf" else body.decode())
