"""The pure check functions: phone formats, review dates and the thresholds file."""

import datetime as dt
from pathlib import Path

import pytest

from handouts.checks.config import Review, load_config
from handouts.checks.findings import Origin
from handouts.checks.hygiene import odd_phone_numbers, review_findings
from handouts.errors import HandoutError
from handouts.load import Document
from handouts.model import Topic


@pytest.mark.parametrize(
    "text",
    ["Call (555) 010-0142.", "Call 555-010-0142 or 555.010.0142.", "Call 1-800-784-8669.", "Call **1-800-662-HELP**.",
     "Call 1-800-QUIT-NOW (1-800-784-8669).", "Call 555-0100.", "Call +34 91 123 45 67.", "Call 911.",
     "Take 1,200 mg.", "Walk 10 000 steps.", "From 2020-2024.", "Reviewed 2026-11-20.", "Age 19 to 50."],
)
def test_dialable_numbers_and_other_figures_pass(text: str) -> None:
    assert odd_phone_numbers(text) == []


@pytest.mark.parametrize("text, number", [("Call 5550100142.", "5550100142"), ("Call 555 0100 now.", "555 0100"),
                                          ("Call (555)010 01 42.", "(555)010 01 42")])
def test_numbers_patients_cannot_dial_are_found(text: str, number: str) -> None:
    assert odd_phone_numbers(text) == [number]


@pytest.mark.parametrize("today, severity", [(dt.date(2026, 2, 28), "info"), (dt.date(2026, 3, 1), "warning"),
                                             (dt.date(2024, 2, 28), "error")])
def test_review_is_due_two_years_on_even_from_29_february(today: dt.date, severity: str) -> None:
    topic = Topic.model_validate({"title": "T", "reviewed": dt.date(2024, 2, 29), "summary": "S",
                                  "sections": [{"heading": "H"}], "sources": [{"org": "O", "title": "T"}]})
    [finding] = review_findings(Origin(None), topic, Document(Path("t.yaml"), {}), today, Review())
    assert finding.severity == severity


def test_error_thresholds_must_be_beyond_warnings(tmp_path: Path) -> None:
    path = tmp_path / "check.yaml"
    path.write_text("readability:\n  warn_above_grade: 9\n  error_above_grade: 7\n")
    with pytest.raises(HandoutError) as caught:
        load_config(path)
    assert "an error threshold should be at or beyond its warning threshold" in str(caught.value)
    assert "Value error" not in str(caught.value)
