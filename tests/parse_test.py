"""Source lines from parse(): every block kind, newline forms, and a generated-document oracle.

parse.py leans on mistune internals to know where each block starts; these tests
pin the behaviour for every block kind the rules read, then compare parse() with
an independent reference on a few hundred seeded random documents whose block
positions are known by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import mistune
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse as parse_mod
from postmortem_lint.document import source
from postmortem_lint.document.build import build
from postmortem_lint.document.model import Block, Code, Heading, Html, ListBlock, Paragraph, Quote, Table, ThematicBreak
from postmortem_lint.document.parse import parse

ROOT = Path(__file__).resolve().parent.parent

Shape = tuple[object, ...]


def shape(block: Block) -> Shape:
    """A block as (kind, line, end_line, children...) for comparison."""
    kind = type(block).__name__
    if isinstance(block, ListBlock):
        return (
            kind,
            block.line,
            block.end_line,
            tuple(("Item", i.line, i.end_line, tuple(shape(c) for c in i.children)) for i in block.items),
        )
    if isinstance(block, Quote):
        return (kind, block.line, block.end_line, tuple(shape(c) for c in block.children))
    if isinstance(block, Table):
        return (kind, block.line, block.end_line, (block.header.line, *(r.line for r in block.rows)))
    return (kind, block.line, block.end_line)


def shapes(text: str) -> list[Shape]:
    return [shape(b) for b in parse(text)]


def test_atx_and_setext_headings() -> None:
    text = "# Title\n\nSub title\n---------\n\n### Deep ###\n\nTop\n===\n"
    blocks = parse(text)
    assert [(type(b).__name__, b.line, b.end_line) for b in blocks] == [
        ("Heading", 1, 1),
        ("Heading", 3, 4),
        ("Heading", 6, 6),
        ("Heading", 8, 9),
    ]
    assert [(b.level, b.text, b.setext) for b in blocks if isinstance(b, Heading)] == [
        (1, "Title", False),
        (2, "Sub title", True),
        (3, "Deep", False),
        (1, "Top", True),
    ]


def test_paragraphs_span_their_lines() -> None:
    assert shapes("one\ntwo\n\n\nthree\n") == [("Paragraph", 1, 2), ("Paragraph", 5, 5)]


def test_nested_lists_and_items() -> None:
    text = "- a\n  more of a\n- b\n  - b1\n  - b2\n    - b2x\n- c\n"
    [block] = parse(text)
    assert isinstance(block, ListBlock)
    assert [(i.line, i.end_line, i.text) for i in block.items] == [(1, 2, "a\nmore of a"), (3, 6, "b"), (7, 7, "c")]
    inner = block.items[1].children[1]
    assert isinstance(inner, ListBlock)
    assert [(i.line, i.end_line) for i in inner.items] == [(4, 4), (5, 6)]
    deepest = inner.items[1].children[1]
    assert isinstance(deepest, ListBlock) and [(i.line, i.text) for i in deepest.items] == [(6, "b2x")]


def test_loose_list_items_with_paragraphs() -> None:
    text = "1. First\n\n   Second paragraph of one.\n\n2. Two\n\n\n3. Three\n   lazy\n"
    [block] = parse(text)
    assert isinstance(block, ListBlock) and block.ordered
    assert [(i.line, i.end_line) for i in block.items] == [(1, 3), (5, 5), (8, 9)]
    assert [shape(c) for c in block.items[0].children] == [("Paragraph", 1, 1), ("Paragraph", 3, 3)]


def test_task_items() -> None:
    [block] = parse("- [x] done\n- [ ] open\n- [X] Done too\n- plain [x]\n")
    assert isinstance(block, ListBlock)
    assert [(i.line, i.checked, i.text) for i in block.items] == [
        (1, True, "done"),
        (2, False, "open"),
        (3, True, "Done too"),
        (4, None, "plain [x]"),
    ]


def test_block_quote_with_a_list_inside() -> None:
    text = "Intro\n\n> Quoted\n> text\n>\n> - one\n> - two\n>   more\n\nAfter\n"
    assert shapes(text) == [
        ("Paragraph", 1, 1),
        (
            "Quote",
            3,
            8,
            (("Paragraph", 3, 4), ("ListBlock", 6, 8, (("Item", 6, 6, (("Paragraph", 6, 6),)), ("Item", 7, 8, (("Paragraph", 7, 8),))))),
        ),
        ("Paragraph", 10, 10),
    ]


def test_fenced_and_indented_code() -> None:
    text = "Text\n\n```bash\nls\n\nrm -rf build\n```\n\n    indented\n    code\n\n~~~\nx\n~~~\n"
    blocks = parse(text)
    assert [shape(b) for b in blocks] == [("Paragraph", 1, 1), ("Code", 3, 7), ("Code", 9, 10), ("Code", 12, 14)]
    assert isinstance(blocks[1], Code) and blocks[1].info == "bash" and "rm -rf build" in blocks[1].text


def test_html_blocks() -> None:
    text = "<!-- a\nmulti-line comment -->\n\n<div>\n<b>x</b>\n</div>\n\nText <!-- inline -->\n"
    blocks = parse(text)
    assert [shape(b) for b in blocks] == [("Html", 1, 2), ("Html", 4, 6), ("Paragraph", 8, 8)]
    assert isinstance(blocks[0], Html) and blocks[0].text.startswith("<!-- a")


def test_table_header_and_each_row() -> None:
    text = (
        "Intro\n\n| Time | Event | Actor |\n|------|-------|-------|\n"
        "| 14:05 | Alert | System |\n| 14:10 | Declared | Dana Cho |\n\nAfter\n"
    )
    blocks = parse(text)
    assert [shape(b) for b in blocks] == [("Paragraph", 1, 1), ("Table", 3, 6, (3, 5, 6)), ("Paragraph", 8, 8)]
    table = blocks[1]
    assert isinstance(table, Table)
    assert table.columns == ("Time", "Event", "Actor")
    assert [(c.text, c.column) for c in table.rows[1].cells] == [("14:10", 3), ("Declared", 11), ("Dana Cho", 22)]


def test_thematic_break() -> None:
    assert shapes("a\n\n***\n\n---\n") == [("Paragraph", 1, 1), ("ThematicBreak", 3, 3), ("ThematicBreak", 5, 5)]


def test_front_matter_keeps_line_numbers() -> None:
    text = "---\ntitle: x\ntags: [a, b]\n---\n# Post-Mortem: X\n\n**Severity:** SEV-2\n"
    doc = build("tasks/x.md", source.from_text(text))
    assert doc.front_matter_lines == 4
    assert doc.title is not None and doc.title.line == 5
    assert doc.fields["severity"].line == 7


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf# Title\n\npara\nmore\n",
        b"# Title\r\n\r\npara\r\nmore\r\n",
        b"# Title\r\rpara\rmore\r",
        b"\xef\xbb\xbf# Title\r\n\r\npara\r\nmore",
        b"# Title\n\npara\nmore",
    ],
    ids=["bom", "crlf", "lone-cr", "bom-crlf-no-final-newline", "no-final-newline"],
)
def test_bom_and_newline_forms_keep_line_numbers(data: bytes) -> None:
    decoded = source.decode(data)
    assert isinstance(decoded, source.Source)
    assert shapes(decoded.text) == [("Heading", 1, 1), ("Paragraph", 3, 4)]
    assert decoded.line(3) == "para"


def test_only_newlines_split_lines() -> None:
    """Form feed, \\x1c and U+2028 are not line breaks for line numbers (str.splitlines would say so)."""
    decoded = source.decode("# T\n\npara \u2028 still line 3 \x0c \x1c\n\nfive\n".encode())
    assert isinstance(decoded, source.Source)
    assert shapes(decoded.text) == [("Heading", 1, 1), ("Paragraph", 3, 3), ("Paragraph", 5, 5)]


def test_empty_and_blank_documents() -> None:
    assert parse("") == ()
    assert parse("\n\n  \n") == ()


# --- Oracle: generated documents whose block positions are known by construction. ---

WORDS = ("checkout", "latency", "rose", "after", "the", "release", "retries", "quota", "alert", "fired", "rollback", "owner")


@dataclass
class Gen:
    """Lines of one generated block and its expected shape relative to line 1."""

    lines: list[str]
    kind: str
    expect: Shape = ()
    items: list[tuple[int, int]] = field(default_factory=list)


def _words(rng: random.Random, low: int = 1, high: int = 6) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _heading(rng: random.Random) -> Gen:
    if rng.random() < 0.3:
        return Gen([_words(rng), rng.choice(("===", "---"))], "Heading")
    return Gen(["#" * rng.randint(1, 6) + " " + _words(rng)], "Heading")


def _paragraph(rng: random.Random) -> Gen:
    return Gen([_words(rng).capitalize() + "." for _ in range(rng.randint(1, 4))], "Paragraph")


def _code(rng: random.Random) -> Gen:
    body = [rng.choice(("", "x = 1", "  indented", "# not a heading", "| not | a table |")) for _ in range(rng.randint(0, 4))]
    fence = rng.choice(("```", "~~~"))
    return Gen([fence + rng.choice(("", "bash", "text")), *body, fence], "Code")


def _indented_code(rng: random.Random) -> Gen:
    return Gen(["    " + _words(rng) for _ in range(rng.randint(1, 3))], "Code")


def _break(rng: random.Random) -> Gen:
    return Gen([rng.choice(("***", "___", "* * *"))], "ThematicBreak")


def _html(rng: random.Random) -> Gen:
    if rng.random() < 0.5:
        return Gen(["<!-- " + _words(rng), *[_words(rng) for _ in range(rng.randint(0, 2))], "-->"], "Html")
    return Gen(["<div>", *["<p>" + _words(rng) + "</p>" for _ in range(rng.randint(0, 2))], "</div>"], "Html")


def _table(rng: random.Random) -> Gen:
    rows = rng.randint(0, 5)
    lines = ["| Time | Event | Actor |", "|------|-------|-------|"]
    lines += [f"| {10 + r}:0{r % 10} | {_words(rng)} | {_words(rng, 1, 2)} |" for r in range(rows)]
    return Gen(lines, "Table", ("Table", 1, len(lines), (1, *range(3, 3 + rows))))


def _list(rng: random.Random, marker: str) -> Gen:
    lines: list[str] = []
    items: list[tuple[int, int]] = []
    loose = rng.random() < 0.3
    ordered = marker in (".", ")")
    for index in range(rng.randint(1, 5)):
        if loose and index:
            lines.append("")
        bullet = f"{index + 1}{marker} " if ordered else f"{marker} "
        task = rng.choice(("", "", "[ ] ", "[x] "))
        start = len(lines) + 1
        lines.append(bullet + task + _words(rng))
        lines += [" " * len(bullet) + _words(rng) for _ in range(rng.randint(0, 2))]
        items.append((start, len(lines)))
    return Gen(lines, "ListBlock", ("ListBlock", 1, len(lines)), items)


def _quote(rng: random.Random) -> Gen:
    lines = ["> " + _words(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        lines += [">", *[f"> - {_words(rng)}" for _ in range(rng.randint(1, 3))]]
    return Gen(lines, "Quote", ("Quote", 1, len(lines)))


SIMPLE = (_heading, _paragraph, _code, _indented_code, _break, _html, _table)
MARKERS = ("-", "*", "+", ".", ")")


def _document(seed: int) -> tuple[str, list[tuple[str, int, int]], list[tuple[int, list[tuple[int, int]]]]]:
    """A random document, the (kind, line, end) of each top-level block and the item lines of each list."""
    rng = random.Random(seed)
    lines: list[str] = []
    expected: list[tuple[str, int, int]] = []
    lists: list[tuple[int, list[tuple[int, int]]]] = []
    previous = ""
    for _ in range(rng.randint(1, 12)):
        gen = _pick(rng, previous)
        start = len(lines) + 1
        lines += gen.lines
        expected.append((gen.kind, start, start + len(gen.lines) - 1))
        if gen.kind == "ListBlock":
            lists.append((start, [(a + start - 1, b + start - 1) for a, b in gen.items]))
        lines += [""] * rng.randint(1, 2)
        previous = gen.kind
    return "\n".join(lines[: -1 if rng.random() < 0.3 else None]), expected, lists


def _pick(rng: random.Random, previous: str) -> Gen:
    """A block that cannot merge with or continue the previous one."""
    while True:
        roll = rng.random()
        if roll < 0.2 and previous != "ListBlock":
            return _list(rng, rng.choice(MARKERS))
        if roll < 0.3 and previous != "Quote":
            return _quote(rng)
        maker = rng.choice(SIMPLE)
        if maker is _indented_code and previous in ("ListBlock", "Quote", "Paragraph", "Code"):
            continue
        return maker(rng)


@pytest.mark.parametrize("seed", range(300))
def test_generated_documents_match_the_oracle(seed: int) -> None:
    text, expected, lists = _document(seed)
    blocks = parse(text)
    assert [(type(b).__name__, b.line, b.end_line) for b in blocks] == expected, text
    found = [(b.line, [(i.line, i.end_line) for i in b.items]) for b in blocks if isinstance(b, ListBlock)]
    assert found == lists, text
    for block in blocks:
        if isinstance(block, Table):
            assert [r.line for r in block.rows] == list(range(block.line + 2, block.end_line + 1))


def test_oracle_covers_every_block_kind() -> None:
    kinds = {kind for seed in range(300) for kind, _start, _end in _document(seed)[1]}
    assert kinds == {k.__name__ for k in (Heading, Paragraph, Code, Html, ThematicBreak, ListBlock, Quote, Table)}


def test_list_break_pattern_memo_leaves_other_mistune_parsers_alone() -> None:
    """parse.py memoises mistune's per-item list-break pattern for its own parser only."""

    other = mistune.create_markdown(renderer=None)
    tokens = other("- one\n- two\n\n  # deep\n")
    assert isinstance(tokens, list)
    assert [t["type"] for t in tokens] == ["list"]
    assert len(tokens[0]["children"]) == 2


def test_one_line_list_items_take_the_shortcut_and_match_mistune() -> None:
    """A one-line item is one paragraph, whatever its first character (mistune's own result)."""
    text = "- **Owner:** Dana\n- `code` first\n- [link](x)\n- 3 servers\n- plain words\n"
    (block,) = parse(text)
    assert isinstance(block, ListBlock)
    assert [i.text for i in block.items] == ["**Owner:** Dana", "`code` first", "[link](x)", "3 servers", "plain words"]
    assert [i.line for i in block.items] == [1, 2, 3, 4, 5]


_PLAIN = None


def _without_shortcuts(text: str) -> tuple[Block, ...]:
    """mistune's own path, with parse.py's two shortcuts turned off."""
    global _PLAIN

    if _PLAIN is None:
        _PLAIN = parse_mod._markdown(shortcuts=False)
    return parse(text, _PLAIN)


_LIST_LINES = st.builds(
    lambda prefix, marker, gap, text: prefix + marker + gap + text,
    st.sampled_from(["", "", "", " ", "  ", "    ", "\t"]),
    st.sampled_from(["-", "-", "*", "+", "1.", "2.", "1)", "10."]),
    st.sampled_from([" ", " ", "  ", "   ", "\t", ""]),
    st.sampled_from(
        [
            "foo",
            "**Owner:** Dana",
            "[ ] task",
            "# h",
            "> q",
            "- nested",
            "1. x",
            "```",
            "---",
            "- - -",
            "<div>",
            "|a|b|",
            "a  ",
            "",
            "x\ty",
            "===",
        ]
    ),
)
_OTHER_LINES = st.sampled_from(
    ["", "", "   ", "    \t", "\t", "\v", "text", "## Heading", "```", "> quote", "| a | b |", "---", "===", "    code"]
)
_LIST_DOCS = st.lists(st.one_of(_LIST_LINES, _LIST_LINES, _OTHER_LINES), min_size=1, max_size=12).map("\n".join)


@settings(max_examples=1500, deadline=None)
@given(_LIST_DOCS)
@example("text\n- a\n\n> quote\n-\n")  # mistune parses the quote inside the list, before the list token exists
@example("text\n- a\n\n# Heading\n-\n")
def test_shortcuts_build_exactly_what_mistune_builds(text: str) -> None:
    assert parse(text) == _without_shortcuts(text)


def test_shortcuts_change_nothing_on_the_example_documents() -> None:
    for path in sorted((ROOT / "examples").rglob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.md")):
        text = source.from_text(path.read_text(encoding="utf-8")).text
        assert parse(text) == _without_shortcuts(text), path


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["|", "a", " ", "\\", "\\|", "\t", "b c", "\u00a0", "`"]), max_size=24).map("".join))
def test_table_cells_split_as_mistune_splits_them(row: str) -> None:
    assert parse_mod._split_table_cells(row) == parse_mod._split_cells_slowly(row)
