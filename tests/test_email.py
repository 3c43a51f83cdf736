"""Email without a server: the .eml draft as a patient's mail program reads it, the batch's
drafts, the address and size checks, the delivery log, and what the summaries keep private.
What the message says (each handout in full, its look, axe-core) is in test_email_content.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from handouts.email import OutboxBackend
from handouts.errors import HandoutError
from handouts.load import load_yaml
from handouts.pipeline import Project
from tests.helpers import ROOT, run, run_process

CONTENT = str(ROOT / "content")
TITLES = {path.name.removesuffix(".yaml"): load_yaml(path).data["title"] for path in (ROOT / "content").glob("*.yaml")}


def read_eml(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str, dict[str, bytes]]:
    """The text part, the HTML part (with the line ends a reader sees) and the attachments
    (file name -> bytes) of a message."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n"), attached


def email(*args: str):
    return run("email", "--content", CONTENT, *args)


def test_a_draft_with_both_parts_and_the_pdfs_build_makes(project: Path) -> None:
    options = ["--patient", "José Núñez", "--set", "clinician=Dra. Ruiz", "--date", "2026-03-05", "--lang", "es"]
    result = email("quit-smoking", "fracture-warning-signs", "--to", "jose@example.org", *options)
    assert result.code == 0, result.output
    assert run("build", "quit-smoking", "fracture-warning-signs", "--content", CONTENT, *options).code == 0
    assert sorted(p.name for p in (project / "outbox").glob("*.eml")) == ["jose-nunez.eml"]
    message = read_eml(project / "outbox" / "jose-nunez.eml")
    assert message["X-Unsent"] == "1"
    assert message.get_content_type() == "multipart/mixed"
    assert [part.get_content_type() for part in message.walk()][:4] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
    assert str(message["To"]) == "José Núñez <jose@example.org>"
    assert message["Content-Language"] == "es"
    text, html, attached = parts(message)
    assert list(attached) == ["quit-smoking.es.pdf", "fracture-warning-signs.es.pdf"]  # in the order asked
    for name, data in attached.items():
        assert data == (project / "out" / name).read_bytes()
    assert text.startswith("Hola, José Núñez:\n")
    for slug in ("quit-smoking.es", "fracture-warning-signs.es"):
        assert TITLES[slug] in text and TITLES[slug] in html
    assert "Llámenos al (555) 010-0142" in text  # a phone number never breaks across lines
    assert "Riverside Spine & Bone Clinic" in text and "**" not in text
    for private in (project / "outbox" / "jose-nunez.eml", project / "outbox" / "deliveries.sqlite"):
        assert private.stat().st_mode & 0o777 == 0o600  # health information: its owner alone reads it


def test_the_letter_never_breaks_a_phone_number_or_a_hyphenated_word(project: Path) -> None:
    labels = project / "templates" / "labels.yaml"
    lines = 39  # each a little longer than the last, so some reach the end of a line inside the words
    call_us = "\\n".join(f"Call {'x' * width} at {{phone}} or 1-800-QUIT-NOW for a follow-up." for width in range(lines))
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace("call_us: Call us at {phone}. We are glad to help.", f'call_us: "{call_us}"'),
                      encoding="utf-8")
    assert email("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    text = parts(read_eml(project / "outbox" / "ana-diaz.eml"))[0]
    letter = text[: text.index(TITLES["quit-smoking"] + "\n===")]
    assert letter.count("1-800-QUIT-NOW") == letter.count("follow-up.") == lines  # each whole on one line
    assert letter.count("(555) 010-0142") == lines
    assert max(len(line) for line in letter.splitlines()) <= 72 and "\u00a0" not in text


def test_the_readme_shows_the_text_part_a_patient_really_gets(project: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("The text part reads:\n\n```text\n", 1)[1].split("```", 1)[0]
    assert email("fracture-warning-signs", "preventing-falls", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    text = parts(read_eml(project / "outbox" / "ana-diaz.eml"))[0].replace("\u00a0", " ").splitlines()
    shown = [line for line in sample.splitlines() if line.strip() != "…"]
    position = 0
    for line in shown:  # every line of the sample, in order (the sample leaves some out: …)
        assert line in text[position:], f"README sample line not in the message: {line!r}"
        position = text.index(line, position) + 1


def test_the_subject_names_neither_the_patient_nor_a_topic(project: Path) -> None:
    assert email("fracture-warning-signs", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    subject = read_eml(project / "outbox" / "ana-diaz.eml")["Subject"]
    assert subject == "Information from Riverside Spine & Bone Clinic"
    assert not any(word in subject for word in ("Ana", "Díaz", "Fracture", "Spine Fracture", "Warning"))


def test_the_letters_words_come_from_labels_yaml(project: Path) -> None:
    labels = project / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8").replace("greeting: Dear {name},", 'greeting: "Good day, {name}!"')
    labels.write_text(text.replace("questions: Questions?", "questions: Anything unclear?"), encoding="utf-8")
    assert email("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    text, html, _ = parts(read_eml(project / "outbox" / "ana-diaz.eml"))
    assert text.startswith("Good day, Ana Díaz!\n") and "Anything unclear? Call us at" in text
    assert "Good day, Ana Díaz!" in html and "Anything unclear?" in html
    assert "Dear" not in text + html and "Questions?" not in text + html


def test_a_language_without_email_words_gets_an_english_message_that_says_so(project: Path) -> None:
    """(A language with no block at all gets no message: its handouts are not built, test_labels.py.)"""
    labels = project / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text[: text.index("\n  email:", text.index("\nes:\n"))] + "\n", encoding="utf-8")
    result = email("quit-smoking", "--to", "ana@example.org", "--lang", "es")
    assert result.code == 0, result.output
    message = read_eml(project / "outbox" / "patient.eml")
    _, html, attached = parts(message)
    assert list(attached) == ["quit-smoking.es.pdf"] and message["Content-Language"] == "en"
    assert '<html lang="en">' in html and message["Subject"] == "Information from Riverside Spine & Bone Clinic"
    assert "Hello," in html and "If this email was not meant for you" in html


def test_sending_the_same_again_is_skipped_and_resend_never_overwrites_a_draft(project: Path) -> None:
    args = ("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz")
    assert email(*args).code == 0
    again = email(*args)
    assert again.code == 0 and "already written to the outbox earlier" in again.flat
    assert [p.name for p in (project / "outbox").glob("*.eml")] == ["ana-diaz.eml"]
    assert email(*args, "--resend").code == 0
    assert sorted(p.name for p in (project / "outbox").glob("*.eml")) == ["ana-diaz-2.eml", "ana-diaz.eml"]
    other = email("preventing-falls", "--to", "ana@example.org", "--patient", "Ana Díaz")  # other PDFs: a new message
    assert other.code == 0 and len(list((project / "outbox").glob("*.eml"))) == 3


def test_a_run_removes_the_half_written_draft_of_a_killed_one(project: Path) -> None:
    outbox = project / "outbox"
    outbox.mkdir()
    (outbox / ".draft.k2j4x9_a.part").write_bytes(b"X-Unsent: 1\r\nTo: Ana <ana@example.org>\r\n")  # as kill -9 leaves it
    assert email("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz").code == 0
    assert sorted(path.name for path in outbox.iterdir() if not path.name.startswith(".handouts")) == [
        "ana-diaz.eml", "deliveries.sqlite"]


def test_a_second_run_writing_drafts_into_the_same_outbox_stops_and_names_the_first(project: Path) -> None:
    """The first run is this test, holding the outbox as a run writing drafts does; the second
    is another process, as a colleague's would be."""
    outbox = project / "outbox"
    args = ("email", "quit-smoking", "--content", CONTENT, "--to", "ana@example.org", "--patient", "Ana Díaz")
    with OutboxBackend(outbox).holding():
        second = run_process(*args, cwd=project)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert " ".join(second.stderr.split()) == (f"error: another email run (pid {os.getpid()}) is writing to outbox/; "
                                               "wait for it to finish, or write the drafts into another folder with --outbox")
    assert not list(outbox.glob("*.eml")) and not (outbox / "deliveries.sqlite").exists()  # nothing written, nothing logged
    assert run(*args).code == 0 and (outbox / "ana-diaz.eml").is_file()  # once the first is done


def test_a_bad_address_is_an_error_that_does_not_repeat_it(project: Path) -> None:
    result = email("quit-smoking", "--to", "ana.diaz@@example", "--patient", "Ana Díaz")
    assert result.code == 1 and "error: this is not an email address" in result.flat
    assert "ana.diaz" not in result.output and "Ana" not in result.output
    assert not (project / "outbox").exists() or not list((project / "outbox").glob("*.eml"))


def test_the_summary_keeps_names_and_addresses_private_unless_verbose(project: Path) -> None:
    quiet = email("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz")
    assert "written to the outbox" in quiet.flat and "ana" not in quiet.output.lower()
    loud = email("quit-smoking", "--to", "ana@example.org", "--patient", "Ana Díaz", "--resend", "--verbose")
    assert "Ana Díaz <ana@example.org>" in loud.flat and "ana-diaz-2.eml" in loud.flat


def test_a_message_over_10_mb_is_refused(project: Path) -> None:
    from handouts.email.compose import Attachment, Mail, compose, wire_bytes

    big = Attachment("huge.pdf", b"%PDF-1.7\n" + bytes(8 * 1024 * 1024), ("huge.pdf",))
    mail = Mail("ana@example.org", "Ana", "en", (), (big,), "ana")
    with pytest.raises(HandoutError, match=r"the message would be 1\d\.\d MB, more than the 10 MB mail servers accept"):
        wire_bytes(compose(Project.open(project / "templates", project / "clinic.yaml"), mail))


PATIENTS = """\
name,language,topics,email
José Núñez,es,quit-smoking;fracture-warning-signs,jose@example.org
Zoë Ångström,,preventing-falls,
Ana Díaz,,diet-vitamin-d,ana.diaz@@example
Li Wei,,quit-smoking;hip-pads,li@example.org
Sam Lee,,bone-density-test,sam@example.org
"""


@pytest.fixture
def batch_csv(project: Path) -> Path:
    (project / "patients.csv").write_text(PATIENTS, encoding="utf-8")
    return project / "patients.csv"


def test_batch_email_drafts_a_message_per_row_with_an_address(project: Path, batch_csv: Path) -> None:
    result = run("batch", str(batch_csv), "--content", CONTENT, "--email", "--jobs", "1")
    assert result.code == 1  # line 4's address, line 5's topic
    drafts = sorted(p.name for p in (project / "outbox").glob("*.eml"))
    assert drafts == ["jose-nunez.eml", "sam-lee.eml"]
    jose = read_eml(project / "outbox" / "jose-nunez.eml")
    text, html, attached = parts(jose)
    assert attached == {"jose-nunez.pdf": (project / "packets" / "jose-nunez.pdf").read_bytes()}
    assert "todas en un archivo PDF para imprimir" in " ".join(text.split()) and "Archivo adjunto: jose-nunez.pdf" in text
    assert TITLES["quit-smoking.es"] in html and TITLES["fracture-warning-signs.es"] in html
    assert jose["Subject"] == "Información de Riverside Spine & Bone Clinic"
    assert "patients.csv, line 4, email: this is not an email address" in result.flat
    assert "line 2: written to the outbox" in result.flat and "line 6: written to the outbox" in result.flat
    assert "1 built row had no email address" in result.flat
    for private in ("José", "Núñez", "Zoë", "Ana", "Sam", "jose@", "sam@", "ana.diaz", "jose-nunez"):
        assert private not in result.output


def test_batch_email_again_sends_nobody_the_same_packet_twice(project: Path, batch_csv: Path) -> None:
    assert run("batch", str(batch_csv), "--content", CONTENT, "--email").code == 1
    again = run("batch", str(batch_csv), "--content", CONTENT, "--email")
    assert "line 2: already written to the outbox earlier" in again.flat
    assert "Emailed to outbox/: 2 already sent, 1 with a wrong address." in again.flat
    assert len(list((project / "outbox").glob("*.eml"))) == 2


def emailed_after(project: Path, batch_csv: Path, change) -> list[str]:
    """Build the batch's packets, ``change`` the project (as an editor or a program might while
    a long batch is emailed), then email the packets: what became of each row, as the summary says."""
    from handouts.batch import batch
    from handouts.email import describe, email_packets

    shutil.copytree(ROOT / "content", project / "content", dirs_exist_ok=True)
    opened = Project.open(project / "templates", project / "clinic.yaml")
    report = batch(batch_csv, opened, project / "content", project / "packets")
    change()
    emailed = email_packets(opened, report, batch_csv, project / "packets", outbox=project / "outbox")
    return [describe(delivery) for delivery in emailed.run.deliveries]


def test_a_row_whose_message_cannot_be_made_fails_alone_by_its_line(project: Path, batch_csv: Path) -> None:
    broken = project / "content" / "quit-smoking.es.yaml"  # in line 2's packet only
    said = emailed_after(project, batch_csv, lambda: broken.write_text("title: [", encoding="utf-8"))
    assert said[0].startswith("line 2: not sent: content/quit-smoking.es.yaml, line 1")
    assert said[1:] == ["line 6: written to the outbox"]
    assert [p.name for p in (project / "outbox").glob("*.eml")] == ["sam-lee.eml"]


@pytest.mark.parametrize(("change", "says"), [
    (lambda packet: packet.write_bytes(packet.read_bytes().replace(b"Riverside", b"Elsewhere")),
     "line 2: not sent: its packet was changed after the batch built and checked it, so it was not attached; "
     "build the batch again (it makes the packet anew)"),
    (lambda packet: packet.unlink(),
     "line 2: not sent: its packet can no longer be read (No such file or directory); build the batch again"),
], ids=["changed", "removed"])
def test_a_packet_that_is_not_the_one_the_batch_checked_is_never_attached(
        project: Path, batch_csv: Path, change, says: str) -> None:
    said = emailed_after(project, batch_csv, lambda: change(project / "packets" / "jose-nunez.pdf"))
    assert said == [says, "line 6: written to the outbox"]
    assert [p.name for p in (project / "outbox").glob("*.eml")] == ["sam-lee.eml"]


def test_deliveries_lists_the_log_and_shows_recipients_only_when_asked(project: Path, batch_csv: Path) -> None:
    run("batch", str(batch_csv), "--content", CONTENT, "--email")
    table = run("deliveries")
    assert table.code == 0 and "line 2 written quit-smoking.es.pdf, fracture-warning-signs.es.pdf (" in table.flat
    assert "written" in table.flat and "@" not in table.output and "jose-nunez" not in table.output
    entries = json.loads(run("deliveries", "--format", "json").output)["deliveries"]
    packet = (project / "packets" / "jose-nunez.pdf").read_bytes()
    import hashlib

    assert [(e["line"], e["outcome"], e["source"]) for e in entries] == [(2, "written", "patients.csv"), (6, "written", "patients.csv")]
    assert entries[0]["attachments"] == [{"sha256": hashlib.sha256(packet).hexdigest(), "bytes": len(packet),
                                          "handouts": ["quit-smoking.es.pdf", "fracture-warning-signs.es.pdf"]}]
    assert "recipient" not in entries[0] and entries[0]["reply"] == ""
    verbose = json.loads(run("deliveries", "--format", "json", "--verbose").output)["deliveries"]
    assert verbose[0]["recipient"] == "jose@example.org" and verbose[0]["reply"] == "jose-nunez.eml"
    assert verbose[0]["attachments"][0]["file"] == "jose-nunez.pdf"
    assert json.loads(run("deliveries", "--format", "json", "--since", "2999-01-01").output)["deliveries"] == []


def test_deliveries_without_a_log_says_so_and_creates_nothing(project: Path) -> None:
    result = run("deliveries")
    assert result.code == 0 and "No deliveries logged in outbox/." in result.flat
    assert not (project / "outbox").exists()


@pytest.mark.parametrize(("block", "message"), [
    ("email:\n  host: smtp.example.org\n  security: none\n  sender: a@example.org\n",
     "clinic.yaml, line 7, email: security: none would send patients' handouts and the password unencrypted"),
    ("email:\n  host: smtp.example.org\n  sender: Riverside <frontdesk.example.org>\n",
     "clinic.yaml, line 9, email › sender: this is not an email address"),
    ("email:\n  host: smtp.example.org\n  sender: a@example.org\n  password: hunter2\n",
     "clinic.yaml, line 7, email: take out 'password': the user name and password never go in a file"),
    ("email:\n  host: smtp.example.org\n  sender: a@example.org\n  hots: x\n",
     "clinic.yaml, line 10, email: unknown key 'hots' — did you mean 'host'?"),
])
def test_mail_settings_in_the_clinic_file_are_checked(project: Path, block: str, message: str) -> None:
    (project / "clinic.yaml").write_text((ROOT / "clinic.yaml").read_text() + block, encoding="utf-8")
    result = email("quit-smoking", "--to", "ana@example.org", "--send")
    assert result.code == 1 and message in result.flat, result.output
    assert "hunter2" not in result.output


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.0.1.1", "::1"])
def test_a_server_on_this_computer_may_go_without_encryption(host: str) -> None:
    """The same loopback rule as the page of serve: any loopback address, or localhost."""
    from handouts.model import EmailSettings

    assert EmailSettings(host=host, security="none", sender="a@example.org").server_port == 25


@pytest.mark.parametrize("host", ["smtp.example.org", "10.0.0.1", "0.0.0.0", "localhost.example.org", "127.0.0.1.example.org"])
def test_a_server_elsewhere_may_not_go_without_encryption(host: str) -> None:
    from pydantic import ValidationError

    from handouts.model import EmailSettings

    with pytest.raises(ValidationError, match="security: none would send patients' handouts and the password unencrypted"):
        EmailSettings(host=host, security="none", sender="a@example.org")


def test_send_without_mail_settings_says_what_to_add(project: Path) -> None:
    result = email("quit-smoking", "--to", "ana@example.org", "--send")
    assert result.code == 1 and "sending needs the clinic's mail server: add an 'email:' block" in result.flat
    (project / "patients.csv").write_text(PATIENTS, encoding="utf-8")
    batched = run("batch", "patients.csv", "--content", CONTENT, "--send")
    assert batched.code == 1 and "sending needs the clinic's mail server" in batched.flat
    assert not (project / "packets").exists()  # said before a single packet was built


def test_building_handouts_loads_no_email_code() -> None:
    """``build`` and ``batch`` without --email never pay for the address checker or smtplib."""
    code = ("import sys, handouts.cli, handouts.runner, handouts.batch, handouts.summary, handouts.variants;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('email_validator', 'smtplib', 'sqlite3')"
            " or m.startswith('handouts.email')))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                          timeout=60).stdout.strip() == "[]"


def test_pace_spaces_messages_evenly() -> None:
    from handouts.email.deliver import Pace

    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    pace = Pace(30, clock=lambda: now[0], sleep=sleep)
    pace.wait()
    pace.wait()
    now[0] += 0.5
    pace.wait()
    now[0] += 10
    pace.wait()
    assert slept == [2.0, 1.5]


def test_a_program_can_email_one_patient_without_the_command_line(project: Path) -> None:
    """The seam a web page calls: one function, any backend (here: memory), the same log."""
    from handouts.email import MemoryBackend, describe, email_handouts
    from handouts.pipeline import Options
    from handouts.tailor import Patient

    prepared, memory = Project.open(project / "templates", project / "clinic.yaml"), MemoryBackend()
    options = Options(patient=Patient("Ana Díaz"))
    delivery, notes = email_handouts(prepared, Path(CONTENT), ["quit-smoking"], "ana@example.org", options,
                                     language="es", backend=memory, outbox=project / "outbox")
    assert (delivery.outcome, notes, describe(delivery)) == ("accepted", [], "The message: accepted by the mail server")
    [sent] = memory.outbox
    message = BytesParser(policy=policy.default).parsebytes(sent)
    assert message["Subject"] == "Información de Riverside Spine & Bone Clinic" and "X-Unsent" not in message
    again, _ = email_handouts(prepared, Path(CONTENT), ["quit-smoking"], "ana@example.org", options, language="es",
                              backend=memory, outbox=project / "outbox")
    assert again.outcome == "already sent" and len(memory.outbox) == 1
