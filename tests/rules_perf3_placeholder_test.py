"""PM401 reads each candidate line out of the masked text by the source's line lengths instead of splitting it.

That holds because `masked` keeps every character in its place (what it blanks becomes as many spaces, newlines
kept), checked here on generated texts; PM401 with the general path, kept here as the reference (the masked text split
into lines), finds the same on the shared corpus, the fixtures and a generated corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from samekit import ROOT, agree, documents, generated

from postmortem_lint.checks import pm401_placeholder as pm401
from postmortem_lint.checks._common import lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.core.placeholders import GENERIC_LITERALS, masked
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem

TEXTS = st.lists(
    st.sampled_from(["<!--", "-->", "`", "``", "<", ">", "https://", "x.io/a", "](", ")", "[", "]", "]: ", "a@b.c", " ", "\n", "é", "→"]),
    max_size=30,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
def test_masked_keeps_every_character_in_its_place(text: str) -> None:
    blanked = masked(text)
    assert len(blanked) == len(text)
    assert [i for i, char in enumerate(blanked) if char == "\n"] == [i for i, char in enumerate(text) if char == "\n"]


def _reference(doc: PostMortem, ctx: Context) -> Iterator[tuple[int, re.Match[str]]]:
    """The general path: the masked text split into lines."""
    pack = ctx.packs.template()
    own = pack.placeholder_regex
    literals = (*pack.placeholder_prefilter, *GENERIC_LITERALS) if own is not None and pack.placeholder_prefilter else None
    text = masked(doc.source.text)
    lines = text.split("\n")
    skip = code_lines(doc.blocks)
    owners = pm401._owner_spans(doc, pack)
    numbers = lines_containing(text, literals) if literals else range(1, len(doc.source.lines) + 1)
    for number in numbers:
        if number in skip or number > len(lines):
            continue
        line = pm401._line(lines[number - 1], number, doc.front_matter_lines)
        taken = bytearray(len(line) + 1)
        for match in pm401._matches(line, own):
            start, end = match.span()
            if taken[start] or taken[max(end - 1, start)] or (number, match.group(0)) in owners:
                continue
            taken[start:end] = b"\x01" * (end - start)
            yield number, match
    title = doc.title
    if title is not None and title.line not in skip:
        yield from pm401._template_title(doc, pack, title.line)


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    return agree(docs, pm401.placeholder, (pm401, "_found", _reference), monkeypatch)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_placeholder_is_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(CORPUS), monkeypatch) > 100


def test_placeholder_is_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(ROOT / "tests"), monkeypatch) > 100


def test_placeholder_is_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(generated(tmp_path, 40, 5), monkeypatch) == 40
