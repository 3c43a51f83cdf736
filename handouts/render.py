"""Stage 4, render: fill a Jinja2 template with a tailored topic to get the handout's XHTML.

This is the one place Jinja2 is set up. Both environments are sandboxed (a template or a
content file cannot reach Python internals or files), use StrictUndefined (a misspelt name
is an error, not an empty string), and templates are autoescaped, so text from content,
clinic or patient can never become markup.

A template is code a designer writes, so it is bounded like any input: it may only read
files inside its folder (links are followed, then checked), no single value it makes may
exceed :data:`MAX_SIZE` characters or items, its output may not exceed :data:`MAX_OUTPUT`,
and rendering stops after :data:`RENDER_SECONDS` in whatever thread it runs (see
:mod:`.time_limit`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import (FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateNotFound, TemplateSyntaxError,
                    select_autoescape)
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .confine import confined
from .errors import HandoutError
from .load import read_text
from .recent import recall
from .time_limit import RenderTimeout, time_limit
from .wrapping import wrap

TEMPLATE = "handout.html.j2"
RENDER_SECONDS = 5.0
"""Longest a template may take to render; a handout's takes a few milliseconds."""
MAX_OUTPUT = 1_000_000
"""Most characters of XHTML a template may write; a one-page handout is a few thousand."""
MAX_SIZE = 1_000_000
"""Largest number, and longest string or list, a template may make in one step."""
_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(?:\d{7,}|\d*\.\d{7,})|\{[^{}]*?\d{7,}[^{}]*\}")
"""A printf or format() field wider than MAX_SIZE: ``%99999999d``, ``{:>99999999}``."""
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
        loader=_TemplateFolder(templates) if templates else None,
        autoescape=select_autoescape(disabled_extensions=("txt.j2",), default=True) if templates else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    if templates is None:
        env.globals.clear()  # content needs no range(), cycler() or lipsum()
    env.globals.pop("lipsum", None)  # lipsum(10**7) would write for minutes
    ours = {"rich": rich, "unmarked": unmarked, "phone_link": phone_link, "wrap": wrap}
    env.filters = {name: _bounded(function) for name, function in {**env.filters, **ours}.items()}
    return env


class _TemplateFolder(FileSystemLoader):
    """Templates from one folder only: a name or a link that leads outside it is refused
    (after following links), and each file is read like every other input, by
    :func:`~handouts.load.read_text`: a regular UTF-8 file of at most
    :data:`~handouts.load.MAX_BYTES`. The text checked is the text compiled (Jinja2's own
    loader would open the file again, and wait forever on a FIFO put in its place)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        folder = Path(self.searchpath[0])
        path = folder.joinpath(*split_template_path(template))  # refuses '..'
        if confined(path, [folder]) is None:
            raise HandoutError(f"the template '{template}' is a link to {path.resolve()}, outside the templates "
                               "folder; templates may only use files inside it", file=path)
        if not path.exists():
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime
        source = read_text(path)

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return source, os.path.normpath(path), uptodate


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, compiling each distinct string template once, refusing huge values.

    Jinja2 caches templates from the loader but compiles ``from_string`` every time, and
    tailoring renders the same few content strings (``Call {{ clinic.name }} ...``) for every
    patient; compiling was most of tailoring's time. ``*``, ``**`` and ``%`` and every call
    are checked first, so ``'x' * 10**9`` is an error instead of a gigabyte.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _refuse_huge_operation(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja2's signature)
        _refuse_huge((*args, *kwargs.values()))
        if getattr(__obj, "__name__", "") in ("format", "format_map"):  # str.format, wrapped by the sandbox
            _refuse_huge_format(getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None))
        return super().call(__context, __obj, *args, **kwargs)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return recall(self._compiled, source, lambda: super(_Sandbox, self).from_string(source), _KEPT_STRINGS)


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses huge numbers (``center(10**9)``) and format widths first."""

    @functools.wraps(function)  # keeps Jinja2's pass_context/pass_environment mark
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_huge((*args, *kwargs.values()))
        if function.__name__ == "do_format" and args:
            _refuse_huge_format(args[0])
        return function(*args, **kwargs)

    return bounded


def _refuse_huge(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, (tuple, list)) and len(value) <= MAX_SIZE:
            _refuse_huge(value)
        elif isinstance(value, int) and abs(value) > MAX_SIZE:
            raise _too_large()


def _refuse_huge_format(pattern: Any) -> None:
    if isinstance(pattern, str) and _FORMAT_WIDTH.search(pattern):
        raise _too_large()


def _refuse_huge_operation(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and len(sequence) * times > MAX_SIZE:
            raise _too_large()
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left).bit_length() * right > MAX_SIZE.bit_length() * 64:
            raise _too_large()
    elif isinstance(left, str):
        _refuse_huge_format(left)
        _refuse_huge(right if isinstance(right, tuple) else (right,))


def _too_large() -> HandoutError:
    return HandoutError(f"the template makes a number, text or list too large for a handout (more than "
                        f"{MAX_SIZE:,}); a page holds a few thousand characters")


def render_page(env: ImmutableSandboxedEnvironment, context: dict[str, Any], name: str = TEMPLATE, *,
                max_output: int = MAX_OUTPUT) -> str:
    """Render the template ``name`` to XHTML, or raise a HandoutError naming the template.

    ``max_output`` is the most characters it may write: a handout's page is small, a web page
    carrying pictures in its own text may need more."""
    where = _folder(env) / name
    try:
        with time_limit(RENDER_SECONDS):
            return _collect(env.get_template(name).generate(context), max_output)
    except TemplateNotFound as error:
        raise HandoutError(f"template '{error.name}' not found", file=_folder(env)) from None
    except TemplateSyntaxError as error:
        raise HandoutError(f"template syntax error: {error.message}", file=error.filename, line=error.lineno) from None
    except (SecurityError, TemplateError) as error:
        raise HandoutError(f"the template failed: {explain(error)}", file=where) from None
    except HandoutError as error:
        if error.file is None:
            error.file, error.line = _template_line(error, where)
        raise
    except RenderTimeout as error:
        raise HandoutError(f"the template took more than {RENDER_SECONDS:g} s to render; look for a loop "
                           "that runs too many times", file=where, line=_template_line(error, where)[1]) from None
    except RecursionError:
        raise HandoutError("the template includes itself, or calls a macro within itself, too many times",
                           file=where) from None
    except (OverflowError, MemoryError) as error:
        raise HandoutError(f"the template asks for too much: {error or 'out of memory'}", file=where,
                           line=_template_line(error, where)[1]) from None


def _template_line(error: BaseException, template: Path) -> tuple[Path, int | None]:
    """The template file and line an error was raised at (Jinja2 rewrites its traceback so
    the template's own frames carry the template's file name and line)."""
    found: tuple[Path, int | None] = (template, None)
    folder = template.parent.resolve()
    trace = error.__traceback__
    while trace is not None:
        name = Path(trace.tb_frame.f_code.co_filename)
        if name.resolve().is_relative_to(folder):
            found = (name, trace.tb_lineno)
        trace = trace.tb_next
    return found


def _collect(chunks: Iterator[str], max_output: int) -> str:
    """The rendered text, refused once it grows past ``max_output``."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_output:
            raise HandoutError(f"the template writes more than {max_output:,} characters; a one-page handout "
                               "needs a few thousand (look for a loop that runs too many times)")
        parts.append(chunk)
    return "".join(parts)


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
