"""The content rules' faster scans find what the plain forms they replaced find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.checks import pm409_personal_data as pm409

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
