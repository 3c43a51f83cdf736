"""Which handouts a build makes, and what each file is called.

A topic can be built in its languages and in variants, and the file name says which:

    quit-smoking.pdf            English, standard print
    quit-smoking.es.pdf         Spanish (from content/quit-smoking.es.yaml)
    quit-smoking.large.pdf      large print
    quit-smoking.es.large.pdf   Spanish, large print
    quit-smoking.gray.pdf       grayscale (ink-saving); .large.gray for both
    quit-smoking.es.large.html  the HTML version of one of them (``.txt``: plain text)

``--lang es`` picks each topic's Spanish file and falls back to the English one, with a
warning, when a topic has none; the fallback keeps its English name, so a file name never
claims a language the file is not in. Paper size is not in the name: a clinic prints on one.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError, display_path
from .manifest import digest
from .model import ENGLISH, LANGUAGE_PATTERN
from .pipeline import Options, Project, TopicFile, build_handout, discover
from .runner import Made

KINDS = ("pdf", "html", "txt")
"""The kinds of file a build makes of a handout, named by their extension; ``pdf`` is the default."""


def output_name(topic_file: TopicFile, options: Options, kind: str = "pdf") -> str:
    """``quit-smoking.es.large.pdf``: the content file's name, then the variants, then the
    kind of file (``pdf``, ``html`` or ``txt``)."""
    return topic_file.output_name.removesuffix(".pdf") + variant_suffix(options) + "." + kind


def variant_suffix(options: Options) -> str:
    """``.large``, ``.gray``, ``.large.gray`` or nothing: the print variants a file name says,
    in a fixed order (a handout's, and a packet's from the page)."""
    return (".large" if options.large_print else "") + (".gray" if options.grayscale else "")


def options_key(options: Options) -> str:
    """Every option as stable text, for the digest of a build's inputs."""
    return json.dumps(dataclasses.asdict(options), sort_keys=True, default=str)


@dataclass(frozen=True)
class HandoutTask:
    """One handout file to make: a topic file in one variant, as a PDF or as its HTML or
    text version (see :mod:`runner`). Each is a file of its own in the manifest."""

    topic_file: TopicFile
    options: Options
    notes: tuple[str, ...] = ()
    kind: str = "pdf"

    @property
    def output(self) -> str:
        return output_name(self.topic_file, self.options, self.kind)

    @property
    def label(self) -> str:
        return self.topic_file.slug

    def inputs(self, project: Project) -> str:
        return digest(project.fingerprint, self.topic_file.path, options_key(self.options))

    def make(self, project: Project) -> Made:
        if self.kind == "pdf":
            return build_handout(project, self.topic_file, self.options)
        from .versions import build_version  # a PDF-only build never imports it

        return build_version(project, self.topic_file, self.options, self.kind)


def plan(content: Path, slugs: list[str], options: Options, *, language: str | None = None,
         all_variants: bool = False, kinds: tuple[str, ...] = ("pdf",)) -> list[HandoutTask]:
    """The files to build: every topic file (or each topic in ``language``), with
    ``all_variants`` each of them in standard and large print, each as every one of ``kinds``
    (``pdf``, ``html``, ``txt``)."""
    topic_files = discover(content, slugs)
    chosen = in_language(topic_files, language) if language else [(file, ()) for file in topic_files]
    sizes = (False, True) if all_variants else (options.large_print,)
    return [HandoutTask(topic_file, dataclasses.replace(options, large_print=size), notes, kind)
            for topic_file, notes in chosen for size in sizes for kind in kinds]


def in_language(topic_files: list[TopicFile], language: str) -> list[tuple[TopicFile, tuple[str, ...]]]:
    """Each topic's file in ``language``, or its English file and a note saying so."""
    check_language(language)
    chosen = []
    for slug in dict.fromkeys(file.slug for file in topic_files):
        files = {file.language or ENGLISH: file for file in topic_files if file.slug == slug}
        if language in files:
            chosen.append((files[language], ()))
        else:
            fallback = files.get(ENGLISH) or next(iter(files.values()))
            missing = display_path(fallback.path.with_name(f"{slug}.{language}.yaml"))
            chosen.append((fallback, (f"there is no '{language}' version of {slug} ({missing}); "
                                      f"built {fallback.output_name} in {fallback.language or 'English'} instead",)))
    return chosen


def check_language(language: str) -> None:
    if not re.fullmatch(LANGUAGE_PATTERN, language):
        raise HandoutError(f"'{language}' is not a language code; use a code like en, es or es-MX")
