"""The integrity of the labelled blame set tests/data/blame_v2.yaml and of its evaluation.

No assertion on the engine's scores yet: these tests only keep the data and the
harness honest (see tests/blame_eval.py and benchmarks/blame_eval.py for the numbers).
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from blame_eval import BLAMEFUL_KINDS, DATA, HALVES, TRAP_KINDS, document, evaluate, findings, half_of, load
from ruamel.yaml import YAML

MINIMUMS = {
    "explicit": 30,
    "named-person": 35,
    "role": 35,
    "team": 30,
    "passive": 30,
    "sanction": 25,
    "character": 30,
    "counterfactual-person": 25,
    "sarcasm": 20,
    "idiom": 30,
    "without-checking": 25,
    "quoted": 30,
    "negated": 30,
    "technical": 40,
    "code-log": 25,
    "lesson": 35,
    "neutral-person": 45,
    "system-subject": 40,
    "category-list": 25,
}
HELD_OUT_MINIMUM = 10


def test_the_file_loads_with_the_safe_loader() -> None:
    data = YAML(typ="safe").load(DATA.read_text(encoding="utf-8"))
    assert set(data) == {"people", "sentences"}
    people, sentences = load()
    assert 8 <= len(people) <= 12
    assert all(isinstance(p, str) and p.strip() == p and p for p in people)
    assert len(set(people)) == len(people)
    assert len(sentences) >= 640


def test_every_item_has_text_blame_and_a_known_kind() -> None:
    _, sentences = load()
    for item in sentences:
        assert set(item) == {"text", "blame", "kind"}, item
        assert isinstance(item["text"], str) and item["text"].strip(), item
        assert "\n" not in item["text"], item  # one line: the evaluation looks for findings on it
        assert isinstance(item["blame"], bool), item
        assert item["kind"] in BLAMEFUL_KINDS + TRAP_KINDS, item
        assert item["blame"] == (item["kind"] in BLAMEFUL_KINDS), item


def test_the_minimum_count_of_every_kind_is_met() -> None:
    _, sentences = load()
    counts = Counter(item["kind"] for item in sentences)
    assert set(MINIMUMS) == set(BLAMEFUL_KINDS + TRAP_KINDS)
    short = {kind: (counts[kind], least) for kind, least in MINIMUMS.items() if counts[kind] < least}
    assert not short


def test_blameful_and_blameless_are_roughly_balanced() -> None:
    _, sentences = load()
    share = sum(item["blame"] for item in sentences) / len(sentences)
    assert 0.45 <= share <= 0.55


def test_no_text_is_there_twice() -> None:
    _, sentences = load()
    texts = Counter(" ".join(item["text"].split()).casefold() for item in sentences)
    assert [text for text, n in texts.items() if n > 1] == []


def test_the_split_is_the_hash_of_the_text() -> None:
    assert half_of("x") == ("heldout" if int(hashlib.sha256(b"x").hexdigest(), 16) % 2 else "tuning")
    assert half_of("  x \n") == half_of("x")


def test_every_blameful_kind_has_enough_held_out_sentences() -> None:
    _, sentences = load()
    held_out = Counter(item["kind"] for item in sentences if half_of(item["text"]) == "heldout")
    short = {kind: held_out[kind] for kind in BLAMEFUL_KINDS if held_out[kind] < HELD_OUT_MINIMUM}
    assert not short


def test_the_document_around_a_sentence_has_no_blame_finding_of_its_own() -> None:
    people, _ = load()
    text, line = document("The cache was warmed before traffic returned.", people)
    assert text.split("\n")[line - 1] == "The cache was warmed before traffic returned."
    assert findings(text) == []


def test_a_sentence_is_flagged_on_its_own_line() -> None:
    people, _ = load()
    name = people[2].split()[0]
    text, line = document(f"{name} forgot to renew the certificate.", people)
    assert ("PM602", line) in findings(text)


@pytest.mark.parametrize("half", HALVES)
def test_evaluate_returns_rates_for_each_half(half: str) -> None:
    result = evaluate(half)
    _, sentences = load()
    assert result["half"] == half
    assert result["n"] == sum(1 for item in sentences if half_of(item["text"]) == half)
    assert result["tp"] + result["fp"] + result["fn"] + result["tn"] == result["n"]
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= result[key] <= 1.0, key
    assert set(result["recall_by_kind"]) == set(BLAMEFUL_KINDS)
    assert set(result["false_alarm_by_kind"]) == set(TRAP_KINDS)
    for rate in [*result["recall_by_kind"].values(), *result["false_alarm_by_kind"].values()]:
        assert 0.0 <= rate <= 1.0
    assert sum(k["n"] for k in result["kinds"].values()) == result["n"]
    assert "misses" not in result


def test_evaluate_rejects_an_unknown_half() -> None:
    with pytest.raises(ValueError, match="half must be one of"):
        evaluate("all")
