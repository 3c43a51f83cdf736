"""Stage 4, render: fill a Jinja2 template with a tailored topic to get the handout's XHTML.

This is the one place Jinja2 is set up. Both environments are sandboxed (a template or a
content file cannot reach Python internals or files), use StrictUndefined (a misspelt name
is an error, not an empty string), and templates are autoescaped, so text from content,
clinic or patient can never become markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import (FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateNotFound, TemplateSyntaxError,
                    select_autoescape)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .errors import HandoutError
from .recent import recall

TEMPLATE = "handout.html.j2"
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_AREA_CODE = re.compile(r"(\(\d{3}\)) (?=\d{3}-\d{4})")
"""The space in ``(555) 010-0142``: a line may not break there, or a patient dials half a number."""
_KEPT_STRINGS = 512


def rich(text: str) -> Markup:
    """Plain text to safe XHTML: escape everything, then ``**word**`` -> ``<strong>word</strong>``,
    and keep a phone number on one line (a no-break space after its area code)."""
    return Markup(_AREA_CODE.sub("\\1\u00a0", _BOLD.sub(r"<strong>\1</strong>", str(escape(text)))))


def phone_link(phone: str) -> Markup:
    """A phone number a patient can tap, kept on one line (a browser would break it after the
    hyphen, even where a mail program dropped the stylesheet): ``<a href="tel:5550100142"
    style="white-space: nowrap">(555)&nbsp;010-0142</a>``; just the number when it has too
    few digits to dial."""
    digits = re.sub(r"[^0-9+]", "", phone)
    shown = rich(phone)
    if len(digits) < 7:
        return shown
    return Markup('<a href="tel:{}" style="white-space: nowrap">{}</a>').format(digits, shown)


def unmarked(text: str) -> str:
    """Plain text where bold cannot show (an email's text part): ``**word**`` -> ``word``,
    without soft hyphens, a phone number kept on one line."""
    return _AREA_CODE.sub("\\1\u00a0", _BOLD.sub(r"\1", text)).replace("\u00ad", "")


def environment(templates: Path | None = None) -> ImmutableSandboxedEnvironment:
    """The sandboxed Jinja2 environment: for templates in ``templates``, or for content text.

    Content text is rendered without autoescaping because its result is still plain text;
    the template escapes it when it is placed into the page.
    """
    env = _Sandbox(
        loader=FileSystemLoader(templates) if templates else None,
        autoescape=select_autoescape(disabled_extensions=("txt.j2",), default=True) if templates else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    if templates is None:
        env.globals.clear()  # content needs no range(), cycler() or lipsum()
    env.filters["rich"] = rich
    env.filters["unmarked"] = unmarked
    env.filters["phone_link"] = phone_link
    return env


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, compiling each distinct string template once.

    Jinja2 caches templates from the loader but compiles ``from_string`` every time, and
    tailoring renders the same few content strings (``Call {{ clinic.name }} ...``) for every
    patient; compiling was most of tailoring's time.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return recall(self._compiled, source, lambda: super(_Sandbox, self).from_string(source), _KEPT_STRINGS)


def render_page(env: ImmutableSandboxedEnvironment, context: dict[str, Any], name: str = TEMPLATE) -> str:
    """Render the template ``name`` to XHTML, or raise a HandoutError naming the template."""
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as error:
        raise HandoutError(f"template '{error.name}' not found", file=_folder(env)) from None
    except TemplateSyntaxError as error:
        raise HandoutError(f"template syntax error: {error.message}", file=error.filename, line=error.lineno) from None
    except (SecurityError, TemplateError) as error:
        raise HandoutError(f"the template failed: {explain(error)}", file=_folder(env) / name) from None


def explain(error: Exception) -> str:
    """Jinja2's sandbox and undefined errors, said plainly."""
    message = str(error)
    if isinstance(error, SecurityError) or "unsafe" in message:
        return f"not allowed ({message}); templates and content cannot reach program internals"
    return message


def _folder(env: ImmutableSandboxedEnvironment) -> Path:
    loader = env.loader
    assert isinstance(loader, FileSystemLoader)
    return Path(loader.searchpath[0])
