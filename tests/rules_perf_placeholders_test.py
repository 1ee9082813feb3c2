"""`pack_slots` finds what ``pattern.finditer`` finds: the shortcut that tries a pack's slot pattern only at the
characters its matches start with must never change a match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.core.placeholders import _BRACKET, GENERIC, PLACEHOLDER, _starts_of, pack_slots
from postmortem_lint.packs.templates import presets

PACK_PATTERNS = [pack.placeholder_regex for pack in map(presets.preset, presets.names()) if pack.placeholder_regex is not None]
PATTERNS = [*PACK_PATTERNS, PLACEHOLDER, GENERIC, _BRACKET]
PIECES = st.sampled_from(
    [
        *("[", "]", "$", "(", ")", ":", ": ", "/", "|", " ", "\n", "x", "X]", "INC-", "^", "!", "1", "12]", "a", "Name"),
        *("HH:MM", "YYYY-MM-DD", "Yes/No", "None/Partial/Complete", "Draft | Under Review | Final | Closed", "TBD"),
        *("20xx-MM-DD HH:mm", "XXX", "YYY", "(Names)", "Brief description", "DATE RANGE", "[Date Range]", "ISSUE NAME"),
        *("Your name goes here", "Put the date/time here", "<owner>", "{{ DATE }}", "____", "???", "lorem ipsum"),
    ]
)
TEXTS = st.lists(PIECES, max_size=25).map("".join)


def _found(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(match.span(), match.groups()) for match in matches]  # type: ignore[attr-defined]


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_pack_slots_finds_what_finditer_finds(text: str) -> None:
    for pattern in PATTERNS:
        assert _found(pack_slots(pattern, text)) == _found(pattern.finditer(text)), pattern.pattern


FRAGMENTS = st.sampled_from(
    [
        *("a", "b", r"\$", r"\[", "c+", "a?", "b*", "b*?", "a*+", "(?:a|b)", "(?:a|)", "[a-c]", "[^a]", r"\d", "."),
        *(r"\b", r"\B", "^", "$", "(?<!a)", "(?<=b)", "(?=a)", "(?!b)", "(?>ab?)", "(?i:a)", "(a)", "(?:ab){0,2}"),
    ]
)
RANDOM_PATTERNS = st.lists(st.lists(FRAGMENTS, min_size=1, max_size=5).map("".join), min_size=1, max_size=3).map("|".join)


@settings(max_examples=500, deadline=None)
@given(RANDOM_PATTERNS, st.text(alphabet="abcAB$[1 \n", max_size=20))
def test_pack_slots_finds_what_finditer_finds_for_any_pattern(source: str, text: str) -> None:
    pattern = re.compile(source)
    assert _found(pack_slots(pattern, text)) == _found(pattern.finditer(text)), source


def test_the_seed_placeholders_start_at_their_own_characters() -> None:
    starts = _starts_of(PLACEHOLDER)
    assert starts is not None
    assert set(re.findall(r"[^\\\[\]]|\\.", starts.pattern[1:-1])) == {r"\$", "D", "E", "H", "N", "Y", r"\["}


@pytest.mark.parametrize("source", ["a*", "(?:a|)", r"\bx?", "(?i)name", "(?i:n)ame", r"\dx", ".x", "[^a]b", "(a)?"])
def test_a_pattern_that_may_be_empty_or_start_anywhere_is_scanned_plainly(source: str) -> None:
    assert _starts_of(re.compile(source)) is None
