"""The engines under test. Each is a class whose constructor does the once-per-process setup
(fonts, templates, compiler) and whose ``make(patient)`` returns one tailored PDF as bytes.

Heavy imports happen in the constructors, so a cold run of one engine imports only its own
library.
"""

from __future__ import annotations

import importlib
from typing import Protocol


class Engine(Protocol):
    def make(self, patient: str) -> bytes: ...


ENGINES: dict[str, tuple[str, str, str]] = {
    "handouts": ("ours", "Pipeline", "handouts: full pipeline (build_handout, verify)"),
    "handouts+write": ("ours", "PipelineWithWrite", "handouts: full pipeline + atomic write"),
    "platypus": ("platypus", "Platypus", "plain Platypus, same font, no template (floor)"),
    "weasyprint": ("weasy", "WeasyPrint", "WeasyPrint from a Jinja2 HTML template"),
    "typst": ("typst_engine", "TypstPerCall", "Typst, typst.compile() per call"),
    "typst-reused": ("typst_engine", "TypstReused", "Typst, one reused typst.Compiler"),
}
"""name -> (module in bench.engines, class, what the table calls it)."""


def create(name: str) -> Engine:
    module, cls, _ = ENGINES[name]
    return getattr(importlib.import_module(f"bench.engines.{module}"), cls)()
