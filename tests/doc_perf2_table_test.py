"""`_parse_table`'s inlined body rows (one split of a plain ``|...|`` line) build what mistune's own table parser builds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_PLAIN = parse._markdown(shortcuts=False)
_ROWS = st.sampled_from(
    (
        "| a | b |",
        "|a|b|",
        "| a | b | c |",
        "| a |",
        "|",
        "||",
        "| a \\| b | c |",
        "| a | b \\|",
        "  | a | b |",
        "a | b",
        "| a | b",
        "| a | b |  \t",
        "| é | \u00a0 |",
        "|  |  |",
        "",
        "plain",
        "- item",
        "# h",
    )
)


@settings(max_examples=1500, deadline=None)
@given(body=st.lists(_ROWS, max_size=6), head=st.sampled_from(("| h | i |\n|---|:-:|", "| h |\n| --- |", "h | i\n--|--")))
@example(body=["| a | b |", "| a \\| b | c |", "|"], head="| h | i |\n|---|:-:|")
def test_table_rows_match_mistune(body: list[str], head: str) -> None:
    text = "\n".join([head, *body]) + "\n"
    assert parse.parse(text) == parse.parse(text, _PLAIN), text
