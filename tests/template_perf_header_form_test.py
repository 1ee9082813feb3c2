"""PM210 finds the same respellings now that it asks for the respelling before asking the vocabulary.

The general path, kept here as the reference, asked whether the vocabulary accepts the value
first. Both are run on every document of the shared corpus, of the test fixtures and of a
small generated corpus, and on values in another case or spacing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from lintkit import clean_text, replace_line
from samekit import ROOT, agree, documents, generated

from postmortem_lint.checks import fixers, pm210_header_form
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.lint import providers
from postmortem_lint.packs.templates.runtime import Vocabulary


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


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    return agree(docs, pm210_header_form.header_form, (pm210_header_form, "_spelling", _reference), monkeypatch)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_header_form_is_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(CORPUS), monkeypatch) > 100


def test_header_form_is_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(ROOT / "tests"), monkeypatch) > 100


def test_header_form_is_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(generated(tmp_path, 40, 9), monkeypatch) == 40


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
