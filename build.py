#!/usr/bin/env python3
"""Build the handouts: `python build.py` builds every topic into out/; `--help` for more."""

if __name__ == "__main__":
    import gc

    gc.disable()  # while importing too; the command turns it back on once it has loaded (handouts.cli.program)

    from handouts.cli import program

    program()
