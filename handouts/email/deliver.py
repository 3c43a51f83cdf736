"""Deliver messages through a backend, once each, logging every one.

For each message: it is made (its PDFs and handouts gathered: a batch row's only when its
turn comes, so a row that cannot be made fails alone, by its line, and the others go on);
if the log shows the same recipient already got the same PDFs through this channel, it is
``already sent`` (``resend`` overrides); otherwise it is composed,
paced, logged as ``sending``, handed to the backend and logged with its outcome. A message
found ``sending`` from a run that was killed is sent again under its old Message-ID, which
most mail programs use to show a duplicate once. A problem no other row can get past (a
wrong password) stops the run and is reported with what was done until then.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import HandoutError
from ..pipeline import Project
from .backends import Backend, ServerProblem
from .compose import Mail, compose, wire_bytes
from .log import DeliveryLog

DEFAULT_RATE = 30
"""Messages per minute when sending: the limit of common hosted mail services (Exchange Online)."""


@dataclass(frozen=True)
class Letter:
    """A message to deliver, made only when its turn comes: whom it is for (by ``line`` in a
    batch file, the only way a summary may call them) and how to make it."""

    to: str
    name: str
    line: int | None
    make: Callable[[], Mail]

    @classmethod
    def of(cls, mail: Mail) -> "Letter":
        """A message already made."""
        return cls(mail.to, mail.name, mail.line, lambda: mail)


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: ``written``, ``accepted``, ``deferred``, ``refused``,
    ``failed`` (it could not be made or composed; ``reply`` says why) or ``already sent``
    (then ``reply`` says whether it was ``written`` or ``accepted`` before). ``reply`` is
    otherwise the server's, or the draft's name."""

    letter: Letter
    outcome: str
    reply: str = ""
    message_id: str = ""
    again: bool = False
    """It was being sent when an earlier run stopped, and was sent again."""

    @property
    def delivered(self) -> bool:
        return self.outcome in ("written", "accepted", "already sent")


@dataclass
class Run:
    """The deliveries of a run, in order, and the problem that stopped it early, if any."""

    deliveries: list[Delivery] = field(default_factory=list)
    stopped: HandoutError | None = None


class Pace:
    """At most ``per_minute`` messages a minute, evenly spaced (the first goes at once)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = 60.0 / per_minute, clock, sleep
        self.next = 0.0

    def wait(self) -> None:
        now = self.clock()
        if now < self.next:
            self.sleep(self.next - now)
        self.next = max(now, self.next) + self.interval


def deliver(project: Project, letters: Iterable[Letter], backend: Backend, log: DeliveryLog, *,
            source: str | None = None, resend: bool = False, pace: Pace | None = None,
            on_delivery: Callable[[Delivery], None] = lambda delivery: None) -> Run:
    """Deliver each of ``letters`` once through ``backend``; ``source`` names the batch file."""
    run = Run()
    try:
        for letter in letters:
            delivery, run.stopped = _deliver_one(project, letter, backend, log, source, resend, pace)
            if delivery:
                run.deliveries.append(delivery)
                on_delivery(delivery)
            if run.stopped:
                break
    finally:
        backend.close()
    return run


def _deliver_one(project: Project, letter: Letter, backend: Backend, log: DeliveryLog, source: str | None,
                 resend: bool, pace: Pace | None) -> tuple[Delivery | None, ServerProblem | None]:
    """One message's delivery, and the problem that stops the run (then the delivery is None
    when nothing was tried). A message that cannot be made or composed is ``failed``, and
    never reaches the log (nothing was sent). Ctrl-C leaves the entry ``sending``, like kill -9."""
    try:
        mail = letter.make()
    except HandoutError as error:
        return Delivery(letter, "failed", str(error)), None
    if not resend and log.last(mail, backend.channel, backend.done):
        return Delivery(letter, "already sent", backend.done), None
    interrupted = log.last(mail, backend.channel, "sending")
    try:
        message = compose(project, mail, interrupted.message_id if interrupted else None)
        data = wire_bytes(message)
    except HandoutError as error:
        return Delivery(letter, "failed", str(error)), None
    message_id = str(message["Message-ID"])
    try:
        backend.open()
    except ServerProblem as problem:
        return None, problem
    if pace:
        pace.wait()
    entry = log.start(mail, backend.channel, message_id, source)
    if interrupted:
        log.finish(interrupted.id, "interrupted", "the run stopped while this was being sent; sent again later")
    try:
        sent = backend.send(data, mail)
    except ServerProblem as problem:
        log.finish(entry, "deferred", problem.message)
        return Delivery(letter, "deferred", problem.message, message_id), problem
    log.finish(entry, sent.outcome, sent.reply)
    return Delivery(letter, sent.outcome, sent.reply, message_id, again=interrupted is not None), None
