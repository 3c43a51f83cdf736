"""The words a template prints itself, by language, from ``labels.yaml``: "Reviewed",
"Sources", the month names, "Page 1 of 2", the words of the email to a patient, and each
language's name.

They live beside the templates, and only there (Python has no words of its own), so a designer
or translator adds a language by copying the ``en`` block, without touching Python. A language
listed must have every word a handout prints, and a topic in a language not listed is not
built (:func:`labels_for_topic`); English's words stand in only for the email of a language
without ``email:`` words.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field, RootModel, model_validator

from .errors import HandoutError, display_path
from .load import Document, Location, load_yaml
from .model import ENGLISH, ContentErrors, Strict, Topic, location_key, validate

LABELS_FILE = "labels.yaml"


class EmailLabels(Strict):
    """The words of an email to a patient (``email:`` in a language's labels); ``{clinic}``,
    ``{name}``, ``{phone}`` and ``{file}`` are filled in. All come from ``labels.yaml``: a
    language without them gets an English message, never English words said to be its own."""

    subject: str
    greeting: str
    greeting_no_name: str
    intro: str
    packet_intro: str
    handouts: str
    attached: str
    questions: str
    call_us: str
    not_for_you: str

    def filled(self, label: str, /, **values: object) -> str:
        """The label ``label`` with ``{clinic}``, ``{name}``, ``{phone}`` or ``{file}`` filled in."""
        return _filled(getattr(self, label), **values)


class LabelSet(Strict):
    """The words a template prints itself, in one language; ``name`` (in English, as the page of
    ``serve`` lists languages) and ``native_name`` (in itself, shown beside it) name the language.

    Every word a handout prints is required, with no default and no fallback to ``en``'s word: a
    block that lacks one is an error when the labels are loaded, naming the file, the block's
    line, the language, the key and the English to translate (:func:`load_labels`). Falling back
    with a warning from ``check`` was the other choice; it loses twice: a Spanish-reading patient
    cannot read "Page 1 of 2" on a Spanish handout, and a warning is easily missed in an
    unattended batch. The error stops the build before any handout is printed, and the designer
    who left the word out is told what to add.
    """

    name: str
    native_name: str | None = None
    phone: str
    prepared_for: str
    by: str
    on_date: str
    reviewed: str
    sources: str
    follow_up: str
    note: str
    page_of: str
    continued: str
    packet: str
    month_year: str
    date: str
    months: list[str] = Field(min_length=12, max_length=12)
    email: EmailLabels | None = None

    def month_year_of(self, date: dt.date) -> str:
        """``November 2026``, ``noviembre de 2026``: the review date as the language writes it."""
        return _filled(self.month_year, month=self.months[date.month - 1], year=date.year)

    def date_of(self, date: dt.date) -> str:
        """``March 3, 2026``, ``3 de marzo de 2026``: a full date as the language writes it."""
        return _filled(self.date, month=self.months[date.month - 1], day=date.day, year=date.year)

    def packet_title(self, clinic: str) -> str:
        """``Handouts from Riverside Clinic``: the title of a patient's packet."""
        return _filled(self.packet, clinic=clinic)

    def page_marks(self, pages: int) -> tuple[str, ...]:
        """What the foot of each page of a ``pages``-page handout says: "Page 1 of 2, continued …"."""
        marks = [_filled(self.page_of, page=page, pages=pages) for page in range(1, pages + 1)]
        return tuple(f"{mark}, {self.continued}" for mark in marks[:-1]) + (marks[-1],)


def _filled(pattern: str, **values: object) -> str:
    """``pattern`` with each ``{name}`` replaced; other braces are left as they are."""
    for name, value in values.items():
        pattern = pattern.replace(f"{{{name}}}", str(value))
    return pattern


class Labels(RootModel[dict[str, LabelSet]]):
    """``labels.yaml``: a complete :class:`LabelSet` per language code. English, which a language
    with no block (or no email words) falls back to, must be there with its email words."""

    @model_validator(mode="after")
    def _english_complete(self) -> "Labels":
        if ENGLISH not in self.root or self.root[ENGLISH].email is None:
            raise ValueError(f"the '{ENGLISH}' block, with its 'email:' words, is needed: a language "
                             "without a block, or without email words, falls back to English's")
        return self

    def for_language(self, language: str) -> LabelSet:
        """The labels for ``language`` (``es-MX`` falls back to ``es``), else English. A topic's
        language always has its own (:func:`labels_for_topic` refuses one that has not), so
        English stands in only for a packet's title when none of its handouts is in ``language``."""
        return self.own(language) or self.root[ENGLISH]

    def language_name(self, language: str, *, native: bool = False) -> str:
        """``Spanish``, or with ``native`` ``Spanish (español)``: the language as its labels name
        it; its code when ``labels.yaml`` has no block for it (never English's name)."""
        own = self.own(language)
        if own is None:
            return language
        shown_too = native and own.native_name and own.native_name != own.name
        return f"{own.name} ({own.native_name})" if shown_too else own.name

    def email_words(self, language: str) -> tuple[str, EmailLabels]:
        """The language a message to a reader of ``language`` is in, and its words: theirs when
        their labels have ``email:``, else English's."""
        own = self.own(language)
        if own is not None and own.email is not None:
            return language, own.email
        english = self.root[ENGLISH].email
        assert english is not None  # (checked when loaded)
        return ENGLISH, english

    def own(self, language: str) -> LabelSet | None:
        """The block for ``language`` or its base language (``es`` for ``es-MX``), if there is one."""
        return next((self.root[code] for code in (language, language.split("-")[0]) if code in self.root), None)


def labels_for_topic(labels: Labels, templates: Path, topic: Topic, document: Document) -> LabelSet:
    """The words ``topic`` is printed with: its language's block in ``labels.yaml`` (or its base
    language's, ``es`` for ``es-MX``). A topic in a language with no block is refused, with an
    error naming its file (and its ``language:`` line, when the file says it).

    Building it with English labels and a warning was the other choice. The patient would get
    a French handout that says "Reviewed", "Page 1 of 2" and "November 2026", which a screen
    reader, told the page is French, reads in French; and a warning is easily missed in an
    unattended batch. The editor who adds the first French file meets the error at once (in
    ``check`` too, which reports it under ``labels``) and is told what to add, where; the
    English handouts and every other language still build meanwhile.
    """
    own = labels.own(topic.language)
    if own is not None:
        return own
    said = "language" in document.data
    raise HandoutError(f"{display_path(templates / LABELS_FILE)} has no '{topic.language}' block: add one with the "
                       f"words a handout prints (copy the {ENGLISH} block and translate it)",
                       file=document.path, line=document.line_of(("language",)) if said else None,
                       key="language" if said else None)


def load_labels(templates: Path) -> Labels:
    """Read and check ``templates/labels.yaml``: a word a language lacks is an error that
    says which English to translate ("es: missing required key 'page_of' — add the Spanish
    for "Page {page} of {pages}""), and so is a word whose placeholders are not its English's."""
    document = load_yaml(templates / LABELS_FILE)
    labels = validate(Labels, document, missing_hint=_english_to_translate)
    errors = _placeholder_errors(labels, document)
    if errors:
        raise ContentErrors(sorted(errors, key=lambda error: error.line or 0))
    return labels


def _placeholder_errors(labels: Labels, document: Document) -> list[HandoutError]:
    """An error for each word whose placeholders are not exactly the ``en`` block's word's.

    The build fills in only the placeholders it knows, and leaves any other text in braces as
    it is: a Spanish "Página {page}" would print "Página 1" with no page count, and "Página
    {pagina} de {pages}" would print "{pagina}" on the patient's page. So a translation keeps the
    English word's placeholders, all of them and spelt the same, and adds none."""
    english = dict(_words(labels.root[ENGLISH]))
    errors = []
    for code, block in labels.root.items():
        for at, word in _words(block):
            if at not in english:  # a language's native_name: a name, nothing is filled in
                continue
            problem = _placeholder_problem(word, english[at], None if code == ENGLISH else block.name)
            if problem:
                errors.append(HandoutError(problem, file=document.path, line=document.line_of((code, *at)),
                                           key=location_key((code, *at))))
    return errors


def _words(block: LabelSet) -> Iterator[tuple[Location, str]]:
    """Each word of ``block`` that is text, with its key: ``('page_of',)``, ``('email', 'subject')``."""
    for words, at in ((block, ()), (block.email, ("email",))):
        if words is None:
            continue
        for key, value in words:
            if isinstance(value, str):
                yield (*at, key), value


def _placeholder_problem(word: str, english: str, language: str | None) -> str | None:
    """What is wrong with the placeholders of ``word``, a translation into ``language`` of
    ``english`` (None for English itself, whose braces need only pair up); None when nothing is."""
    found, wanted = _placeholders(word), _placeholders(english)
    if language is None:
        return None if found is not None else \
            f'"{word}" has a brace without its pair: write each placeholder as a name in braces, like {{page}}'
    if wanted is None or (found is not None and set(found) == set(wanted)):
        return None  # (a broken English word is English's own error)
    if found is None:
        wrong = "has a brace without its pair"
    else:
        added, lacking = [name for name in found if name not in wanted], [name for name in wanted if name not in found]
        wrong = ", and ".join(([f"has {_listed(added)}, which the English has not"] if added else []) +
                             ([f"lacks {_listed(lacking)}"] if lacking else []))
    needed = (f'it needs the placeholders of the English "{english}", exactly: {_listed(wanted)} (the build '
              "fills them in; keep each in braces, spelt the same)") if wanted else \
        f'it needs none, as the English "{english}" has none'
    return f'the {language} "{word}" {wrong}; {needed}'


def _placeholders(word: str) -> list[str] | None:
    """The placeholders of ``word`` as written (``['{page}', '{pages}']``), in order, each once;
    None when a brace has no pair."""
    try:
        parts = list(string.Formatter().parse(word))
    except ValueError:
        return None
    written = ("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
               for _, name, spec, conversion in parts if name is not None)
    return list(dict.fromkeys(written))


def _listed(names: list[str]) -> str:
    """``{month}, {day} and {year}``."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def _english_to_translate(document: Document, location: Location) -> str | None:
    """``add the Spanish for "Page {page} of {pages}"``: the ``en`` block's word at ``location``
    (``('es', 'page_of')``, ``('es', 'email', 'subject')``), naming the language as its block's
    ``name`` does. None for English itself, for a language's name, and for a word English lacks too."""
    code, *path = location
    english: Any = document.data.get(ENGLISH)
    for part in path:
        english = english.get(part) if isinstance(english, dict) else None
    if isinstance(english, list):
        english = ", ".join(str(word) for word in english)
    if code == ENGLISH or path == ["name"] or not isinstance(english, str):
        return None
    own = document.data.get(code)
    language = own.get("name") if isinstance(own, dict) else None
    return f'add the {language} for "{english}"' if isinstance(language, str) else f'add its translation of "{english}"'
