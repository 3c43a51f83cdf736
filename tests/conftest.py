"""Shared fixtures: a scratch copy of the shipped templates and clinic to build in."""

from __future__ import annotations

import os
import shutil
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
