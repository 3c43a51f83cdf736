"""Sending through a real SMTP server on 127.0.0.1 (tests/smtp_server.py: aiosmtpd, STARTTLS
on a trustme certificate, AUTH): what arrives, faults, the password, and a run killed with
kill -9 and started again."""

from __future__ import annotations

import base64
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from handouts.batch import batch
from handouts.email import email_packets
from handouts.email.send import BatchEmail
from handouts.email.smtp import Credentials, SMTPBackend
from handouts.pipeline import Project
from tests.helpers import ROOT, run
from tests.smtp_server import PASSWORD, WAIT, MailServer
from tests.test_email import CONTENT, TITLES, parts

SENDER = "Riverside Spine & Bone Clinic <handouts@riverside.example.org>"
TOPICS = ["quit-smoking", "preventing-falls", "diet-vitamin-d", "bone-density-test", "alcohol-and-bones"]


def use_server(project: Path, server: MailServer, security: str = "starttls") -> Path:
    """Point the project's clinic file at ``server``."""
    clinic = project / "clinic.yaml"
    clinic.write_text((ROOT / "clinic.yaml").read_text() + f"email:\n  host: 127.0.0.1\n  port: {server.port}\n"
                      f"  security: {security}\n  sender: \"{SENDER}\"\n  reply_to: frontdesk@riverside.example.org\n",
                      encoding="utf-8")
    return clinic


def patients(project: Path, count: int) -> Path:
    """A batch file of ``count`` patients on lines 2 …: Patient n, pn@example.org, one topic."""
    rows = [f"Patient {n},,{TOPICS[n % len(TOPICS)]},p{n}@example.org" for n in range(1, count + 1)]
    path = project / "patients.csv"
    path.write_text("name,language,topics,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def recipients(server: MailServer) -> Counter[str]:
    return Counter(address for message in server.received for address in message.rcpt_tos)


def logged(project: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(project / "outbox" / "deliveries.sqlite", timeout=WAIT) as db:
        return db.execute("SELECT line, outcome FROM deliveries ORDER BY id").fetchall()


def send_batch(project: Path, server: MailServer, count: int) -> BatchEmail:
    """Build a batch and send it through the library, retrying after 0.05 s (the CLI waits longer)."""
    prepared = Project.open(project / "templates", use_server(project, server))
    csv = patients(project, count)
    report = batch(csv, prepared, Path(CONTENT), project / "packets")
    assert prepared.clinic.email is not None
    backend = SMTPBackend(prepared.clinic.email, Credentials.from_environment(), delays=(0.05, 0.05, 0.05), timeout=WAIT)
    return email_packets(prepared, report, csv, project / "packets", backend=backend, outbox=project / "outbox", rate=6000)


def test_a_sent_message_arrives_whole_over_tls_after_login(project: Path, mail_server) -> None:
    server = mail_server()
    use_server(project, server)
    args = ("quit-smoking", "fracture-warning-signs", "--patient", "Ana Díaz", "--lang", "es", "--content", CONTENT)
    result = run("email", *args, "--to", "ana@example.org", "--send")
    assert result.code == 0 and "The message: accepted by the mail server" in result.flat, result.output
    assert run("build", *args).code == 0
    [received] = server.received
    assert received.tls and received.authenticated
    assert received.mail_from == "handouts@riverside.example.org" and received.rcpt_tos == ["ana@example.org"]
    message = received.message
    assert message["From"] == SENDER and message["Reply-To"] == "frontdesk@riverside.example.org"
    assert message["Subject"] == "Información de Riverside Spine & Bone Clinic" and message["X-Unsent"] is None
    assert message["Message-ID"].endswith("@riverside.example.org>")
    text, html, attached = parts(message)
    assert attached == {name: (project / "out" / name).read_bytes()
                        for name in ("quit-smoking.es.pdf", "fracture-warning-signs.es.pdf")}
    assert "Hola, Ana Díaz:" in text and TITLES["quit-smoking.es"] in html
    assert not list((project / "outbox").glob("*.eml"))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # aiosmtpd cannot see implicit TLS
def test_a_server_that_encrypts_from_the_start(project: Path, mail_server) -> None:
    server = mail_server(implicit_tls=True)
    use_server(project, server, security="tls")
    result = run("email", "quit-smoking", "--to", "ana@example.org", "--send", "--content", CONTENT)
    assert result.code == 0, result.output
    assert [r.rcpt_tos for r in server.received] == [["ana@example.org"]] and server.received[0].authenticated


def test_a_batch_uses_one_connection_and_nobody_gets_the_same_packet_twice(project: Path, mail_server) -> None:
    server = mail_server()
    use_server(project, server)
    csv = patients(project, 4)
    first = run("batch", str(csv), "--content", CONTENT, "--send", "--rate", "6000", "--jobs", "1")
    assert first.code == 0 and "Emailed through the mail server: 4 accepted." in first.flat, first.output
    assert recipients(server) == Counter({f"p{n}@example.org": 1 for n in range(1, 5)})
    assert len(server.handler.clients) == 1
    for received in server.received:
        packet = project / "packets" / f"patient-{received.rcpt_tos[0][1]}.pdf"
        assert parts(received.message)[2] == {packet.name: packet.read_bytes()}
    again = run("batch", str(csv), "--content", CONTENT, "--send", "--rate", "6000")
    assert again.code == 0 and "4 already sent" in again.flat and len(server.received) == 4
    resent = run("batch", str(csv), "--content", CONTENT, "--send", "--rate", "6000", "--resend")
    assert resent.code == 0 and len(server.received) == 8


def test_a_451_is_tried_again_and_then_accepted(project: Path, mail_server) -> None:
    server = mail_server(defer=1)
    emailed = send_batch(project, server, 2)
    assert [d.outcome for d in emailed.run.deliveries] == ["accepted", "accepted"] and emailed.all_delivered
    assert server.handler.data_seen == 3 and recipients(server) == Counter({"p1@example.org": 1, "p2@example.org": 1})
    assert logged(project) == [(2, "accepted"), (3, "accepted")]


def test_a_lasting_4xx_is_deferred_and_goes_out_on_the_next_run(project: Path, mail_server) -> None:
    server = mail_server(defer=4)  # the first try and three more
    emailed = send_batch(project, server, 2)
    [first, second] = emailed.run.deliveries
    assert (first.outcome, first.reply) == ("deferred", "451 4.3.0 Mail server temporarily rejected message")
    assert second.outcome == "accepted" and not emailed.all_delivered
    again = send_batch(project, server, 2)
    assert [d.outcome for d in again.run.deliveries] == ["accepted", "already sent"]
    assert recipients(server) == Counter({"p1@example.org": 1, "p2@example.org": 1})
    assert logged(project) == [(2, "deferred"), (3, "accepted"), (2, "accepted")]


def test_a_refused_address_is_reported_for_its_row_and_the_others_go_on(project: Path, mail_server) -> None:
    server = mail_server(refuse={"p2@example.org"})
    use_server(project, server)
    result = run("batch", str(patients(project, 3)), "--content", CONTENT, "--send", "--rate", "6000")
    assert result.code == 1
    assert ("line 3: refused by the mail server: 550 5.1.1 <the patient's address>: Recipient address rejected: "
            "User unknown in virtual mailbox table") in result.flat
    assert "p2@" not in result.output and "Patient" not in result.output
    assert "Emailed through the mail server: 2 accepted, 1 refused." in result.flat
    assert recipients(server) == Counter({"p1@example.org": 1, "p3@example.org": 1})
    assert logged(project) == [(2, "accepted"), (3, "refused"), (4, "accepted")]
    verbose = run("deliveries", "--verbose")
    assert "550 5.1.1 <p2@example.org>: Recipient address rejected" in verbose.flat


def test_a_dropped_connection_is_made_again_and_nothing_is_lost_or_doubled(project: Path, mail_server) -> None:
    server = mail_server(per_connection=2)
    emailed = send_batch(project, server, 5)
    assert emailed.all_delivered and [d.outcome for d in emailed.run.deliveries] == ["accepted"] * 5
    assert recipients(server) == Counter({f"p{n}@example.org": 1 for n in range(1, 6)})
    assert len(server.handler.clients) == 3


def test_a_wrong_password_is_one_clear_error_and_never_shown(project: Path, mail_server, monkeypatch) -> None:
    server = mail_server()
    use_server(project, server)
    wrong = "not-the-Pa55word"
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", wrong)
    result = run("batch", str(patients(project, 3)), "--content", CONTENT, "--send", "--debug")
    assert result.code == 1
    assert result.flat.count("error:") == 1 and "refused the user name or password" in result.flat
    assert "Emailed through the mail server: 3 not tried." in result.flat
    for secret in (wrong, PASSWORD, base64.b64encode(f"\0frontdesk\0{wrong}".encode()).decode()):
        assert secret not in result.output
    assert server.received == [] and logged(project) == []
    traced = subprocess.run([sys.executable, str(ROOT / "build.py"), "email", "quit-smoking", "--to", "ana@example.org",
                             "--send", "--debug", "--content", CONTENT], cwd=project, capture_output=True, text=True,
                            timeout=120, env=os.environ.copy())
    assert traced.returncode == 1 and "Traceback" in traced.stderr and "refused the user name or password" in traced.stderr
    assert wrong not in traced.stdout + traced.stderr


def test_an_unverifiable_certificate_stops_before_anything_is_sent(project: Path, mail_server, monkeypatch) -> None:
    server = mail_server()
    use_server(project, server)
    monkeypatch.delenv("SSL_CERT_FILE")  # the test authority is not trusted any more
    result = run("email", "quit-smoking", "--to", "ana@example.org", "--send", "--content", CONTENT)
    assert result.code == 1 and f"the certificate of the mail server 127.0.0.1:{server.port} could not be verified" in result.flat
    assert server.received == []


def _start_batch(project: Path, count: int, rate: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "build.py"), "batch", "patients.csv", "--content", CONTENT,
               "--send", "--rate", str(rate), "--jobs", "1"]
    patients(project, count)
    return subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy())


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=WAIT) == -signal.SIGKILL


def _run_again(project: Path) -> str:
    again = subprocess.run([sys.executable, str(ROOT / "build.py"), "batch", "patients.csv", "--content", CONTENT,
                            "--send", "--rate", "6000", "--jobs", "1"], cwd=project, capture_output=True, text=True,
                           timeout=120, env=os.environ.copy())
    assert again.returncode == 0, again.stdout + again.stderr
    return " ".join(again.stdout.split())


def test_a_batch_killed_between_messages_and_run_again_sends_each_patient_one_message(project: Path, mail_server) -> None:
    server = mail_server()
    use_server(project, server)
    process = _start_batch(project, 5, rate=20)  # 3 s between messages: the kill lands in that pause
    deadline = time.monotonic() + 60
    while len(server.received) < 2 or logged(project).count((3, "accepted")) < 1:
        assert process.poll() is None and time.monotonic() < deadline, "the batch never sent two messages"
        time.sleep(0.02)
    _kill(process)
    assert logged(project) == [(2, "accepted"), (3, "accepted")]
    output = _run_again(project)
    assert "2 already sent, 3 accepted" in output
    assert recipients(server) == Counter({f"p{n}@example.org": 1 for n in range(1, 6)})


def test_a_batch_killed_while_a_message_is_in_flight_sends_only_that_one_twice(project: Path, mail_server) -> None:
    server = mail_server(hold=3)  # the third message waits, after its data, for the kill
    use_server(project, server)
    process = _start_batch(project, 5, rate=6000)
    server.wait_until_held()
    _kill(process)
    server.release()
    assert logged(project) == [(2, "accepted"), (3, "accepted"), (4, "sending")]
    output = _run_again(project)
    assert "line 4: accepted by the mail server (it was being sent when an earlier run stopped" in output
    assert recipients(server) == Counter({"p1@example.org": 1, "p2@example.org": 1, "p3@example.org": 2,
                                          "p4@example.org": 1, "p5@example.org": 1})
    [first, second] = [r.message["Message-ID"] for r in server.received if r.rcpt_tos == ["p3@example.org"]]
    assert first == second  # the same Message-ID: most mail programs show it once
    assert logged(project)[2:4] == [(4, "interrupted"), (4, "accepted")]
