"""`parse_atx_heading` trims a closing sequence only from a text that holds a '#': any other comes back from the trim unchanged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse


@settings(max_examples=1000, deadline=None)
@given(text=st.text(st.sampled_from(" \t\u00a0\u2003ax#é"), max_size=10))
def test_trim_changes_only_texts_with_a_hash(text: str) -> None:
    if "#" not in text:
        assert parse._trim_closing_hashes(text) == text


def test_headings_parse_as_before() -> None:
    found = parse.parse("# A #\n## B\n### C ##  \n#### D#\n##### #\n")
    assert [block.text for block in found] == ["A", "B", "C", "D#", ""]
