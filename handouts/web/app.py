"""The page's Flask application, made by a factory (no global app: a test makes as many as it
needs, each with its own content folder and clinic file).

One page and one form. Its buttons post the same form to different addresses: ``preview``
shows it again with the first page of each handout; ``download`` and ``print`` answer with
the PDF (print opens it in a new tab, ready to print); ``web-page`` with one handout's HTML
version; ``email`` sends it when the clinic has email. A form with a mistake comes back with
a plain error next to the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request, send_from_directory
from werkzeug.exceptions import RequestEntityTooLarge

from ..confine import confined
from ..errors import HandoutError, internal_error
from ..layout import PAPERS
from ..email.send import OUTBOX
from ..render import environment, render_page
from . import make
from .library import Library, Paths, Shelf
from .mail import email_order, email_ready
from .order import TEXT_FIELDS, Choices, Order, order_of, read_choices
from .security import HANDOUT_PAGE_POLICY, MAX_BODY, ExpiredForm, csrf_token, protect

PAGE = "page.html.j2"
STATIC = "static"
"""The folder beside the page's template with the files it links to (``static/page.css``)."""
PAGE_MAX_OUTPUT = 100_000_000
"""Most characters the page may be: it carries each chosen handout's preview picture in its
own text (about 270,000 characters each), so the bound of a handout's page is far too low."""


@dataclass(frozen=True)
class WebConfig:
    """What a running page needs: the project's files, the password (None on loopback only),
    and the folder of the email delivery log (as for ``build.py email``)."""

    paths: Paths
    password: str | None = None
    outbox: Path = OUTBOX


def create_app(config: WebConfig) -> Flask:
    """The page over the project in ``config.paths``; the library loads on the first request."""
    app = Flask(__name__, static_folder=None)
    views = _Views(config, Shelf(config.paths))
    app.extensions["handouts"] = views.shelf
    protect(app, config.password)
    app.add_url_rule("/", "index", views.index)
    app.add_url_rule("/static/<path:name>", "static", views.static_file)
    app.add_url_rule("/preview", "preview", lambda: views.handle(views.preview), methods=["POST"])
    app.add_url_rule("/download", "download", lambda: views.handle(views.download), methods=["POST"])
    app.add_url_rule("/print", "print", lambda: views.handle(views.print_ready), methods=["POST"])
    app.add_url_rule("/web-page", "web_page", lambda: views.handle(views.web_page), methods=["POST"])
    app.add_url_rule("/email", "email", views.email, methods=["POST"])
    app.register_error_handler(ExpiredForm, lambda error: views.page(views.shelf.library(), Choices(), 400, expired=True))
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    return app


Answer = Callable[[Library, Choices, Order], Response]


class _Views:
    """The page's views over one shelf; builds hold the shelf's lock, nothing else does."""

    def __init__(self, config: WebConfig, shelf: Shelf) -> None:
        self.config, self.shelf = config, shelf
        self.env = environment(config.paths.page_templates)

    def index(self) -> Response:
        return self.page(self.shelf.library(), Choices())

    def static_file(self, name: str) -> Response:
        """A file of the page's ``static`` folder (its style sheet, its script). Flask's own
        static view refuses ``..`` but follows links, so a link put in the folder could serve
        any file on the disk: the one rule for files a template may use decides instead."""
        folder = self.config.paths.page_templates / STATIC
        path = confined(folder / name, [folder])
        if path is None or not path.is_file():
            abort(404)
        return send_from_directory(folder.resolve(), path.relative_to(folder.resolve()))

    def handle(self, answer: Answer) -> Response:
        """Read the form; show it again with its errors, or answer it."""
        library = self.shelf.library()
        if library.project is None:
            return self.page(library, Choices())
        emailing = request.path == "/email"
        choices = read_choices(request.form, library, email=emailing and self.email_ready(library))
        if choices.errors:
            return self.page(library, choices, 422)
        order = order_of(choices, library)
        try:
            return answer(library, choices, order)
        except Exception as error:  # a bug is one line, as build and check say it; --debug logs the traceback
            known = isinstance(error, HandoutError)
            doing = "emailing the handouts" if emailing else "making the handout"
            shown = error if known else internal_error(error, doing)
            failed = "The email was not sent" if emailing else "The handout could not be made"
            return self.page(library, choices, 422 if known else 500, build_error=f"{failed}: {shown}",
                             fallbacks=order.fallbacks)

    def preview(self, library: Library, choices: Choices, order: Order) -> Response:
        with self.shelf.lock:
            shown = make.previews(library, order)
        return self.page(library, choices, previews=shown, fallbacks=order.fallbacks)

    def download(self, library: Library, choices: Choices, order: Order) -> Response:
        return _pdf_response(self.built(library, order), "attachment")

    def print_ready(self, library: Library, choices: Choices, order: Order) -> Response:
        built = self.built(library, order)
        return _pdf_response(make.Download(make.print_ready(built.data), built.filename), "inline")

    def web_page(self, library: Library, choices: Choices, order: Order) -> Response:
        if len(order.versions) != 1:
            mistake = {"topics": "The web page version shows one handout: choose just one topic."}
            return self.page(library, dataclasses.replace(choices, errors=mistake), 422)
        with self.shelf.lock:
            html = make.web_page(library, order)
        return Response(html, 200, mimetype="text/html", headers={"Content-Security-Policy": HANDOUT_PAGE_POLICY})

    def email(self) -> Response:
        if not self.email_ready(self.shelf.library()):
            return self.page(self.shelf.library(), Choices(), 404)
        return self.handle(self.send)

    def send(self, library: Library, choices: Choices, order: Order) -> Response:
        assert library.project
        with self.shelf.lock:  # it builds, then sends: other builds wait for the mail server
            sent = email_order(library.project, self.config.paths.content, order, choices.email, self.config.outbox)
        return self.page(library, choices, 200 if sent.delivered else 502, sent=sent, fallbacks=order.fallbacks)

    def built(self, library: Library, order: Order) -> make.Download:
        with self.shelf.lock:
            return make.pdf(library, order)

    def email_ready(self, library: Library) -> bool:
        return library.project is not None and email_ready(library.project)

    def page(self, library: Library, choices: Choices, status: int = 200, **shown: Any) -> Response:
        """The page: the library, the form as filled in, and what to show (previews, errors …)."""
        context = {"library": library, "choices": choices, "csrf": csrf_token(), "email": self.email_ready(library),
                   "limits": TEXT_FIELDS, "papers": list(PAPERS), "previews": [], "fallbacks": (), "sent": None,
                   "build_error": None, "expired": False, **shown}
        try:
            html = render_page(self.env, context, PAGE, max_output=PAGE_MAX_OUTPUT)
        except HandoutError as error:
            return Response(f"The page's template has a problem: {error}\n", 500, mimetype="text/plain")
        return Response(html, 503 if library.problem else status, mimetype="text/html")


def _pdf_response(download: make.Download, disposition: str) -> Response:
    return Response(download.data, 200, mimetype="application/pdf",
                    headers={"Content-Disposition": f'{disposition}; filename="{download.filename}"'})


def _too_large(error: RequestEntityTooLarge) -> Response:
    return Response(f"The form was larger than {MAX_BODY // 1024} KB, which no handout needs. "
                    "Go back and shorten the note.\n", 413, mimetype="text/plain")
