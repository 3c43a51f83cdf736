"""Helpers for the page's tests: a copy of the shipped project, an app over it, a live server."""

from __future__ import annotations

import http.client
import io
import re
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from handouts.web.app import WebConfig, create_app
from handouts.web.library import Paths
from handouts.web.serve import make_server
from tests.helpers import ROOT

TIMEOUT = 30
"""Seconds any request of a test may take before it fails (no test may hang)."""


UNTRANSLATED = "preventing-falls"
"""The topic a test copy may leave without its Spanish file, as a library still being translated is."""


def copy_project(folder: Path, *, untranslated: str | None = None) -> Paths:
    """The shipped content, templates and clinic file, copied into ``folder`` (without
    ``untranslated``'s Spanish file when it is given)."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "clinic.yaml", folder / "clinic.yaml")
    if untranslated:
        (folder / "content" / f"{untranslated}.es.yaml").unlink()
    return Paths(folder / "content", folder / "templates", folder / "clinic.yaml")


def title(paths: Paths, slug: str, language: str = "en") -> str:
    """A topic's title as its content file has it."""
    name = f"{slug}.yaml" if language == "en" else f"{slug}.{language}.yaml"
    return str(yaml.safe_load((paths.content / name).read_text(encoding="utf-8"))["title"])


def app_for(paths: Paths, **config: Any) -> Flask:
    app = create_app(WebConfig(paths, **config))
    app.testing = True
    return app


def token(html: str) -> str:
    """The CSRF token in a page's form."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found[1]


def post(client: FlaskClient, path: str, **fields: Any) -> Any:
    """POST the page's form to ``path`` with its token, as the browser does."""
    page = client.get("/")
    return client.post(path, data={"csrf": token(page.get_data(as_text=True)), **fields})


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@dataclass
class LiveServer:
    url: str
    port: int
    paths: Paths


@contextmanager
def live_server(app: Flask) -> Iterator[LiveServer]:
    """``app`` served by waitress, as ``build.py serve`` does, on 127.0.0.1 at a free port."""
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.effective_port}/", server.effective_port, app.extensions["handouts"].paths)
    finally:
        server.close()
        thread.join(TIMEOUT)


class Visitor:
    """One person's browser session over plain HTTP: a connection, the cookie and the token."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.cookie = ""
        self.csrf = ""

    def open_page(self) -> None:
        self.connection.request("GET", "/")
        response = self.connection.getresponse()
        html = response.read().decode()
        assert response.status == 200, html
        self.cookie = response.getheader("Set-Cookie", "").split(";")[0]
        self.csrf = token(html)

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode([("csrf", self.csrf), *fields])
        self.connection.request("POST", path, body, {"Cookie": self.cookie,
                                                      "Content-Type": "application/x-www-form-urlencoded"})
        response = self.connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    def close(self) -> None:
        self.connection.close()
