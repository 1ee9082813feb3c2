"""`parse._RULE_STARTS`: a line that starts with an ASCII character none of a rule's is never matched by that rule.

The parser skips the rules of ``list_rules`` at such lines (`_Parser.list_starts`), so each entry must
hold every character mistune's pattern can match first.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_BLOCK = parse._MD.block
_TAILS = ("", "\n", "x", " x\n", "**", "* * *", "---", "# t", "1. x", "[a]: b", "<div>", "|a|b|", "```", "\t", "=", "> q")
_STARS = ("*", "**", "***", "** *", "**\t", "**x", "**Bold:** x", "***x", "** ", "*\x0b", "**\x0b", "**\r", "*x*", "* x")


@pytest.mark.parametrize("rule", sorted(parse._RULE_STARTS))
def test_no_other_first_character_matches(rule: str) -> None:
    pattern = re.compile(_BLOCK.specification[rule], re.M)
    starts = parse._RULE_STARTS[rule]
    lines = [chr(code) + tail for code in range(0x80) for tail in _TAILS]
    lines += [stars + chr(code) for stars in _STARS for code in range(0x80)]
    for line in lines:
        if not parse._may_match(frozenset(starts), line):
            assert pattern.match(line) is None, (rule, line)


@pytest.mark.parametrize("rule", sorted(parse._RULE_STARTS))
@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=12))
def test_random_lines_obey_the_first_character(rule: str, text: str) -> None:
    if not parse._may_match(frozenset(parse._RULE_STARTS[rule]), text):
        assert re.compile(_BLOCK.specification[rule], re.M).match(text) is None


def test_a_line_may_start_with_any_unicode_digit() -> None:
    assert _BLOCK.compile_sc(_BLOCK.list_rules).match("\u0661. item\n")
    assert parse._may_match(_BLOCK.list_starts, "\u0661. item")


@pytest.mark.parametrize("rule", sorted(parse._RULE_STARTS))
@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from("* \t\n\x0bx-"), min_size=1, max_size=8))
def test_lines_of_stars_obey_the_bold_gate(rule: str, text: str) -> None:
    if not parse._may_match(frozenset(parse._RULE_STARTS[rule]), "*" + text):
        assert re.compile(_BLOCK.specification[rule], re.M).match("*" + text) is None


def test_bold_text_is_gated() -> None:
    assert not parse._may_match(_BLOCK.list_starts, "**Affected Users:** 11%")
    assert parse._may_match(_BLOCK.list_starts, "** *")
    assert parse._may_match(_BLOCK.list_starts, "***")


def test_the_parser_gates_exactly_its_list_rules() -> None:
    assert set(_BLOCK.list_rules) <= set(parse._RULE_STARTS)
    assert _BLOCK.list_starts == frozenset("".join(parse._RULE_STARTS[rule] for rule in _BLOCK.list_rules))
    assert parse._rule_starts([*_BLOCK.list_rules, "nptable"]) is None


_LINES = [
    "x",
    "**b:** c",
    "** *",
    "***",
    "* x",
    "\u0663) y",
    "é",
    "**a:** b",
    "[x] done",
    "1. one",
    "- two",
    "# h",
    "> q",
    "",
    "  y",
    "<b>",
    "`c`",
    "---",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=6))
def test_gated_one_paragraph_equals_the_ungated(lines: list[str]) -> None:
    src = "\n".join(lines) + "\n"
    sc = _BLOCK.compile_sc(_BLOCK.list_rules)
    assert parse._one_paragraph(src, sc, _BLOCK.list_starts) == parse._one_paragraph(src, sc)


@pytest.mark.parametrize("rule", sorted(parse._MISS_EMPTY_LINES))
@pytest.mark.parametrize("text", ["x\n\n", "x\n\nabc\n", "x\n\n\n    code\n", "x\n\n- a\n", "x\n\n# h\n", "x\n\n```\n", "x\n\n> q\n"])
def test_rules_before_blank_line_miss_an_empty_line(rule: str, text: str) -> None:
    assert re.compile(_BLOCK.specification[rule], re.M).match(text, 2) is None


def test_every_rule_list_takes_blank_lines_directly() -> None:
    for rules in (_BLOCK.rules, _BLOCK.list_rules, _BLOCK.block_quote_rules):
        assert parse._MISS_EMPTY_LINES.issuperset(rules[: rules.index("blank_line")])
