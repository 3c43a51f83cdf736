"""A digest of every shipped handout, to prove an optimisation changed no byte of output.

``python -m bench.fingerprint`` builds each topic in ``content/`` on both papers, with and
without a patient name, and in large print and grayscale, and prints one SHA-256 per PDF and
a digest of them all. Run it before and after a change to the pipeline: the last line must
not move.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from handouts.pipeline import Options, Project, build_handout, discover
from handouts.tailor import Patient

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = ("", "Ana Díaz", "Bartholomew Featherstonehaugh-Wolfeschlegel")


VARIANTS = {"large print": Options(large_print=True), "grayscale": Options(grayscale=True),
            "large print, grayscale": Options(large_print=True, grayscale=True)}


def fingerprints() -> list[tuple[str, str]]:
    """(label, sha256) for every shipped topic × paper × patient, and each print variant."""
    project = Project.open(ROOT / "templates", ROOT / "clinic.yaml")
    rows = []
    for topic_file in discover(ROOT / "content"):
        builds = {f"{paper} {name or '-'}": Options(paper=paper, patient=Patient(name=name))
                  for paper in ("letter", "a4") for name in PATIENTS}
        for label, options in {**builds, **VARIANTS}.items():
            handout = build_handout(project, topic_file, options)
            rows.append((f"{topic_file.output_name} {label}", hashlib.sha256(handout.data).hexdigest()))
    return rows


def main() -> None:
    rows = fingerprints()
    for label, digest in rows:
        print(f"{digest[:16]}  {label}")
    total = hashlib.sha256("".join(digest for _, digest in rows).encode()).hexdigest()
    print(f"{len(rows)} PDFs, digest {total}")


if __name__ == "__main__":
    main()
