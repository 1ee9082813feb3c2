"""PM210 finds the same respellings now that it asks for the respelling before asking the vocabulary.

The general path, kept here as the reference, asked whether the vocabulary accepts the value
first. Both are run on every document of the shared corpus, of the test fixtures and of a
small generated corpus, and on values in another case or spacing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from postmortem_lint.checks import fixers, pm210_header_form
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.lint import providers
from postmortem_lint.packs.templates.runtime import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_archives import CORPUS  # noqa: E402
from lintkit import clean_text, replace_line  # noqa: E402


def _reference(line: int, column: int, text: str, vocabulary: Vocabulary, what: str) -> Finding | None:
    """The general path: the vocabulary is asked first."""
    if not text.strip() or vocabulary.canonical(text) is None:
        return None
    fix = fixers.spelling(line, column, text, vocabulary.values)
    if fix is None:
        return None
    edit = fix.edits[0]
    old = text[edit.column - column : edit.end_column - column]
    message = f"{what} `{old}` is written `{edit.replacement}` in the template"
    return Finding(line, message, edit.column, line, edit.end_column, old, fix=fix)


def _docs(folder: Path) -> Iterator[PostMortem]:
    for path in sorted(folder.rglob("*.md")):
        decoded = source.decode(path.read_bytes())
        if isinstance(decoded, source.Source):
            yield build(str(path), decoded)


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    ctx = providers.context(Settings(root=ROOT), dt.date(2026, 3, 20))
    count = 0
    for doc in docs:
        found = list(pm210_header_form.header_form(doc, ctx))
        with monkeypatch.context() as patched:
            patched.setattr(pm210_header_form, "_spelling", _reference)
            assert found == list(pm210_header_form.header_form(doc, ctx)), doc.path
        count += 1
    return count


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_header_form_is_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(_docs(CORPUS), monkeypatch) > 100


def test_header_form_is_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(_docs(ROOT / "tests"), monkeypatch) > 100


def test_header_form_is_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path), "--count", "40", "--seed", "9"], check=True)
    assert _same(_docs(tmp_path / "tasks"), monkeypatch) == 40


@pytest.mark.parametrize("status", ["final", "FINAL", "under  review", "Finalised", "Nonsense"])
def test_respelt_status_is_the_general_paths(status: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = replace_line(clean_text(), "**Status:** Final", f"**Status:** {status}")
    decoded = source.decode(text.encode())
    assert isinstance(decoded, source.Source)
    doc = build("tasks/post-mortem-2026-03-14-x.md", decoded)
    assert _same(iter([doc]), monkeypatch) == 1
    ctx = providers.context(Settings(root=ROOT), dt.date(2026, 3, 20))
    respelt = [f for f in pm210_header_form.header_form(doc, ctx) if "status" in f.message]
    assert bool(respelt) == (status in ("final", "FINAL", "under  review"))
