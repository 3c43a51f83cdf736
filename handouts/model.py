"""Stage 2, validate: the typed model of a topic and a clinic, declared once.

pydantic checks every file against these models; :func:`validate` turns its error locations
into messages a content editor can act on ("content/x.yaml, line 12, sections #3 › heading:
missing required key"). Nothing downstream re-checks what these models guarantee.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from types import UnionType
from typing import Annotated, Any, Callable, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, ValidationError, model_validator

from .errors import HandoutError
from .load import Document, Location

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"
"""A language code: ``en``, ``es``, ``es-MX``."""
ENGLISH = "en"
"""The language of a topic file without a language in its name, and of the labels every other falls back to."""
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
_COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
Color = Annotated[str, StringConstraints(pattern=_COLOR_PATTERN)]


class Strict(BaseModel):
    """Base for every file model: frozen, and unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(Strict):
    heading: Text
    text: Text | None = None
    bullets: list[Text] = Field(default_factory=list)


class Callout(Strict):
    kind: Literal["info", "warning", "urgent"] = "info"
    heading: Text
    text: Text | None = None
    bullets: list[Text] = Field(default_factory=list)


class Source(Strict):
    """A public source of the topic's figures. ``language``: the language its title and
    publisher are in, when not the handout's (a screen reader then reads them in it)."""

    org: Text
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    language: LanguageCode | None = None


class Addition(Strict):
    """A figure a translation has on purpose that its English lacks, and why (see ``translation``)."""

    figure: Text
    reason: Text


class TranslationNotes(Strict):
    """What a translation file says about itself: the figures it adds to the English, each named."""

    adds: list[Addition] = Field(min_length=1)


class Topic(Strict):
    """One handout's content, as a content editor writes it in ``content/<slug>.yaml``."""

    title: Text
    subtitle: Text | None = None
    reviewed: dt.date
    language: LanguageCode = "en"
    category: Literal["general", "symptom"] = "general"
    """``symptom``: a topic about warning signs, which must say when to get help (a callout)."""
    summary: Text
    sections: list[Section] = Field(min_length=1)
    callout: Callout | None = None
    sources: list[Source] = Field(min_length=1)
    translation: TranslationNotes | None = None
    """In ``<slug>.<lang>.yaml`` only: the additions the ``translation`` check allows (never printed)."""


def is_loopback(host: str) -> bool:
    """True for a host only this computer can reach: ``localhost`` or any loopback address
    (``127.0.0.1``, ``127.0.1.1``, ``::1``, ``[::1]``). The one rule for a mail server a message
    may reach without encryption and for the page of ``serve`` answering without a password."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class EmailSettings(Strict):
    """The clinic's mail server (``email:`` in the clinic file), used by ``--send``.

    The user name and password never live here: they come from the environment. The sender's
    address is checked by :mod:`handouts.email` when mail is composed, so building handouts
    never pays for the address checker.
    """

    host: Text
    port: int | None = Field(None, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    sender: Text
    reply_to: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_login_in_files(cls, data: Any) -> Any:
        login = sorted({"user", "username", "login", "password"} & set(data)) if isinstance(data, dict) else []
        if login:
            raise ValueError(f"take out '{login[0]}': the user name and password never go in a file; set "
                             "HANDOUTS_SMTP_USER and HANDOUTS_SMTP_PASSWORD in the environment of the program that sends")
        return data

    @model_validator(mode="after")
    def _encrypted_unless_local(self) -> "EmailSettings":
        if self.security == "none" and not is_loopback(self.host):
            raise ValueError("security: none would send patients' handouts and the password unencrypted; it is "
                             "allowed only for a server on this computer (localhost); use starttls or tls")
        return self

    @property
    def server_port(self) -> int:
        """The port given, or the usual one for the security: 587, 465, or 25."""
        return self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]


def _at_most(characters: int) -> Any:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=characters)]


class Clinic(Strict):
    """The clinic whose name and phone go on every handout (``clinic.yaml``).

    ``logo`` is a PNG, JPEG or SVG file beside the clinic file (checked by :mod:`clinic`),
    described by ``logo_alt`` for readers who cannot see it ("<name> logo" when not given);
    ``brand_color`` fills the header band instead of the theme's own colour; ``email`` is
    how handouts are sent, never printed (:data:`NOT_PRINTED`). The printed details have
    lengths that fit the header beside a full topic (a clinic's long name is the clinic
    file's problem, reported there, not a topic's).
    """

    name: _at_most(80)  # type: ignore[valid-type]
    phone: _at_most(40)  # type: ignore[valid-type]
    address: _at_most(120) | None = None  # type: ignore[valid-type]
    website: _at_most(80) | None = None  # type: ignore[valid-type]
    logo: Text | None = None
    logo_alt: Text | None = None
    brand_color: Color | None = None
    email: EmailSettings | None = None


NOT_PRINTED = frozenset({"email"})
"""Clinic keys that are settings, not text: content and templates cannot name them."""


class ContentErrors(HandoutError):
    """Several problems in one file, reported together so an editor can fix them in one go."""

    def __init__(self, errors: list[HandoutError]) -> None:
        super().__init__(errors[0].message, file=errors[0].file, line=errors[0].line, key=errors[0].key)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple[type, tuple[list[HandoutError]]]:
        """Pickle by the list of errors, so a worker process can send them back whole."""
        return ContentErrors, (self.errors,)


M = TypeVar("M", bound=BaseModel)
MissingHint = Callable[[Document, Location], str | None]
"""What to write for a missing key, from the file itself (the English word a language of
``labels.yaml`` lacks); None when the file says nothing about it."""


def validate(model: type[M], document: Document, *, missing_hint: MissingHint | None = None) -> M:
    """Check ``document`` against ``model``; raise :class:`ContentErrors` listing every problem.
    A missing key's message ends with ``missing_hint``'s words, when it has some."""
    if not isinstance(document.data, dict):
        found = type(document.data).__name__.replace("str", "text").replace("list", "a list")
        raise HandoutError(
            f"expected keys like 'title: ...' at the top level, found {found}", file=document.path, line=1
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems = [_explain(model, document, item, missing_hint) for item in error.errors(include_url=False)]
        raise ContentErrors(sorted(problems, key=lambda problem: problem.line or 0)) from None


def _explain(model: type[BaseModel], document: Document, item: Any, missing_hint: MissingHint | None) -> HandoutError:
    location: Location = tuple(item["loc"])
    kind = item["type"]
    if kind == "extra_forbidden":
        parent, key = location[:-1], str(location[-1])
        message = f"unknown key '{key}'{_suggestion(model, parent, key)}"
        return HandoutError(message, file=document.path, line=document.line_of(location), key=location_key(parent))
    if kind == "missing":
        parent = location[:-1]
        hint = missing_hint(document, location) if missing_hint else None
        message = f"missing required key '{location[-1]}'" + (f" — {hint}" if hint else "")
        return HandoutError(message, file=document.path, line=document.line_of(parent), key=location_key(parent))
    message = _MESSAGES.get(kind, item["msg"])
    if item.get("input", "") is None:
        message = "is empty; write a value after the colon, or remove the key"
    if kind == "literal_error":
        message = f"should be one of {item['ctx']['expected']}"
    if kind == "value_error":  # a model's own rule: its message, without pydantic's "Value error, "
        message = str(item["ctx"]["error"])
    if kind in _BOUNDS:
        message = _BOUNDS[kind].format(limit=next(iter(item["ctx"].values())))
    if kind == "string_pattern_mismatch" and item["ctx"]["pattern"] == _COLOR_PATTERN:
        message = "should be a colour written like '#0b4a66'"
    return HandoutError(
        message, file=document.path, line=document.line_of(location), key=location_key(location)
    )


_MESSAGES = {
    "string_type": "should be text; put quotes around it if it is a number or yes/no",
    "string_too_short": "should not be empty",
    "list_type": "should be a list: one item a line, each starting with '- '",
    "too_short": "needs at least one item",
    "model_type": "should be a group of keys (key: value), one a line, indented",
    "date_type": "should be a date like 2026-11-01",
    "date_from_datetime_parsing": "should be a date like 2026-11-01",
    "date_parsing": "should be a date like 2026-11-01",
    "string_pattern_mismatch": "is not in the expected form",
    "finite_number": "should be an ordinary number (not .inf or .nan)",
}
_BOUNDS = {
    "string_too_long": "is too long: at most {limit} characters fit",
    "greater_than": "should be more than {limit:g}",
    "greater_than_equal": "should be at least {limit:g}",
    "less_than": "should be less than {limit:g}",
    "less_than_equal": "should be at most {limit:g}",
}


def location_key(location: Location) -> str | None:
    """``('sections', 2, 'heading')`` -> ``'sections #3 › heading'`` (editors count from 1)."""
    parts = [f"#{part + 1}" if isinstance(part, int) else part for part in location]
    return " ".join(parts).replace(" ", " › ").replace(" › #", " #") or None


def _suggestion(model: type[BaseModel], parent: Location, key: str) -> str:
    import difflib  # only for a key that is wrong

    fields = _fields_at(model, parent)
    close = difflib.get_close_matches(key, fields, n=1)
    if close:
        return f" — did you mean '{close[0]}'?"
    return f" — the keys allowed here are: {', '.join(fields)}" if fields else ""


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    """The field names of the (sub)model found at ``location`` inside ``model``; none when
    nothing with named keys stands there."""
    current: Any = model
    for part in location:
        current = _type_at(current, part)
    found = next((kind for kind in (current, *get_args(current)) if _is_model(kind) and not _is_root(kind)), None)
    return list(found.model_fields) if found else []


def _type_at(annotation: Any, part: str | int) -> Any:
    """The type of what stands at ``part`` of a value of type ``annotation``: a model's field,
    a list's item, a mapping's value (a style in ``styles``, a language of ``labels.yaml``),
    through optional and alternative types; None when it is not known."""
    if _is_root(annotation):
        return _type_at(annotation.model_fields["root"].annotation, part)
    if _is_model(annotation):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type_at(args[0], part)
    if origin is dict:
        return args[1]
    if origin in (list, tuple):
        return args[0] if isinstance(part, int) else None
    found = (_type_at(arg, part) for arg in args if origin in (Union, UnionType))
    return next((inner for inner in found if inner is not None), None)


def _is_root(candidate: Any) -> bool:
    return _is_model(candidate) and issubclass(candidate, RootModel)


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def text_fields(topic: Topic, *, sources: bool = True) -> list[tuple[Location, str]]:
    """Every string a reader sees, with where it stands; ``sources=False`` leaves out the
    citations (which reading-grade formulas should not count)."""
    fields: list[tuple[Location, str]] = [(("title",), topic.title), (("summary",), topic.summary)]
    if topic.subtitle:
        fields.append((("subtitle",), topic.subtitle))
    blocks: list[tuple[Location, Section | Callout]] = [(("sections", i), s) for i, s in enumerate(topic.sections)]
    if topic.callout:
        blocks.append((("callout",), topic.callout))
    for at, block in blocks:
        fields.append((at + ("heading",), block.heading))
        if block.text:
            fields.append((at + ("text",), block.text))
        fields.extend((at + ("bullets", i), bullet) for i, bullet in enumerate(block.bullets))
    if sources:
        for i, source in enumerate(topic.sources):
            fields += [(("sources", i, "org"), source.org), (("sources", i, "title"), source.title)]
    return fields
