"""`_Parser._text_and_list`: an item made of a paragraph and a list of paragraph items is parsed as mistune parses it."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse as parse_mod
from postmortem_lint.document.model import ListBlock
from postmortem_lint.document.parse import parse

_PLAIN = parse_mod._markdown(shortcuts=False)
_OUTER = st.sampled_from(["-", "*", "+", "1.", "1)", "2."])
_INNER = st.sampled_from(["-", "-", "*", "+", "1.", "1.", "1)", "2.", "10."])
_PLAIN_TEXT = st.sampled_from(["**Agenda:**", "plain", "[ ] task", "[x] done", "x  ", "→ b"])
_ODD_TEXT = st.sampled_from(["# h", "> q", "**", "- n", "1. n", "<div>", "```", "| a |", "", "    code"])
_TEXT = st.one_of(*[_PLAIN_TEXT] * 12, _ODD_TEXT)
_GAP = st.sampled_from(["", "", "", "", "", "", "", "\n", "   \n"])
_INDENT_SHIFT = st.sampled_from([0] * 12 + [1, -1, 2])


@st.composite
def _document(draw: st.DrawFn) -> str:
    """A top-level list whose items may carry an indented sublist (at or off the content column), then something after it."""
    outer = draw(_OUTER)
    lines: list[str] = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        marker = outer if outer[-1] not in ".)" else f"{int(outer[:-1]) + number - 1}{outer[-1]}"
        lines.append(f"{marker} {draw(_TEXT)}")
        if draw(st.booleans()):
            lines += [" " * (len(marker) + 1) + draw(_TEXT) for _ in range(draw(st.integers(0, 1)))]
            inner, indent = draw(_INNER), " " * max(len(marker) + 1 + draw(_INDENT_SHIFT), 0)
            for sub in range(1, draw(st.integers(1, 4)) + 1):
                sub_marker = inner if inner[-1] not in ".)" else f"{int(inner[:-1]) + sub - 1}{inner[-1]}"
                lines.append(f"{indent}{sub_marker} {draw(_TEXT)}")
                if draw(st.integers(0, 4)) == 0:
                    lines.append(" " * (len(indent) + len(sub_marker) + 1) + draw(_TEXT))
                if draw(st.integers(0, 15)) == 0:
                    lines.append(draw(_GAP).rstrip("\n"))
        gap = draw(_GAP)
        if gap:
            lines.append(gap.rstrip("\n"))
    after = draw(st.sampled_from(["", "\n## Next\n", "Text after.\n", "\n- other\n", "  lazy\n", "\n| a | b |\n|---|---|\n"]))
    return "\n".join(lines) + "\n" + after


@settings(max_examples=3000, deadline=None)
@given(_document())
@example("- **Date:** 2021\n- **Agenda:**\n  1. Review\n  2. Discuss\n- **Next:** x\n")
@example("- **Agenda:**\n  1. Review\n\n  2. Discuss\n")
@example("- **Agenda:**\n  - a\n    b\n- c\n")
@example("- **Agenda:**\n  2. Review\n  3. Discuss\n")
@example("1. **Agenda:**\n   - a\n   - b\n\n2. c\n")
def test_items_with_a_sublist_match_mistune(text: str) -> None:
    assert parse(text) == parse(text, _PLAIN), text


def test_the_shortcut_is_taken_for_the_template_shape() -> None:
    text = "- **Date:** 2021\n- **Agenda:**\n  1. Review\n  2. Discuss\n"
    state = parse_mod._State()
    state.process(text)
    parse_mod._MD.block.parse(state)
    (token,) = state.tokens
    assert [isinstance(content, str) for _, content in token["paragraph_items"]] == [True, False]
    (outer,) = parse(text)
    assert isinstance(outer, ListBlock)
    agenda = outer.items[1]
    assert (agenda.line, agenda.end_line, agenda.text) == (2, 4, "**Agenda:**")
    assert isinstance(agenda.children[1], ListBlock) and [i.text for i in agenda.children[1].items] == ["Review", "Discuss"]
