"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, STARTTLS on a certificate made by
trustme, AUTH required (and only over TLS), with faults to order.

Every message the server accepts is kept as received (envelope and bytes). The faults are
the ones a clinic's server really produces: ``defer`` answers 451 to the first N messages,
``refuse`` answers 550 for some addresses, ``per_connection`` hangs up after that many
messages on one connection, and ``hold`` keeps the Nth message waiting (after its DATA,
before the reply) until the test says ``release``: the moment a run can be killed in flight.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "frontdesk", "Tr0ub4dor&3-secret"
WAIT = 20.0
"""Seconds any wait in these tests may take before it fails instead of hanging."""


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class Faults:
    defer: int = 0
    refuse: set[str] = field(default_factory=set)
    per_connection: int = 0
    hold: int = 0


class Handler:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.received: list[Received] = []
        self.clients: set[object] = set()
        """The connections that sent mail, by the client's address and port."""
        self.data_seen = 0
        self.held = threading.Event()
        self.released = threading.Event()

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.faults.per_connection and getattr(session, "accepted", 0) >= self.faults.per_connection:
            server.transport.close()  # hang up, as a server limiting messages per connection does
            return "421 4.7.0 Too many messages on this connection"
        self.clients.add(session.peer)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.faults.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_seen += 1
        if self.data_seen <= self.faults.defer:
            return "451 4.3.0 Mail server temporarily rejected message"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                      session.ssl is not None, bool(session.authenticated)))
        session.accepted = getattr(session, "accepted", 0) + 1
        if self.data_seen == self.faults.hold:
            self.held.set()
            deadline = time.monotonic() + WAIT
            while not self.released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return "250 2.0.0 OK: queued"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == USER.encode() and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class _LoopbackController(Controller):
    """aiosmtpd's Controller on a port the system picks (port 0), read back once listening."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class MailServer:
    """The server, started on 127.0.0.1; ``stop`` it (the fixture does). It offers STARTTLS
    and takes a login only after it, or with ``implicit_tls`` speaks TLS from the start."""

    def __init__(self, tls: ssl.SSLContext, faults: Faults, implicit_tls: bool = False) -> None:
        self.handler = Handler(faults)
        encryption = ({"ssl_context": tls, "auth_require_tls": False} if implicit_tls else
                      {"tls_context": tls, "require_starttls": True, "auth_require_tls": True})
        self.controller = _LoopbackController(self.handler, hostname="127.0.0.1", port=0, authenticator=_authenticate,
                                              auth_required=True, ready_timeout=WAIT, **encryption)
        self.controller.start()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def wait_until_held(self) -> None:
        assert self.handler.held.wait(WAIT), "the held message never arrived"

    def release(self) -> None:
        self.handler.released.set()

    def stop(self) -> None:
        self.release()
        self.controller.stop()
