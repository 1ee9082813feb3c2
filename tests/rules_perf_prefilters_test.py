"""The content rules' faster scans find what the plain forms they replaced find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.checks import blame_scopes
from postmortem_lint.checks import pm404_content as pm404
from postmortem_lint.checks import pm409_personal_data as pm409
from postmortem_lint.checks import pm411_impact_contradiction as pm411
from postmortem_lint.core.text import heading_key, non_ascii

PLAIN_PHONE = re.compile(
    r"(?:\+(?<![\w+/.:-]\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}"
    r"|\((?<![\w+/.:-]\()\d{3}\) ?\d{3}-\d{4}"
    r"|\d(?<![\w+/.:-]\d)\d{2}[-.]\d{3}[-.]\d{4})"
    r"(?![\w/]|[-.:]\d)"
)
"""PHONE as three alternatives that each start with their own character."""
PHONE_TEXTS = st.lists(
    st.sampled_from(["+", "(", ")", " ", ".", "-", "/", ":", "a", "\n", "1", "44", "415", "555", "0134", "7946", "\u0663"]),
    max_size=30,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(PHONE_TEXTS)
def test_phone_finds_what_the_plain_alternation_finds(text: str) -> None:
    assert [m.span() for m in pm409.PHONE.finditer(text)] == [m.span() for m in PLAIN_PHONE.finditer(text)]


SHORTEST_LABEL = re.compile(
    r"^[ \t]*+(?:[-*+][ \t]++)?(?:\*\*|__)?(?P<label>[^*_:\n]{2,40}?)(?:\*\*|__)?[ \t]*+:[ \t]*+(?:\*\*|__)?[ \t]*+(?P<value>.*)$"
)
"""PM411's label pattern with the shortest label."""
LABEL_LINES = st.lists(
    st.sampled_from(["-", "*", "**", "__", "_", " ", "\t", ":", "Data", " Loss", "x", "X" * 37, "|", "\n"]), max_size=12
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(LABEL_LINES)
def test_the_longest_label_matches_where_the_shortest_does(line: str) -> None:
    longest, shortest = pm411._LABEL.match(line), SHORTEST_LABEL.match(line)
    assert (longest is None) == (shortest is None)
    if longest is not None and shortest is not None:
        assert longest.span("value") == shortest.span("value")
        assert heading_key(longest["label"]) == heading_key(shortest["label"])
        assert longest["label"].rstrip(" \t") == shortest["label"].rstrip(" \t")


BEHIND_FIRST = re.compile(r"(?<!\b[A-Za-z])(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?](?=[\s\"')\]]|$)")
"""PM405's sentence end with its look-behinds first."""
SENTENCES = st.lists(
    st.sampled_from(["e.g", "i.e", "etc", "vs", "A", "x", "ok", ".", "!", "?", " ", "\n", '"', "'", ")", "]", "(", "1", "_", "é"]),
    max_size=25,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(SENTENCES)
def test_the_sentence_end_finds_what_the_look_behinds_first_find(text: str) -> None:
    assert [m.span() for m in pm404._SENTENCE_END.finditer(text)] == [m.span() for m in BEHIND_FIRST.finditer(text)]


PLAIN_BLAME_SENTENCE_END = re.compile(r"(?<![.!?\u2026])(?:[.!?]+|\u2026)[\"'\u201d\u2019)\]]*(?=\s)|" + blame_scopes.BLOCK_BREAK)
"""The blame engine's sentence end as first written: a look-behind first, then the alternatives."""
BLAME_SENTENCE_TEXTS = st.lists(
    st.sampled_from([".", "!", "?", "\u2026", blame_scopes.BLOCK_BREAK, " ", "\n", "a", '"', "'", "\u201d", "\u2019", ")", "]", "e.g"]),
    max_size=20,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(BLAME_SENTENCE_TEXTS, st.integers(0, 25), st.integers(0, 25))
def test_the_blame_sentence_end_finds_what_its_plain_form_finds(text: str, lo: int, hi: int) -> None:
    lo, hi = min(lo, hi), max(lo, hi)
    assert [m.span() for m in blame_scopes._SENTENCE_END.finditer(text, lo, hi)] == [
        m.span() for m in PLAIN_BLAME_SENTENCE_END.finditer(text, lo, hi)
    ]


@settings(max_examples=1000, deadline=None)
@given(PHONE_TEXTS.filter(lambda text: "\u0663" not in text))
def test_the_ascii_phone_finds_what_phone_finds_without_other_digits(text: str) -> None:
    assert [m.span() for m in pm409._ASCII_PHONE.finditer(text)] == [m.span() for m in pm409.PHONE.finditer(text)]


@given(st.text())
def test_non_ascii_keeps_exactly_the_characters_past_ascii(text: str) -> None:
    assert non_ascii(text) == "".join(c for c in text if not c.isascii())
