"""``build.py check``: every problem in the library at once, before anything is printed.

Runs the checks of :mod:`handouts.checks` over each topic file and over the files every topic
shares (theme, labels, clinic), and returns a :class:`Report` of findings; nothing is written
and nothing is printed here. A topic that cannot be read is reported and the others go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from .checks.colors import contrast_findings
from .checks.config import CheckConfig, load_config
from .checks.findings import Finding, Origin, Severity
from .checks.fit import fit_findings
from .checks.hygiene import clinic_phone_findings, phone_findings, review_findings, symptom_findings, unsourced_figures
from .checks.reading import readability_findings
from .checks.text import glyph_findings, invisible_findings, strings, tailoring_findings
from .checks.translation import translation_findings
from .errors import HandoutError, internal_error
from .labels import LABELS_FILE, labels_for_topic
from .load import Document, load_yaml
from .model import Topic, text_fields
from .pipeline import Project, TopicFile, discover, load_topic
from .readability import readability
from .tailor import Patient, tailor, tailoring_context
from .theme import THEME_FILE


@dataclass(frozen=True)
class TopicReport:
    """One topic file's findings, and its measures (``body_pt``, reading grades) for the table."""

    topic_file: TopicFile
    language: str
    findings: list[Finding]
    measures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """The whole check: findings per topic, and about the shared files (``shared``)."""

    topics: list[TopicReport]
    shared: list[Finding]

    @property
    def findings(self) -> list[Finding]:
        return self.shared + [finding for topic in self.topics for finding in topic.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def passed(self, strict: bool) -> bool:
        """No errors; with ``strict``, no warnings either."""
        return not self.count("error") and not (strict and self.count("warning"))


def check_library(content: Path, templates: Path, clinic_file: Path, *, slugs: list[str] | None = None,
                  config: Path | None = None, today: dt.date) -> Report:
    """Check the topics in ``content`` (all, or ``slugs``) as they would build with these files.

    Raises HandoutError only when there is nothing to check: a bad ``check.yaml``, a missing
    content folder, an unknown slug.
    """
    settings = load_config(config)
    topic_files = discover(content, slugs)
    shared, project = _check_shared(templates, clinic_file, settings)
    reports = [check_topic(topic_file, project, settings, today) for topic_file in topic_files]
    return _lift_shared(Report(reports, shared), topic_files)


def check_topic(topic_file: TopicFile, project: Project | None, settings: CheckConfig, today: dt.date) -> TopicReport:
    """Every check of one topic file; those that need the templates and font need ``project``.

    An unexpected failure is one finding of this topic, so the others are still checked and a
    tool reading the JSON still gets JSON."""
    try:
        return _check_topic(topic_file, project, settings, today)
    except Exception as error:
        origin = Origin(topic_file.path, topic_file.slug, topic_file.language or "en")
        return TopicReport(topic_file, origin.language or "en",
                           origin.from_error("internal", internal_error(error, f"checking {topic_file.path.name}")))


_BEFORE_FIT = ("tailoring", "glyphs", "labels")
"""Checks whose errors the build meets before it lays a page out: after one, the fit is not measured."""


def _check_topic(topic_file: TopicFile, project: Project | None, settings: CheckConfig, today: dt.date) -> TopicReport:
    language = topic_file.language or "en"
    origin = Origin(topic_file.path, topic_file.slug, language)
    try:
        topic, document = load_topic(topic_file)
    except HandoutError as error:
        return TopicReport(topic_file, language, origin.from_error("schema", error) + _unsourced(origin, topic_file))
    origin = replace(origin, language=topic.language)
    findings, shown = _printed_text(origin, topic, document, project) if project else ([], topic)
    findings += _labels_findings(origin, topic, document, project) if project else []
    measured = readability(shown)
    measures = measured.measures
    findings += readability_findings(origin, shown, document, measured, settings.readability)
    findings += review_findings(origin, topic, document, today, settings.review)
    findings += phone_findings(origin, text_fields(topic), document)
    findings += invisible_findings(origin, text_fields(topic), document, project.family if project else None)
    findings += symptom_findings(origin, topic, document)
    findings += translation_findings(origin, topic_file, topic, document)
    if project and not any(finding.severity == "error" and finding.check in _BEFORE_FIT for finding in findings):
        fit, body = fit_findings(origin, project, topic_file, settings.fit)
        findings += fit
        measures = {"body_pt": body, **measures} if body else measures
    return TopicReport(topic_file, topic.language, sorted(findings, key=lambda finding: finding.line or 0), measures)


def _printed_text(origin: Origin, topic: Topic, document: Document, project: Project) -> tuple[list[Finding], Topic]:
    """Tailoring and glyph findings, and the text as printed (tailored, when it can be)."""
    context = tailoring_context(project.clinic, Patient())
    findings = tailoring_findings(origin, topic, document, context)
    shown = topic
    if not findings:
        try:
            shown = tailor(topic, document, context)
        except HandoutError as error:  # the filled-in text breaks a rule, e.g. it is empty
            findings = origin.from_error("tailoring", error)
    return findings + glyph_findings(origin, text_fields(shown), document, project.family), shown


def _labels_findings(origin: Origin, topic: Topic, document: Document, project: Project) -> list[Finding]:
    """An error when ``labels.yaml`` has no block for the topic's language: ``build`` refuses it,
    and the editor who wrote the topic learns why, and what still prints meanwhile."""
    try:
        labels_for_topic(project.labels, project.templates, topic, document)
    except HandoutError as error:
        return [origin.finding("labels", "error", error.message, line=error.line, key=error.key, suggestion=(
            'a handout prints some words itself ("Reviewed", "Page 1 of 2", the months); until they are written '
            "in this language, this file is not built (the topic's other languages still are)"))]
    return []


def _unsourced(origin: Origin, topic_file: TopicFile) -> list[Finding]:
    """For a topic that fails the schema: its sentences with figures, if it lists no sources."""
    try:
        return unsourced_figures(origin, load_yaml(topic_file.path))
    except HandoutError:
        return []


def _check_shared(templates: Path, clinic_file: Path, settings: CheckConfig) -> tuple[list[Finding], Project | None]:
    """Findings about the theme, labels and clinic, and the project to build with if they load."""
    try:
        project = Project.open(templates, clinic_file)
    except HandoutError as error:
        return Origin(error.file).from_error("setup", error), None
    except Exception as error:
        return Origin(None).from_error("setup", internal_error(error, "reading the templates and clinic")), None
    try:
        findings = contrast_findings(project, load_yaml(templates / THEME_FILE), settings.contrast)
    except HandoutError as error:  # the template fails: said once, as each topic's build says it
        findings = Origin(None).from_error("build", error)
    labels, clinic = load_yaml(templates / LABELS_FILE), load_yaml(clinic_file)
    for document in (labels, clinic):
        findings += glyph_findings(Origin(document.path), strings(document.data), document, project.family)
    findings += clinic_phone_findings(Origin(clinic.path), project.clinic.phone, clinic)
    return findings, project


def _lift_shared(report: Report, topic_files: list[TopicFile]) -> Report:
    """Move findings about a shared file (a template error every build meets) out of the
    topics, once each, so twelve topics do not repeat one broken template twelve times."""
    own = {topic_file.path for topic_file in topic_files}
    shared = list(report.shared)
    topics = []
    for topic in report.topics:
        for finding in topic.findings:
            lifted = replace(finding, topic=None, language=None)
            if finding.file not in own and lifted not in shared:
                shared.append(lifted)
        topics.append(replace(topic, findings=[finding for finding in topic.findings if finding.file in own]))
    return Report(topics, shared)
