"""The paragraph lists' third round of shortcuts against the patterns they replace and against mistune's own path.

Bullet items found without a pattern (`_item_text_at`), the task box read by hand (`_task_box`), a list
end before a '#' line decided without asking the list patterns, and a one-line item starting with '['
tried against the start pattern only when it holds "]:".
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse

_PLAIN = parse._markdown(shortcuts=False)
_BLOCK = parse._MD.block
_BULLET_ITEM = {bullet: re.compile(re.escape(bullet) + r" (\S.*)") for bullet in "-*+"}
_TASK = re.compile(r"\[([ xX])\][ \t]+")
_ONE_SPACE_TEXT = re.compile(r" \S")
_CHARS = st.sampled_from("-*+ \t\u00a0\x0bx1.)[]:#")


@settings(max_examples=3000, deadline=None)
@given(line=st.text(_CHARS, max_size=8), bullet=st.sampled_from("-*+"))
def test_bullet_text_is_where_the_pattern_finds_it(line: str, bullet: str) -> None:
    found = _BULLET_ITEM[bullet].match(line)
    assert parse._item_text_at(None, bullet, line) == (found.start(1) if found else 0)
    if found:
        assert line[2:] == found.group(1)


@settings(max_examples=3000, deadline=None)
@given(text=st.text(st.sampled_from("[] xX\tab\u00a0"), max_size=8))
@example(text="[x]\t\tdone")
@example(text="[ ] ")
def test_task_box_is_the_patterns(text: str) -> None:
    task = _TASK.match(text) if text[:1] == "[" else None
    expected = (text, None) if task is None else (text[task.end() :], task.group(1) != " ")
    assert parse._task_box(text) == expected


@settings(max_examples=2000, deadline=None)
@given(text=st.text(st.sampled_from(" \t\u00a0\x0bx#"), max_size=5))
def test_one_space_and_a_text(text: str) -> None:
    ours = not (len(text) < 2 or text[0] != " " or text[1].isspace())
    assert ours == bool(_ONE_SPACE_TEXT.match(text))


@settings(max_examples=2000, deadline=None)
@given(rest=st.text(st.sampled_from("# \tx-*>`~<1."), max_size=8), width=st.integers(1, 9))
def test_a_hash_line_ends_a_list_for_the_break_rules(rest: str, width: int) -> None:
    src = "x\n#" + rest + "\n"
    assert not parse._ANY_ITEM.match(src, 2)
    found = parse._cached_list_break_sc(_BLOCK, width).match(src, 2)
    assert found is None or found.lastgroup == "atx_heading"


@settings(max_examples=2000, deadline=None)
@given(text=st.text(st.sampled_from("[]: x\\\t"), min_size=1, max_size=10))
def test_a_bracket_line_without_a_reference_colon_matches_no_rule(text: str) -> None:
    if "]:" not in ("[" + text):
        assert _BLOCK.compile_sc(_BLOCK.list_rules).match("[" + text + "\n") is None


_ITEM_TEXTS = st.sampled_from(
    [
        "**Affected Users:** 11%",
        "[x] done",
        "[ ] open",
        "[X]\ttab",
        "[x]",
        "[a]: /ref",
        "[x] a]: b",
        "[ ]  two spaces",
        "plain",
        "# heading",
        "\u00a0nbsp",
        "x",
    ]
)
_AFTER = st.sampled_from(["", "## Next", "# One", "#tag", "####### seven", "- more", "text", "    code", "> q", "---"])


@st.composite
def _lists(draw: st.DrawFn) -> str:
    bullet = draw(st.sampled_from(["-", "*", "+", "1.", "1)"]))
    items = draw(st.lists(_ITEM_TEXTS, min_size=1, max_size=4))
    gap = draw(st.sampled_from(["\n", "\n\n"]))
    marker = lambda index: bullet if len(bullet) == 1 else f"{index + 1}{bullet[-1]}"  # noqa: E731
    body = gap.join(f"{marker(index)} {text}" for index, text in enumerate(items))
    return "Intro\n\n" + body + draw(st.sampled_from(["\n", "\n\n", "\n\n\n"])) + draw(_AFTER) + "\n"


@settings(max_examples=3000, deadline=None)
@given(text=_lists())
@example(text="- [x] a\n- [a]: b\n\n# H\n")
@example(text="- a\n\n#tag\n")
def test_lists_parse_as_without_shortcuts(text: str) -> None:
    assert parse.parse(text) == parse.parse(text, _PLAIN), text
