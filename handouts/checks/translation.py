"""Translation: does ``<slug>.<lang>.yaml`` still say what ``<slug>.yaml`` says?

Translations drift: a dose is fixed in English and the translation keeps the old one, or a
bullet is lost. Without understanding either language, this compares what must not change:

- the figures, phone numbers, web addresses and ``{{ names }}`` a patient reads (see
  :mod:`.figures`): each one in the English must be in the translation, and the translation
  may add none (errors);
- the shape: the same sections in the same order, as many bullets in each, the same callout
  kind, a subtitle where the English has one (warnings);
- the age: a translation reviewed before its English was (a warning).

A figure a translation adds on purpose, such as a quitline that answers in the reader's own
language, is listed in the translation file, each with its reason::

    translation:
      adds:
        - figure: 1-855-335-3569
          reason: the Spanish-language quitline; the English gives 1-800-QUIT-NOW

Only the figures listed there are let off, and a listed figure the translation no longer has
is a warning, so the list cannot go stale or turn into a blanket exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import HandoutError, display_path
from ..load import Document, Location
from ..model import Callout, Section, Topic, location_key, text_fields
from ..pipeline import TopicFile, load_topic
from .figures import Figure, figures
from .findings import Finding, Origin

CHECK = "translation"
_LISTED = "translation › adds"


def translation_findings(origin: Origin, topic_file: TopicFile, topic: Topic, document: Document) -> list[Finding]:
    """Every difference between a translation and its English file (nothing for English)."""
    if topic_file.language is None:
        return _additions_in_english(origin, topic, document)
    english_file = TopicFile(topic_file.path.with_name(f"{topic_file.slug}.yaml"), topic_file.slug, None)
    if not english_file.path.is_file():
        return [origin.finding(CHECK, "warning", f"there is no English file {display_path(english_file.path)} "
                               "to compare this translation with",
                               suggestion=f"name the file after its English topic: {topic_file.slug}.<language>.yaml")]
    try:
        english, english_document = load_topic(english_file)
    except HandoutError:  # the English file's own report says what is wrong with it
        return []
    pair = _Pair(origin, english_file.path, english, english_document, topic, document)
    return pair.figure_findings() + pair.shape_findings() + pair.age_findings()


def _additions_in_english(origin: Origin, topic: Topic, document: Document) -> list[Finding]:
    if topic.translation is None:
        return []
    return [origin.finding(CHECK, "warning", "only a translation can list figures it adds to its English",
                           line=document.line_of(("translation",)), key="translation",
                           suggestion="remove 'translation:' from the English file")]


@dataclass(frozen=True)
class _Pair:
    """A translation (``topic``) and its English, each with its file's line numbers."""

    origin: Origin
    english_path: Path
    english: Topic
    english_document: Document
    topic: Topic
    document: Document

    def figure_findings(self) -> list[Finding]:
        """Errors for figures lost or added; the listed additions checked and reported."""
        theirs, ours = _figures_of(self.english), _figures_of(self.topic)
        allowed, findings = self._listed_additions(theirs, ours)
        for figure in _distinct(theirs):
            if not any(figure.matches(other) for other in ours):
                findings.append(self._lost(figure))
        for figure in _distinct(ours):
            if not any(figure.matches(other) for other in theirs + allowed):
                findings.append(self._added(figure))
        return findings

    def _lost(self, figure: Figure) -> Finding:
        return self.origin.finding(
            CHECK, "error", f"the English has '{figure.shown}' ({self._english_at(figure.at)}) but the translation does not",
            line=self.document.line_of(figure.at), key=location_key(figure.at),
            suggestion=f"write the {figure.kind} into the translation exactly as the English gives it")

    def _added(self, figure: Figure) -> Finding:
        return self.origin.finding(
            CHECK, "error", f"the translation has '{figure.shown}' but the English ({display_path(self.english_path)}) does not",
            line=self.document.line_of(figure.at), key=location_key(figure.at),
            suggestion=f"take it out, or correct it; if these readers need it and English readers do not, "
                       f"list it under '{_LISTED}' with the reason")

    def _listed_additions(self, theirs: list[Figure], ours: list[Figure]) -> tuple[list[Figure], list[Finding]]:
        """The figures the translation file lists as its own, and what is wrong with the list."""
        allowed, findings = [], []
        for index, addition in enumerate(self.topic.translation.adds if self.topic.translation else []):
            at: Location = ("translation", "adds", index, "figure")
            where = {"line": self.document.line_of(at), "key": location_key(at)}
            listed = figures(addition.figure, at)
            if len(listed) != 1:
                findings.append(self.origin.finding(
                    CHECK, "error", f"'{addition.figure}' is not one figure, phone number or web address",
                    suggestion="write exactly one, as the text gives it, e.g. 1-855-335-3569", **where))
            elif any(listed[0].matches(other) for other in theirs):
                findings.append(self.origin.finding(
                    CHECK, "warning", f"the English has '{addition.figure}' too, so it is not an addition",
                    suggestion=f"remove it from '{_LISTED}'", **where))
            elif not any(listed[0].matches(other) for other in ours):
                findings.append(self.origin.finding(
                    CHECK, "warning", f"'{addition.figure}' is listed as an addition, but the translation does not have it",
                    suggestion=f"remove it from '{_LISTED}', or correct it", **where))
            else:
                allowed.append(listed[0])
                findings.append(self.origin.finding(
                    CHECK, "info", f"adds '{addition.figure}' on purpose: {addition.reason}", **where))
        return allowed, findings

    def shape_findings(self) -> list[Finding]:
        """Warnings where the translation's sections, bullets, callout or subtitle differ."""
        findings = []
        if bool(self.english.subtitle) != bool(self.topic.subtitle):
            has = "the English has a subtitle and the translation does not" if self.english.subtitle else \
                "the translation has a subtitle and the English does not"
            findings.append(self._shape(has, ("subtitle",) if self.topic.subtitle else ("title",)))
        if self.english.category != self.topic.category:
            findings.append(self._shape(f"the English is a '{self.english.category}' topic, the translation "
                                        f"a '{self.topic.category}' one", ("category",)))
        theirs, ours = self.english.sections, self.topic.sections
        if len(theirs) != len(ours):
            findings.append(self._shape(f"the English has {len(theirs)} sections, the translation {len(ours)}", ("sections",)))
        for index, (english, translated) in enumerate(zip(theirs, ours)):
            findings += self._block_shape(f"section {index + 1} ('{translated.heading}', in English '{english.heading}')",
                                          ("sections", index), english, translated)
        findings += self._callout_shape()
        return findings

    def _callout_shape(self) -> list[Finding]:
        english, translated = self.english.callout, self.topic.callout
        if english is None or translated is None:
            if english is translated:
                return []
            has = "the English has a callout box and the translation does not" if english else \
                "the translation has a callout box and the English does not"
            return [self._shape(has, ("callout",))]
        findings = self._block_shape("the callout", ("callout",), english, translated)
        if english.kind != translated.kind:
            findings.append(self._shape(f"the callout is '{translated.kind}' but the English one is '{english.kind}'",
                                        ("callout", "kind")))
        return findings

    def _block_shape(self, name: str, at: Location, english: Section | Callout,
                     translated: Section | Callout) -> list[Finding]:
        """A section or callout: a paragraph where the English has one, and as many bullets."""
        findings = []
        if len(english.bullets) != len(translated.bullets):
            findings.append(self._shape(f"{name} has {len(translated.bullets)} bullets, the English "
                                        f"{len(english.bullets)} ({self._english_at(at)})", at))
        if bool(english.text) != bool(translated.text):
            side = "the English has a paragraph there and the translation does not" if english.text else \
                "the translation has a paragraph there and the English does not"
            findings.append(self._shape(f"{name}: {side}", at))
        return findings

    def _shape(self, message: str, at: Location) -> Finding:
        return self.origin.finding(CHECK, "warning", message, line=self.document.line_of(at), key=location_key(at),
                                   suggestion="give the translation the English's sections, bullets and callout, in "
                                              "the same order, so nothing is lost in translation")

    def age_findings(self) -> list[Finding]:
        """A warning when the English was reviewed after the translation was."""
        if self.topic.reviewed >= self.english.reviewed:
            return []
        return [self.origin.finding(
            CHECK, "warning", f"the English was reviewed after this translation ({self.english.reviewed}, this "
                              f"{self.topic.reviewed}); review the translation",
            line=self.document.line_of(("reviewed",)), key="reviewed",
            suggestion="bring the translation in line with the English, then update its 'reviewed' date")]

    def _english_at(self, at: Location) -> str:
        return f"{display_path(self.english_path)}, line {self.english_document.line_of(at)}"


def _figures_of(topic: Topic) -> list[Figure]:
    """The figures a patient reads in ``topic``: its text but not its sources."""
    return [figure for at, text in text_fields(topic, sources=False) for figure in figures(text, at)]


def _distinct(found: list[Figure]) -> list[Figure]:
    """The first of each figure, so a figure written twice is reported once."""
    seen: list[Figure] = []
    for figure in found:
        if not any(figure.kind == other.kind and figure.value == other.value and figure.unit == other.unit for other in seen):
            seen.append(figure)
    return seen
