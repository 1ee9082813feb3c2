"""`_convert_all` skips `_trim_blank` for a block of one line: the trim of such a block is always its start."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse


@settings(max_examples=1000, deadline=None)
@given(lines=st.lists(st.sampled_from(("", " ", ">", "> ", "x", "\t")), max_size=6), start=st.integers(0, 8))
def test_one_line_trims_to_its_start(lines: list[str], start: int) -> None:
    assert parse._trim_blank(lines, start, start + 1) == start
