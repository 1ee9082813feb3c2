"""The document's people words are found by searching the text for each (`_each_found`):
the offsets must be those the word-by-word scan (`_occurrences`) gives."""

from __future__ import annotations

import random

from postmortem_lint.checks import blame_engine as engine


def _both(letters: str, few: frozenset[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    spaced = f" {letters} "
    return engine._occurrences(letters.split(), spaced, few), engine._each_found(spaced, few)


def test_same_offsets_as_the_word_scan_on_random_texts() -> None:
    rng = random.Random(19)
    vocab = ["bob", "bobby", "ann", "a", "al", "x", "the"]
    for _ in range(5000):
        letters = "".join(rng.choice(vocab) + " " * rng.randint(1, 3) for _ in range(rng.randint(0, 12)))
        few = frozenset(rng.sample(vocab, 3))
        assert _both(letters, few)[0] == _both(letters, few)[1]


def test_repeated_and_adjacent_names() -> None:
    scanned, searched = _both("dana dana  dana danas adana dana", frozenset({"dana", "reyes"}))
    assert searched == scanned == {"dana": [0, 5, 11, 28]}


def test_prepared_document_keeps_people_offsets() -> None:
    doc = engine._prepare("Dana Reyes ignored the page; Reyes said so.", frozenset({"ignored"}), frozenset({"dana", "reyes"}))
    assert doc.found == {"ignored": [11], "dana": [0], "reyes": [5, 29]}


def test_many_people_are_found_by_the_word_scan_with_the_same_offsets() -> None:
    """Past `_FEW` people words, `_prepare` scans the text's words once instead of searching for each."""
    people = frozenset({"dana", "reyes", "ines", "park", "omar", "lee"})
    assert len(people) > engine._FEW
    text = "Dana Reyes paged Ines Park; Omar Lee and Dana ignored it. Park-Lee is a service."
    doc = engine._prepare(text, frozenset({"ignored"}), people)
    letters = engine._prepare(text, frozenset(), frozenset()).masked.lower()
    expected = engine._each_found(f" {''.join(c if c.isalpha() else ' ' for c in letters)} ", people)
    assert {w: doc.found[w] for w in people if w in doc.found} == expected
    assert doc.found["dana"] == [0, 41] and doc.found["ignored"] == [46]
