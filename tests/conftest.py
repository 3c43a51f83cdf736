"""Shared fixtures: a scratch copy of the shipped templates and clinic to build in."""

from __future__ import annotations

import os
import shutil
import ssl
from pathlib import Path

import pytest
from hypothesis import settings

from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.helpers import ROOT

# In CI the property tests run the same examples every time, so a submission never fails on a
# rare draw; locally each run explores new ones (and keeps any failure in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the templates and clinic, with an empty content folder; cwd is it."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "clinic.yaml", tmp_path / "clinic.yaml")
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's browser is Debian's Chromium, headless, making no connections of its own."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def certificate_authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ssl.SSLContext]:
    """A test certificate authority (trustme): its certificate file, and a server context
    with a certificate it issued for 127.0.0.1."""
    import trustme

    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    return ca_file, server


@pytest.fixture
def mail_server(certificate_authority: tuple[Path, ssl.SSLContext], monkeypatch: pytest.MonkeyPatch):
    """Start real SMTP servers (tests/smtp_server.py) with faults to order. The product trusts
    the test authority the way any program does, through SSL_CERT_FILE, and logs in with
    the user and password in the environment; every server is stopped afterwards."""
    from tests.smtp_server import PASSWORD, USER, Faults, MailServer

    ca_file, context = certificate_authority
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("HANDOUTS_SMTP_USER", USER)
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", PASSWORD)
    servers: list[MailServer] = []

    def start(implicit_tls: bool = False, **faults: object) -> MailServer:
        servers.append(MailServer(context, Faults(**faults), implicit_tls))  # type: ignore[arg-type]
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def shipped(tmp_path: Path):
    """For the page's tests: a copy of the shipped content, templates and clinic file."""
    from tests.web_support import copy_project

    return copy_project(tmp_path)


@pytest.fixture
def page_client(shipped):
    """Flask's test client for the page over :func:`shipped`."""
    from tests.web_support import app_for

    return app_for(shipped).test_client()
