"""``build.py serve``: the page, served by waitress (a production WSGI server, pure Python).

The server loads the library before it answers, so the first visitor does not wait and a
broken clinic file is reported in the terminal at once. Waitress is told to keep request and
response bodies in memory (it would spill large ones to temporary files): a PDF with a
patient's name never reaches the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..errors import HandoutError
from ..model import is_loopback
from .app import WebConfig, create_app
from .library import Shelf
from .security import MAX_BODY, PASSWORD_VARIABLE

THREADS = 8
"""Requests answered at once; builds take turns (see :mod:`.library`), the page never waits."""

IN_MEMORY = 64 * 1024 * 1024
"""Responses up to this size stay in memory: far above the largest packet (all topics, large print)."""


def serve(config: WebConfig, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve the page on ``host``:``port`` until Ctrl-C; refuse to open it to others without a password."""
    if not is_loopback(host) and not config.password:
        raise HandoutError(f"the page would be open to other computers at {host}; set a password first "
                           f"(export {PASSWORD_VARIABLE}=…) and put the clinic's HTTPS proxy in front of it")
    app = create_app(config)
    library = _shelf(app).library()
    if library.problem:
        say(f"warning: {library.problem}\nThe page shows this until the file is fixed.")
    server = make_server(app, host, port)
    say(f"Serving {len(library.topics)} topics at {address(host, server.effective_port)} — open it in a browser. "
        "Ctrl-C stops.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    try:
        server.run()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.close()


def make_server(app: Any, host: str, port: int) -> Any:
    """A waitress server for ``app``, not yet running; ``port`` 0 picks a free one."""
    from waitress import create_server

    try:
        return create_server(app, host=host, port=port, threads=THREADS, ident="handouts",
                             max_request_body_size=MAX_BODY, inbuf_overflow=IN_MEMORY, outbuf_overflow=IN_MEMORY)
    except OSError as error:
        raise HandoutError(f"cannot listen on {host} port {port} ({error.strerror}); "
                           "another program may be using it: try --port 8001") from None


def address(host: str, port: int) -> str:
    """``http://127.0.0.1:8000``, ``http://[::1]:8000``."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _shelf(app: Any) -> Shelf:
    return app.extensions["handouts"]
