"""The text shortcuts of the content rules equal the general path they stand for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.core.text import _EMPHASIS, LINK, unlinked

LINK_TEXTS = st.lists(st.sampled_from(["!", "[", "]", "(", ")", "![", "](", "a", "b c", "\n", "x!"]), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(LINK_TEXTS)
def test_unlinked_is_link_sub(text: str) -> None:
    assert unlinked(text) == LINK.sub(r"\1", text)


BEHIND_FIRST = re.compile(r"(\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w))")
"""strip_inline's emphasis marks with the look-behinds first."""
EMPHASIS_TEXTS = st.lists(
    st.sampled_from(["*", "_", "**", "__", "a", "b c", " ", "\n", "\t", "1", "é", "*a*", "_b_", "-"]), max_size=25
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(EMPHASIS_TEXTS)
def test_the_emphasis_marks_are_the_look_behinds_first_ones(text: str) -> None:
    assert [m.span() for m in _EMPHASIS.finditer(text)] == [m.span() for m in BEHIND_FIRST.finditer(text)]
