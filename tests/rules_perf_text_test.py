"""The text shortcuts of the content rules equal the general path they stand for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.core.text import LINK, unlinked

LINK_TEXTS = st.lists(st.sampled_from(["!", "[", "]", "(", ")", "![", "](", "a", "b c", "\n", "x!"]), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(LINK_TEXTS)
def test_unlinked_is_link_sub(text: str) -> None:
    assert unlinked(text) == LINK.sub(r"\1", text)
