"""The topic library at a glance: what ``build.py list`` shows (and the README quotes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError, internal_error
from .pipeline import Options, Project, TopicFile, discover, prepare
from .readability import Readability, readability


@dataclass(frozen=True)
class Entry:
    topic_file: TopicFile
    title: str = ""
    language: str = ""
    reviewed: str = ""
    readability: Readability | None = None
    error: HandoutError | None = None


def catalog(content: Path, templates: Path, clinic_file: Path) -> list[Entry]:
    """One entry a topic file, graded on the text as tailored for the default clinic."""
    return entries(Project.open(templates, clinic_file), content)


def entries(project: Project, content: Path) -> list[Entry]:
    """One entry a topic file of ``content``, graded on the text as tailored for ``project``'s clinic."""
    found = []
    for topic_file in discover(content):
        try:
            topic = prepare(project, topic_file, Options())
        except HandoutError as error:
            found.append(Entry(topic_file, error=error))
            continue
        except Exception as error:  # one line for this topic; the others are still listed
            found.append(Entry(topic_file, error=internal_error(error, f"reading {topic_file.path.name}")))
            continue
        found.append(Entry(topic_file, topic.title, topic.language, topic.reviewed.isoformat(), readability(topic)))
    return found
