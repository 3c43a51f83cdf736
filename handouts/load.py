"""Stage 1, load: read a YAML file into plain data plus a map of where each key stands.

PyYAML's ``safe_load`` forgets line numbers, and content editors need them ("line 12:
unknown key 'subtitel'"), so this walks the composed node tree itself. It also refuses what a
content file never needs and an attacker might use: anchors and aliases (the billion-laughs
bomb), nesting deeper than :data:`MAX_DEPTH` (which would exhaust Python's stack), files
larger than :data:`MAX_BYTES`, text that is not UTF-8, and anything that is not a regular
file (a FIFO would wait forever for a writer, ``/dev/zero`` would never end).

PyYAML's own parser in pure Python took 40 ms of a cold build for the theme, labels, clinic
and topic. Where PyYAML has libyaml, its C parser reads the file into events and the same
composer (refusing the same aliases and depths) and constructors build the same nodes and data;
a file that is refused there, or has something the two parsers read differently (a tab, an
unusual line break, a tag, a '?' inside brackets, a comment stuck to a '|'), is read again by
the pure-Python parser, whose words every error is reported in. And a run reads the same files again and again: a topic once for
every patient, the theme once for every print variant. So the text of the last files parsed is
kept with what it gave, and the same text is not parsed twice.
"""

from __future__ import annotations

import copy
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

from .errors import HandoutError
from .recent import recall

MAX_BYTES = 256 * 1024
"""Largest content file accepted; a one-page handout is a few kilobytes."""

MAX_DEPTH = 32
"""Deepest nesting of lists and keys accepted; a topic nests four levels, a theme five."""

_KEPT_FILES = 64
_kept = threading.local()

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: its data and the line (1-based) of every key and list item."""

    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of ``location``, or of its nearest ancestor that has one."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return None


class _Refusing(Composer):
    """A composer that rejects aliases before they can be expanded, and nesting deeper than
    :data:`MAX_DEPTH` before it can exhaust the stack (PyYAML composes recursively)."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise HandoutError(
                "anchors and aliases (&name, *name) are not allowed in these files; "
                "write the text out in full",
                line=event.start_mark.line + 1,
            )
        if self.depth >= MAX_DEPTH:
            raise HandoutError(f"lists and keys are nested more than {MAX_DEPTH} levels deep here; "
                               "a handout needs a few levels at most (look for unclosed [ or { )",
                               line=event.start_mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _NoAliasLoader(_Refusing, yaml.SafeLoader):
    """The safe loader, all in Python: the reference, and the words of every error."""


try:
    from yaml.cyaml import CParser

    _C_PARSER: tuple[type, ...] = (CParser,)
except ImportError:  # a PyYAML built without libyaml: every file is read in Python
    _C_PARSER = ()


class _FastLoader(_Refusing, *_C_PARSER, SafeConstructor, Resolver):  # type: ignore[misc]
    """The same composer and constructors over libyaml's parser (where PyYAML has it)."""

    def __init__(self, stream: str) -> None:
        _C_PARSER[0].__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_PARSERS_DIFFER = re.compile("|".join((
    "[\t\x85\u2028\u2029\ufeff]",  # a tab, a byte-order mark past the start, NEL, the Unicode line breaks
    Reader.NON_PRINTABLE.pattern,  # refused by both, in other words
    "[|>][-+0-9]*#",  # a comment touching a block scalar's '|' or '>': libyaml takes it, Python refuses it
    r"(?<![^\s\[{,])!",  # a tag: libyaml reads '!' alone as '', not null, and takes characters Python refuses
)))
"""What libyaml and PyYAML's Python parser may read differently, or refuse in other words
(found by comparing the two on random text, as tests/test_load.py keeps doing). One more
difference needs the parsed nodes to see: :func:`_question_in_flow`."""


def load_yaml(path: Path) -> Document:
    """Read ``path`` as YAML and return its data with line numbers.

    Raises :class:`HandoutError` naming the file (and line) for every problem. The file is
    read every time; it is parsed only if its text differs from the last time (kept per
    thread, for the last 64 files), and the data returned is always a fresh copy.
    """
    text = read_text(path)
    parsed = _kept.__dict__.setdefault("files", {})
    data, lines = recall(parsed, (path, text), lambda: _parse(path, text), _KEPT_FILES)
    return Document(path=path, data=copy.deepcopy(data), lines=dict(lines))


def _parse(path: Path, text: str) -> tuple[Any, dict[Location, int]]:
    if not text.strip():
        raise HandoutError("the file is empty", file=path)
    fast = _parse_with_libyaml(text)
    if fast is not None:
        return fast
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as error:  # raised up front for a control character
        raise _unprintable(path, text, error) from None
    try:
        return _compose(loader)
    except HandoutError as error:
        error.file = path
        raise
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(path, error) from error
    except yaml.YAMLError as error:
        raise HandoutError(f"this is not valid YAML: {error}", file=path) from error


def _parse_with_libyaml(text: str) -> tuple[Any, dict[Location, int]] | None:
    """The file read by libyaml, or None where the Python parser must read it: PyYAML has no
    libyaml, the two may read the text differently, libyaml refuses the file, or the file
    holds no mapping or list (libyaml puts an empty document a line lower)."""
    if not _C_PARSER or _PARSERS_DIFFER.search(text):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, (MappingNode, SequenceNode)) or "?" in text and _question_in_flow(node):
            return None
        return _document(loader, node)
    except Exception:  # noqa: BLE001 — refused: the Python parser says why, in its words
        return None
    finally:
        loader.dispose()


def _question_in_flow(node: Node, in_flow: bool = False) -> bool:
    """Whether a plain scalar inside ``[ ]`` or ``{ }`` has a '?', which libyaml reads as
    text and the Python parser as the start of a key (refusing most such files)."""
    if isinstance(node, ScalarNode):
        return in_flow and not node.style and "?" in node.value
    in_flow = in_flow or bool(node.flow_style)
    children = node.value if isinstance(node, SequenceNode) else [part for pair in node.value for part in pair]
    return any(_question_in_flow(child, in_flow) for child in children)


def _compose(loader: Any) -> tuple[Any, dict[Location, int]]:
    """The loader's one document as data, with the line of every key and list item."""
    try:
        return _document(loader, loader.get_single_node())
    finally:
        loader.dispose()


def _document(loader: Any, node: Node | None) -> tuple[Any, dict[Location, int]]:
    if node is None:
        raise HandoutError("the file is empty: it holds only comments")
    lines: dict[Location, int] = {(): node.start_mark.line + 1}
    return _construct(loader, node, (), lines), lines


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``max_bytes``; a HandoutError otherwise.

    The file is looked at before it is opened (opening a device can do something), and opened
    without waiting, so a FIFO slipped into a file's place is refused instead of blocking.
    """
    try:
        _check_regular(path, os.stat(path), max_bytes)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as stream:
            _check_regular(path, os.fstat(handle), max_bytes)
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise HandoutError(f"cannot read the file: {error.strerror}", file=path) from error
    if len(data) > max_bytes:  # it grew while it was read
        raise _too_large(path, len(data), max_bytes)
    return data


def _check_regular(path: Path, info: os.stat_result, max_bytes: int) -> None:
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket or other special file")
        raise HandoutError(f"this is {kind}, not a regular file; name a file", file=path)
    if info.st_size > max_bytes:
        raise _too_large(path, info.st_size, max_bytes)


def _too_large(path: Path, size: int, max_bytes: int) -> HandoutError:
    def amount(count: int) -> str:
        return f"{count / 1_048_576:.1f} MB" if count >= 1_048_576 else f"{count // 1024} KB"

    limit = f"{max_bytes // 1_048_576} MB" if max_bytes >= 1_048_576 else f"{max_bytes // 1024} KB"
    return HandoutError(f"the file is {amount(size)}; files here are limited to {limit}", file=path)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file of at most ``max_bytes``, with a clear error for anything else."""
    raw = read_file(path, max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise HandoutError(
            "the file is not UTF-8 text; save it as UTF-8 in your editor "
            f"(byte 0x{raw[error.start]:02x} cannot be read)",
            file=path,
            line=line,
        ) from error


def _unprintable(path: Path, text: str, error: yaml.reader.ReaderError) -> HandoutError:
    return HandoutError(
        f"the file contains a control character (U+{error.character:04X}) that cannot be printed; "
        "delete it (it often comes with text pasted from another program)",
        file=path,
        line=text[: error.position].count("\n") + 1,
    )


def _syntax_error(path: Path, error: yaml.MarkedYAMLError) -> HandoutError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    problem = error.problem or "this is not valid YAML"
    if "'\\t'" in problem:
        problem = "a tab character is used for indentation; indent with spaces instead"
    elif error.context:
        start = error.context_mark.line + 1 if error.context_mark else None
        problem = f"{problem} ({error.context}{f' that starts on line {start}' if start and start != line else ''})"
    return HandoutError(f"YAML syntax error: {problem}", file=path, line=line)


def _construct(loader: yaml.SafeLoader, node: Node, at: Location, lines: dict[Location, int]) -> Any:
    if isinstance(node, MappingNode):
        return _construct_mapping(loader, node, at, lines)
    if isinstance(node, SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            lines[at + (index,)] = child.start_mark.line + 1
            items.append(_construct(loader, child, at + (index,), lines))
        return items
    assert isinstance(node, ScalarNode)
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as error:  # e.g. a date like 2026-13-01
        raise HandoutError(f"'{node.value}' cannot be read: {error}", line=node.start_mark.line + 1) from None


def _construct_mapping(
    loader: yaml.SafeLoader, node: MappingNode, at: Location, lines: dict[Location, int]
) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = _scalar(loader, key_node) if isinstance(key_node, ScalarNode) else None
        if not isinstance(key, str):
            raise HandoutError(f"keys must be words like 'title', not {key!r}", line=line)
        if key in mapping:
            raise HandoutError(f"the key '{key}' appears twice; keep one", line=line)
        lines[at + (key,)] = line
        mapping[key] = _construct(loader, value_node, at + (key,), lines)
    return mapping
