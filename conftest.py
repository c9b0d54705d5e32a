"""Run the examples of the README and every docs page as doctests.

Only fenced ```pycon blocks are examples; prose and other code blocks are left alone.
The blocks of one page share a namespace, as a reader running them in order would.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

import pytest

_PYCON_BLOCK = re.compile(r"^```pycon[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".md" and not file_path.name.startswith("CHANGELOG"):
        return MarkdownExamples.from_parent(parent, path=file_path)
    return None


def examples_of(text: str) -> str:
    """The page with everything but its pycon blocks blanked, so line numbers still match."""
    kept = [""] * (text.count("\n") + 1)
    for block in _PYCON_BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1))
        for offset, line in enumerate(block.group(1).split("\n")[:-1]):
            kept[first + offset] = line
    return "\n".join(kept)


class MarkdownExamples(pytest.File):
    def collect(self) -> Any:
        text = self.path.read_text(encoding="utf-8")
        if _PYCON_BLOCK.search(text):
            yield MarkdownExample.from_parent(self, name="examples", source=examples_of(text))


class MarkdownExample(pytest.Item):
    def __init__(self, *, source: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source

    def runtest(self) -> None:
        test = doctest.DocTestParser().get_doctest(
            self.source, {"__name__": "__doc__"}, self.path.name, str(self.path), 0
        )
        report: list[str] = []
        runner = doctest.DocTestRunner(optionflags=_FLAGS)
        runner.run(test, out=report.append)
        if runner.failures:
            raise DocExampleFailedError("".join(report))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, DocExampleFailedError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"examples in {self.path.name}"


class DocExampleFailedError(AssertionError):
    """A docs example printed something other than what the page shows."""
