"""`_Parser._plain_paragraph` (the start pattern tried only where a block may start) against mistune's `_parse_plain_paragraph`."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_BLOCK = parse._MD.block
_LINES = st.sampled_from(
    (
        "plain words",
        "**Bold:** text",
        "**",
        "***",
        "* item",
        "- item",
        "1. one",
        "2) two",
        "# heading",
        "> quote",
        "    code",
        " \t",
        "",
        "---",
        "===",
        "a | b",
        "| a | b |",
        "x|",
        "<div>",
        "[a]: /b",
        "```",
        "~~~",
        "é word",
        "\u00a0nbsp",
        "٣. digit",
        "\x0b",
        "_ _ _",
    )
)


def _paragraph_end(text: str, rules: list[str], ours: bool) -> tuple[bool, int, list[object]]:
    state = parse._State()
    state.process(text)
    sc = _BLOCK.compile_sc(rules)
    if ours:
        taken = _BLOCK._plain_paragraph(state, sc, parse._line_gate(rules))
    else:
        taken = parse.BlockParser._parse_plain_paragraph(_BLOCK, state, sc)
    return taken, state.cursor, [dict(token) for token in state.tokens]


@settings(max_examples=1500, deadline=None)
@given(lines=st.lists(_LINES, min_size=1, max_size=8), top=st.booleans())
@example(lines=["a", "b | c", "d"], top=True)
@example(lines=["a", "**b**", "* c"], top=False)
def test_same_paragraph_as_mistune(lines: list[str], top: bool) -> None:
    text = "\n".join(lines) + "\n"
    rules = _BLOCK.rules if top else _BLOCK.list_rules
    assert _paragraph_end(text, rules, True) == _paragraph_end(text, rules, False), text


def test_gates() -> None:
    assert parse._line_gate(_BLOCK.rules)[1] is True
    assert parse._line_gate(_BLOCK.list_rules) == (_BLOCK.list_starts, False)
    assert parse._line_gate(["unknown_rule"]) == (None, False)
