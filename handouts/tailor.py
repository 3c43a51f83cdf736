"""Stage 3, tailor: fill a topic's text with the clinic and patient it is printed for.

Content editors may write ``{{ clinic.phone }}`` or ``{{ patient.name }}`` in any text; this
renders each such string in the sandbox and checks the result again with the model. Content
sees plain data only (dicts and strings), never Python objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from .errors import HandoutError
from .load import Document, Location
from .model import Clinic, Topic, location_key, validate
from .render import environment, explain

_CONTENT_ENV = environment()


@dataclass(frozen=True)
class Patient:
    """Who a handout is prepared for. Every field is optional; ``extra`` holds ``--set`` values
    (and a batch file's other columns): ``clinician``, ``follow_up`` and ``note`` are printed
    by the shipped template, any other is there for content as ``{{ patient.<name> }}``."""

    name: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def as_context(self) -> dict[str, str]:
        return {**self.extra, "name": self.name}


def field_name(text: str) -> str:
    """``Follow-up`` -> ``follow_up``: a ``--set`` key or column title as a template names it."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def tailoring_context(clinic: Clinic, patient: Patient) -> dict[str, Any]:
    """The names content text may use: ``clinic.*`` and ``patient.*``."""
    return {"clinic": clinic.model_dump(exclude_none=True), "patient": patient.as_context()}


def tailor(topic: Topic, document: Document, context: dict[str, Any]) -> Topic:
    """Return ``topic`` with every ``{{ ... }}`` in its text filled from ``context``."""
    data = topic.model_dump(mode="python", exclude_none=True)
    filled = _fill(data, (), document, context)
    return topic if filled is data else validate(Topic, Document(document.path, filled, document.lines))


def _fill(value: Any, at: Location, document: Document, context: dict[str, Any]) -> Any:
    """Render the strings in ``value`` that use Jinja2; return ``value`` itself if none do."""
    if isinstance(value, str):
        return _render(value, at, document, context) if "{" in value else value
    if isinstance(value, dict):
        items = {key: _fill(child, at + (key,), document, context) for key, child in value.items()}
        return value if all(items[k] is value[k] for k in value) else items
    if isinstance(value, list):
        items = [_fill(child, at + (index,), document, context) for index, child in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value


def _render(text: str, at: Location, document: Document, context: dict[str, Any]) -> str:
    try:
        return _CONTENT_ENV.from_string(text).render(context)
    except TemplateSyntaxError as error:
        problem = f"the {{{{ ... }}}} in this text is not valid: {error.message}"
    except TemplateError as error:
        problem = explain(error)
        known = ", ".join(f"{group}.{name}" for group in context for name in context[group])
        if "undefined" in problem:
            problem = f"{problem}; the names you can use are {known}"
    raise HandoutError(problem, file=document.path, line=document.line_of(at), key=location_key(at))
