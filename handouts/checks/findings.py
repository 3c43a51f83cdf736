"""What a check reports: a finding is data (where, how bad, what, what to do), never printed here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import HandoutError, display_path, location
from ..model import ContentErrors

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem (or measurement) about one topic, or about the files every topic shares.

    ``topic`` and ``language`` are None for the theme, labels, clinic and check files.
    """

    topic: str | None
    language: str | None
    file: Path | None
    line: int | None
    key: str | None
    severity: Severity
    check: str
    message: str
    suggestion: str | None = None

    @property
    def where(self) -> str:
        """``content/x.yaml, line 12, sections #3 › heading``, as the build's errors say it."""
        return location(self.file, self.line, self.key)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "file": display_path(self.file) if self.file else None}


@dataclass(frozen=True)
class Origin:
    """Whom findings are about: a topic file (slug and language) or a shared file."""

    file: Path | None
    topic: str | None = None
    language: str | None = None

    def finding(self, check: str, severity: Severity, message: str, *, line: int | None = None,
                key: str | None = None, suggestion: str | None = None) -> Finding:
        return Finding(self.topic, self.language, self.file, line, key, severity, check, message, suggestion)

    def from_error(self, check: str, error: HandoutError) -> list[Finding]:
        """Every problem an error carries (a ContentErrors holds several), as error findings."""
        errors = error.errors if isinstance(error, ContentErrors) else [error]
        return [
            Finding(self.topic, self.language, each.file or self.file, each.line, each.key, "error", check, each.message)
            for each in errors
        ]
