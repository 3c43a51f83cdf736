"""Readability: the reading grade of what a patient reads, with the sentences and words to fix.

English topics are graded with Flesch-Kincaid and SMOG. Those formulas count English
syllables against American school grades, so Spanish topics are graded with Spanish ones:
Crawford (a school grade) and Szigriszt-Pazos perspicuity on the INFLESZ scale (0–100,
higher is easier). Other languages have no formula here and are not graded.
"""

from __future__ import annotations

import re

from ..load import Document, Location
from ..model import Topic, location_key, text_fields
from ..readability import EASE, Readability, syllables
from .config import ReadingLimits
from .findings import SEVERITIES, Finding, Origin, Severity
from .text import sentences

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def readability_findings(origin: Origin, topic: Topic, document: Document, measured: Readability,
                         limits: ReadingLimits) -> list[Finding]:
    """One finding for the topic's grade: info when it reads easily, else a warning or error."""
    if measured.grade is None:
        return [origin.finding("readability", "info", f"no reading-grade formula for '{topic.language}'; not graded")]
    severity = _by_grade(measured.grade, limits)
    if measured.ease is not None:
        severity = _worse(severity, _by_ease(measured.ease, limits))
    shown = measured.describe()
    target = f"grade {limits.warn_above_grade:g} or below"
    if EASE in measured.measures:
        target += f", ease {limits.warn_below_ease:g} or above"
    message = f"reading level: {shown} (aim for {target})"
    return [origin.finding("readability", severity, message, suggestion=_suggestion(topic, document, limits))]


def _by_grade(value: float, limits: ReadingLimits) -> Severity:
    return "error" if value > limits.error_above_grade else "warning" if value > limits.warn_above_grade else "info"


def _by_ease(value: float, limits: ReadingLimits) -> Severity:
    return "error" if value < limits.error_below_ease else "warning" if value < limits.warn_below_ease else "info"


def _worse(one: Severity, other: Severity) -> Severity:
    return min(one, other, key=SEVERITIES.index)  # SEVERITIES runs from the worst


def _suggestion(topic: Topic, document: Document, limits: ReadingLimits) -> str:
    """The longest sentences (with their lines) and the longest words, to shorten first."""
    long = [item for item in _sentences(topic) if len(item[1].split()) >= limits.long_sentence_words]
    sentences = sorted(long, key=lambda item: -len(item[1].split()))[: limits.suggestions]
    parts = []
    if sentences:
        parts.append("shorten the longest sentences: " + "; ".join(
            f"line {document.line_of(at)} ({location_key(at)}): “{text}” ({len(text.split())} words)"
            for at, text in sentences
        ))
    words = _long_words(topic, limits)
    if words:
        parts.append(f"try shorter words for these of {limits.long_word_syllables}+ syllables: " + ", ".join(words))
    return "; ".join(parts) or "use short sentences and everyday words"


def _sentences(topic: Topic) -> list[tuple[Location, str]]:
    return [(at, sentence) for at, text in text_fields(topic, sources=False) for sentence in sentences(text)]


def _long_words(topic: Topic, limits: ReadingLimits) -> list[str]:
    """Distinct words of many syllables, the longest first, as ``osteoporosis (6)``."""
    words = {word.lower() for _, text in text_fields(topic, sources=False) for word in _WORD.findall(text)}
    counted = [(syllables(word, topic.language), word) for word in words]
    long = sorted(((count, word) for count, word in counted if count >= limits.long_word_syllables), key=lambda cw: (-cw[0], cw[1]))
    return [f"{word} ({count})" for count, word in long[: limits.suggestions * 2]]
