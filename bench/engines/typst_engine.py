"""Typst through its Python binding (the wheel ships the compiler): the page as a .typ
template, the content as JSON in ``sys.inputs``.

``TypstPerCall`` calls ``typst.compile()`` for each copy, which builds a fresh world (fonts,
source) every time; ``TypstReused`` keeps one ``typst.Compiler``, whose memoised layout only
redoes what the new patient name changes.
"""

from __future__ import annotations

import json

from bench.content import TEMPLATES, font_files, load


class TypstPerCall:
    def __init__(self) -> None:
        import typst

        self.typst = typst
        self.source = str(TEMPLATES / "handout.typ")
        self.fonts = [str(font_files()["regular"].parent)]
        self.data = json.dumps(load(), ensure_ascii=False)

    def inputs(self, patient: str) -> dict[str, str]:
        return {"data": self.data, "patient": patient}

    def make(self, patient: str) -> bytes:
        return self.typst.compile(self.source, font_paths=self.fonts, ignore_system_fonts=True,
                                  sys_inputs=self.inputs(patient))


class TypstReused(TypstPerCall):
    def __init__(self) -> None:
        super().__init__()
        self.compiler = self.typst.Compiler(self.source, font_paths=self.fonts, ignore_system_fonts=True,
                                            sys_inputs=self.inputs(""))

    def make(self, patient: str) -> bytes:
        return self.compiler.compile(sys_inputs=self.inputs(patient))
