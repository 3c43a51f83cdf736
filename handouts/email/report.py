"""What the email commands print: a line per message as it goes, a closing line, and the log.

A message is called by its line in the batch file, never by the patient's name or address;
a server's reply has the address taken out (servers like to repeat it). ``verbose`` shows
names, addresses and file names, as the user asked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from rich.markup import escape

from ..errors import display_path
from ..summary import terminal
from .deliver import Delivery
from .log import LOG_FILE, DeliveryLog, Entry
from .send import BatchEmail

_WORDS = {
    "written": "written to the outbox",
    "accepted": "accepted by the mail server",
    "deferred": "deferred (a temporary failure; run the same command later to try again)",
    "refused": "refused by the mail server",
    "failed": "not sent",
}
_COLOURS = {"written": "green", "accepted": "green", "already sent": "dim"}


def hidden(text: str, address: str, verbose: bool) -> str:
    """``text`` with the patient's address replaced, unless the user asked to see it."""
    return text if verbose or not address else re.sub(re.escape(address), "the patient's address", text, flags=re.I)


def describe(delivery: Delivery, verbose: bool = False) -> str:
    """``line 4: refused by the mail server: 550 5.1.1 <the patient's address>: user unknown``:
    what became of a message, in plain words (a web page shows the same)."""
    letter = delivery.letter
    who = f"line {letter.line}" if letter.line else "The message"
    if verbose:
        who += f" ({letter.name or 'no name'} <{letter.to}>)"
    if delivery.outcome == "already sent":  # the reply is what happened then: written or accepted
        words = f"already {_WORDS[delivery.reply]} earlier (same address, same PDFs); --resend to do it again"
    elif delivery.outcome == "written":
        words = _WORDS["written"] + (f" as {delivery.reply}" if verbose else "")
    else:
        words = _WORDS[delivery.outcome] + (f": {hidden(delivery.reply, letter.to, verbose)}" if delivery.reply else "")
    if delivery.again:
        words += " (it was being sent when an earlier run stopped, so it may arrive twice)"
    return f"{who}: {words}"


def print_delivery(delivery: Delivery, verbose: bool = False) -> None:
    colour = _COLOURS.get(delivery.outcome, "red" if delivery.outcome in ("refused", "failed") else "yellow")
    terminal().print(describe(delivery, verbose), style=colour, markup=False, soft_wrap=True)


def print_message(delivery: Delivery, outbox: Path, verbose: bool = False) -> None:
    """What became of the ``email`` command's one message, and for a draft where to find it."""
    print_delivery(delivery, verbose)
    if delivery.outcome == "written":
        name = delivery.reply if verbose else "the newest .eml file"
        terminal().print(f"Open {name} in {display_path(outbox)}/ with your mail program (Outlook, Apple Mail, "
                         "Thunderbird), check it and send it.", markup=False)


def print_batch_email(report: BatchEmail, outbox: Path, send: bool) -> None:
    """The address errors, why a run stopped, and one closing line of counts."""
    console = terminal()
    for error in report.bad_addresses:
        console.print(f"[red]error:[/] {escape(str(error))}")
    if report.run.stopped:
        console.print(f"[red]error:[/] {escape(str(report.run.stopped))}")
    counts: dict[str, int] = {}
    for delivery in report.run.deliveries:
        counts[delivery.outcome] = counts.get(delivery.outcome, 0) + 1
    parts = [f"{count} {outcome}" for outcome, count in counts.items()]
    parts += [f"{len(report.bad_addresses)} with a wrong address"] if report.bad_addresses else []
    parts += [f"{report.not_tried} not tried"] if report.not_tried else []
    where = "through the mail server" if send else f"to {display_path(outbox)}/"
    line = f"Emailed {where}: {', '.join(parts) or 'nothing to send'}."
    if report.without_address:
        line += f" {report.without_address} built row{'s' if report.without_address > 1 else ''} had no email address."
    console.print(line, markup=False)


def print_log(outbox: Path, since: dt.date | None, as_json: bool, verbose: bool) -> None:
    """The delivery log of ``outbox``, a few lines an entry or JSON (recipients and file names
    only with ``verbose``: a batch packet is named after its patient)."""
    entries: list[Entry] = []
    if (outbox / LOG_FILE).is_file():
        with DeliveryLog.open(outbox) as log:
            entries = log.entries(since)
    if as_json:
        print(json.dumps({"format": 1, "deliveries": [_entry_json(e, verbose) for e in entries]}, indent=2,
                         ensure_ascii=False))
        return
    console = terminal()
    if not entries:
        console.print(f"No deliveries logged in {display_path(outbox)}/" + (f" since {since}." if since else "."))
        return
    for entry in entries:
        for line in _entry_lines(entry, verbose):
            console.print(line, markup=False, soft_wrap=True)


def _entry_lines(entry: Entry, verbose: bool) -> list[str]:
    """``2026-12-02 10:31  line 3  refused  bone-density-test.pdf (16fbfd31e512)``, then the
    reply indented, and with ``verbose`` the recipient, the files and the Message-ID."""
    row = f"line {entry.line}" if entry.line else "message"
    handouts = ", ".join(f"{', '.join(a['handouts'])} ({str(a['sha256'])[:12]})" for a in entry.attachments)  # type: ignore[arg-type]
    lines = [f"{_local(entry.time)}  {row}  {entry.outcome}  {handouts}"]
    reply = _reply(entry, verbose)
    lines += [f"    {reply}"] if reply else []
    if verbose:
        files = ", ".join(str(a["file"]) for a in entry.attachments)
        lines.append(f"    to {entry.recipient}; {files}; Message-ID {entry.message_id}")
    return lines


def _entry_json(entry: Entry, verbose: bool) -> dict[str, object]:
    attachments = [a if verbose else {k: v for k, v in a.items() if k != "file"} for a in entry.attachments]
    shown = {"time": entry.time, "source": entry.source, "line": entry.line, "channel": entry.channel,
             "outcome": entry.outcome, "message_id": entry.message_id, "attachments": attachments,
             "reply": _reply(entry, verbose)}
    return {**shown, "recipient": entry.recipient} if verbose else shown


def _reply(entry: Entry, verbose: bool) -> str:
    """The server's reply without the address; a draft's file name (the patient's name) only
    with ``verbose``."""
    if entry.outcome == "written" and not verbose:
        return ""
    return hidden(entry.reply, entry.recipient, verbose)


def _local(stamp: str) -> str:
    """The log's UTC time in this computer's time zone, to the minute."""
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
