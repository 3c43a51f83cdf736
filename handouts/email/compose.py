"""Compose the email a patient receives: text and HTML from ``templates/``, the PDFs attached.

One function builds every message, whatever carries it afterwards (:mod:`.backends`): a
``multipart/alternative`` text and HTML part in the handouts' language, each a short letter
followed by every handout in full (their HTML and text versions), then each PDF with its
usual file name and unchanged bytes. The subject never names the patient or a topic
(subjects travel unencrypted and show on lock screens). :func:`wire_bytes` turns a message
into the bytes every backend carries, once, and refuses one over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, localtime, make_msgid, parseaddr
from typing import Literal

from markupsafe import Markup

from ..errors import HandoutError
from ..load import load_yaml
from ..manifest import digest
from ..pipeline import Options, Project
from ..render import render_page
from ..stylesheet import message_classes, message_style, message_stylesheet

# Both named as pipeline.EMAIL_TEMPLATES has them, so editing them rebuilds no handout.
HTML_TEMPLATE = "email.html.j2"
TEXT_TEMPLATE = "email.txt.j2"
MAX_BYTES = 10 * 1024 * 1024
"""Largest message, as sent: most mail servers refuse more (a handout is about 30 KB as a PDF,
and about 15 KB more in the message's HTML and text)."""


@dataclass(frozen=True)
class Listed:
    """A handout as the message carries it: its title, the attached file it is in, and the
    whole handout as HTML (a part of the message's page, :func:`~handouts.versions.page_fragment`)
    and as text. A patient who never opens the PDF reads all of it, "get help now" box included."""

    title: str
    file: str
    html: Markup
    text: str


@dataclass(frozen=True)
class Attachment:
    """An attached PDF and the handouts it holds (their usual file names), for the log."""

    file: str
    data: bytes
    handouts: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Mail:
    """One message to one patient: whom, in which language, which handouts in which files.

    ``stem`` names the ``.eml`` draft (the patient rule of ``batch``); ``line`` is the
    patient's line in a batch file, the only way a summary may call them; ``options`` are
    those the handouts were built with (large print sets the whole message in large type).
    """

    to: str
    name: str
    language: str
    listed: tuple[Listed, ...]
    attachments: tuple[Attachment, ...]
    stem: str
    line: int | None = None
    packet: bool = False
    options: Options = Options()

    @property
    def key(self) -> str:
        """The same recipient and the same PDFs: the same delivery (sent once unless resent)."""
        return digest(self.to, *(attachment.sha256 for attachment in self.attachments))


def checked_address(text: str) -> str:
    """``text`` as a deliverable address (syntax only, no network), or a HandoutError.

    The error says what is wrong but never repeats the address: it is patient data.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text.strip(), check_deliverability=False, allow_smtputf8=False).ascii_email)
    except EmailNotValidError as error:
        raise HandoutError(f"this is not an email address: {error}") from None


def clinic_address(project: Project, key: Literal["sender", "reply_to"]) -> Address | None:
    """``email: sender`` or ``reply_to`` of the clinic file, checked; None when not set."""
    settings = project.clinic.email
    text = getattr(settings, key) if settings else None
    if not text:
        return None
    name, address = parseaddr(text)
    try:
        return Address(display_name=name, addr_spec=checked_address(address or text))
    except HandoutError as error:
        raise settings_error(project, key, error.message) from None


def settings_error(project: Project, key: str, message: str) -> HandoutError:
    """An error about ``email: <key>`` in the clinic file, with its line."""
    line = load_yaml(project.clinic_file).line_of(("email", key))
    return HandoutError(message, file=project.clinic_file, line=line, key=f"email › {key}")


def compose(project: Project, mail: Mail, message_id: str | None = None) -> EmailMessage:
    """The message for ``mail``: headers, text and HTML parts, the PDFs.

    Its words are in the patient's language when ``labels.yaml`` has email words for it, else
    in English (and then it says ``lang="en"``, never a language its words are not in).
    """
    language, labels = project.labels.email_words(mail.language)
    subject = labels.filled("subject", clinic=project.clinic.name)
    sender = clinic_address(project, "sender")
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    if sender:
        message["From"] = sender
    message["To"] = Address(display_name=mail.name, addr_spec=mail.to)
    reply_to = clinic_address(project, "reply_to")
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = message_id or make_msgid(domain=sender.domain if sender else "localhost")
    theme = project.theme_for(mail.options)
    context = {
        "language": language,
        "subject": subject,
        "greeting": labels.filled("greeting", name=mail.name) if mail.name else labels.greeting_no_name,
        "labels": labels,
        "phone_label": project.labels.for_language(language).phone,
        "clinic": project.clinic,
        "handouts": mail.listed,
        "packet": mail.attachments[0].file if mail.packet else "",
        "stylesheet": Markup(message_stylesheet(theme)),  # made from the checked theme, never from content
        "message_style": message_style(theme),
        "look": message_classes(theme),
    }
    message.set_content(render_page(project.env, context, TEXT_TEMPLATE), cte="quoted-printable")
    message.add_alternative(render_page(project.env, context, HTML_TEMPLATE), subtype="html", cte="quoted-printable")
    for attachment in mail.attachments:
        message.add_attachment(attachment.data, maintype="application", subtype="pdf", filename=attachment.file)
    message["Content-Language"] = language  # after the parts: they would take it for themselves
    return message


def wire_bytes(message: EmailMessage) -> bytes:
    """``message`` as it travels (CRLF lines, 7-bit), or a HandoutError when it is too big."""
    data = message.as_bytes()
    size = len(data)
    if size > MAX_BYTES:
        raise HandoutError(f"the message would be {size / 1024 / 1024:.1f} MB, more than the "
                           f"{MAX_BYTES // 1024 // 1024} MB mail servers accept; send fewer handouts in one message "
                           "(a large logo picture also makes every handout bigger)")
    return data
