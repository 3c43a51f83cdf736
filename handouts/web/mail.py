"""*Email to patient*: the page calls the email channel's own entry point (:mod:`handouts.email`).

The button shows only when the clinic file has an ``email:`` block. The message goes through
the clinic's mail server, as ``build.py email --send`` sends it, and is recorded in the same
delivery log (``outbox/deliveries.sqlite``: the address, the time, the handouts' file names
and checksums). That log is the one thing the page keeps on disk, on purpose: it is the
clinic's record of what was sent, and it keeps a patient from getting the same handouts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import HandoutError
from ..pipeline import Project

if TYPE_CHECKING:
    from .order import Order


@dataclass(frozen=True)
class Sent:
    """What became of the message, in the email channel's words, and whether it went out."""

    text: str
    delivered: bool


def email_ready(project: Project) -> bool:
    """The clinic file says how to send email."""
    return project.clinic.email is not None


def address_problem(text: str) -> str | None:
    """What is wrong with ``text`` as the patient's address (the channel's own check), or None."""
    from ..email.compose import checked_address

    try:
        checked_address(text)
    except HandoutError:
        return "Type the patient's email address, like name@example.com."
    return None


def email_order(project: Project, content: Path, order: Order, address: str, outbox: Path) -> Sent:
    """Build the order's handouts for the patient and send them in one message."""
    from ..email import describe, email_handouts

    slugs = [version.topic_file.slug for version in order.versions]
    delivery, _ = email_handouts(project, content, slugs, address, order.options, language=order.language,
                                 send=True, outbox=outbox)
    if delivery.outcome == "already sent":  # a second click, or the browser sending the form again
        return Sent("These handouts were already sent to this address; nothing was sent again.", True)
    return Sent(f"{describe(delivery)}.", delivery.delivered)
