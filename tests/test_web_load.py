"""Under load the page keeps answering: 20 users at once each get their own, correct PDF.

Timing is measured by ``python -m bench.web``, not here; this checks only that every answer
is right while 20 requests compete for the server (a real waitress server on 127.0.0.1).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from pypdf import PdfReader

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
