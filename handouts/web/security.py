"""Safe by default: the rules every request passes, because patients' names pass through.

- **A password** (``HANDOUTS_WEB_PASSWORD``; required when the page is served beyond this
  computer) through HTTP basic auth, compared in constant time.
- **CSRF**: every POST must carry the token of the visitor's session, kept in a signed
  cookie that holds nothing else; another site's form cannot make handouts.
- **Headers**: a Content-Security-Policy that allows only this server (and, for the preview
  picture, ``data:`` images), no framing, no MIME sniffing, no referrer, and ``no-store`` on
  every response, so no browser or proxy keeps a page or PDF with a name on it.
- **Bodies** are capped (:data:`MAX_BODY`); without a password, only loopback host names are
  answered, so a web page elsewhere cannot reach the server through DNS rebinding.
- **The access log** has method, path and status only; patient data is never in a URL.
"""

from __future__ import annotations

import hmac
import logging
import secrets

from flask import Flask, Response, request, session
from werkzeug.exceptions import BadRequest

from ..model import is_loopback

PASSWORD_VARIABLE = "HANDOUTS_WEB_PASSWORD"

MAX_BODY = 64 * 1024
"""The largest request body taken: the form is a few hundred bytes; the note at most 300 characters."""

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")

HANDOUT_PAGE_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
                       "form-action 'none'; frame-ancestors 'none'")
"""A handout's HTML version carries its style inside it and runs no script: it may load nothing at all."""

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

access_log = logging.getLogger("handouts.web")


class ExpiredForm(BadRequest):
    """A POST without its session's token: another site's form, or a page from before a restart."""


def protect(app: Flask, password: str | None) -> None:
    """Apply every rule above to ``app``; ``password`` None leaves the page open to this computer only."""
    app.secret_key = secrets.token_bytes(32)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, MAX_FORM_MEMORY_SIZE=MAX_BODY, SESSION_COOKIE_NAME="handouts",
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)

    @app.before_request
    def check() -> Response | None:
        if not password and not is_loopback(_host_name(request.host)):
            raise BadRequest("This page answers only to 127.0.0.1 or localhost.")
        if password and not _password_matches(password):
            return Response("The handouts page needs its password.\n", 401, mimetype="text/plain",
                            headers={"WWW-Authenticate": 'Basic realm="handouts", charset="UTF-8"'})
        if request.method == "POST" and not _token_matches(request.form.get("csrf", "")):
            raise ExpiredForm()
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)  # or a view's stricter one
        access_log.info("%s %s %s", request.method, request.path, response.status_code)
        return response


def csrf_token() -> str:
    """The session's token for the page's form (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _host_name(host: str) -> str:
    """``[::1]:8000`` -> ``::1``, ``localhost:8000`` -> ``localhost``: the Host header without its port."""
    return host[1:].partition("]")[0] if host.startswith("[") else host.partition(":")[0]


def _token_matches(sent: str) -> bool:
    expected = session.get("csrf")
    return bool(expected) and hmac.compare_digest(sent.encode(), str(expected).encode())


def _password_matches(password: str) -> bool:
    """Any user name; the password compared in constant time."""
    given = request.authorization.password if request.authorization else None
    return given is not None and hmac.compare_digest(given.encode(), password.encode())
