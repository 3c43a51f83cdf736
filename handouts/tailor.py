"""Stage 3, tailor: fill a topic's text with the clinic and patient it is printed for.

Content editors may write ``{{ clinic.phone }}`` or ``{{ patient.name }}`` in any text; this
renders each such string in the sandbox and checks the result again with the model. Content
sees plain data only (dicts and strings), never Python objects, and may only *name* a value:
any other expression, statement or comment is refused before anything is rendered, so content
cannot loop, build huge strings or silently drop text with ``{# … #}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, nodes

from .errors import HandoutError
from .load import Document, Location
from .model import NOT_PRINTED, Clinic, Topic, location_key, validate
from .render import environment, explain

_CONTENT_ENV = environment()
_CODE = {"block_begin": "{%", "raw_begin": "{%", "comment_begin": "{#"}


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
    return {"clinic": clinic.model_dump(exclude_none=True, exclude=set(NOT_PRINTED)), "patient": patient.as_context()}


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


def expression_problems(text: str, context: dict[str, Any]) -> list[str]:
    """Everything that keeps ``text`` from being filled from ``context``, said plainly; [] if none."""
    if "{" not in text:
        return []
    try:
        code = [_CODE[kind] for _, kind, _ in _CONTENT_ENV.lex(text) if kind in _CODE]
        tree = _CONTENT_ENV.parse(text)
    except TemplateSyntaxError as error:
        return [f"the {{{{ ... }}}} in this text is not valid: {error.message}"]
    if code:
        return [f"'{start}' starts template code or a comment, which is not allowed in content; "
                "only names like {{ clinic.phone }} are" for start in dict.fromkeys(code)]
    known = sorted(f"{group}.{name}" for group in context for name in context[group])
    names = [_dotted(node) for output in tree.body for node in output.nodes if not isinstance(node, nodes.TemplateData)]
    return [_unknown(name, known) for name in names if name not in known]


def _dotted(node: nodes.Node) -> str | None:
    """``clinic.phone`` for a plain name; None for anything else (a call, a literal, a filter)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    return None


def _unknown(name: str | None, known: list[str]) -> str:
    listing = f"the names you can use are {', '.join(known)}"
    if name is None:
        return f"only names like {{{{ clinic.phone }}}} can be used in content; code is not allowed; {listing}"
    group, _, attr = name.partition(".")
    if group == "clinic" and attr in Clinic.model_fields and attr not in NOT_PRINTED:
        return f"'{name}' is not set in the clinic file; add '{attr}' there, or take it out of this text"
    import difflib  # only for a name that is wrong

    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"'{name}' is not a name you can use{hint}; {listing}"


def _render(text: str, at: Location, document: Document, context: dict[str, Any]) -> str:
    problems = expression_problems(text, context)
    if not problems:
        try:
            return _CONTENT_ENV.from_string(text).render(context)
        except TemplateError as error:
            problems = [explain(error)]
    raise HandoutError("; ".join(problems), file=document.path, line=document.line_of(at), key=location_key(at))
