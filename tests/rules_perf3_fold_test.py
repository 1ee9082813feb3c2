"""The folded-line prefilters (PM407, PM408, PM411) find the lines that folding the whole text finds.

`folded_lines_containing` reads a text that is not ASCII as its lowered UTF-8 bytes instead of folding it; the
general path, kept here as the reference, folds it. PM411's loss-word probe drops every non-ASCII character
instead of the symbols only, which may only add lines. Both are compared on generated texts, on the shared corpus,
the fixtures and a generated corpus, and the tables of characters that fold to ASCII are checked against Python's.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from samekit import ROOT, agree, documents, generated

from postmortem_lint.checks import pm407_template_example, pm408_secret_leak, pm411_impact_contradiction
from postmortem_lint.checks._common import folded_lines_containing, lines_containing
from postmortem_lint.core.text import CASEFOLD_TO_ASCII, LOWER_TO_ASCII, SYMBOLS, unlinked
from postmortem_lint.document.model import PostMortem


def _to_ascii(fold: Callable[[str], str]) -> str:
    return "".join(char for char in map(chr, range(128, sys.maxunicode + 1)) if any(c < "\x80" for c in fold(char)))


def test_the_tables_hold_every_character_that_folds_to_ascii() -> None:
    assert _to_ascii(str.lower) == LOWER_TO_ASCII
    assert _to_ascii(str.casefold) == CASEFOLD_TO_ASCII
    assert _to_ascii(pm408_secret_leak._folded) == pm408_secret_leak._TO_ASCII


LITERALS = ("ss", "k", "i", "fi", "token", "lost", "a b", "x\u00e9", "")
TEXTS = st.lists(
    st.sampled_from(["s", "S", "k", "K", "i", "I", "f", "fi", "token", "TOKEN", "lost", "a", " ", "b", "\n", "x", "é", "É"])
    | st.sampled_from(["\u2192", "\u2705", "\u200b", "ß", "İ", "\u212a", "ſ", "ﬁ", "\u0131", "Σ", "ς", "ǰ", "ẞ"]),
    max_size=30,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXTS, st.lists(st.sampled_from(LITERALS), min_size=1, max_size=4))
def test_folded_lines_are_those_of_the_folded_text(text: str, literals: list[str]) -> None:
    for fold, to_ascii in ((str.lower, LOWER_TO_ASCII), (str.casefold, CASEFOLD_TO_ASCII)):
        assert folded_lines_containing(text, literals, fold, to_ascii) == lines_containing(fold(text), literals)
    folded = pm408_secret_leak._folded
    assert folded_lines_containing(text, literals, folded, pm408_secret_leak._TO_ASCII) == lines_containing(folded(text), literals)


def _reference_loss_lines(text: str) -> list[int]:
    """The general path: the symbols dropped, the probe lower-cased."""
    probe = unlinked(text).replace("*", "").replace("_", "").replace("`", "")
    if not probe.isascii():
        probe = SYMBOLS.sub("", probe)
    return lines_containing(probe.lower(), pm411_impact_contradiction._LOSS_WORDS)


LOSS_TEXTS = st.lists(
    st.sampled_from(["lost", "lo", "st", "data", " ", "\n", "*", "_", "`", "\u2705", "\u200b", "\u2192", "é", "İ", "\u212a", "LOSS"]),
    max_size=25,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(LOSS_TEXTS)
def test_the_loss_probe_finds_every_line_the_general_one_finds(text: str) -> None:
    assert set(_reference_loss_lines(text)) <= set(pm411_impact_contradiction._loss_lines(text))


def _folding(text: str, literals: object, fold: Callable[[str], str], to_ascii: str) -> list[int]:
    """The general path of `folded_lines_containing`: the whole text folded."""
    return lines_containing(fold(text), literals)  # type: ignore[arg-type]


def _same(docs: Iterator[PostMortem], monkeypatch: pytest.MonkeyPatch) -> int:
    """How many documents were compared; PM407, PM408 and PM411 each find the same with their general path."""
    kept = list(docs)
    counts = {
        agree(
            kept, pm407_template_example.template_example_left, (pm407_template_example, "folded_lines_containing", _folding), monkeypatch
        ),
        agree(kept, pm408_secret_leak.secret_leak, (pm408_secret_leak, "folded_lines_containing", _folding), monkeypatch),
        agree(
            kept,
            pm411_impact_contradiction.impact_contradiction,
            (pm411_impact_contradiction, "_loss_lines", _reference_loss_lines),
            monkeypatch,
        ),
    }
    assert len(counts) == 1
    return counts.pop()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_the_folding_rules_are_the_general_paths_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(CORPUS), monkeypatch) > 100


def test_the_folding_rules_are_the_general_paths_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(documents(ROOT / "tests"), monkeypatch) > 100


def test_the_folding_rules_are_the_general_paths_on_a_generated_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(generated(tmp_path, 40, 7), monkeypatch) == 40


NEGATION_PIECES = ["no", "not", "n't", "casino", "prevented", "preventive", "avoid", "risk", "if", "data loss", " ", ".", ";", ":", "É"]
NEGATION_TEXTS = st.lists(st.sampled_from(NEGATION_PIECES), max_size=25).map("".join)


@settings(max_examples=2000, deadline=None)
@given(NEGATION_TEXTS, st.integers(min_value=0, max_value=200))
def test_negation_is_searched_after_the_last_stop_as_in_the_whole_prefix(plain: str, end: int) -> None:
    end = min(end, len(plain))
    expected = pm411_impact_contradiction._NEGATED.search(plain[:end]) is not None
    assert pm411_impact_contradiction._negated(plain, end) == expected
