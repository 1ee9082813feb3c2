"""The loop's unstamped blank-line tokens: documents of blocks between runs of blank lines parse as mistune's own path parses them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_PLAIN = parse._markdown(shortcuts=False)
_LINES = st.sampled_from(
    ("", "", " ", "\t", "text", "# h", "- a", "  b", "1. x", "> q", ">", "---", "===", "| a | b |", "|---|---|", "```", "    code")
)


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(_LINES, max_size=14))
def test_blank_runs_match_mistune(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assert parse.parse(text) == parse.parse(text, _PLAIN), text
