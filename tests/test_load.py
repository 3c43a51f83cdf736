"""Stage 1: YAML files become data with line numbers, and bad files get clear errors."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts import load
from handouts.errors import HandoutError
from handouts.load import MAX_BYTES, load_yaml
from tests.helpers import ROOT


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
