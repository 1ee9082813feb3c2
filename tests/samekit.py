"""For the tests that check a shortcut against the general path it replaced, kept in the test as the reference.

`documents` builds every post-mortem under a folder (`generated`: of a small generated
archive; `sample`: a stride of the corpus and the fixtures); `agree` runs a rule on each
document as it is and again with one function of the rule's module swapped for the
reference, asserts that both give the same findings, and counts the documents compared.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.lint import providers

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 20)
FIXTURES = ROOT / "tests" / "fixtures"


def documents(folder: Path) -> Iterator[PostMortem]:
    for path in sorted(folder.rglob("*.md")):
        decoded = source.decode(path.read_bytes())
        if isinstance(decoded, source.Source):
            yield build(str(path), decoded)


def sample(corpus: Path, every: int) -> list[PostMortem]:
    """Every ``every``-th post-mortem of ``corpus`` (none when it is absent) and every fixture, built."""
    paths = sorted(corpus.rglob("*.md"))[::every] + sorted(FIXTURES.rglob("*.md"))
    decoded = ((path, source.decode(path.read_bytes())) for path in paths)
    return [build(str(path), text) for path, text in decoded if isinstance(text, source.Source)]


def generated(folder: Path, count: int, seed: int) -> Iterator[PostMortem]:
    """The documents of a ``count``-file archive written into ``folder`` by benchmarks/generate.py."""
    generator = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), str(folder), "--count", str(count), "--seed", str(seed)], check=True)
    return documents(folder / "tasks")


def agree(
    docs: Iterable[PostMortem],
    rule: Callable[[PostMortem, Any], Iterable[Finding]],
    swapped: tuple[ModuleType, str, Callable[..., Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    """How many of ``docs`` were compared; each gives the same findings with ``swapped`` (module, name, reference) in place."""
    module, name, reference = swapped
    ctx = providers.context(Settings(root=ROOT), TODAY)
    count = 0
    for doc in docs:
        found = list(rule(doc, ctx))
        with monkeypatch.context() as patched:
            patched.setattr(module, name, reference)
            assert found == list(rule(doc, ctx)), doc.path
        count += 1
    return count
