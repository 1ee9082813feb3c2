"""The speed-only prefilters must never hide a match: every match holds one of their literals."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.checks import _common
from postmortem_lint.checks import pm408_secret_leak as pm408
from postmortem_lint.core import placeholders
from postmortem_lint.core.placeholders import PLACEHOLDER, PLACEHOLDER_LITERALS

PIECES = st.sampled_from(
    [
        *("[", "]", "$", "(", ":", "/", "|", " ", "\n", "x", "INC-", "^", "!", "1", "HH:MM", "YYYY-MM-DD"),
        *("Yes/No", "None/Partial/Complete", "Excellent/Good/Adequate/Poor", "Draft | Under Review", "Name"),
        *("AKIA", "ASIA", "ghp_", "gho_", "github_pat_", "glpat-", "xoxb-", "hooks.slack.com/services/T", "/B"),
        *("AIza", "sk_live_", "rk_live_", "-----BEGIN ", "PRIVATE KEY-----", "https://", "user", "@", "eyJ", "."),
        *("PASSWORD", "passwd", "Pwd", "SECRET", "Api-Key", "apikey", "ACCESS_TOKEN", "=", '"', "\u0130", "\u212a"),
        *("A" * 16, "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0", "-" * 5),
        *("AGPA", "AIDA", "AROA", "akia", "ghu_", "ghs_", "ghr_", "GHP_", "ya29.", "EYJ", "xoxp-", "sk_LIVE_", "-----begin "),
    ]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_every_placeholder_match_holds_a_prefilter_literal(text: str) -> None:
    for match in PLACEHOLDER.finditer(text):
        assert any(literal in match.group(0) for literal in PLACEHOLDER_LITERALS), match.group(0)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_every_secret_match_holds_one_of_its_literals(text: str) -> None:
    for (kind, pattern), needs in zip(pm408.SECRETS, pm408._NEEDS, strict=True):
        for match in pattern.finditer(text):
            folded = pm408._folded(match.group(0))
            assert any(literal in folded for literal in needs), (kind, match.group(0))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_every_match_of_a_secret_that_heeds_case_holds_a_part_as_written(text: str) -> None:
    for kind, pattern in pm408.SECRETS:
        if not pattern.flags & re.I:
            for match in pattern.finditer(text):
                assert any(literal in match.group(0) for literal in pm408._AS_WRITTEN), (kind, match.group(0))


SECRET_SAMPLES = [
    ("AWS access key", "AKIAZ3MPLE7QXW4RT2KD"),
    ("AWS access key", "AROAZ3MPLE7QXW4RT2KD"),
    ("GitHub token", "ghp_" + "a1B2" * 9),
    ("GitHub token", "ghs_" + "a1B2" * 9),
    ("GitHub token", "github_pat_" + "a1B2_" * 5),
    ("GitLab token", "glpat-" + "a1B2" * 5),
    ("Slack token", "xoxb-1234567890-abc"),
    ("Slack webhook", "https://hooks.slack.com/services/T0123456/B0123456/" + "a1B2" * 5),
    ("Google API key", "AIza" + "a1B2c" * 7),
    ("Stripe secret key", "sk_live_" + "a1B2" * 5),
    ("private key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("password in a URL", "postgres://app:s3cretpass@db.internal"),
    ("JSON web token", "eyJhbGciOiJIUzI1.eyJzdWIiOiIx.c2lnbmF0dXJl"),
    ("Google OAuth token", "ya29." + "a1B2" * 6),
    ("password", "password = 'hunter2hunter2'"),
    ("password", "PWD: 'hunter2hunter2'"),
    ("secret", "api_key = '9fQz2Lx7Rk4Wm8Tb1Vc6'"),
    ("secret", "Client_Secret: 9fQz2Lx7Rk4Wm8Tb1Vc6"),
]


@pytest.mark.parametrize(("kind", "sample"), SECRET_SAMPLES)
def test_a_sample_of_each_secret_passes_the_prefilter(kind: str, sample: str) -> None:
    assert dict(pm408.SECRETS)[kind].search(sample), kind
    assert pm408._candidate_lines(f"before\n{sample}\nafter") == [2], kind


def test_every_secret_has_a_sample() -> None:
    assert {kind for kind, _pattern in pm408.SECRETS} == {kind for kind, _sample in SECRET_SAMPLES}


LINKY = st.lists(
    st.sampled_from(["https://", "http://", "x", "_", "é", "a.com", "/", "](", "[", "]", "(", ")", "]:", " ", "\t", "\n", "`", "<", ">"]),
    max_size=40,
).map("".join)


def _masked_by_one_pattern(text: str) -> str:
    """What `placeholders.masked` gave with its one slow pattern `_URL`: the fast search must blank exactly that."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = placeholders._without_comments(text)
    for pattern in (placeholders._INLINE_CODE, placeholders._AUTOLINK, placeholders._URL):
        text = pattern.sub(blank, text)
    return text


@settings(max_examples=600, deadline=None)
@given(LINKY)
def test_masking_links_fast_blanks_what_the_one_pattern_blanked(text: str) -> None:
    assert placeholders.masked(text) == _masked_by_one_pattern(text)


@pytest.mark.parametrize(
    "text",
    [
        "see xhttps://a.com/https://b.com here",
        "[a](https://x.com/p y) and [b](not a url) and ]()",
        '  [ref]: https://example.com/x "Title"\nnext [c](d](e)',
        "a_https://x.com b https://y.com/(z)",
    ],
)
def test_masking_links_agrees_on_the_awkward_cases(text: str) -> None:
    assert placeholders.masked(text) == _masked_by_one_pattern(text)


SLOTTY_LINES = st.lists(
    st.sampled_from(
        [
            *("[", "]", "<", ">", "{{", "}}", "{", "}", "_", "____", "?", "???", "/", "Yes/No", "Y/N", "TBD", "TBA", "XXX"),
            *("lorem ipsum", "LoReM IPSUM", "here", " HERE", " Here", "where", "goes", "insert", "add", "your", "description"),
            *(" ", "  ", "-", "*", ":", "(", ")", "|", ",", ".", "x", "X", "Name", "link", "a1", "\u0130", "\u017f", "\u212a"),
            *("\n", "\t", "\x1c", "\u2028", "[x]", "[ ]", "[X ]", "[xx]"),
        ]
    ),
    max_size=30,
).map("".join)


def _spans(matches: Iterator[re.Match[str]]) -> list[tuple[tuple[int, int], str | None]]:
    """Each match's span and bracket, less the task boxes (`generic_slots` may leave those out)."""
    return [(m.span(), m.group("bracket")) for m in matches if (m.group("bracket") or "x").strip() not in ("", "x", "X")]


@settings(max_examples=1500, deadline=None)
@given(SLOTTY_LINES)
def test_generic_slots_finds_what_generic_finds(line: str) -> None:
    assert _spans(placeholders.generic_slots(line)) == _spans(placeholders.GENERIC.finditer(line))


@pytest.mark.parametrize("line", ["- [x] done and [Owner] here", "[Name] goes here", "[a] lorem IPSUM", "[b] TBD", "[c] <team-name>"])
def test_generic_slots_agrees_on_lines_with_a_bracket_and_another_shape(line: str) -> None:
    assert _spans(placeholders.generic_slots(line)) == _spans(placeholders.GENERIC.finditer(line))


def _lines_where_a_literal_starts(text: str, literals: tuple[str, ...]) -> list[int]:
    """What `lines_containing` must give, by its definition: every offset tried."""
    return sorted({text.count("\n", 0, at) + 1 for literal in literals for at in range(len(text) + 1) if text.startswith(literal, at)})


LITERALS = st.lists(st.sampled_from(["[", "ab", "b", "a\nb", "\n", "", "TBD", "é", "\u0130"]), max_size=4).map(tuple)
PROSE = st.lists(st.sampled_from(["a", "b", "ab", "\n", " ", "[", "TBD", "é", "\u0130", "x"]), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(PROSE, LITERALS)
def test_lines_containing_are_the_lines_where_a_literal_starts(text: str, literals: tuple[str, ...]) -> None:
    assert _common.lines_containing(text, literals) == _lines_where_a_literal_starts(text, literals)


FIND_TEXT = st.lists(
    st.sampled_from(["a", "B", "TB", "TBD", "D", "{", "{{", "_", "ghp_", "\n", " ", "é", "x", "X:", "é{", "-"]), max_size=30
)
FIND_LITERALS = st.lists(
    st.sampled_from(["TBD", "{{", "ghp_", "X:", "aB", "é{", "D", "a\nB", "xx", "BD", "x_x", "{{ a", "a-x", "_"]), max_size=5
)


@settings(max_examples=1500, deadline=None)
@given(FIND_TEXT.map("".join), FIND_LITERALS.map(tuple))
def test_lines_containing_by_regex_and_by_find_are_the_lines_where_a_literal_starts(text: str, literals: tuple[str, ...]) -> None:
    """The literals led by a rare character, found together by one regex, and the others, each by `str.find`."""
    assert _common.lines_containing(text, literals) == _lines_where_a_literal_starts(text, literals)


def test_literals_led_by_a_rare_character_are_searched_together() -> None:
    together, alone = _common._searches(("AKIA", "{{", "ghp_", "token", "a\nB", "[", "api-key"))
    assert together is not None and together.pattern == r"K(?<=AK)IA|\{\{|_(?<=ghp_)"
    assert alone == ("token", "a\nB", "[", "api-key")
