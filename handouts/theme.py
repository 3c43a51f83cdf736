"""The designer's side of a handout: fonts, colours, sizes and spacing, from ``theme.yaml``.

A theme lives beside the templates so a designer can change the look without touching
Python. Sizes of body-text styles are multiples of the body size, which is what lets the fit
stage shrink a whole handout evenly; sizes written with a unit (``"10pt"``) stay fixed.

Every number has a range a printed page can honour (a margin that leaves no room, a size of
``.inf`` or a fit step so small it means millions of tries are errors naming their key), so a
theme can make a handout look wrong but never hang or crash a build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from .load import Document, Location, load_yaml
from .model import Color, Strict, validate

THEME_FILE = "theme.yaml"
_UNITS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
MAX_MARGIN = 144.0
"""Widest margin (2 inches): what is left of a letter page is still a usable column."""
MAX_FIXED = 144.0
"""Largest size or space written with a unit (2 inches)."""
MAX_RELATIVE = 8.0
"""Largest size or space written as a multiple of the body size."""
MAX_FIT_STEPS = 200
"""Most sizes the fit may try between the start size and the floor."""


def _points(value: object) -> object:
    """``"0.6in"`` -> 43.2; plain numbers are points already."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|in|mm|cm)\s*", value)
        if match:
            return float(match[1]) * _UNITS[match[2]]
    return value


Length = Annotated[float, BeforeValidator(_points), Field(ge=0, le=MAX_FIXED, allow_inf_nan=False)]
Multiple = Annotated[float, Field(ge=0, le=MAX_RELATIVE, allow_inf_nan=False)]


class Style(Strict):
    """How one kind of element looks: ``h1``, ``p.summary``, ``callout li`` …"""

    size: float | str = 1.0
    leading: Annotated[float, Field(ge=0.8, le=4, allow_inf_nan=False)] | None = None
    bold: bool = False
    italic: bool = False
    color: str = "text"
    space_before: float | str = 0.0
    space_after: float | str = 0.35
    align: Literal["left", "center", "right"] = "left"

    @model_validator(mode="after")
    def _sizes_in_range(self) -> "Style":
        for name in ("size", "space_before", "space_after"):
            value = getattr(self, name)
            if isinstance(value, str) and isinstance(_points(value), str):
                raise ValueError(f"{name} '{value}' should be a number or a size like 10pt, 3mm, 0.2in")
            smallest = 0.1 if name == "size" else 0.0
            points, limit = (float(_points(value)), MAX_FIXED) if isinstance(value, str) else (value, MAX_RELATIVE)
            if not smallest <= points <= limit:  # also false for nan
                unit = " pt" if isinstance(value, str) else " times the body size"
                raise ValueError(f"{name} {value} is out of range: use {smallest:g} to {limit:g}{unit}")
        return self


def scaled(value: float | str, body: float) -> float:
    """A theme size in points: a multiple of ``body``, or fixed when written with a unit."""
    return float(_points(value)) if isinstance(value, str) else value * body


class Box(Strict):
    """The frame drawn around a ``div`` of a class: the header band, a callout, the footer."""

    background: str | None = None
    border: str | None = None
    border_width: Annotated[float, Field(ge=0, le=36, allow_inf_nan=False)] = 0.0
    border_sides: Literal["all", "left", "top", "bottom"] = "all"
    padding: Length = 8.0
    space_before: Multiple = 0.0
    space_after: Multiple = 0.5


class TypeScale(Strict):
    """The body size a handout starts at, and how far the fit may shrink it."""

    body: float = Field(13.0, ge=6, le=72, allow_inf_nan=False)
    floor: float = Field(11.0, ge=6, le=72, allow_inf_nan=False)
    step: float = Field(0.5, gt=0, le=12, allow_inf_nan=False)
    leading: float = Field(1.3, ge=1, le=4, allow_inf_nan=False)
    tight_leading: float = Field(1.18, ge=1, le=4, allow_inf_nan=False)
    spacing: Multiple = 1.0
    tight_spacing: Multiple = 0.6

    @model_validator(mode="after")
    def _few_enough_steps(self) -> "TypeScale":
        if self.floor > self.body:
            raise ValueError(f"the floor ({self.floor:g} pt) should not be above the body size ({self.body:g} pt)")
        steps = (self.body - self.floor) / self.step
        if steps > MAX_FIT_STEPS:
            raise ValueError(f"from {self.body:g} pt down to {self.floor:g} pt in steps of {self.step:g} pt is "
                             f"{steps:,.0f} sizes to try; use a step of at least "
                             f"{(self.body - self.floor) / MAX_FIT_STEPS:.2g} pt (0.25 is usual)")
        return self


class FontFiles(Strict):
    """TrueType files, relative to the theme, for a font that is not a pip font package."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


Variant = Literal["large_print", "grayscale"]


class Theme(Strict):
    font: str | FontFiles = "Atkinson Hyperlegible"
    margin: Annotated[float, BeforeValidator(_points), Field(ge=0, allow_inf_nan=False)] = 40.0
    """The same on all four sides; at most :data:`MAX_MARGIN`, so the page keeps a usable column."""
    type: TypeScale = TypeScale()
    colors: dict[str, Color]
    styles: dict[str, Style]
    boxes: dict[str, Box] = {}
    pictures: Literal["color", "gray"] = "color"
    variants: dict[Variant, dict[str, Any]] = {}
    """What changes for ``--large-print`` and ``--grayscale``: theme keys laid over the rest."""

    @field_validator("margin")
    @classmethod
    def _margin_leaves_room(cls, margin: float) -> float:
        if margin > MAX_MARGIN:
            raise ValueError(f"a margin of {margin / 72:.3g}in leaves too little of the page; use at most "
                             f"{MAX_MARGIN / 72:g}in")
        return margin

    @model_validator(mode="after")
    def _colors_are_named(self) -> "Theme":
        used = [s.color for s in self.styles.values()] + [
            c for b in self.boxes.values() for c in (b.background, b.border) if c
        ]
        unknown = sorted({c for c in used if c not in self.colors and not c.startswith("#")})
        if unknown:
            raise ValueError(f"colours used but not defined under 'colors': {', '.join(unknown)}")
        if "p" not in self.styles:
            raise ValueError("a style for 'p' (body text) is required under 'styles'")
        return self

    def color(self, name: str) -> str:
        """A colour by its theme name, or a literal ``#rrggbb``."""
        return self.colors.get(name, name)


def load_theme(templates: Path, variants: tuple[Variant, ...] = ()) -> Theme:
    """Read and check ``templates/theme.yaml``, with the named variants laid over it in order.

    A variant's mistakes are reported at its own lines, like any other key of the file.
    """
    document = load_yaml(templates / THEME_FILE)
    theme = validate(Theme, document)
    for name in variants:
        document = _overlay(document, ("variants", name))
    return validate(Theme, document) if variants else theme


def _overlay(document: Document, at: Location) -> Document:
    """``document`` with the mapping found at ``at`` merged over its top level.

    Mappings merge key by key (``styles: {h1: {size: 2}}`` changes only the size of h1);
    anything else, ``null`` included, replaces what was there.
    """
    patch: Any = document.data
    for key in at:
        patch = patch.get(key) if isinstance(patch, dict) else None
    if not patch:
        return document

    def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        merged = dict(base)
        for key, value in changes.items():
            both = isinstance(value, dict) and isinstance(base.get(key), dict)
            merged[key] = merge(base[key], value) if both else value
        return merged

    lines = dict(document.lines)
    lines.update({where[len(at):]: line for where, line in document.lines.items() if where[: len(at)] == at})
    return Document(document.path, merge(document.data, patch), lines)
