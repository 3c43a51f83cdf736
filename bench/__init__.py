"""Benchmarks: this project's pipeline against plain Platypus, WeasyPrint and Typst.

Not part of the test suite. ``bench/run`` installs what it needs into ``bench/.venv`` and runs
``python -m bench``; the figures are quoted in README.md's "Performance" section.
"""
