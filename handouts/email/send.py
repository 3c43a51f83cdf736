"""The channel's entry points: email handouts to one patient, or each batch row its packet.

Both build with the pipeline, compose with :mod:`.compose`, and deliver through the outbox
(a draft to review, the default) or the clinic's server (``send=True``), logged in the
outbox folder. The command line, a web page and tests call these same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..batch import BatchReport
from ..errors import HandoutError, display_path
from ..pipeline import Options, Project
from ..variants import ENGLISH
from .backends import Backend, OutboxBackend
from .compose import clinic_address
from .deliver import DEFAULT_RATE, Delivery, Letter, Pace, Run, deliver
from .log import DeliveryLog
from .mails import addressed_rows, handouts_mail, packet_letters
from .smtp import Credentials, SMTPBackend

OUTBOX = Path("outbox")


def backend_for(project: Project, *, send: bool, outbox: Path = OUTBOX) -> Backend:
    """The outbox, or with ``send`` the clinic's server from its ``email:`` block and the
    login from the environment (checked here, before anything is built or sent)."""
    if not send:
        return OutboxBackend(outbox)
    settings = project.clinic.email
    if settings is None:
        raise HandoutError("sending needs the clinic's mail server: add an 'email:' block with host, port, "
                           "security and sender to the clinic file (see the README)", file=project.clinic_file)
    clinic_address(project, "sender")
    return SMTPBackend(settings, Credentials.from_environment())


def email_handouts(project: Project, content: Path, slugs: list[str], to: str, options: Options = Options(), *,
                   language: str = ENGLISH, send: bool = False, outbox: Path = OUTBOX, resend: bool = False,
                   backend: Backend | None = None) -> tuple[Delivery, list[str]]:
    """Build ``slugs`` for the patient in ``options`` and email them to ``to`` in one message.

    The message is a draft in ``outbox``, or with ``send`` goes through the clinic's server
    (``backend`` replaces either); the log is kept in ``outbox``. Returns what happened
    (``written``, ``accepted``, ``deferred``, ``refused``, ``failed`` or ``already sent``) and
    notes such as a topic that came in English instead. Raises HandoutError for bad input or
    a server problem (wrong password, bad certificate).
    """
    backend = backend or backend_for(project, send=send, outbox=outbox)
    mail, notes = handouts_mail(project, content, slugs, to, options, language=language)
    with _holding(backend), DeliveryLog.open(outbox) as log:
        run = deliver(project, [Letter.of(mail)], backend, log, resend=resend)
    if run.stopped:
        raise run.stopped
    return run.deliveries[0], notes


@dataclass
class BatchEmail:
    """What emailing a batch did: the deliveries (by row), the rows whose address is wrong,
    how many built rows had no address, and how many were not tried when the run stopped."""

    run: Run
    bad_addresses: list[HandoutError] = field(default_factory=list)
    without_address: int = 0
    not_tried: int = 0

    @property
    def all_delivered(self) -> bool:
        return not (self.bad_addresses or self.not_tried or self.run.stopped) and all(
            delivery.delivered for delivery in self.run.deliveries)


def email_packets(project: Project, report: BatchReport, patients: Path, out: Path, *, send: bool = False,
                  outbox: Path = OUTBOX, resend: bool = False, rate: float = DEFAULT_RATE, backend: Backend | None = None,
                  on_delivery: Callable[[Delivery], None] = lambda delivery: None) -> BatchEmail:
    """Email each built packet of ``report`` (written by :func:`~handouts.batch.batch` into
    ``out``) to its row's ``email`` column, one connection for the whole batch, at most
    ``rate`` messages a minute (drafts are not paced)."""
    backend = backend or backend_for(project, send=send, outbox=outbox)
    rows, bad, without = addressed_rows(report, patients)
    pace = None if isinstance(backend, OutboxBackend) else Pace(rate)
    with _holding(backend), DeliveryLog.open(outbox) as log:
        run = deliver(project, packet_letters(project, rows, out), backend, log, source=display_path(patients),
                      resend=resend, pace=pace, on_delivery=on_delivery)
    return BatchEmail(run, bad, without, len(rows) - len(run.deliveries))


def _holding(backend: Backend) -> AbstractContextManager[None]:
    """A folder of drafts is held for the whole run, before the log is first read (see
    :meth:`OutboxBackend.holding`); a mail server needs no such thing."""
    return backend.holding() if isinstance(backend, OutboxBackend) else nullcontext()
