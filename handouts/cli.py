"""The command line: parse arguments, call the pipeline, print a summary, set the exit code.

No logic lives here beyond that, so tests and other programs call the same functions.
Exit codes: 0 all built (or checked clean), 1 something failed (the rest still built), 2 usage
error.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import sys
import time
from pathlib import Path

import click

from .errors import HandoutError


def _folder(name: str, help_text: str, default: str | None = None) -> click.Option:
    return click.option(f"--{name}", type=click.Path(path_type=Path, file_okay=False), default=default or name,
                        show_default=True, help=help_text)


def _settings(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``--set clinician="Dr. Lee"`` -> ``(("clinician", "Dr. Lee"),)``; empty values are left out."""
    from .tailor import field_name

    settings = []
    for pair in values:
        key, equals, value = pair.partition("=")
        if not equals or not field_name(key):
            raise click.BadParameter(f"'{pair}' should be key=value, e.g. clinician=\"Dr. Lee\"")
        if field_name(key) == "name":
            raise click.BadParameter("give the patient's name with --patient")
        if value.strip():
            settings.append((field_name(key), value.strip()))
    return tuple(settings)


class _Kinds(click.ParamType):
    """``pdf,html`` -> ``("pdf", "html")``: the kinds of file to make, each once, in the order given.
    (A type rather than a callback, so the default is converted too when ``build`` runs by default.)"""

    name = "pdf,html,txt"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        from .variants import KINDS

        if isinstance(value, tuple):
            return value
        kinds = tuple(dict.fromkeys(kind.strip().lower() for kind in str(value).split(",") if kind.strip()))
        if not kinds or any(kind not in KINDS for kind in kinds):
            self.fail(f"'{value}' should be one or more of {', '.join(KINDS)}, separated by commas", param, ctx)
        return kinds


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if value == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' should be a date like 2026-03-05, or 'today'") from None


def _cpus() -> int:
    """The CPUs this process may run on (a container or ``taskset`` may allow fewer than exist)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _jobs(ctx: click.Context, param: click.Parameter, value: int) -> int:
    """More workers than CPUs only compete for them (150 took ten times as long as 2), so cap."""
    cpus = _cpus()
    if value > cpus:
        click.echo(f"note: --jobs {value} is more than the {cpus} CPUs here; building {cpus} at a time", err=True)
    return min(value, cpus)


content_option = _folder("content", "Folder of topic files (<slug>.yaml, <slug>.<lang>.yaml).")
templates_option = _folder("templates", "Folder with handout.html.j2, theme.yaml and labels.yaml.")
debug_option = click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
clinic_option = click.option("--clinic", "clinic_file", type=click.Path(path_type=Path, dir_okay=False),
                             default="clinic.yaml", show_default=True,
                             help="Clinic file: name, phone, address, website, logo, brand colour.")
paper_option = click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
grayscale_option = click.option("--grayscale", is_flag=True, help="Black on white with no filled boxes, to save ink.")
date_option = click.option("--date", callback=_date, metavar="YYYY-MM-DD|today",
                           help="Print this date on the 'Prepared for' line and stamp it in the PDF "
                                "(default: no date printed; the PDF carries the review date).")
jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=_cpus, callback=_jobs,
                           show_default="number of CPUs", help="How many handouts to build at once (at most one a CPU).")
force_option = click.option("--force", is_flag=True, help="Rebuild even the files that are up to date.")
verbose_option = click.option("--verbose", is_flag=True, help="Show patients' names and packet file names in the output.")
patient_option = click.option("--patient", default="", help="Patient name for the 'Prepared for' line (never printed in logs).")
set_option = click.option("--set", "settings", multiple=True, callback=_settings, metavar="KEY=VALUE",
                          help="Another patient detail: clinician, follow_up, note, or any name content uses. Repeatable.")
large_print_option = click.option("--large-print", is_flag=True, help="Body text 16 pt or larger; may use two pages.")
outbox_option = _folder("outbox", "Folder for the .eml drafts and the delivery log.")
send_option = click.option("--send", is_flag=True, help="Send through the clinic's mail server (the clinic file's email: "
                           "block; login from HANDOUTS_SMTP_USER and HANDOUTS_SMTP_PASSWORD) instead of writing drafts.")
resend_option = click.option("--resend", is_flag=True, help="Send again what the delivery log says was already sent.")


def program() -> None:
    """The command line as a program (``build.py``, the ``handouts`` script), not called by
    tests or other programs: garbage collection is off while a command imports and loads what
    it needs, which makes little garbage but would be scanned again and again (50-80 ms of a
    cold build), and back on, with what was loaded frozen, before the command's work."""
    gc.disable()
    main()


def _loaded() -> None:
    """What this command needs is loaded: collect garbage again, leaving the loaded objects
    out of every collection (and shared with forked workers). Only where :func:`program`
    turned collection off, never in a process that called :func:`main` itself."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


LOADING_COMMANDS = ("build", "batch", "email")
"""The commands that call :func:`_loaded` themselves, once their project is open."""


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handouts")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build one-page patient handouts (PDF) from content YAML and Jinja2 templates.

    With no command, builds every topic in content/ into out/.
    """
    if (ctx.invoked_subcommand or "build") not in LOADING_COMMANDS:
        _loaded()
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@click.argument("slugs", nargs=-1)
@content_option
@templates_option
@_folder("out", "Folder the PDFs are written to.")
@clinic_option
@paper_option
@patient_option
@set_option
@date_option
@click.option("--lang", metavar="CODE", help="Build each topic in this language (e.g. es); English where there is no translation.")
@large_print_option
@grayscale_option
@click.option("--all-variants", is_flag=True, help="Build every topic and translation in standard and large print.")
@click.option("--format", "kinds", type=_Kinds(), default="pdf", show_default=True, metavar="pdf,html,txt",
              help="What to make of each handout: the PDF, an HTML page, plain text; several separated by commas.")
@jobs_option
@force_option
@verbose_option
@debug_option
def build(slugs: tuple[str, ...], content: Path, templates: Path, out: Path, clinic_file: Path, paper: str,
          patient: str, settings: tuple[tuple[str, str], ...], date: dt.date | None, lang: str | None, large_print: bool,
          grayscale: bool, all_variants: bool, kinds: tuple[str, ...], jobs: int, force: bool, verbose: bool,
          debug: bool) -> None:
    """Build SLUGS (default: every topic) into OUT/<slug>.pdf (and .html, .txt with --format);
    unchanged ones are skipped."""
    from .pipeline import Options, Project
    from .runner import run
    from .summary import print_build_summary, progress
    from .tailor import Patient
    from .variants import plan

    started = time.perf_counter()
    with _user_errors(debug):
        options = Options(paper, Patient(patient, dict(settings)), large_print, grayscale, date)
        tasks = plan(content, list(slugs), options, language=lang, all_variants=all_variants, kinds=kinds)
        project = Project.open(templates, clinic_file)
        _loaded()
        with progress(lambda result: result.task.output) as reporter:
            results = run(project, tasks, out, jobs=jobs, force=force, on_start=reporter.start, on_result=reporter.result)
    print_build_summary(results, out, time.perf_counter() - started)
    if verbose and patient:
        click.echo(f"Prepared for {patient}.")
    sys.exit(1 if any(result.error for result in results) else 0)


@main.command(name="batch")
@click.argument("patients", type=click.Path(path_type=Path, dir_okay=False))
@content_option
@templates_option
@_folder("out", "Folder the packets are written to.", default="packets")
@clinic_option
@paper_option
@date_option
@grayscale_option
@jobs_option
@force_option
@click.option("--email", "email", is_flag=True, help="Also email each packet to the row's email column (an .eml "
              "draft in --outbox; with --send, through the clinic's mail server).")
@send_option
@outbox_option
@resend_option
@click.option("--rate", type=click.IntRange(min=1), default=30, show_default=True,
              help="With --send: at most this many messages a minute, so the mail server does not flag the batch.")
@verbose_option
@debug_option
def batch_command(patients: Path, content: Path, templates: Path, out: Path, clinic_file: Path, paper: str,
                  date: dt.date | None, grayscale: bool, jobs: int, force: bool, email: bool, send: bool, outbox: Path,
                  resend: bool, rate: int, verbose: bool, debug: bool) -> None:
    """Build a packet PDF per patient from PATIENTS, a CSV file (and email it, with --email).

    Columns: name (required), language (e.g. es), topics (separated by ;), large_print (yes/no),
    email (for --email); any other column is available to templates as patient.<column>.
    """
    from .batch import batch
    from .pipeline import Options, Project
    from .summary import print_batch_summary, progress

    started = time.perf_counter()
    with _user_errors(debug):
        project = Project.open(templates, clinic_file)
        _loaded()
        if email or send:  # the mail settings and login are checked before anything is built
            from .email import backend_for

            backend = backend_for(project, send=send, outbox=outbox)
        with progress(lambda result: result.task.output if verbose else result.task.label) as reporter:
            outcome = batch(patients, project, content, out, Options(paper, grayscale=grayscale, date=date),
                            jobs=jobs, force=force, on_start=reporter.start, on_result=reporter.result)
    print_batch_summary(outcome, out, time.perf_counter() - started, verbose)
    failed = bool(outcome.bad_rows or any(result.error for result in outcome.results))
    if email or send:
        from .email import email_packets
        from .email.report import print_batch_email, print_delivery

        with _user_errors(debug):
            emailed = email_packets(project, outcome, patients, out, backend=backend, outbox=outbox, resend=resend,
                                    rate=rate, on_delivery=lambda delivery: print_delivery(delivery, verbose))
        print_batch_email(emailed, outbox, send)
        failed = failed or not emailed.all_delivered
    sys.exit(1 if failed else 0)


@main.command(name="email")
@click.argument("slugs", nargs=-1, required=True)
@click.option("--to", required=True, metavar="ADDRESS", help="The patient's email address (never printed in logs).")
@patient_option
@set_option
@date_option
@click.option("--lang", metavar="CODE", help="The handouts' and the message's language (default: en); English for a "
              "topic without a translation.")
@large_print_option
@grayscale_option
@paper_option
@clinic_option
@content_option
@templates_option
@outbox_option
@send_option
@resend_option
@verbose_option
@debug_option
def email_command(slugs: tuple[str, ...], to: str, patient: str, settings: tuple[tuple[str, str], ...],
                  date: dt.date | None, lang: str | None, large_print: bool, grayscale: bool, paper: str,
                  clinic_file: Path, content: Path, templates: Path, outbox: Path, send: bool, resend: bool,
                  verbose: bool, debug: bool) -> None:
    """Email SLUGS to a patient in one message: a draft in OUTBOX/ to review and send from
    your mail program, or with --send through the clinic's mail server."""
    from .email import email_handouts
    from .email.report import print_message
    from .pipeline import Options, Project
    from .tailor import Patient

    with _user_errors(debug):
        project = Project.open(templates, clinic_file)
        _loaded()
        options = Options(paper, Patient(patient, dict(settings)), large_print, grayscale, date)
        delivery, notes = email_handouts(project, content, list(slugs), to, options, language=lang or "en",
                                         send=send, outbox=outbox, resend=resend)
    for note in notes:
        click.echo(f"warning: {note}")
    print_message(delivery, outbox, verbose)
    sys.exit(0 if delivery.delivered else 1)


@main.command()
@outbox_option
@click.option("--since", callback=_date, metavar="YYYY-MM-DD|today", help="Only deliveries from this day on.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the same entries for tools.")
@click.option("--verbose", is_flag=True, help="Show recipients, file names and Message-IDs.")
@debug_option
def deliveries(outbox: Path, since: dt.date | None, output_format: str, verbose: bool, debug: bool) -> None:
    """List the delivery log of OUTBOX: when, which batch line, which handouts (with the
    sha256 of each PDF), and what became of each message."""
    from .email.report import print_log

    with _user_errors(debug):
        print_log(outbox, since, output_format == "json", verbose)


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


@main.command()
@content_option
@templates_option
@clinic_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any but this computer's needs the HANDOUTS_WEB_PASSWORD variable.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@debug_option
def serve(content: Path, templates: Path, clinic_file: Path, host: str, port: int, debug: bool) -> None:
    """Open the handouts page in a browser: pick topics for a patient, preview, print or download.

    Serves http://127.0.0.1:8000 (this computer only) until Ctrl-C. Content and clinic files
    are read again when they change.
    """
    from .web.app import WebConfig
    from .web.library import Paths
    from .web.security import PASSWORD_VARIABLE
    from .web.serve import serve as run_server

    with _user_errors(debug):
        config = WebConfig(Paths(content, templates, clinic_file), password=os.environ.get(PASSWORD_VARIABLE) or None)
        run_server(config, host, port, click.echo)


class _user_errors:
    """Print a HandoutError as one clear message and exit 1, and any other exception as one
    "internal error" line (``--debug`` keeps the traceback, and logs those of the files that
    failed this way); after Ctrl-C, SIGTERM or SIGHUP say what was kept and exit with 128 +
    the signal's number (130, 143, 129), as a shell would."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __enter__(self) -> None:
        if self.debug:
            import logging

            logger = logging.getLogger("handouts")
            logger.addHandler(logging.StreamHandler())
            logger.setLevel(logging.DEBUG)

    def __exit__(self, kind: type | None, error: BaseException | None, trace: object) -> bool:
        from .errors import internal_error
        from .runner import Interrupted

        if isinstance(error, Interrupted):
            by = "Ctrl-C" if error.signal == signal.SIGINT else signal.Signals(error.signal).name
            click.echo(f"Stopped by {by}: {error}. Every file written is complete; run the same command again "
                       "to build the rest (finished files are skipped).", err=True)
            sys.exit(128 + error.signal)
        if isinstance(error, KeyboardInterrupt):  # while emailing: every message's outcome is already logged
            click.echo("Stopped. Every message sent is logged; run the same command again to send the rest (the one "
                       "being sent may arrive twice).", err=True)
            sys.exit(130)
        if isinstance(error, Exception) and not self.debug:
            shown = error if isinstance(error, HandoutError) else internal_error(error, "running this command")
            click.echo(f"error: {shown}", err=True)
            sys.exit(1)
        return False

