"""How a check report is shown: a rich table and the problems for people, or JSON for tools.

The text lists errors and warnings with what to do; information (fit sizes, grades) goes in
the table. The JSON holds everything, in the shape README documents (``"format": 1``).
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from ..check import Report, TopicReport
from ..errors import display_path
from ..summary import terminal
from .findings import SEVERITIES, Finding

JSON_FORMAT = 1
_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def print_report(report: Report, strict: bool) -> None:
    """The table of topics, then each error and warning, then one closing line."""
    console = terminal()
    table = Table(show_edge=False, pad_edge=False)
    for column, justify in (("Handout", "left"), ("Fits at", "right"), ("Reading level", "left"), ("Errors", "right"), ("Warn.", "right")):
        table.add_column(column, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for topic in report.topics:
        errors, warnings = (_count(topic.findings, severity) for severity in ("error", "warning"))
        table.add_row(topic.topic_file.path.stem, _fit(topic), _reading(topic),
                      f"[red]{errors}[/]" if errors else "0", f"[yellow]{warnings}[/]" if warnings else "0")
    if report.topics:
        console.print(table)
    for finding in report.findings:
        if finding.severity != "info":
            console.print(f"[{_COLOURS[finding.severity]}]{finding.severity}[/] ({finding.check}): "
                          f"{escape(_located(finding))}")
            if finding.suggestion:
                console.print(f"  [dim]→ {escape(finding.suggestion)}[/]")
    console.print(_closing(report, strict))


def report_json(report: Report, strict: bool) -> dict[str, Any]:
    """Everything the check found, for tools: see README, "Checking before you print"."""
    return {
        "format": JSON_FORMAT,
        "passed": report.passed(strict),
        "strict": strict,
        "counts": {severity: report.count(severity) for severity in SEVERITIES},
        "topics": [
            {"topic": topic.topic_file.slug, "language": topic.language, "file": display_path(topic.topic_file.path),
             "measures": topic.measures, "errors": _count(topic.findings, "error"),
             "warnings": _count(topic.findings, "warning")}
            for topic in report.topics
        ],
        "findings": [finding.as_json() for finding in report.findings],
    }


def _count(findings: list[Finding], severity: str) -> int:
    return sum(1 for finding in findings if finding.severity == severity)


def _located(finding: Finding) -> str:
    return f"{finding.where}: {finding.message}" if finding.where else finding.message


def _fit(topic: TopicReport) -> str:
    body = topic.measures.get("body_pt")
    return f"{body:g} pt" if body else "—"


def _reading(topic: TopicReport) -> str:
    labels = {"flesch_kincaid": "FK", "smog": "SMOG", "crawford": "Crawford", "szigriszt_pazos": "SzP"}
    return " · ".join(f"{label} {topic.measures[name]:g}" for name, label in labels.items() if name in topic.measures) or "—"


def _closing(report: Report, strict: bool) -> str:
    errors, warnings = report.count("error"), report.count("warning")
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    line = f"Checked {len(report.topics)} handout{'s' * (len(report.topics) != 1)}: {counts}"
    if report.passed(strict):
        return f"{line}. [green]Ready to print.[/]" if not warnings else f"{line}; see the warnings above."
    reason = " (--strict: warnings count)" if strict and not errors else ""
    return f"{line}{reason}. [red]Fix them before printing.[/]"
