"""This project, as a caller uses it: ``Project.open`` once, ``build_handout`` per copy."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from bench.content import CLINIC_FILE, ROOT, SLUG


class Pipeline:
    """The full pipeline: load, validate, tailor, template, fit, draw and verify."""

    def __init__(self) -> None:
        from handouts.pipeline import Options, Project, build_handout, discover
        from handouts.tailor import Patient

        self._build, self._options, self._patient = build_handout, Options, Patient
        self.project = Project.open(ROOT / "templates", CLINIC_FILE)
        self.topic_file = next(t for t in discover(ROOT / "content", [SLUG]) if t.language is None)

    def make(self, patient: str) -> bytes:
        options = self._options(patient=self._patient(name=patient))
        return self._build(self.project, self.topic_file, options).data


class PipelineWithWrite(Pipeline):
    """The same, plus the atomic write (temporary file, fsync, rename) of each copy."""

    def __init__(self) -> None:
        from handouts.write import write_atomic

        super().__init__()
        self._write = write_atomic
        self.out = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
        self._numbers = itertools.count(1)

    def make(self, patient: str) -> bytes:
        data = super().make(patient)
        self._write(self.out / f"{SLUG}-{next(self._numbers):05d}.pdf", data)
        return data

    def close(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)
