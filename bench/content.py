"""What every engine in the benchmark shares: the handout's text, the font, the patients.

The other engines get the same content file this project builds (``content/diet-vitamin-d.yaml``)
with the clinic filled in, and the same Atkinson Hyperlegible TrueType files, so every engine
sets the same words in the same font. Only the patient's name changes from copy to copy.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SLUG = "diet-vitamin-d"
TOPIC_FILE = ROOT / "content" / f"{SLUG}.yaml"
CLINIC_FILE = ROOT / "clinic.yaml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
BODY_PT = 13.0
"""Every engine sets the body at the size this project's fit chooses for this topic."""

_FIRST = ("Ana", "José", "Mary", "Wei", "Fatima", "John", "Olga", "Kwame", "Lucía", "Peter",
          "Aiko", "Samuel", "Grace", "Omar", "Ingrid", "Luis", "Nora", "Ravi", "Elena", "Tom",
          "Chiara", "Dmitri", "Hana", "Carlos", "Beatriz", "Ahmed", "Sofia", "Daniel", "Mei", "Jorge",
          "Ruth", "Pablo", "Yuki", "Martha", "André", "Zoe", "Ivan", "Linda", "Tariq", "Rosa")
_LAST = ("Díaz", "Smith", "Nguyen", "Okafor", "García", "Kowalski", "Chen", "Müller", "Johnson", "Haddad",
         "Rossi", "Tanaka", "Brown", "Silva", "Novak", "Ortiz", "Patel", "Larsen", "Moreau", "Kim",
         "Fernández", "Walker", "Ibrahim", "Costa", "Schmidt", "López", "Murphy", "Sato", "Ali", "Evans",
         "Jensen", "Romero", "Wright", "Bauer", "Castillo", "Young", "Dubois", "Park", "Reyes", "Hughes")


def patient(index: int) -> str:
    """The ``index``-th of 1,600 distinct patient names (so no engine can cache a copy)."""
    return f"{_FIRST[index % len(_FIRST)]} {_LAST[(index // len(_FIRST)) % len(_LAST)]}"


def font_files() -> dict[str, Path]:
    """The regular and bold Atkinson Hyperlegible files, from the pip font package."""
    root = Path(importlib.import_module("fontpkg_atkinson_hyperlegible").__file__).parent
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    by_key = {(f["weight"], f["style"]): root / f["path"] for f in meta["files"]}
    return {"regular": by_key[(400, "normal")], "bold": by_key[(700, "normal")]}


def load() -> dict[str, Any]:
    """The topic and clinic as plain data, with ``{{ clinic.* }}`` in the text filled in.

    This is the work a hand-written script does once; it is not part of any timed copy.
    """
    import yaml

    clinic = yaml.safe_load(CLINIC_FILE.read_text(encoding="utf-8"))
    topic = _fill(yaml.safe_load(TOPIC_FILE.read_text(encoding="utf-8")), clinic)
    reviewed = topic.pop("reviewed")
    return {"topic": topic, "clinic": clinic, "reviewed": f"{_MONTHS[reviewed.month - 1]} {reviewed.year}"}


def bold_runs(text: str) -> list[tuple[str, bool]]:
    """``"need **1,000 mg**."`` -> ``[("need ", False), ("1,000 mg", True), (".", False)]``."""
    return [(part, index % 2 == 1) for index, part in enumerate(text.split("**")) if part]


_MONTHS = "January February March April May June July August September October November December".split()


def _fill(value: Any, clinic: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{\{\s*clinic\.(\w+)\s*\}\}", lambda match: clinic[match[1]], value)
    if isinstance(value, dict):
        return {key: _fill(child, clinic) for key, child in value.items()}
    if isinstance(value, list):
        return [_fill(child, clinic) for child in value]
    return value
