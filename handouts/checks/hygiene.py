"""Clinical hygiene: a handout is reviewed, sourced, has dialable phone numbers and, for a
symptom, says when to get help.

"No sources" is the schema's to report (``sources`` needs at least one item); what is added
here is every sentence that states a figure in such a topic, since each needs a source.
"""

from __future__ import annotations

import datetime as dt
import re

from ..load import Document, Location
from ..model import Topic, location_key
from .config import Review
from .findings import Finding, Origin
from .text import sentences, strings

_DIGIT = re.compile(r"\d")
_PHONE_LIKE = re.compile(r"(?<![\w+])\+?\(?\d[\d ().\-‐‑–]{5,}\d(?!\w|-[^\W\d])")  # not 1-800-662-HELP
_DIALABLE = re.compile(
    r"(?<![\d+])(?:"
    r"(?:1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}"  # (555) 010-0142, 555-010-0142, 1-800-784-8669
    r"|\d{3}-\d{4}"  # 555-0100, a local number
    r"|\+\d{1,3}(?:[ .-]\d{1,4}){2,5}"  # +34 91 123 45 67
    r")(?!\d)"
)
_NOT_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4} ?[-–] ?\d{4}|\d{1,3}(?:[ .]\d{3})+")  # date, years, 10 000
PHONE_EXAMPLE = "(555) 010-0142, 555-010-0142 or 1-800-784-8669"


def review_findings(origin: Origin, topic: Topic, document: Document, today: dt.date, limits: Review) -> list[Finding]:
    """An error for a review date in the future, a warning when the review is overdue."""
    where = {"line": document.line_of(("reviewed",)), "key": "reviewed"}
    due = _years_after(topic.reviewed, limits.warn_after_years)
    if topic.reviewed > today:
        return [origin.finding("hygiene", "error", f"the review date {topic.reviewed} is in the future",
                               suggestion="write the date a clinician last reviewed this topic", **where)]
    if due < today:
        return [origin.finding("hygiene", "warning",
                               f"last reviewed {topic.reviewed}, more than {limits.warn_after_years} years ago",
                               suggestion="have a clinician review the content, then update 'reviewed'", **where)]
    return [origin.finding("hygiene", "info", f"reviewed {topic.reviewed}; next review due by {due}", **where)]


def unsourced_figures(origin: Origin, document: Document) -> list[Finding]:
    """An error for each sentence with a figure in a topic file that lists no sources."""
    data = document.data
    if not isinstance(data, dict) or data.get("sources"):
        return []
    text = strings({key: value for key, value in data.items() if key != "sources"})
    return [
        origin.finding("hygiene", "error", f"this states a figure, but the topic has no sources: “{sentence}”",
                       line=document.line_of(at), key=location_key(at),
                       suggestion="list the source of every figure under 'sources', or take the figure out")
        for at, value in text
        for sentence in sentences(value)
        if _DIGIT.search(sentence)
    ]


def phone_findings(origin: Origin, fields: list[tuple[Location, str]], document: Document) -> list[Finding]:
    """A warning for each number that looks like a phone number but is not written in a
    format a patient recognises and can dial."""
    return [
        origin.finding("hygiene", "warning", f"'{number}' looks like a phone number but is hard to read or dial",
                       line=document.line_of(at), key=location_key(at),
                       suggestion=f"write phone numbers like {PHONE_EXAMPLE}")
        for at, text in fields
        for number in odd_phone_numbers(text)
    ]


def odd_phone_numbers(text: str) -> list[str]:
    """The phone-like numbers in ``text`` (7 digits or more) that are not in a dialable format."""
    found = []
    for match in _PHONE_LIKE.finditer(text):
        number = match.group().strip(" .-")
        if number.count("(") != number.count(")"):
            number = number.strip("()")
        if sum(c.isdigit() for c in number) >= 7 and not _NOT_PHONE.fullmatch(number) and not _DIALABLE.fullmatch(number):
            found.append(number)
    return found


def clinic_phone_findings(origin: Origin, phone: str, document: Document) -> list[Finding]:
    """A warning when the clinic's phone, printed on every handout, holds no dialable number."""
    if _DIALABLE.search(phone):
        return []
    return [origin.finding("hygiene", "warning", f"the clinic phone '{phone}' is not in a format patients can dial",
                           line=document.line_of(("phone",)), key="phone",
                           suggestion=f"write it like {PHONE_EXAMPLE}")]


def symptom_findings(origin: Origin, topic: Topic, document: Document) -> list[Finding]:
    """An error when a symptom topic has no callout telling the patient when to get help."""
    if topic.category != "symptom" or topic.callout:
        return []
    return [origin.finding("hygiene", "error", "a symptom topic needs a callout that says when to get help",
                           line=document.line_of(("category",)), key="category",
                           suggestion="add 'callout:' with 'kind: urgent', a heading such as 'Get help now', "
                                      "and when to call the clinic or 911")]


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
