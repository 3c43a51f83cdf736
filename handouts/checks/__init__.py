"""The checks behind ``build.py check``: pure functions from loaded inputs to findings.

One module a kind of check (text: glyphs and tailoring; reading; hygiene; colors; fit;
translation, with the figures it compares), with
the :class:`~handouts.checks.findings.Finding` they all return, the thresholds from
``check.yaml`` (config) and the printing (output) kept apart. ``handouts.check`` runs them.
"""
