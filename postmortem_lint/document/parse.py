"""Markdown text -> typed blocks with 1-based source lines.

The only module that imports mistune. mistune 3's AST has no positions, so a
`BlockParser` subclass records where each block rule matched and a `BlockState`
subclass stamps every token with the line of the rule that produced it (or of the
cursor, for plain paragraphs). List-item and block-quote bodies are line-for-line
copies of a run of parent lines, so a child state only needs a line offset.
This leans on mistune internals: the version is pinned and tests/parse_test.py
checks lines for every block kind.

Only the block phase runs: rules read raw inline text, which is faster than
building inline tokens that nothing uses.
"""

from __future__ import annotations

import operator
import re
import string
from collections.abc import Sequence
from typing import Any

import mistune
from mistune import block_parser, list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState
from mistune.plugins import table as table_plugin
from mistune.plugins.table import table

from postmortem_lint.document.model import (
    Block,
    Cell,
    Code,
    Html,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Row,
    Table,
    ThematicBreak,
    new_cell,
    new_heading,
    new_list_block,
    new_list_item,
    new_paragraph,
    new_row,
)

Token = dict[str, Any]
_ORDERED_ITEM = {delimiter: re.compile(r"\d{1,9}" + re.escape(delimiter) + r" (\S.*)") for delimiter in ".)"}
_BLANK = " \t\v\f"
"""What a blank line may hold (mistune's BLANK_LINE)."""
_ANY_ITEM = re.compile(r"(?:[*+-]|\d{1,9}[.)])(?:[ \t\n]|$)")
_THEMATIC = re.compile(BlockParser.SPECIFICATION["thematic_break"])
_BARE_MARKER = re.compile(r"(?<![ \t>])[ \t>]*(?:[*+-]|\d{1,9}[.)])[ \t]*$")
_LINE = operator.itemgetter("_line")
_BLANK_LINE: Token = {"type": "blank_line"}
"""The token of every blank-line run the loop takes itself: one dict for all, unstamped (`_convert_all` drops it before reading lines)."""
_RULE_STARTS = {
    "fenced_code": " `~",
    "indent_code": " \t",
    "atx_heading": " #",
    "setex_heading": " =-",
    "thematic_break": " -_*",
    "block_quote": " >",
    "list": " *+-0123456789",
    "ref_link": " [",
    "raw_html": " <",
    "blank_line": " \t\v\f\n",
    "table": " |",
}
"""The ASCII characters a line may start with for each block rule to match it (tests/doc_perf_gate_test.py checks them).

Only ASCII: a list's ``\\d`` matches every Unicode digit (``str.isdecimal``), which `_may_match` lets through where
``"0"`` is; no rule starts with any other non-ASCII character."""
_MISS_EMPTY_LINES = frozenset(
    ("fenced_code", "indent_code", "atx_heading", "setex_heading", "thematic_break", "block_quote", "list", "ref_link", "raw_html")
)
"""Rules that never match an empty line (tests/doc_perf_gate_test.py): a ``blank_line`` after only these takes it."""
_LEAF_RULES = frozenset(("blank_line", "atx_heading", "thematic_break", "fenced_code", "table"))
"""Rules whose methods append their tokens without moving the cursor first or calling `parse_method`."""


class _Tokens(list):  # type: ignore[type-arg]
    """A token list that stamps each token with a source line as it is added."""

    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state: _State | None = state
        """None once the parse is converted (`_release`)."""

    def append(self, token: Token) -> None:
        state = self.state
        if state is not None and "_line" not in token:
            token["_line"] = state.line_at(state.rules[-1][1] if state.rules else state.cursor)  # `_State.stamp`, inlined
        list.append(self, token)

    def insert(self, index: Any, token: Token) -> None:
        if self.state is not None:
            self.state.stamp(token)
        super().insert(index, token)


class _State(BlockState):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tokens = _Tokens(self)
        self.token_lists: list[_Tokens] = parent.token_lists if isinstance(parent, _State) else []
        """Every token list of the parse (shared with the child states), for `_release`."""
        self.token_lists.append(self.tokens)
        self.line_base = 0
        self.rules: list[tuple[str, int]] = []
        self.next_item_line = 0
        self._at = 0
        self._line = 0
        self._doc_lines: Sequence[str] | None = None
        self.item_line = 0

    def process(self, src: str) -> None:
        super().process(src)
        self._at = self._line = 0

    def line_at(self, offset: int) -> int:
        """0-based document line of ``offset`` in this state's source.

        Counts newlines from the previous query: offsets mostly grow, so a
        state's source is scanned about once.
        """
        if offset >= self._at:
            self._line += self.src.count("\n", self._at, offset)
        else:
            self._line -= self.src.count("\n", offset, self._at)
        self._at = offset
        return self.line_base + self._line

    def stamp(self, token: Token) -> None:
        if "_line" not in token:
            offset = self.rules[-1][1] if self.rules else self.cursor
            token["_line"] = self.line_at(offset)

    def child_state(self, src: str, lazy_line_starts: Any = None) -> _State:
        child = super().child_state(src, lazy_line_starts)
        assert isinstance(child, _State)
        rule, offset = self.rules[-1] if self.rules else ("", self.cursor)
        if rule == "list":
            # mistune drops an item's blank first line ("- " alone): its text starts a line lower
            child.item_line = self.next_item_line
            child.line_base = self.next_item_line + self._blank_item_line(self.next_item_line)
            self.next_item_line = self.line_at(self.cursor) - 1
        else:
            child.line_base = self.line_at(offset)
        return child

    def _blank_item_line(self, line: int) -> int:
        """1 when document line ``line`` (0-based) is a list marker with nothing after it."""
        root = self
        while isinstance(root.parent, _State):
            root = root.parent
        if root._doc_lines is None:
            root._doc_lines = root.src.split("\n")
        text = root._doc_lines[line] if line < len(root._doc_lines) else ""
        return 1 if _BARE_MARKER.match(text) else 0


class _Parser(BlockParser):
    state_cls = _State
    shortcuts = True
    """Take the shortcuts below (the cheaper loop, one-paragraph items and lists, table rows as texts);
    tests turn them off to check they change nothing."""
    list_starts: frozenset[str] | None = None
    """What a line must start with for a rule of ``list_rules`` to match it (`_rule_starts`); None: anything."""

    def parse(self, state: Any, rules: list[str] | None = None) -> None:
        """mistune's loop, with the same steps taken more cheaply (`_loop`) and one shortcut.

        The shortcut is for the commonest child, a list item whose lines are one paragraph:
        mistune would find that only after a `search` for a later block start that cannot succeed.
        """
        if not self.shortcuts:
            super().parse(state, rules)
            return
        rules = self.rules if rules is None else rules
        sc = self.compile_sc(rules)
        starts = self.list_starts if rules is self.list_rules else None
        if state.parent is not None and not state.cursor and _one_paragraph(state.src, sc, starts):
            state.add_paragraph(state.src)
            state.cursor = state.cursor_max
            return
        blank_lines = "blank_line" in rules and _MISS_EMPTY_LINES.issuperset(rules[: rules.index("blank_line")])
        gate = _GATES.get(sc)
        if gate is None:
            gate = _GATES[sc] = _line_gate(rules)
        self._loop(state, sc, "indent_code" in rules, blank_lines, gate)

    def _loop(self, state: Any, sc: re.Pattern[str], indent_code: bool, blank_lines: bool = False, gate: _Gate = (None, True)) -> None:
        """`BlockParser.parse`, step for step, but for two calls it makes only where they can succeed.

        It tries an indented code block only at a line that starts with a space or a tab (none
        other is one), and searches for the next block start only at line starts (every block
        rule is anchored at one). A rule of `_LEAF_RULES` on a state that no rule is parsing skips
        `parse_method`'s bookkeeping, which would change nothing: it stamps the tokens at the
        rule's start, which is the cursor these rules leave in place, and it keeps list item lines.
        With ``blank_lines`` (no rule before ``blank_line`` matches an empty line), a run of blank
        lines that starts with an empty one is taken as mistune's `parse_blank_line` takes it,
        without trying every rule first (and without a pattern when the next line is not blank too);
        an ATX heading with its '#' first is taken without the start pattern (`_atx_heading`). A
        plain paragraph tries the rules only at its lines that may start a block (`_plain_paragraph`),
        and the search for the next block start skips the others (`_search_line_starts`): a paragraph
        of bold fields then costs a pattern match at the line after it, not one at each of its lines.
        """
        src = state.src
        while state.cursor < state.cursor_max:
            cursor = state.cursor
            first = src[cursor]
            if first == "\n" and blank_lines and cursor and not state.rules:
                after = cursor + 1
                if after < len(src) and src[after] in " \t\v\f\n":
                    found = self.BLANK_LINE.match(src, cursor)
                    after = found.end() if found else cursor
                if after > cursor:
                    list.append(state.tokens, _BLANK_LINE)
                    state.cursor = after
                    continue
            if first == "#" and not state.rules:
                after = _atx_heading(state, src, cursor)
                if after:
                    state.cursor = after
                    continue
            elif first in "-*+" and not state.rules:
                end_pos = self._bullet_list(state, sc, cursor)
                if end_pos is not None:
                    if not end_pos:  # as below, for a rule that takes nothing
                        end_pos = state.find_line_end()
                        state.add_paragraph(state.get_text(end_pos))
                    state.cursor = end_pos
                    continue
            if indent_code and src[state.cursor] in " \t":
                end_pos = self._parse_indent_code_fast(state)
                if end_pos is not None:
                    state.cursor = end_pos
                    continue
            m = sc.match(src, cursor) if _may_start(gate, src, cursor, first) else None
            if not m and self._plain_paragraph(state, sc, gate):
                continue
            if not m:
                m = _search_line_starts(sc, src, state.cursor, gate)
            if not m:
                break
            if m.start() > state.cursor:
                state.add_paragraph(state.get_text(m.start()))
                state.cursor = m.start()
            if m.lastgroup in _LEAF_RULES and not state.rules:
                end_pos = self._methods[m.lastgroup](m, state)
            else:
                end_pos = self.parse_method(m, state)
            if end_pos:
                state.cursor = end_pos
            else:
                end_pos = state.find_line_end()
                state.add_paragraph(state.get_text(end_pos))
                state.cursor = end_pos
        if state.cursor < state.cursor_max:
            state.add_paragraph(src[state.cursor :])
            state.cursor = state.cursor_max

    def _plain_paragraph(self, state: Any, sc: re.Pattern[str], gate: _Gate) -> bool:
        """mistune's `_parse_plain_paragraph`, trying ``sc`` only at the lines that may start a block (`_line_gate`).

        A paragraph of several lines then costs one pattern match, at the line that ends it, instead of one a line.
        """
        src, cursor = state.src, state.cursor
        if not block_parser._is_plain_paragraph_start(src, cursor):
            return False
        starts, pipes = gate
        pos, end = cursor, state.cursor_max
        while pos < end:
            stop = src.find("\n", pos) + 1 or len(src)
            line = src[pos:stop]
            if not line.strip():
                break  # where mistune breaks too, by a blank line's match or by this test
            if pos > cursor and (_may_match(starts, line) or (pipes and "|" in line)) and sc.match(src, pos):
                break
            pos = stop
        if pos <= cursor:
            return False
        state.add_paragraph(src[cursor:pos])
        state.cursor = pos
        return True

    def parse_method(self, m: re.Match[str], state: Any) -> int | None:
        name = m.lastgroup or ""
        # A list collecting its item's lines parses a breaking block (a quote holding a
        # list, say) on the same state: keep that from moving the outer item's line.
        outer_item_line = state.next_item_line
        if name == "list":
            state.next_item_line = state.line_at(m.start())
        state.rules.append((name, m.start()))
        try:
            return self._methods[name](m, state)  # mistune's Parser.parse_method, without its frame
        finally:
            state.rules.pop()
            state.next_item_line = outer_item_line

    def parse_list(self, m: re.Match[str], state: Any) -> int:
        """A list of one-paragraph items takes a shortcut; any other list is mistune's."""
        end = None
        if self.shortcuts and not m.group("list_1"):
            end = self._paragraph_list(state, m.group("list_2"), m.group("list_3"), m.start(), m.end())
        return end if end is not None else super().parse_list(m, state)

    def _bullet_list(self, state: Any, sc: re.Pattern[str], cursor: int) -> int | None:
        """What ``parse_method`` returns for the list that the bullet at ``cursor`` starts; None when the line starts no bullet list.

        ``sc`` would match such a line (a bullet, one space, then a text holding a character that
        no thematic break or setext underline holds) as ``list``, with the bullet at ``cursor``:
        the list is parsed as `parse_method` and `parse_list` would, without the start pattern and
        the match's groups (tests/doc_perf3_loop_test.py).
        """
        src = state.src
        stop = src.find("\n", cursor)
        line = src[cursor : stop if stop >= 0 else len(src)]
        if len(line) < 3 or line[1] != " " or line[2].isspace() or not line.strip(" \t-*"):
            return None
        outer_item_line = state.next_item_line
        state.next_item_line = state.line_at(cursor)
        state.rules.append(("list", cursor))
        try:
            end = self._paragraph_list(state, line[0], line[1:], cursor, cursor + len(line))
            if end is None:
                m = sc.match(src, cursor)
                assert m is not None and m.lastgroup == "list"
                end = BlockParser.parse_list(self, m, state)
            return end
        finally:
            state.rules.pop()
            state.next_item_line = outer_item_line

    def _paragraph_list(self, state: Any, marker: str, first: str, start: int, line_end: int) -> int | None:
        """The list token mistune would build for unindented items of one paragraph each, or None.

        Each item is ``marker + one space + text``, then any continuation lines indented by
        exactly the item's content column (``len(marker) + 1`` spaces, then no blank), then any
        blank lines; the next line is an item of the same marker kind, or the list ends (as
        `_list_end` allows). The item's lines, without that indent, must be one paragraph to
        mistune (`_one_paragraph`). Anything else (nesting, lazy or deeper continuation, a second
        paragraph, a rule inside an item) returns None before the state is touched, and mistune
        parses the list. Loose and tight lists convert alike: the tightness is not kept.
        """
        if len(first) < 2 or first[0] != " " or first[1].isspace():
            return None  # no item of one space and a text
        ordered = len(marker) > 1
        if ordered and marker[:-1] != "1":
            return None  # a list starting at n != 1 may not interrupt a paragraph: mistune decides
        item_re = _ORDERED_ITEM[marker[-1]] if ordered else None
        src, end = state.src, len(state.src)
        lines = [first[1:]]
        items = {0: lines}
        indent = " " * (len(marker) + 1)
        pos, row, blank = line_end + 1, 0, False
        while pos < end:
            row += 1
            stop = src.find("\n", pos)
            stop = end if stop < 0 else stop
            line = src[pos:stop]
            if not line.strip(_BLANK):
                blank = True
            elif not blank and line.startswith(indent) and len(line) > len(indent) and not line[len(indent)].isspace():
                lines.append(line[len(indent) :])
            else:
                text_at = _item_text_at(item_re, marker, line)
                if not text_at or (not line.strip(" \t-_*") and _THEMATIC.match(line)):
                    return self._list_end(state, marker, start, pos, blank, items)
                lines = items[row] = [line[text_at:]]
                indent = " " * text_at
                blank = False
            pos = stop + 1
        return self._list_end(state, marker, start, end, blank, items)

    def _list_end(self, state: Any, marker: str, start: int, at: int, blank: bool, items: dict[int, list[str]]) -> int | None:
        """Append the list token of ``items`` (lines by line offset from ``m``) if it ends at ``at``; None if mistune must decide.

        The list ends before a line that follows a blank one and that no mistune list would take
        or parse inside it (an indented line, any list item, `_parsed_inside`), or at the end.
        An item of one line is one paragraph unless a rule matches it: its text starts with ``\\S``.
        """
        src = state.src
        if at < len(src) and (not blank or src[at].isspace() or (src[at] != "#" and self._taken_after_blank(marker, src, at))):
            return None  # a lazy continuation, an indented continuation, a loose list, a block mistune parses inside
        sc = self.compile_sc(self.list_rules)
        starts = self.list_starts
        found: list[tuple[int, str | list[Token]]] = []
        first_line = state.line_at(start)
        for row, lines in items.items():
            if len(lines) == 1:
                text = lines[0]
                if _may_match(starts, text) and (text[0] != "[" or "]:" in text) and sc.match(text + "\n"):
                    return None  # (a line starting with '[' may only be a link reference definition, which needs "]:")
                found.append((first_line + row, text))
                continue
            text = "\n".join(lines)
            content = text if _one_paragraph(text + "\n", sc, starts) else self._text_and_list(state, first_line + row, text)
            if content is None:
                return None
            found.append((first_line + row, content))
        # "tight" and no children: mistune's tight-list pass over an outer list reads them
        token = {"type": "list", "children": [], "tight": True, "paragraph_items": found, "attrs": {"ordered": len(marker) > 1}}
        state.append_token(token)
        return at  # mistune's list takes the blank lines after it (one of four spaces is no code block)

    def _text_and_list(self, state: Any, line: int, text: str) -> list[Token] | None:
        """The tokens of an item of a top-level list whose ``text`` is a paragraph, then a list of one-paragraph items; else None.

        ("- **Agenda:**" over a numbered list, say.) They are what mistune's list makes: the item's lines
        (``text``, continuation lines without their indent) parsed on a child state whose first line is
        document line ``line`` (0-based), by the same parser. Deeper lists, and any other content, are
        left to mistune.
        """
        if state.parent is not None:
            return None
        child = _State(state)
        child.process(text + "\n")
        child.line_base = line
        self.parse(child, self.list_rules)
        tokens = child.tokens
        if len(tokens) != 2 or tokens[0]["type"] != "paragraph" or "paragraph_items" not in tokens[1]:
            return None
        return tokens

    def _taken_after_blank(self, marker: str, src: str, at: int) -> bool:
        """True when a mistune list would go on at ``at`` after a blank line, as an item or a block it parses inside (`_parsed_inside`).

        `_list_end` does not ask at a '#': it starts no item, and no rule that may end an item but an ATX heading.
        """
        return _ANY_ITEM.match(src, at) is not None or self._parsed_inside(marker, src, at)

    def _parsed_inside(self, marker: str, src: str, at: int) -> bool:
        """True when mistune parses the block at ``at`` (after a list's blank lines) before the list token exists.

        It does so for every block rule that may end a list item; the result is the same as
        parsing it after the list except for rules that look at the token before them (a
        block quote, HTML that may not interrupt a paragraph). ATX headings and fences do not.
        """
        found = list_parser._compile_list_break_sc(self, len(marker)).match(src, at)
        return found is not None and found.lastgroup not in ("atx_heading", "fenced_code")

    def parse_atx_heading(self, m: re.Match[str], state: Any) -> int:
        """mistune's, with a linear closing-'#' trim (its ``(\\s+|^)#+\\s*$`` is quadratic in a run of spaces)."""
        state.tokens.append(_heading_token(m.group("atx_2"), len(m.group("atx_1"))))
        return m.end() + 1


def _heading_token(rest: str, level: int) -> Token:
    """The token of an ATX heading of ``level`` whose text after the '#'s is ``rest``."""
    text = rest.strip(string.whitespace)
    if "#" in text:  # else there is no closing sequence to trim
        text = _trim_closing_hashes(text)
    return {"type": "heading", "text": text, "attrs": {"level": level}, "style": "atx"}


def _atx_heading(state: Any, src: str, cursor: int) -> int:
    """Append the token of the ATX heading that starts at ``cursor`` with a '#' and return where it ends; 0 if none starts there.

    mistune's start pattern would match it as ``atx_heading`` (the rules before that one need a
    space, a backtick or a tilde first): one to six '#'s, then the end of the line, a space or a
    tab (tests/doc_perf3_loop_test.py).
    """
    stop = src.find("\n", cursor)
    line = src[cursor : stop if stop >= 0 else len(src)]
    level = len(line) - len(line.lstrip("#"))
    if level > 6 or (level < len(line) and line[level] not in " \t"):
        return 0
    token = _heading_token(line[level:], level)
    token["_line"] = state.line_at(cursor)
    list.append(state.tokens, token)
    return cursor + len(line) + 1


def _item_text_at(item_re: re.Pattern[str] | None, marker: str, line: str) -> int:
    """Where the text of the item of ``marker``'s kind that ``line`` starts begins; 0 if it starts none.

    An ordered item's is where ``item_re`` finds it. A bullet's begins after the bullet and one
    space, at a character that is no whitespace (``\\S``, which is ``str.isspace``): no pattern is
    needed for it (tests/doc_perf3_list_test.py).
    """
    if item_re is None:
        return 2 if line[:2] == marker + " " and len(line) > 2 and not line[2].isspace() else 0
    found = item_re.match(line)
    return found.start(1) if found else 0


def _one_paragraph(src: str, sc: re.Pattern[str], starts: frozenset[str] | None = None) -> bool:
    """True when mistune's loop makes all of ``src`` one paragraph token in its first step.

    So it does when the first line is not indented (no indented code), no line is blank
    (``str.strip``, as `_parse_plain_paragraph` sees it) and no rule of ``sc`` matches at any
    line start: then either `_parse_plain_paragraph` takes every line, or the `search` for a
    block start fails and the rest of the source becomes the paragraph. ``starts`` (see
    `_Parser.list_starts`) skips ``sc`` at lines that no rule of it can match.
    """
    if not src or src[0].isspace():
        return False
    pos = 0
    while pos < len(src):
        stop = src.find("\n", pos) + 1 or len(src)
        line = src[pos:stop]
        if not line.strip() or (_may_match(starts, line) and sc.match(src, pos)):
            return False
        pos = stop
    return True


def _may_match(starts: frozenset[str] | None, line: str) -> bool:
    """False when no rule can match ``line`` (not empty) by its first character (`_Parser.list_starts`).

    A non-ASCII first character may start only a list item, and only as a digit: a paragraph of
    emoji-led lines ("✅ done") tries no pattern.

    A line of bold text (``**`` and then neither ``*`` nor a blank) starts with ``*`` but is no thematic
    break and no list item, the only rules that start so: it is the commonest start of a list item's text.
    """
    if starts is None:
        return True
    first = line[0]
    if first == "*":
        return not (line.startswith("**") and line.lstrip("*")[:1] not in ("", " ", "\t", "\n", "\v", "\f", "\r"))
    return first in starts or (not first.isascii() and first.isdecimal() and "0" in starts)


def _may_start(gate: _Gate, src: str, cursor: int, first: str) -> bool:
    """False when no rule of ``gate`` can match the line of ``src`` at ``cursor``, which starts with ``first`` (a letter, mostly).

    `_may_match`'s test, with the line read only for a pipe and only when ``first`` may start no rule:
    the commonest line that reaches this test is a paragraph's first.
    """
    starts, pipes = gate
    if starts is None or first in starts or first == "*" or not (first.isascii() or not first.isdecimal()):
        return True
    if not pipes:
        return False
    stop = src.find("\n", cursor)
    return src.find("|", cursor, stop if stop >= 0 else len(src)) >= 0


def _search_line_starts(sc: re.Pattern[str], src: str, pos: int, gate: _Gate = (None, True)) -> re.Match[str] | None:
    """``sc.search(src, pos)`` for a pattern whose every alternative starts with ``^`` (multiline).

    Such a pattern matches only at a line start, so trying those is the same search; ``gate`` (the
    `_line_gate` of ``sc``'s rules) skips the lines no rule can match (tests/parse_shortcuts_test.py
    and tests/doc_perf3_search_test.py compare the two).
    """
    starts, pipes = gate
    found = sc.match(src, pos)
    while found is None:
        newline = src.find("\n", pos)
        if newline < 0:
            return None
        pos = newline + 1
        if starts is not None and pos < len(src):
            line = src[pos : src.find("\n", pos) + 1 or len(src)]
            if not (_may_match(starts, line) or (pipes and "|" in line)):
                continue
        found = sc.match(src, pos)
    return found


def _trim_closing_hashes(text: str) -> str:
    """'Title ##' -> 'Title', '##' -> '': the optional closing sequence of an ATX heading."""
    body = text.rstrip()
    head = body.rstrip("#")
    if head == body:
        return text
    if not head:
        return ""
    return head.rstrip() if head[-1].isspace() else text


def _markdown(shortcuts: bool = True) -> mistune.Markdown:
    block = _Parser()
    block.shortcuts = shortcuts
    md = mistune.Markdown(renderer=None, block=block)
    table(md)
    if shortcuts:
        block.register("table", table_plugin.TABLE_PATTERN, _parse_table)
        block.list_starts = _rule_starts(block.list_rules)
    return md


_Gate = tuple[frozenset[str] | None, bool]
"""What a line must start with for a rule to match it (`_rule_starts`), and whether a line holding a pipe may match anyway."""
_GATES: dict[re.Pattern[str], _Gate] = {}
"""The `_line_gate` of each start pattern: its group names are its rules."""


def _line_gate(rules: list[str]) -> _Gate:
    """The `_Gate` of ``rules``: mistune's ``nptable`` matches a line of any start that holds a pipe, the others go by `_rule_starts`."""
    return _rule_starts([rule for rule in rules if rule != "nptable"]), "nptable" in rules


def _rule_starts(rules: list[str]) -> frozenset[str] | None:
    """Every character a line may start with for one of ``rules`` to match it; None for a rule not in `_RULE_STARTS`."""
    if any(rule not in _RULE_STARTS for rule in rules):
        return None
    return frozenset("".join(_RULE_STARTS[rule] for rule in rules))


def _parse_table(block: BlockParser, m: re.Match[str], state: Any) -> int | None:
    """mistune's `parse_table`, step for step, keeping each row as its list of cell texts.

    mistune makes two dicts for every cell (its text, its alignment) that the conversion
    only reads the text of; the alignment row is checked as mistune checks it.
    """
    pos = m.end()
    header = table_plugin._strip_pipe_table_row(m.group(0))
    align_line = state.get_line(pos)
    align = table_plugin._strip_pipe_table_row(align_line)
    if header is None or align is None:
        return None
    thead, aligns = table_plugin._process_thead(header, align)
    if not thead or aligns is None:
        return table_plugin._parse_invalid_pipe_table(state, pos + len(align_line))
    pos += len(align_line)
    rows = [[cell["text"] for cell in thead["children"]]]
    src = state.src
    while pos < state.cursor_max:
        stop = src.find("\n", pos) + 1 or len(src)  # `state.get_line`, inlined as the rest of the row's steps
        line = src[pos:stop]
        text = line.rstrip("\n").rstrip(" \t")
        if line[:1] == "|" and text.endswith("|") and "\\" not in text:
            cells = [cell.strip() for cell in text[1:-1].split("|")]  # what the two calls below make of it
        else:
            inner = table_plugin._strip_pipe_table_row(line)
            if inner is None:
                break
            cells = _split_table_cells(inner)
        if len(cells) != len(aligns):
            return table_plugin._parse_invalid_pipe_table(state, stop)
        rows.append(cells)
        pos = stop
    state.append_token({"type": "table", "cell_rows": rows})
    return pos


_MD = _markdown()
_BREAK_SC: dict[int, re.Pattern[str]] = {}
_compile_list_break_sc = list_parser._compile_list_break_sc


def _cached_list_break_sc(block: BlockParser, leading_width: int) -> re.Pattern[str]:
    """mistune builds and compiles this pattern again for every list item; ours never changes."""
    if block is not _MD.block:
        return _compile_list_break_sc(block, leading_width)
    found = _BREAK_SC.get(leading_width)
    if found is None:
        found = _BREAK_SC[leading_width] = _compile_list_break_sc(block, leading_width)
    return found


list_parser._compile_list_break_sc = _cached_list_break_sc
_split_cells_slowly = table_plugin._split_table_cells


def _split_table_cells(text: str) -> list[str]:
    """mistune's cells of a table row, which it finds a character at a time: without a backslash (no escaped
    pipe) they are the parts between pipes, stripped."""
    if "\\" in text:
        return _split_cells_slowly(text)
    return [cell.strip() for cell in text.split("|")]


table_plugin._split_table_cells = _split_table_cells


def parse(text: str, md: mistune.Markdown | None = None, lines: Sequence[str] | None = None) -> tuple[Block, ...]:
    """Parse LF-normalised Markdown into top-level blocks with source lines.

    ``lines``, when given, must be ``text.split("\n")``: `build` has them already.
    """
    if lines is None:
        lines = text.split("\n")
    state = _State()
    state.process(text if text.endswith("\n") else text + "\n")
    state._doc_lines = lines  # its source's lines but for a last empty one, which `_blank_item_line` reads as ""
    (md or _MD).block.parse(state)
    blocks = _convert_all(state.tokens, len(lines), lines)
    for tokens in state.token_lists:
        # cut each token list's link to its state (state -> tokens -> state): then plain reference
        # counting frees a parse as soon as it is converted, and the cyclic collector has nothing to do
        tokens.state = None
    return blocks


def _convert_all(tokens: list[Token], limit: int, lines: Sequence[str]) -> tuple[Block, ...]:
    """Convert sibling tokens; each ends where the next begins (0-based ``limit``)."""
    # sorted: a block that breaks a quote's lazy continuation is appended before the quote
    kept = [t for t in tokens if t["type"] != "blank_line"]
    kept.sort(key=_LINE)
    blocks: list[Block] = []
    for index, token in enumerate(kept):
        start = token["_line"]
        stop = kept[index + 1]["_line"] if index + 1 < len(kept) else limit
        if stop == start + 1 or (stop == start + 2 and stop <= len(lines) and not lines[start + 1].strip(" \t>")):
            end = start  # a block of one line (then perhaps a blank one): nothing to trim, no call
        else:
            end = _trim_blank(lines, start, stop)
        block = _convert(token, start + 1, end + 1, lines)
        if block is not None:
            blocks.append(block)
    return tuple(blocks)


def _trim_blank(lines: Sequence[str], start: int, stop: int) -> int:
    """The last non-blank 0-based line in ``start``..``stop - 1`` (at least ``start``).

    A line of only ``>`` is blank too: inside a block quote it separates blocks.
    """
    end = min(stop, len(lines)) - 1
    while end > start and not lines[end].strip(" \t>"):
        end -= 1
    return max(end, start)


def _convert(token: Token, line: int, end: int, lines: Sequence[str]) -> Block | None:
    kind = token["type"]
    if kind == "heading":
        text = token["text"].strip()
        setext = token.get("style") == "setext"
        if setext and text.count("\n") > end - line:
            # mistune 3 can give a setext heading lines that lazy continuation lent to a block quote after it
            # ("A\n> B\n* \n---"): keep the text of the heading's own lines, so that it stays where it is written
            text = "\n".join(text.split("\n")[: max(end - line, 1)])
        return new_heading(line, end, token["attrs"]["level"], " ".join(text.split()) if setext else text, setext)
    if kind in ("paragraph", "block_text"):
        return new_paragraph(line, end, token["text"].rstrip("\n"))
    if kind == "block_code":
        return Code(line, end, (token.get("attrs") or {}).get("info") or "", token.get("raw", ""))
    if kind == "block_html":
        return Html(line, end, token.get("raw", ""))
    if kind == "thematic_break":
        return ThematicBreak(line, end)
    if kind == "list":
        return _list(token, line, end, lines)
    if kind == "block_quote":
        return Quote(line, end, _convert_all(token["children"], end, lines))
    if kind == "table":
        return _table(token, line, end, lines)
    return None


def _list(token: Token, line: int, end: int, lines: Sequence[str]) -> ListBlock:
    ordered = bool(token["attrs"].get("ordered"))
    if "paragraph_items" in token:
        return new_list_block(line, end, ordered, _paragraph_items(token["paragraph_items"], end, lines))
    items = token["children"]
    starts = [_item_line(item, line - 1) for item in items]
    converted = []
    for index, item in enumerate(items):
        stop = starts[index + 1] if index + 1 < len(items) else end
        item_end = _trim_blank(lines, starts[index], stop)
        converted.append(_item(item, starts[index] + 1, item_end + 1, lines))
    return new_list_block(line, end, ordered, tuple(converted))


def _paragraph_items(items: list[tuple[int, str | list[Token]]], end: int, lines: Sequence[str]) -> tuple[ListItem, ...]:
    """The items of a `_Parser._paragraph_list` token: what `_item` makes of one paragraph each (or of its tokens)."""
    converted = []
    for index, (start, content) in enumerate(items):
        stop = items[index + 1][0] if index + 1 < len(items) else end
        item_end = start + 1 if stop == start + 1 else _trim_blank(lines, start, stop) + 1
        if isinstance(content, str):
            paragraph = new_paragraph(start + 1, item_end, content)
            box = _task_box(content) if content[:1] == "[" else (content, None)  # most items have none: no call
            converted.append(new_list_item(start + 1, item_end, *box, (paragraph,)))
        else:
            converted.append(_item({"children": content}, start + 1, item_end, lines))
    return tuple(converted)


def _item_line(item: Token, default: int) -> int:
    children = item["children"]
    return children.state.item_line if isinstance(children, _Tokens) and children.state is not None else default


def _item(item: Token, line: int, end: int, lines: Sequence[str]) -> ListItem:
    children = _convert_all(item["children"], end, lines)
    first = children[0] if children else None
    text = first.text if isinstance(first, Paragraph) and first.line <= line + 1 else ""
    return new_list_item(line, end, *_task_box(text), children)


def _task_box(text: str) -> tuple[str, bool | None]:
    """An item's text without its ``[ ]``/``[x]`` box, and whether it is ticked (None: no box)."""
    if text[:1] != "[" or text[2:4] not in ("] ", "]\t") or text[1] not in " xX":  # `_TASK`'s ``\\[([ xX])\\][ \\t]+``, by hand
        return text, None
    return text[3:].lstrip(" \t"), text[1] != " "


def _table(token: Token, line: int, end: int, lines: Sequence[str]) -> Table:
    header, *body = token["cell_rows"] if "cell_rows" in token else _cell_rows(token)
    rows = tuple(_row(cells, line + 2 + j, lines) for j, cells in enumerate(body))
    return Table(line, line + 1 + len(rows), _row(header, line, lines), rows)


def _cell_rows(token: Token) -> list[list[str]]:
    """The cell texts of a mistune table token, header row first (what `_parse_table` keeps)."""
    head, body = token["children"]
    return [[cell["text"] for cell in row["children"]] for row in (head, *body["children"])]


def _row(cells: list[str], line: int, lines: Sequence[str]) -> Row:
    """A row of stripped cell texts, each with the column where it is written."""
    source = lines[line - 1] if line - 1 < len(lines) else ""
    find = source.find
    found: list[Cell] = []
    position = 0
    for text in cells:
        pipe = find("|", position)
        start = pipe + 1 if pipe >= 0 else position
        at = find(text, start) if text else -1
        column = (at if at >= 0 else start) + 1
        found.append(new_cell(text, column))
        position = at + len(text) if at >= 0 else start
    return new_row(line, tuple(found))
