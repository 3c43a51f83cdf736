"""``check.yaml``: the thresholds of ``build.py check``, declared once and validated like the theme.

Without a ``check.yaml`` the defaults below apply; the shipped file states them, commented.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from ..contrast import AA, AAA
from ..load import load_yaml
from ..model import Strict, validate

CONFIG_FILE = Path("check.yaml")


class ReadingLimits(Strict):
    warn_above_grade: float = Field(7.0, gt=0)
    error_above_grade: float = Field(9.0, gt=0)
    warn_below_ease: float = Field(65.0, ge=0, le=100)
    error_below_ease: float = Field(55.0, ge=0, le=100)
    long_sentence_words: int = Field(15, ge=1)
    long_word_syllables: int = Field(4, ge=2)
    suggestions: int = Field(3, ge=0)

    @model_validator(mode="after")
    def _errors_beyond_warnings(self) -> "ReadingLimits":
        if self.error_above_grade < self.warn_above_grade or self.error_below_ease > self.warn_below_ease:
            raise ValueError("an error threshold should be at or beyond its warning threshold")
        return self


class Review(Strict):
    warn_after_years: int = Field(2, ge=1)


class Contrast(Strict):
    text: float = Field(AA, ge=1, le=21)
    body: float = Field(AAA, ge=1, le=21)


class Fit(Strict):
    large_print_body: float = Field(16.0, ge=6)


class CheckConfig(Strict):
    readability: ReadingLimits = ReadingLimits()
    review: Review = Review()
    contrast: Contrast = Contrast()
    fit: Fit = Fit()


def load_config(path: Path | None) -> CheckConfig:
    """Read ``path``; with None, ``check.yaml`` in the working folder if there is one, else defaults."""
    if path is None:
        if not CONFIG_FILE.is_file():
            return CheckConfig()
        path = CONFIG_FILE
    return validate(CheckConfig, load_yaml(path))
