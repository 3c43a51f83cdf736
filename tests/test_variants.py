"""Variants: languages with an English fallback, large print, grayscale, and their file names."""

from pathlib import Path

from tests.helpers import MINIMAL_TOPIC, fill_colours, page_text, read_pdf, run, sized_text, write_topic

LONG_TOPIC = MINIMAL_TOPIC.replace("sections:\n", "sections:\n" + "".join(
    f"  - heading: Part {i}\n    bullets:\n" + "".join(f"      - Point {j} of part {i}, a short line of advice.\n" for j in range(4))
    for i in range(5)
), 1)
"""Fits one page at the normal size, but needs two in large print."""


def pdfs(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "out").glob("*.pdf"))


def test_lang_picks_translations_and_falls_back_to_english_with_a_warning(project: Path) -> None:
    write_topic(project, "both.yaml")
    write_topic(project, "both.es.yaml", MINIMAL_TOPIC.replace("Test Topic", "Tema de prueba"))
    write_topic(project, "english-only.yaml")
    result = run("build", "--lang", "es", "--jobs", "1")
    assert result.code == 0, result.output
    assert pdfs(project) == ["both.es.pdf", "english-only.pdf"]
    assert "warning: english-only.pdf: there is no 'es' version of english-only (content/english-only.es.yaml); " \
           "built english-only.pdf in English instead" in result.flat
    assert read_pdf(project / "out" / "english-only.pdf").trailer["/Root"]["/Lang"] == "en"


def test_lang_must_be_a_language_code(project: Path) -> None:
    write_topic(project, "both.yaml")
    result = run("build", "--lang", "Spanish")
    assert result.code == 1 and "'Spanish' is not a language code" in result.flat


def test_large_print_is_16_pt_or_more_and_says_when_it_takes_two_pages(project: Path) -> None:
    write_topic(project, "long.yaml", LONG_TOPIC)
    write_topic(project, "short.yaml")
    result = run("build", "--large-print", "--jobs", "1")
    assert result.code == 0, result.output
    assert pdfs(project) == ["long.large.pdf", "short.large.pdf"]
    runs = sized_text(project / "out" / "long.large.pdf")
    body = [size for text, size in runs if text.startswith(("Point", "Some words", "A short summary"))]
    assert len(body) >= 20 and min(body) >= 16
    assert len(read_pdf(project / "out" / "long.large.pdf").pages) == 2
    text = page_text(project / "out" / "long.large.pdf")
    assert "Page 1 of 2, continued on the next page" in text and "Page 2 of 2" in text
    assert "note: long.large.pdf is large print on 2 pages" in result.flat
    assert len(read_pdf(project / "out" / "short.large.pdf").pages) == 1
    assert "Page 1" not in page_text(project / "out" / "short.large.pdf")


def test_standard_print_never_takes_a_second_page(project: Path) -> None:
    write_topic(project, "long.yaml", LONG_TOPIC)
    assert run("build", "--jobs", "1").code == 0
    assert len(read_pdf(project / "out" / "long.pdf").pages) == 1


def test_a_large_print_floor_below_16_pt_is_refused(project: Path) -> None:
    write_topic(project, "short.yaml")
    theme = project / "templates" / "theme.yaml"
    theme.write_text(theme.read_text().replace("type: {body: 18, floor: 16", "type: {body: 18, floor: 14"))
    result = run("build", "--large-print", "--jobs", "1")
    assert result.code == 1 and not (project / "out" / "short.large.pdf").exists()
    assert "templates/theme.yaml, variants › large_print › type › floor: large print promises body text of at least 16 pt" in result.flat
    assert run("build", "--jobs", "1").code == 0  # standard print is not held up by it


def test_a_mistake_in_a_theme_variant_is_reported_at_its_line(project: Path) -> None:
    write_topic(project, "short.yaml")
    theme = project / "templates" / "theme.yaml"
    text = theme.read_text().replace("    pictures: gray\n", "    pictures: gray\n    colours: {text: '#000000'}\n")
    theme.write_text(text)
    line = text.splitlines().index("    colours: {text: '#000000'}") + 1
    result = run("build", "--jobs", "1")
    assert result.code == 1 and f"templates/theme.yaml, line {line}: unknown key 'colours' — did you mean 'colors'?" in result.flat


def test_grayscale_has_no_colour_and_keeps_strong_contrast(project: Path) -> None:
    write_topic(project, "warn.yaml", MINIMAL_TOPIC + "callout:\n  kind: urgent\n  heading: Get help now\n  text: Call 911.\n")
    assert run("build", "--grayscale", "--jobs", "1").code == 0
    colours = fill_colours(project / "out" / "warn.gray.pdf")
    assert colours and all(r == g == b for r, g, b in colours)
    assert max(r for r, _, _ in colours if r < 1) <= 0.25  # text and rules stay dark on white
    assert "Get help now" in page_text(project / "out" / "warn.gray.pdf")


def test_all_variants_builds_every_topic_and_translation_in_both_sizes(project: Path) -> None:
    write_topic(project, "both.yaml")
    write_topic(project, "both.es.yaml")
    result = run("build", "--all-variants", "--jobs", "1")
    assert result.code == 0, result.output
    assert pdfs(project) == ["both.es.large.pdf", "both.es.pdf", "both.large.pdf", "both.pdf"]
    assert run("build", "--all-variants", "--grayscale", "--large-print", "both", "--jobs", "1").code == 0
    assert {"both.gray.pdf", "both.large.gray.pdf", "both.es.large.gray.pdf"} <= set(pdfs(project))
