"""The page's form, read into what the pipeline takes, with a plain error next to each field.

The fields mean what the command line's options mean: ``name`` is ``--patient``;
``clinician``, ``follow_up`` and ``note`` are ``--set``; ``language``, ``large_print``,
``grayscale`` and ``paper`` are ``--lang``, ``--large-print``, ``--grayscale`` and ``--paper``.
A topic is named by its slug and looked up in the library; nothing from the form is used as
a path. The values are the patient's: they are shown back on the page, never logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..fonts import FontFamily, missing_characters
from ..layout import PAPERS
from ..pipeline import Options
from ..tailor import Patient
from ..variants import ENGLISH
from .library import Library, Version
from .mail import address_problem

TEXT_FIELDS = {"name": 80, "clinician": 80, "follow_up": 80, "note": 300}
"""The patient's text fields and the most characters each takes (the page says so too)."""

class Form(Protocol):
    """What a request's form gives: one value a name, or all of them (Werkzeug's MultiDict)."""

    def get(self, key: str, default: str = "") -> str: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Choices:
    """What the form says, as typed, and what is wrong with it, by field name."""

    topics: tuple[str, ...] = ()
    language: str = ENGLISH
    text: Mapping[str, str] = field(default_factory=dict)
    large_print: bool = False
    grayscale: bool = False
    paper: str = "letter"
    email: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.text.get(name, "")


@dataclass(frozen=True)
class Order:
    """A checked request: the chosen topics' files in the chosen language, and the options."""

    versions: tuple[Version, ...]
    language: str
    options: Options
    fallbacks: tuple[str, ...] = ()
    """Titles of the chosen topics that have no version in ``language`` and print in English."""


def read_choices(form: Form, library: Library, *, email: bool = False) -> Choices:
    """The form's values, each checked on its own (``email``: the address is asked for)."""
    project = library.project
    assert project is not None, "a library without a project offers no form"
    topics = tuple(dict.fromkeys(form.getlist("topic")))
    text = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
    language = form.get("language", ENGLISH)
    errors: dict[str, str] = {}
    problem = _topics_problem(topics, language, library)
    if problem:
        errors["topics"] = problem
    if language not in library.languages:
        errors["language"] = "Choose a language from the list."
    paper = form.get("paper", "letter")
    if paper not in PAPERS:
        errors["paper"] = "Choose Letter or A4."
    for name, limit in TEXT_FIELDS.items():
        problem = _text_problem(text[name], limit, project.family)
        if problem:
            errors[name] = problem
    address = form.get("email", "").strip() if email else ""
    problem = address_problem(address) if email else None
    if problem:
        errors["email"] = problem
    return Choices(topics, language, text, form.get("large_print") == "on", form.get("grayscale") == "on",
                   paper, address, errors)


def _topics_problem(topics: tuple[str, ...], language: str, library: Library) -> str | None:
    if not topics:
        return "Choose at least one topic: tick the box next to its title."
    if any(library.topic(slug) is None for slug in topics):
        return "A topic you chose is no longer in the library. Choose again from the list."
    if any(_version(library, slug, language) is None for slug in topics):
        return "A topic you chose cannot be made in this language until its file is fixed (see the list)."
    return None


def _text_problem(value: str, limit: int, family: FontFamily) -> str | None:
    if len(value) > limit:
        return f"This is {len(value)} characters long; keep it to {limit}."
    missing = missing_characters(value, family)
    if missing:
        shown = ", ".join(f"“{c}”" if c.isprintable() else f"an invisible character (U+{ord(c):04X})" for c in missing)
        return (f"The handout's font cannot print {shown}. "
                "Write it with other letters, for example as it is spelled in English.")
    return None


def order_of(choices: Choices, library: Library) -> Order:
    """The order a valid form places (see :func:`read_choices`; it must have no errors)."""
    assert not choices.errors
    versions = tuple(version for slug in choices.topics if (version := _version(library, slug, choices.language)))
    assert len(versions) == len(choices.topics), "read_choices refuses a topic without a version to use"
    extra = {name: value for name, value in choices.text.items() if name != "name" and value}
    options = Options(choices.paper, Patient(choices.value("name"), extra), choices.large_print, choices.grayscale)
    fallbacks = tuple(version.title for version in versions if version.language != choices.language)
    return Order(versions, choices.language, options, fallbacks)


def _version(library: Library, slug: str, language: str) -> Version | None:
    topic = library.topic(slug)
    return topic.version(language) if topic else None
