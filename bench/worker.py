"""One warm engine in its own process, driven line by line by the controller.

Each engine gets a process of its own so that one library's caches, fonts and memory never
help or hurt another, and so its peak memory can be read when it exits. Commands on stdin:
``sample <path>`` (write one copy, answer its size), ``run <copies> <first>`` (make that many
tailored copies, answer the wall-clock and the CPU seconds), ``quit``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench.content import patient
from bench.engines import create


def main() -> None:
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # an engine that prints must not garble the answers
    engine = create(sys.argv[1])
    answer.write("ready\n")
    for line in sys.stdin:
        command, *args = line.split()
        if command == "sample":
            data = engine.make(patient(0))
            Path(args[0]).write_bytes(data)
            answer.write(f"{len(data)}\n")
        elif command == "run":
            copies, first = int(args[0]), int(args[1])
            started, cpu = time.perf_counter(), time.process_time()
            for index in range(first, first + copies):
                engine.make(patient(index))
            answer.write(f"{time.perf_counter() - started:.6f} {time.process_time() - cpu:.6f}\n")
        else:
            break
    getattr(engine, "close", lambda: None)()


if __name__ == "__main__":
    main()
