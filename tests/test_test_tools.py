"""The readers the other tests rely on are really there and really find problems."""

from __future__ import annotations

from tests.browser import axe_violations


def test_axe_in_chromium_reports_a_real_violation(page) -> None:
    page.set_content("<html lang='en'><head><title>t</title></head><body><main><h1>Hi</h1>"
                     "<img src='data:,'></main></body></html>")
    assert [violation["id"] for violation in axe_violations(page)] == ["image-alt"]


def test_axe_in_chromium_passes_a_clean_page(page) -> None:
    page.set_content("<html lang='en'><head><title>t</title></head><body><main><h1>Hi</h1>"
                     "<img src='data:,' alt='A dot'></main></body></html>")
    assert axe_violations(page) == []
