"""PM413 walks a section's blocks lazily instead of flattening the section first, and finds the same.

The general path, kept here as the reference, flattened the blocks (`flatten`) and read them in that order; both are
run on every document of the shared corpus, of the test fixtures and of a small generated corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from samekit import ROOT, agree, documents, generated

from postmortem_lint.checks import pm413_trivial_section as pm413
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import Block, Heading, ListBlock, Paragraph, PostMortem, ThematicBreak


def _reference(blocks: tuple[Block, ...]) -> Iterator[tuple[int, str | None]]:
    """The general path: every block of the flattened section, in order."""
    for block in flatten(blocks):
        if isinstance(block, ListBlock):
            yield from ((item.line, "-") for item in block.items if all(pm413._comment(child) for child in item.children))
            continue
        if isinstance(block, (Heading, ThematicBreak)) or pm413._comment(block):
            continue
        yield block.line, block.text if isinstance(block, Paragraph) else None


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    kept = list(docs)
    for doc in kept:
        for block in doc.blocks:
            assert list(pm413._atoms((block,))) == list(_reference((block,))), doc.path
    return agree(kept, pm413.trivial_section, (pm413, "_atoms", _reference), monkeypatch)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_trivial_section_is_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(CORPUS), monkeypatch) > 100


def test_trivial_section_is_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(ROOT / "tests"), monkeypatch) > 100


def test_trivial_section_is_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(generated(tmp_path, 40, 3), monkeypatch) == 40
