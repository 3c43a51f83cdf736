"""The pipeline: load -> validate -> tailor -> render -> lay out and fit -> draw -> verify -> write.

:class:`Project` holds what every handout of a run shares (templates, themes, labels, clinic,
font), loaded once. :func:`build_handout` is pure: a topic file and options in, PDF bytes out;
:func:`lay_out` stops before drawing, for a packet that draws several handouts as one PDF.
Writing, skipping what is current and running in parallel are :mod:`runner`'s business.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import __version__
from .clinic import load_clinic, with_brand
from .errors import HandoutError
from .fonts import FontFamily, missing_characters, refuse_undrawable, register_family
from .draw import Metadata, Part, draw_handout
from .labels import Labels, labels_for_topic, load_labels
from .layout import PAPERS, Overflow, fit_to_page, frame_size
from .load import Document, load_yaml
from .manifest import digest
from .markup import HEADER_PART, parse_page
from .model import Clinic, Topic, location_key, text_fields, validate
from .render import TEMPLATE, environment, render_page
from .tailor import Patient, tailor, tailoring_context
from .theme import THEME_FILE, Theme, Variant, load_theme
from .verify import Expected, plain, verify_pdf

LEGIBLE_BODY = 12.0
"""Body text below this size (pt) is legal for the fit but earns a warning: patients are older."""

LARGE_PRINT_FLOOR = 16.0
"""Large print never sets body text smaller than this (pt); the theme's variant may start larger."""

LARGE_PRINT_PAGES = 2
"""Large print may use this many pages, and only when the topic does not fit one at the floor."""

EMAIL_BYTES = 60 * 1024
"""A handout larger than this earns a warning: it should stay small enough to email."""

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
    """How to build: the paper, the print variant, the date, and who the handout is for.

    ``date`` is printed on the "Prepared for" line and stamped as the PDF's creation date;
    without it the PDF carries the topic's review date, so a build never depends on the clock.
    """

    paper: str = "letter"
    patient: Patient = field(default_factory=Patient)
    large_print: bool = False
    grayscale: bool = False
    date: dt.date | None = None

    @property
    def theme_variants(self) -> tuple[Variant, ...]:
        """The theme's variants this build lays over the standard look, in order."""
        chosen: list[Variant] = ["large_print"] if self.large_print else []
        return (*chosen, "grayscale") if self.grayscale else tuple(chosen)

    @property
    def page_budget(self) -> int:
        return LARGE_PRINT_PAGES if self.large_print else 1


THEME_VARIANTS: tuple[tuple[Variant, ...], ...] = ((), ("large_print",), ("grayscale",), ("large_print", "grayscale"))


@dataclass(frozen=True)
class Project:
    """What every handout in a run shares, loaded and checked once.

    ``themes`` holds the theme for each combination of variants, with the clinic's brand
    colour; ``fingerprint`` is a digest of every shared input (templates, theme, labels,
    clinic file, logo, font files, tool version), so a build can tell whether an old PDF is still current.
    """

    templates: Path
    clinic_file: Path
    theme: Theme
    themes: dict[tuple[Variant, ...], Theme]
    labels: Labels
    clinic: Clinic
    family: FontFamily
    env: ImmutableSandboxedEnvironment
    fingerprint: str

    @classmethod
    def open(cls, templates: Path, clinic_file: Path) -> "Project":
        theme = load_theme(templates)
        family = register_family(theme.font, templates)
        clinic = load_clinic(clinic_file, theme, family)
        themes = {names: with_brand(load_theme(templates, names), clinic) for names in THEME_VARIANTS}
        shared = [*handout_templates(templates), clinic_file, *family.files]
        return cls(
            templates=templates,
            clinic_file=clinic_file,
            theme=themes[()],
            themes=themes,
            labels=load_labels(templates),
            clinic=clinic,
            family=family,
            env=environment(templates),
            fingerprint=digest(__version__, *shared, *([Path(clinic.logo)] if clinic.logo else [])),
        )

    def theme_for(self, options: Options) -> Theme:
        """The theme for ``options``' variants; large print must keep body text at 16 pt or more."""
        theme = self.themes[options.theme_variants]
        if options.large_print and theme.type.floor < LARGE_PRINT_FLOOR:
            raise HandoutError(f"large print promises body text of at least {LARGE_PRINT_FLOOR:g} pt; set the "
                               f"floor to {LARGE_PRINT_FLOOR:g} or more", file=self.templates / THEME_FILE,
                               key="variants › large_print › type › floor")
        return theme

    @property
    def image_folders(self) -> tuple[Path, ...]:
        """Where pictures may come from besides the templates: the clinic file's folder."""
        return (self.clinic_file.parent,)


PAGE_TEMPLATES = "web"
"""The folder in ``templates/`` with the clinic's web page (``build.py serve``): no handout is built from it."""


EMAIL_TEMPLATES = "email.*.j2"
"""The email's own templates in ``templates/`` (:mod:`handouts.email`): no handout is built from them."""


def handout_templates(templates: Path) -> list[Path]:
    """Every file in ``templates`` that handouts are built from: all but the page's folder and
    the email's templates. They are part of every handout's inputs (so editing the email's
    letter rebuilds no handout), and the page loads its library again when one changes."""
    return sorted(path for path in templates.rglob("*") if path.is_file() and _for_handouts(path.relative_to(templates)))


def _for_handouts(template: Path) -> bool:
    """Whether the file at ``template`` (inside ``templates/``) can change a handout."""
    return template.parts[0] != PAGE_TEMPLATES and not (len(template.parts) == 1 and template.match(EMAIL_TEMPLATES))


@dataclass(frozen=True)
class Handout:
    """A built handout: its PDF and what the build learned on the way."""

    data: bytes
    title: str
    body_size: float
    passes: int
    warnings: list[str]
    pages: int = 1
    reviewed: dt.date | None = None


def prepare(project: Project, topic_file: TopicFile, options: Options) -> Topic:
    """Load, validate and tailor one topic; refuse one in a language without labels, and text
    the font cannot draw."""
    topic, document = load_topic(topic_file)
    labels_for_topic(project.labels, project.templates, topic, document)
    topic = tailor(topic, document, tailoring_context(project.clinic, options.patient))
    for at, text in text_fields(topic):
        refuse_undrawable(text, project.family, file=topic_file.path, line=document.line_of(at), key=location_key(at))
    for name, value in options.patient.as_context().items():
        if missing_characters(value, project.family):  # which ones is the patient's data: not shown
            raise HandoutError(f"the font {project.family.label} cannot draw some characters of the patient's "
                               f"{name}; write it with other characters", file=topic_file.path)
    return topic


def page_context(project: Project, topic: Topic, options: Options) -> dict[str, object]:
    """What the handout template sees: the tailored topic, clinic, patient and labels."""
    labels = project.labels.for_language(topic.language)
    return {
        "topic": topic,
        "clinic": project.clinic,
        "patient": options.patient.as_context(),
        "labels": labels,
        **({"prepared_on": labels.date_of(options.date)} if options.date else {}),
    }


@dataclass(frozen=True)
class Page:
    """A handout rendered but not yet laid out: the tailored topic, the theme of its variant
    and the template's XHTML, parsed. The PDF is laid out from it, and the HTML and text
    versions (:mod:`versions`) are written from it."""

    topic: Topic
    theme: Theme
    root: ET.Element
    template: Path


def render_handout(project: Project, topic_file: TopicFile, options: Options) -> Page:
    """Load, validate, tailor and render one handout; a HandoutError names the file."""
    with _blamed_on(topic_file):
        topic = prepare(project, topic_file, options)
        theme = project.theme_for(options)
        template = project.templates / TEMPLATE
        return Page(topic, theme, parse_page(render_page(project.env, page_context(project, topic, options)), template),
                    template)


@dataclass(frozen=True)
class LaidOut:
    """A handout laid out at its size, ready to be drawn alone or in a packet."""

    topic: Topic
    theme: Theme
    part: Part


def lay_out(project: Project, topic_file: TopicFile, options: Options) -> LaidOut:
    """Render and fit one handout; raise HandoutError naming the file if it cannot be."""
    page = render_handout(project, topic_file, options)
    topic, theme = page.topic, page.theme
    with _blamed_on(topic_file, project.clinic_file):
        fitted = fit_to_page(page.root, theme, project.family, frame_size(options.paper, theme), page.template,
                             pages=options.page_budget, image_folders=project.image_folders)
        meta = Metadata(
            title=plain(topic.title),
            author=project.clinic.name,
            subject=plain(topic.subtitle or topic.summary),
            keywords=[topic_file.slug, topic.language, "patient handout"],
            lang=topic.language,
            creator=f"handouts {__version__}",
            created=options.date or topic.reviewed,
        )
        labels = project.labels.for_language(topic.language)
        marks = labels.page_marks(fitted.pages) if fitted.pages > 1 else ()
    return LaidOut(topic, theme, Part(fitted, meta, marks))


def build_handout(project: Project, topic_file: TopicFile, options: Options) -> Handout:
    """Build one handout into PDF bytes; raise HandoutError naming the file if it cannot be."""
    laid = lay_out(project, topic_file, options)
    fitted, title = laid.part.fitted, laid.part.meta.title
    with _blamed_on(topic_file):
        data = draw_handout(laid.part, options.paper, laid.theme, project.family)
        verify_pdf(data, Expected(fitted.pages, PAPERS[options.paper], title, (laid.topic.title, project.clinic.phone)))
    return Handout(data, laid.topic.title, fitted.scale.body, fitted.passes,
                   legibility_warnings(fitted.scale.body) + too_big_to_email(data, "PDF"),
                   pages=fitted.pages, reviewed=laid.topic.reviewed)


@contextmanager
def _blamed_on(topic_file: TopicFile, clinic_file: Path | None = None) -> Iterator[None]:
    """An error without a file of its own (a template's, the fit's) is reported against the
    topic, or against ``clinic_file`` when the header it fills is what does not fit."""
    try:
        yield
    except HandoutError as error:
        clinics = clinic_file is not None and isinstance(error, Overflow) and error.longest == HEADER_PART
        error.file = error.file or (clinic_file if clinics else topic_file.path)
        raise


def legibility_warnings(body_size: float) -> list[str]:
    """A warning when a handout fits only below the size older readers need."""
    if body_size < LEGIBLE_BODY:
        return [f"fits only at {body_size:g} pt body text, below the {LEGIBLE_BODY:g} pt "
                "guideline for older readers; consider shortening it"]
    return []


def too_big_to_email(data: bytes, kind: str) -> list[str]:
    """A warning when a file (``kind``: PDF, HTML …) is larger than emails easily, else none."""
    if len(data) <= EMAIL_BYTES:
        return []
    return [f"the {kind} is {len(data) / 1024:.0f} KB, more than the {EMAIL_BYTES // 1024} KB that "
            "emails easily; a smaller logo picture helps"]
