"""Stage 1: YAML files become data with line numbers, and bad files get clear errors."""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from handouts import load
from handouts.errors import HandoutError
from handouts.load import MAX_BYTES, load_yaml
from handouts.model import ContentErrors, Topic, validate
from tests.helpers import MINIMAL_TOPIC, ROOT


def load_error(tmp_path: Path, content: bytes | str) -> HandoutError:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(HandoutError) as caught:
        load_yaml(path)
    assert caught.value.file == path
    return caught.value


def test_lines_are_recorded_for_keys_and_items(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("title: A\nsections:\n  - heading: B\n    bullets:\n      - c\n      - d\n")
    document = load_yaml(path)
    assert document.data["sections"][0]["bullets"] == ["c", "d"]
    assert document.line_of(("sections", 0, "heading")) == 3
    assert document.line_of(("sections", 0, "bullets", 1)) == 6
    assert document.line_of(("sections", 0, "text")) == 3  # a missing key: its parent's line


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsummary: [unclosed\nsections: []\n")
    assert error.line == 3 and "YAML syntax error" in error.message
    assert "(while parsing a flow sequence that starts on line 2)" in error.message


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsections:\n\t- heading: B\n")
    assert error.line == 3 and "tab character" in error.message


def test_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsummary: caf\xe9\n".encode("latin-1"))
    assert error.line == 2 and "not UTF-8" in error.message


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in load_error(tmp_path, "  \n").message
    assert load_error(tmp_path, "# title: to do\n\n# summary:\n").message == "the file is empty: it holds only comments"


def test_alias_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    error = load_error(tmp_path, bomb)
    assert error.line == 2 and "aliases" in error.message


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: " + "x" * (5 * 1024 * 1024))
    assert "5.0 MB" in error.message and f"{MAX_BYTES // 1024} KB" in error.message


def test_duplicate_key(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\ntitle: B\n")
    assert error.line == 2 and "appears twice" in error.message


def test_impossible_date(tmp_path: Path) -> None:
    error = load_error(tmp_path, "reviewed: 2026-13-01\n")
    assert error.line == 1 and "2026-13-01" in error.message
    error = load_error(tmp_path, "title: A\n2026-02-30: as a key\n")
    assert error.line == 2 and "'2026-02-30' cannot be read" in error.message


def test_control_character_is_refused_with_its_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsummary: pasted\x01text\n")
    assert error.line == 2 and "control character (U+0001)" in error.message


def test_a_file_read_again_gives_its_new_text_and_a_fresh_copy(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text("title: A\nbullets: [one, two]\n")
    first = load_yaml(path)
    first.data["bullets"].append("three")  # what a caller does with its data is its own
    assert load_yaml(path).data == {"title": "A", "bullets": ["one", "two"]}
    path.write_text("title: B\nbullets: [one, two]\n")  # same size: only the text tells
    assert load_yaml(path).data["title"] == "B"
    path.write_text("title: [unclosed\n")
    with pytest.raises(HandoutError):
        load_yaml(path)


SCALARS = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), st.integers(), st.booleans(),
                    st.none(), st.dates(), st.floats(allow_nan=False))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(data=DOCUMENTS, flow=st.booleans(), width=st.sampled_from([20, 80]))
def test_libyaml_and_the_python_parser_read_any_file_alike(data: object, flow: bool, width: int) -> None:
    """The C parser reads a file only as the Python one would: the same data, the same lines,
    or it leaves the file to the Python parser."""
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True, width=width)
    pure = load._compose(load._NoAliasLoader(text))
    assert load._parse(Path("x.yaml"), text) == pure
    if not load._PARSERS_DIFFER.search(text):
        assert load._compose(load._FastLoader(text)) == pure


def test_the_shipped_files_are_read_with_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("the Python parser was asked")

    monkeypatch.setattr(load._NoAliasLoader, "__init__", refused)
    shipped = [*ROOT.glob("content/*.yaml"), *ROOT.glob("templates/**/*.yaml"), ROOT / "clinic.yaml", ROOT / "check.yaml"]
    for path in shipped:
        assert load._parse(path, load.read_text(path))


@contextmanager
def python_parser_only() -> Iterator[None]:
    """As on a machine whose PyYAML has no libyaml."""
    with mock.patch.object(load, "_C_PARSER", ()):
        yield


def outcome(text: str) -> object:
    """What ``_parse`` makes of ``text``: its data and lines, or its error's words and place."""
    try:
        return load._parse(Path("x.yaml"), text)
    except HandoutError as error:
        return error.message, error.file, error.line


YAML_PIECES = st.sampled_from(["key", "k2", ":", ": ", "- ", "\n", "\n  ", "\n  - ", " ", "#c", " #c", "'q'", '"d"',
                               "[", "]", "{", "}", ", ", "|", ">", "|-", ">+", "&a ", "*a", "!", "!!str ", "!x ",
                               "? ", "?", "---", "...", "%YAML 1.2\n", "é", "\r\n", "null", "2026-02-30", "\\"])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(YAML_PIECES, min_size=1, max_size=14).map("".join))
@example(text="summary: >#note\n  Some words.\n")  # libyaml takes the comment; Python refuses it
@example(text="tags: [Why?, b]\n")  # libyaml reads 'Why?'; Python stops the word at '?'
@example(text="summary: !\n")  # libyaml reads '' where Python reads null
@example(text="x: !odd*tag b\n")  # libyaml takes a tag Python refuses
@example(text="# nothing\n---\n")  # libyaml puts the empty document a line lower
def test_any_text_gives_what_the_python_parser_gives(text: str) -> None:
    """libyaml or not, a file gives the same data and lines, or the same error in the same
    words at the same line: a file libyaml refuses or reads differently goes to the Python
    parser (random text found each of the examples above)."""
    with python_parser_only():
        expected = outcome(text)
    assert outcome(text) == expected


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: A\nsummary: [unclosed\nsections: []\n", 3, "expected ',' or ']', but got ':'"),
    ("title: A\nsummary: >#note\n  Some words.\n", 2, "expected chomping or indentation indicators, but found '#'"),
    ("title: A\ntags: [Why?, b]\n", 2, "expected ',' or ']', but got '?'"),
    ("title: A\nsummary: \"not closed\n", 3, "found unexpected end of stream"),
])
def test_a_file_libyaml_refuses_or_reads_otherwise_gets_the_python_parsers_words(
        tmp_path: Path, text: str, line: int, words: str) -> None:
    error = load_error(tmp_path, text)
    assert error.line == line and error.message.startswith(f"YAML syntax error: {words}")
    assert load._C_PARSER and load._parse_with_libyaml(text) is None


def test_errors_name_file_line_and_key_as_the_python_parser_would(tmp_path: Path) -> None:
    path = tmp_path / "topic.yaml"
    path.write_text(MINIMAL_TOPIC.replace("reviewed: 2026-11-01", "reviewed: last week")
                    .replace("- One thing to do.", "- [42]") + "subtitel: oops\n")

    def problems() -> list[str]:
        with pytest.raises(ContentErrors) as caught:
            validate(Topic, load_yaml(path))
        return [str(error) for error in caught.value.errors]

    assert load._parse_with_libyaml(path.read_text()) is not None
    found = problems()
    with python_parser_only():
        load._kept.files.clear()
        assert problems() == found
    assert found == [f"{path}, line 2, reviewed: should be a date like 2026-11-01",
                     f"{path}, line 8, sections #1 › bullets #1: should be text; put quotes around it if it is a number or yes/no",
                     f"{path}, line 13: unknown key 'subtitel' — did you mean 'subtitle'?"]


def test_without_libyaml_every_file_is_read_by_the_python_parser(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("title: A\nbullets:\n  - one\n")
    (tmp_path / "bad.yaml").write_text("title: A\nsummary: [unclosed\nsections: []\n")
    probe = ("import sys\nsys.modules['yaml.cyaml'] = None  # a PyYAML built without libyaml\n"
             "import yaml\nfrom pathlib import Path\nfrom handouts import load\n"
             "assert not yaml.__with_libyaml__ and load._C_PARSER == ()\n"
             "document = load.load_yaml(Path('ok.yaml'))\nprint(document.data, document.line_of(('bullets', 0)))\n"
             "try:\n    load.load_yaml(Path('bad.yaml'))\nexcept load.HandoutError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "{'title': 'A', 'bullets': ['one']} 3",
        "bad.yaml, line 3: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence that starts on line 2)"]
