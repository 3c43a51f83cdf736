"""Real headless Chromium for the tests, and axe-core run inside it.

The browser is Debian's ``chromium`` driven by Playwright (``executable_path``: Playwright's
own browser download is not reachable here); axe-core is the pinned copy in ``tests/js``
that ``tests/install-test-tools.sh`` installs. Nothing is fetched at test time.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

JS = Path(__file__).resolve().parent / "js" / "node_modules"
AXE = JS / "axe-core" / "axe.min.js"

WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""The axe-core rule tags for WCAG 2.1 level AA (A and AA, 2.0 and 2.1)."""

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
"""Run as root without a sandbox, and make no connections of its own (the network is closed)."""


def chromium_path() -> str:
    """Debian's Chromium; a missing one is a setup error with its fix, never a skipped test."""
    found = shutil.which("chromium")
    if not found:
        raise RuntimeError("chromium is not installed: run `sh tests/install-test-tools.sh` (the README's test command does)")
    return found


def axe_violations(page: Any, tags: tuple[str, ...] = WCAG_AA) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; each violation with its rule, impact and the nodes.

    axe is injected into the page unless it is there already: a test checking many pages
    saves most of the time with ``context.add_init_script(path=str(AXE))``, which gives every
    page of the context axe as it loads.
    """
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `sh tests/install-test-tools.sh` (the README's test command does)")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: a strict Content-Security-Policy refuses those
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""",
        list(tags),
    )
