"""The HTML version in a real browser (Debian's Chromium): accessible by axe-core's WCAG 2.1 AA
rules, printable on one page, and making no requests.

One browser serves the whole module; axe is loaded into each page as it opens.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.browser import AXE, axe_violations
from tests.helpers import ROOT, build_shipped

SHIPPED = sorted(path.name.removesuffix(".yaml") for path in (ROOT / "content").glob("*.yaml"))
VARIANTS = ("", ".large", ".gray", ".large.gray")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped topic, English and Spanish, in every variant, as HTML; and two with a logo."""
    out = tmp_path_factory.mktemp("html")
    build_shipped(out, "--format", "html", "--all-variants")
    build_shipped(out, "--format", "html", "--all-variants", "--grayscale")
    Image.new("RGB", (400, 200), (11, 74, 102)).save(out / "logo.png")
    (out / "clinic.yaml").write_text((ROOT / "clinic.yaml").read_text() + "logo: logo.png\n")
    build_shipped(out / "logo", "quit-smoking", "--format", "html", clinic=out / "clinic.yaml")
    build_shipped(out / "note", "--format", "html", "--lang", "es", "--patient", "Ana Díaz", "--set", "clinician=Dr. Lee",
                  "--set", "follow_up=4 de mayo, 9:30", "--set", "note=Camine 20 minutos cada día y llámenos si el dolor empeora.")
    return out


@pytest.fixture(scope="module")
def checker(browser):  # pytest-playwright's browser: one for the module
    """A page in a context that gives every page axe-core as it loads (the handouts' own
    policy forbids scripts, so this context bypasses it: an auditor's tool, not the page's)."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


def test_every_shipped_handout_and_variant_has_no_accessibility_violations(pages: Path, checker) -> None:
    files = sorted(pages.glob("*.html")) + sorted((pages / "logo").glob("*.html"))
    assert len(files) == len(SHIPPED) * len(VARIANTS) + 2
    found = {}
    for path in files:
        checker.goto(path.as_uri())
        violations = axe_violations(checker)
        if violations:
            found[path.name] = violations
    assert found == {}


def test_each_handout_prints_on_one_page_and_large_print_on_two_at_most(pages: Path, checker) -> None:
    """Chromium sets these in DejaVu Sans, 17% wider than Atkinson Hyperlegible: a hard case.
    The Spanish handouts (the longer ones) are printed with a patient's note and next visit too."""
    files = [pages / f"{stem}{variant}.html" for stem in SHIPPED for variant in ("", ".large")]
    counts = {}
    for path in [*files, *sorted((pages / "note").glob("*.html"))]:
        checker.goto(path.as_uri())
        counts[f"{path.parent.name}/{path.name}"] = len(PdfReader(io.BytesIO(checker.pdf(prefer_css_page_size=True))).pages)
    assert len(counts) == 2 * len(SHIPPED) + sum(stem.endswith(".es") for stem in SHIPPED)
    assert {name: count for name, count in counts.items() if count > (2 if ".large." in name else 1)} == {}


def test_the_header_band_and_boxes_print_in_colour(pages: Path, checker, tmp_path: Path) -> None:
    """A browser leaves backgrounds out of a printout unless the page asks; white header text
    on no band would vanish."""
    checker.goto((pages / "fracture-warning-signs.html").as_uri())
    (tmp_path / "printed.pdf").write_bytes(checker.pdf(prefer_css_page_size=True))
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-singlefile", str(tmp_path / "printed.pdf"), str(tmp_path / "printed")],
                   check=True)
    colours = {colour for _, colour in Image.open(tmp_path / "printed.png").convert("RGB").getcolors(100_000)}
    assert (11, 74, 102) in colours and (253, 233, 231) in colours  # the brand band; the urgent box's fill


def test_the_page_makes_no_requests_and_runs_no_scripts(pages: Path, browser) -> None:
    context = browser.new_context()  # the page's own Content-Security-Policy applies
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    target = (pages / "logo" / "quit-smoking.html").as_uri()
    page.goto(target)
    assert page.evaluate("document.images.length === 1 && document.images[0].complete && document.images[0].naturalWidth > 0")
    assert [url for url in requested if not url.startswith("data:")] == [target]
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="document.title = 'changed'")
    assert page.title() == "Quit Smoking for Stronger Bones"
    context.close()
