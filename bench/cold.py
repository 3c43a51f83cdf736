"""One handout from a fresh process: ``python -m bench.cold <engine> <out.pdf>``.

The controller times this whole process, interpreter start to exit. This project's own cold
figure comes from its real command line instead (``build.py build``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.engines import create


def main() -> None:
    engine, out = sys.argv[1], Path(sys.argv[2])
    out.write_bytes(create(engine).make(""))


if __name__ == "__main__":
    main()
