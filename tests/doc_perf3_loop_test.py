"""The main loop's third round of shortcuts against mistune's own path (`_markdown(shortcuts=False)`).

ATX headings taken by their '#' (`_atx_heading`), bullet lists by their bullet (`_Parser._bullet_list`),
a lone blank line taken without a pattern, the start pattern not tried at a line no rule can start
(`_may_start`), and the search for a block start that skips such lines (`_search_line_starts` with a
gate, `_may_match` letting only digits through among non-ASCII first characters).
"""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_PLAIN = parse._markdown(shortcuts=False)
_BLOCK = parse._MD.block
_LINES = st.sampled_from(
    (
        "# Title",
        "## Section",
        "###### six",
        "####### seven",
        "#tag",
        "#",
        "##",
        "#\tTab",
        "# closing ##",
        "## a #b",
        "# a | b",
        "#a|b",
        "---|---",
        "| a | b |",
        "|---|---|",
        "",
        "",
        " ",
        "\t",
        "\x0b",
        "\u00a0",
        "plain words",
        "**Bold:** value",
        "**Bold:** a | b",
        "✅ done",
        "❌ not done",
        "٣. digit",
        "é",
        "- item",
        "* item",
        "1. one",
        "> quote",
        "    code",
        "```",
        "===",
        "<div>",
        "[a]: /b",
        "***",
        "- - -",
        "* * *",
        "-  two spaces",
        "- ",
        "-",
        "+ plus",
        "- **Bold:** x",
        "  - nested",
        "   continued",
        "- [x] task",
        "-\ttab",
        "*emphasis*",
        "- -",
        "* -x",
    )
)


@settings(max_examples=3000, deadline=None)
@given(lines=st.lists(_LINES, min_size=1, max_size=10), end=st.sampled_from(["", "\n", "\n\n"]))
@example(lines=["x", "", "# a #", "", " ", "b"], end="")
@example(lines=["# a | b", "---|---", "c"], end="\n")
@example(lines=["**a:** b", "✅ c", "٣. d"], end="\n")
def test_documents_parse_as_without_shortcuts(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    assert parse.parse(text) == parse.parse(text, _PLAIN), text


_CHARS = st.sampled_from("#  \t\nx|*-1٣✅é>`[<\u00a0\x0b")


@settings(max_examples=3000, deadline=None)
@given(text=st.text(_CHARS, max_size=30))
def test_random_texts_parse_as_without_shortcuts(text: str) -> None:
    assert parse.parse(text) == parse.parse(text, _PLAIN), text


@settings(max_examples=2000, deadline=None)
@given(
    lines=st.lists(_LINES, min_size=1, max_size=8),
    pos=st.integers(0, 100),
    rules=st.sampled_from(["rules", "list_rules", "block_quote_rules"]),
)
def test_gated_search_is_mistunes_search(lines: list[str], pos: int, rules: str) -> None:
    rule_list = getattr(_BLOCK, rules)
    sc = _BLOCK.compile_sc(rule_list)
    text = "\n".join(lines) + "\n"
    pos = min(pos, len(text))
    found = parse._search_line_starts(sc, text, pos, parse._line_gate(rule_list))
    expected = sc.search(text, pos)
    assert (found and (found.span(), found.lastgroup)) == (expected and (expected.span(), expected.lastgroup))


def test_no_non_ascii_character_but_a_digit_starts_a_rule() -> None:
    """Every rule's pattern, at a line of each non-ASCII character that is not a decimal digit, then text."""
    patterns = [re.compile(_BLOCK.specification[rule], re.M) for rule in parse._RULE_STARTS]
    step = 7  # every 7th code point (and every digit): the whole range takes minutes
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if char.isdecimal() or code % step == 0:
            for line in (char, char + " x", char + ". x"):
                if not parse._may_match(_BLOCK.list_starts, line):
                    assert all(pattern.match(line) is None for pattern in patterns), repr(line)


def test_headings_by_their_hashes() -> None:
    found = parse.parse("# A\n####### no\n#b\n## C ##\n#\n")
    assert [(type(b).__name__, b.line) for b in found] == [("Heading", 1), ("Paragraph", 2), ("Heading", 4), ("Heading", 5)]


@settings(max_examples=2000, deadline=None)
@given(line=st.text(_CHARS, min_size=1, max_size=12), rules=st.sampled_from(["rules", "list_rules", "block_quote_rules"]))
def test_no_rule_matches_where_the_start_gate_says_none_may(line: str, rules: str) -> None:
    rule_list = getattr(_BLOCK, rules)
    text = line + "\n"
    if not parse._may_start(parse._line_gate(rule_list), text, 0, text[0]):
        assert _BLOCK.compile_sc(rule_list).match(text) is None


@settings(max_examples=2000, deadline=None)
@given(line=st.text(_CHARS, min_size=1, max_size=12), bullet=st.sampled_from("-*+"))
def test_a_bullet_list_line_is_what_the_start_pattern_calls_a_list(line: str, bullet: str) -> None:
    text = bullet + line.replace("\n", "")  # a line, without its newline
    if not (len(text) < 3 or text[1] != " " or text[2].isspace() or not text.strip(" \t-*")):
        found = _BLOCK.compile_sc(_BLOCK.rules).match(text + "\n")
        assert found is not None and found.lastgroup == "list" and found.group("list_3") == text[1:], text
