"""The command line: parse arguments, call the pipeline, print a summary, set the exit code.

No logic lives here beyond that, so tests and other programs call the same functions.
Exit codes: 0 all built (or checked clean), 1 something failed (the rest still built), 2 usage
error.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .errors import HandoutError


def _folder(name: str, help_text: str) -> click.Option:
    return click.option(f"--{name}", type=click.Path(path_type=Path, file_okay=False), default=name, show_default=True, help=help_text)


content_option = _folder("content", "Folder of topic files (<slug>.yaml, <slug>.<lang>.yaml).")
templates_option = _folder("templates", "Folder with handout.html.j2, theme.yaml and labels.yaml.")
debug_option = click.option("--debug", is_flag=True, help="Show the full traceback of an error.")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handouts")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build one-page patient handouts (PDF) from content YAML and Jinja2 templates.

    With no command, builds every topic in content/ into out/.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@click.argument("slugs", nargs=-1)
@content_option
@templates_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="out", show_default=True, help="Folder the PDFs are written to.")
@click.option("--clinic", "clinic_file", type=click.Path(path_type=Path, dir_okay=False), default="clinic.yaml", show_default=True, help="Clinic file: name, phone, address, website.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--patient", default="", help="Patient name for the 'Prepared for' line (never printed in logs).")
@debug_option
def build(slugs: tuple[str, ...], content: Path, templates: Path, out: Path, clinic_file: Path,
          paper: str, patient: str, debug: bool) -> None:
    """Build SLUGS (default: every topic) into OUT/<slug>.pdf."""
    from .pipeline import Options, Project, build_all, discover
    from .summary import print_build_summary
    from .tailor import Patient

    started = time.perf_counter()
    with _user_errors(debug):
        topic_files = discover(content, list(slugs))
        project = Project.open(templates, clinic_file)
        results = build_all(project, topic_files, out, Options(paper=paper, patient=Patient(name=patient)))
    print_build_summary(results, out, time.perf_counter() - started)
    sys.exit(1 if any(result.error for result in results) else 0)


@main.command(name="list")
@content_option
@templates_option
@click.option("--clinic", "clinic_file", type=click.Path(path_type=Path, dir_okay=False), default="clinic.yaml", show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: a table to paste into a document.")
@debug_option
def list_topics(content: Path, templates: Path, clinic_file: Path, output_format: str, debug: bool) -> None:
    """List the topics: slug, language, title, review date and reading grade.

    The grade is the school grade the text needs by the stricter grade formula:
    Flesch-Kincaid and SMOG for English, Crawford for Spanish (with Szigriszt-Pazos ease).
    """
    from .catalog import catalog
    from .summary import print_catalog

    with _user_errors(debug):
        entries = catalog(content, templates, clinic_file)
    print_catalog(entries, markdown=output_format == "markdown")
    sys.exit(1 if any(entry.error for entry in entries) else 0)


@main.command()
@click.argument("slugs", nargs=-1)
@content_option
@templates_option
@click.option("--clinic", "clinic_file", type=click.Path(path_type=Path, dir_okay=False), default="clinic.yaml", show_default=True, help="Clinic file: name, phone, address, website.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Thresholds file.  [default: check.yaml if there is one]")
@click.option("--strict", is_flag=True, help="Fail on warnings too (readability, review date, fit below 12 pt …).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json: the same findings for tools (README shows the shape).")
@debug_option
def check(slugs: tuple[str, ...], content: Path, templates: Path, clinic_file: Path, config_file: Path | None,
          strict: bool, output_format: str, debug: bool) -> None:
    """Check SLUGS (default: every topic) before printing: schema, fit, readability, glyphs,
    contrast, review dates, sources, phone numbers and {{ }} names. Writes nothing.

    Exit code 0 when there are no errors, 1 when there are (or warnings, with --strict).
    """
    import datetime as dt
    import json

    from .check import check_library
    from .checks.output import print_report, report_json

    with _user_errors(debug):
        report = check_library(content, templates, clinic_file, slugs=list(slugs), config=config_file, today=dt.date.today())
    if output_format == "json":
        click.echo(json.dumps(report_json(report, strict), indent=2, ensure_ascii=False))
    else:
        print_report(report, strict)
    sys.exit(0 if report.passed(strict) else 1)


class _user_errors:
    """Print a HandoutError as one clear message and exit 1; ``--debug`` keeps the traceback."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, trace: object) -> bool:
        if isinstance(error, HandoutError) and not self.debug:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        return False

