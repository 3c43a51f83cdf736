"""Sending through the clinic's SMTP server: one connection for a whole run, certificates
verified, the password only from the environment and never shown.

A temporary failure (a 4xx reply, a dropped connection) is tried again after each of
:data:`RETRY_DELAYS`, reconnecting when needed, and is then ``deferred``; a permanent one
(5xx) is ``refused`` with the server's reply. Problems no retry can fix (the password, the
certificate, a server that cannot be reached) raise :class:`ServerProblem` and stop the run.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr

from ..errors import HandoutError
from ..model import EmailSettings
from .backends import Outcome, Sent, ServerProblem
from .compose import Mail

USER_VARIABLE = "HANDOUTS_SMTP_USER"
PASSWORD_VARIABLE = "HANDOUTS_SMTP_PASSWORD"
RETRY_DELAYS = (2.0, 10.0, 30.0)
"""Seconds to wait before each new try of a temporarily failed message: three more tries."""
TIMEOUT = 30.0
"""Seconds to wait for the server to answer before the connection counts as lost."""
_LOGIN_CODES = {530, 534, 535, 538}
"""Replies that mean the login is missing or wrong: no retry and no other row can help."""


class Unreachable(ServerProblem):
    """The server cannot be reached (or stopped answering): maybe only for a while."""


@dataclass(frozen=True)
class Credentials:
    """The login from the environment. The password is left out of ``repr``, so it never
    reaches a log, a traceback's display or an error message."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | os._Environ[str] = os.environ) -> "Credentials | None":
        """Both variables, or neither (a server that needs no login); one alone is an error."""
        user, password = environ.get(USER_VARIABLE, ""), environ.get(PASSWORD_VARIABLE, "")
        if bool(user) != bool(password):
            missing = PASSWORD_VARIABLE if user else USER_VARIABLE
            raise HandoutError(f"{missing} is not set; set both {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                               "(or neither, for a server that needs no login)")
        return cls(user, password) if user else None


class SMTPBackend:
    """The clinic's mail server, as set in the clinic file's ``email:`` block."""

    channel = "smtp"
    done: Outcome = "accepted"

    def __init__(self, settings: EmailSettings, credentials: Credentials | None, *,
                 delays: tuple[float, ...] = RETRY_DELAYS, timeout: float = TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings, self.credentials = settings, credentials
        self.delays, self.timeout, self.sleep = delays, timeout, sleep
        self.connection: smtplib.SMTP | None = None

    @property
    def server(self) -> str:
        return f"{self.settings.host}:{self.settings.server_port}"

    def open(self) -> None:
        """Connect, encrypt and log in, unless already connected."""
        if self.connection is not None:
            return
        try:
            self.connection = self._connect()
        except smtplib.SMTPAuthenticationError as error:
            raise ServerProblem(f"the mail server {self.server} refused the user name or password in "
                                f"{USER_VARIABLE} and {PASSWORD_VARIABLE} ({_reply(error.smtp_code, error.smtp_error)})"
                                ) from None
        except smtplib.SMTPNotSupportedError:
            raise ServerProblem(f"the mail server {self.server} offers no login, but {USER_VARIABLE} is set; unset "
                                f"{USER_VARIABLE} and {PASSWORD_VARIABLE}, or check the host and port") from None
        except ssl.SSLCertVerificationError as error:
            raise ServerProblem(f"the certificate of the mail server {self.server} could not be verified "
                                f"({error.verify_message}); check the host name in the clinic file (a server "
                                "with its own certificate authority needs SSL_CERT_FILE)") from None
        except (OSError, smtplib.SMTPException) as error:
            raise Unreachable(f"cannot reach the mail server {self.server}: {_describe(error)}; check host, port and "
                              "security in the clinic file's email: block") from None

    def _connect(self) -> smtplib.SMTP:
        host, port, security = self.settings.host, self.settings.server_port, self.settings.security
        context = ssl.create_default_context()
        if security == "tls":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=context)
        else:
            connection = smtplib.SMTP(host, port, timeout=self.timeout)
        try:
            connection.ehlo()
            if security == "starttls":
                if not connection.has_extn("starttls"):
                    raise ServerProblem(f"the mail server {self.server} does not offer STARTTLS, so the message "
                                        "would travel unencrypted; set security: tls (and its port) if the "
                                        "server encrypts from the start")
                connection.starttls(context=context)
                connection.ehlo()
            if self.credentials:
                connection.login(self.credentials.user, self.credentials.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, data: bytes, mail: Mail) -> Sent:
        """Send one message, trying again after each of ``delays`` while failures are temporary.

        Raises :class:`Unreachable` when the connection is lost and cannot be made again: the
        message is deferred, and the rest of the run should wait for another day.
        """
        last = ""
        for delay in (0.0, *self.delays):
            self.sleep(delay)
            try:
                sent = self._attempt(data, mail)
            except Unreachable as problem:
                last = problem.message
                continue
            if sent.outcome != "deferred":
                return sent
            last = sent.reply
        if self.connection is None:
            raise Unreachable(f"{last}; the message was deferred")
        return Sent("deferred", last)

    def _attempt(self, data: bytes, mail: Mail) -> Sent:
        """One try: accepted, refused (5xx), or deferred (4xx); Unreachable when the connection drops."""
        self.open()
        assert self.connection is not None
        try:
            self.connection.sendmail(parseaddr(self.settings.sender)[1], [mail.to], data)
            return Sent("accepted")
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients[mail.to]
        except smtplib.SMTPResponseException as error:
            code, text = error.smtp_code, error.smtp_error
        except OSError as error:
            self.close()
            raise Unreachable(f"the connection to {self.server} was lost ({_describe(error)})") from None
        reply = _reply(code, text)
        if code in _LOGIN_CODES:
            raise ServerProblem(f"the mail server {self.server} wants a login ({reply}); set {USER_VARIABLE} "
                                f"and {PASSWORD_VARIABLE}")
        if code == 421:  # the server is closing the connection
            self.close()
        return Sent("refused" if code >= 500 else "deferred", reply)

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (OSError, smtplib.SMTPException):
            self.connection.close()
        self.connection = None


def _reply(code: int, text: bytes | str) -> str:
    """``550 5.1.1 User unknown``: a server reply as one line."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


def _describe(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
