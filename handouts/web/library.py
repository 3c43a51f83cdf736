"""What the page lists and builds from: the project and its topics, loaded once and loaded
again when a file they were read from changes on disk (an editor's fix shows on the next
request, without a restart).

The pipeline's small caches are not safe to share between threads, and neither is PDFium
(the preview), so everything that runs them holds :attr:`Shelf.lock`. Builds therefore run
one at a time, which costs nothing on Python's one interpreter lock; requests that only read
the loaded library (the page itself, its style sheet) never wait for a build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Entry, entries
from ..errors import HandoutError
from ..pipeline import PAGE_TEMPLATES, Project, TopicFile, handout_templates
from ..variants import ENGLISH

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Paths:
    """Where the project's files are: the same three the command line takes."""

    content: Path
    templates: Path
    clinic_file: Path

    @property
    def page_templates(self) -> Path:
        return self.templates / PAGE_TEMPLATES


@dataclass(frozen=True)
class Version:
    """A topic in one language, as the library lists it."""

    topic_file: TopicFile
    language: str
    title: str
    reviewed: str
    grade: float | None


@dataclass(frozen=True)
class LibraryTopic:
    """A topic: its good versions by language (English first), and the languages and problems
    of the files that failed to load (an editor is fixing them)."""

    slug: str
    versions: dict[str, Version]
    problems: tuple[str, ...] = ()
    broken: frozenset[str] = frozenset()

    def version(self, language: str) -> Version | None:
        """The version in ``language``, else the English one (as ``build --lang`` falls back);
        None when the file that would be used is broken: never another language instead."""
        for code in (language, ENGLISH):
            if code in self.broken:
                return None
            if code in self.versions:
                return self.versions[code]
        return next(iter(self.versions.values()), None)

    @property
    def files(self) -> list[TopicFile]:
        return [version.topic_file for version in self.versions.values()]


@dataclass(frozen=True)
class Library:
    """The loaded project and its topics; ``problem`` when the shared files cannot be read."""

    project: Project | None
    topics: tuple[LibraryTopic, ...] = ()
    problem: HandoutError | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language some topic is in, English first."""
        found = {language for topic in self.topics for language in topic.versions}
        return tuple(sorted(found, key=lambda code: (code != ENGLISH, code)))

    def language_name(self, language: str, *, native: bool = False) -> str:
        """The page's name for a language: as ``labels.yaml`` names it (``Spanish``, with ``native``
        ``Spanish (español)``), so a language added there needs no change to the page."""
        return self.project.labels.language_name(language, native=native) if self.project else language

    def topic(self, slug: str) -> LibraryTopic | None:
        """The topic called ``slug``: a name from a form is looked up here, never used as a path."""
        return next((topic for topic in self.topics if topic.slug == slug and topic.versions), None)


def load_library(paths: Paths) -> Library:
    """Open the project and grade every topic, as ``build.py list`` does."""
    try:
        project = Project.open(paths.templates, paths.clinic_file)
        found = entries(project, paths.content)
    except HandoutError as error:
        return Library(None, problem=error)
    slugs = dict.fromkeys(entry.topic_file.slug for entry in found)
    return Library(project, tuple(_topic(slug, [e for e in found if e.topic_file.slug == slug]) for slug in slugs))


def _topic(slug: str, found: list[Entry]) -> LibraryTopic:
    good = sorted((e for e in found if not e.error), key=lambda e: (e.language != ENGLISH, e.language))
    versions = {e.language: Version(e.topic_file, e.language, e.title, e.reviewed,
                                    e.readability.grade if e.readability else None) for e in good}
    failed = [e for e in found if e.error]
    return LibraryTopic(slug, versions, tuple(str(e.error) for e in failed),
                        frozenset(e.topic_file.language or ENGLISH for e in failed))


class Shelf:
    """The library of one running page: loaded on first use, loaded again after a change."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.lock = threading.Lock()
        self._loaded: tuple[Signature, Library] | None = None

    def library(self) -> Library:
        """The library as the files on disk are now."""
        loaded = self._loaded
        signature = self._signature(loaded[1] if loaded else None)
        if loaded and loaded[0] == signature:
            return loaded[1]
        with self.lock:
            if self._loaded and self._loaded[0] == signature:
                return self._loaded[1]
            library = load_library(self.paths)
            self._loaded = (signature, library)
            return library

    def _signature(self, library: Library | None) -> Signature:
        """Name, modification time and size of every file a library is read from."""
        paths = self.paths
        logo = library.project.clinic.logo if library and library.project else None
        files = [*paths.content.glob("*.yaml"), paths.clinic_file, *([Path(logo)] if logo else []),
                 *handout_templates(paths.templates)]
        stamps = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(stamps))
