"""The pipeline: load -> validate -> tailor -> render -> lay out and fit -> verify -> write.

:class:`Project` holds what every handout of a run shares (templates, theme, labels, clinic,
font), loaded once. :func:`build_handout` is pure: a topic file and options in, PDF bytes out.
:func:`build_all` adds the I/O at the edge: it writes each good PDF atomically, leaves none for
a handout that fails, and goes on with the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import HandoutError
from .fonts import FontFamily, describe_characters, missing_characters, register_family
from .layout import PAPERS, Metadata, draw_pdf, fit_to_page, frame_size
from .load import Document, load_yaml
from .markup import parse_page
from .model import Clinic, Topic, location_key, text_fields, validate
from .render import TEMPLATE, environment, render_page
from .tailor import Patient, tailor, tailoring_context
from .theme import Labels, Theme, load_labels, load_theme
from .verify import Expected, plain, verify_pdf
from .write import remove_stale, write_atomic

LEGIBLE_BODY = 12.0
"""Body text below this size (pt) is legal for the fit but earns a warning: patients are older."""

_FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)(?:\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z]{2,4})?))?\.yaml$")


@dataclass(frozen=True)
class TopicFile:
    """``content/<slug>.yaml``, or ``content/<slug>.<lang>.yaml`` for a translation."""

    path: Path
    slug: str
    language: str | None

    @property
    def output_name(self) -> str:
        """``diet-vitamin-d.pdf``, ``diet-vitamin-d.es.pdf``: named after the content file."""
        return self.path.name.removesuffix(".yaml") + ".pdf"


def discover(content: Path, slugs: list[str] | None = None) -> list[TopicFile]:
    """The topic files in ``content``, all or those of ``slugs``: by slug, translations after."""
    if not content.is_dir():
        raise HandoutError("the content folder does not exist", file=content)
    found = []
    for path in content.glob("*.yaml"):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise HandoutError("name content files like 'my-topic.yaml' or 'my-topic.es.yaml' "
                               "(lowercase letters, digits and hyphens)", file=path)
        found.append(TopicFile(path, match["slug"], match["lang"]))
    found.sort(key=lambda topic: (topic.slug, topic.language or ""))
    if slugs:
        unknown = sorted(set(slugs) - {topic.slug for topic in found})
        if unknown:
            known = ", ".join(sorted({topic.slug for topic in found})) or "none"
            raise HandoutError(f"no topic named {', '.join(unknown)} in {content} (topics: {known})")
        found = [topic for topic in found if topic.slug in slugs]
    return found


def load_topic(topic_file: TopicFile) -> tuple[Topic, Document]:
    """Read and validate one topic; a translation's language comes from its file name."""
    document = load_yaml(topic_file.path)
    topic = validate(Topic, document)
    wanted = topic_file.language
    if wanted and topic.language != wanted:
        if "language" in document.data:
            raise HandoutError(f"the file name says '{wanted}' but the file says '{topic.language}'",
                               file=topic_file.path, line=document.line_of(("language",)), key="language")
        topic = topic.model_copy(update={"language": wanted})
    return topic, document


@dataclass(frozen=True)
class Options:
    """How to build: the paper and who the handout is for."""

    paper: str = "letter"
    patient: Patient = field(default_factory=Patient)


@dataclass(frozen=True)
class Project:
    """What every handout in a run shares, loaded and checked once."""

    templates: Path
    theme: Theme
    labels: Labels
    clinic: Clinic
    family: FontFamily
    env: ImmutableSandboxedEnvironment

    @classmethod
    def open(cls, templates: Path, clinic_file: Path) -> "Project":
        theme = load_theme(templates)
        return cls(
            templates=templates,
            theme=theme,
            labels=load_labels(templates),
            clinic=validate(Clinic, load_yaml(clinic_file)),
            family=register_family(theme.font, templates),
            env=environment(templates),
        )


@dataclass(frozen=True)
class Handout:
    """A built handout: its PDF and what the build learned on the way."""

    data: bytes
    title: str
    body_size: float
    passes: int
    warnings: list[str]


def prepare(project: Project, topic_file: TopicFile, options: Options) -> Topic:
    """Load, validate and tailor one topic, and refuse text the font cannot draw."""
    topic, document = load_topic(topic_file)
    topic = tailor(topic, document, tailoring_context(project.clinic, options.patient))
    for at, text in text_fields(topic):
        missing = missing_characters(text, project.family)
        if missing:
            shown = describe_characters(missing)
            raise HandoutError(f"the font {project.family.label} cannot draw {shown}; use other characters",
                               file=topic_file.path, line=document.line_of(at), key=location_key(at))
    for name, value in options.patient.as_context().items():
        if missing_characters(value, project.family):  # which ones is the patient's data: not shown
            raise HandoutError(f"the font {project.family.label} cannot draw some characters of the patient's "
                               f"{name}; write it with other characters", file=topic_file.path)
    return topic


def page_context(project: Project, topic: Topic, options: Options) -> dict[str, object]:
    """What the handout template sees: the tailored topic, clinic, patient and labels."""
    return {
        "topic": topic,
        "clinic": project.clinic,
        "patient": options.patient.as_context(),
        "labels": project.labels.for_language(topic.language),
    }


def build_handout(project: Project, topic_file: TopicFile, options: Options) -> Handout:
    """Build one handout into PDF bytes; raise HandoutError naming the file if it cannot be."""
    try:
        topic = prepare(project, topic_file, options)
        template = project.templates / TEMPLATE
        root = parse_page(render_page(project.env, page_context(project, topic, options)), template)
        fitted = fit_to_page(root, project.theme, project.family, frame_size(options.paper, project.theme), template)
        meta = Metadata(
            title=plain(topic.title),
            author=project.clinic.name,
            subject=plain(topic.subtitle or topic.summary),
            keywords=[topic_file.slug, topic.language, "patient handout"],
            lang=topic.language,
            creator=f"handouts {__version__}",
        )
        data = draw_pdf(fitted, options.paper, project.theme, project.family, meta)
        verify_pdf(data, Expected(1, PAPERS[options.paper], meta.title, (topic.title, project.clinic.phone)))
    except HandoutError as error:
        error.file = error.file or topic_file.path
        raise
    warnings = []
    if fitted.scale.body < LEGIBLE_BODY:
        warnings.append(f"fits only at {fitted.scale.body:g} pt body text, below the {LEGIBLE_BODY:g} pt "
                        "guideline for older readers; consider shortening it")
    return Handout(data, topic.title, fitted.scale.body, fitted.passes, warnings)


@dataclass(frozen=True)
class Result:
    """One handout's outcome in a run: ``output`` when it was written, ``error`` when not."""

    topic_file: TopicFile
    output: Path | None = None
    handout: Handout | None = None
    error: HandoutError | None = None
    removed_stale: bool = False


def build_all(
    project: Project,
    topic_files: list[TopicFile],
    out: Path,
    options: Options,
    on_result: Callable[[Result], None] = lambda result: None,
) -> list[Result]:
    """Build and write every topic; a failure leaves no PDF for that topic and stops nothing else."""
    results = []
    for topic_file in topic_files:
        target = out / topic_file.output_name
        try:
            handout = build_handout(project, topic_file, options)
            write_atomic(target, handout.data)
            result = Result(topic_file, output=target, handout=handout)
        except HandoutError as error:
            result = Result(topic_file, error=error, removed_stale=remove_stale(target))
        results.append(result)
        on_result(result)
    return results
