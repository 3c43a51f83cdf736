"""Email: handouts leave the house as a message to the patient.

``compose`` builds the one message (a short letter and every handout in full, as text and
HTML from ``templates/``, the PDFs attached);
``backends`` and ``smtp`` carry it (a draft in the outbox, memory, or the clinic's server);
``log`` remembers every delivery in SQLite so nobody gets the same handouts twice;
``deliver`` runs a batch of messages through a backend; ``mails`` gets their PDFs from the
pipeline; ``send`` holds the entry points the command line and a web page call:

    from handouts.email import describe, email_handouts
    delivery, notes = email_handouts(project, Path("content"), ["quit-smoking"], "ana@example.org",
                                     Options(patient=Patient("Ana Díaz")), send=True)
    describe(delivery)  # "The message: accepted by the mail server"

Nothing here is imported by ``build``: the address checker and smtplib load only for email.
"""

from .backends import MemoryBackend, OutboxBackend
from .report import describe
from .send import BatchEmail, backend_for, email_handouts, email_packets

__all__ = ["BatchEmail", "MemoryBackend", "OutboxBackend", "backend_for", "describe", "email_handouts", "email_packets"]
