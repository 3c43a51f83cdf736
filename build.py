#!/usr/bin/env python3
"""Build the handouts: `python build.py` builds every topic into out/; `--help` for more."""

from handouts.cli import main

if __name__ == "__main__":
    main()
