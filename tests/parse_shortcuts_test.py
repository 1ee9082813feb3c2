"""parse.py's shortcuts build exactly what mistune's own path builds.

Each shortcut (the paragraph-item list, the one-paragraph list item, the cheaper main loop)
is compared with `_markdown(shortcuts=False)` on hypothesis texts of the shapes it takes and
of their near misses, and on every file of the shared and of a generated corpus.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postmortem_lint.document import parse as parse_mod
from postmortem_lint.document import source
from postmortem_lint.document.model import Block
from postmortem_lint.document.parse import parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_archives import CORPUS  # noqa: E402

_PLAIN = parse_mod._markdown(shortcuts=False)


def _without_shortcuts(text: str) -> tuple[Block, ...]:
    return parse(text, _PLAIN)


def _same(text: str) -> None:
    assert parse(text) == _without_shortcuts(text), text


_KINDS = st.sampled_from([".", ".", ")", "-", "-", "*", "+"])
_PLAIN_WORDS = ["**Why did it fail?**", "plain words", "→ Because the limit was low", "[ ] task", "[x] done"]
_PLAIN_TEXTS = st.sampled_from([*_PLAIN_WORDS, "a  "])
_ODD_TEXTS = st.sampled_from(
    [
        *_PLAIN_WORDS,
        "# heading",
        "> quote",
        "- nested",
        "1. nested",
        "```",
        "~~~",
        "***",
        "- - -",
        "**",
        "** ",
        "---",
        "===",
        "<div>",
        "<!-- c -->",
        "| a | b |",
        "a | b",
        "[ref]: http://x",
        "    code",
        "\tcode",
        "x\ty",
        "",
        " ",
        "\x1c",
    ]
)
_TEXTS = st.one_of(*[_PLAIN_TEXTS] * 7, _ODD_TEXTS)
_CONTINUATION_INDENTS = st.sampled_from(["   ", "   ", "  ", "    ", " ", "", "\t", "  \t", "       ", "   \t"])
_BLANKS = st.sampled_from(["", "", "", "\n", "\n", "\n", "\n", "\n\n", "   \n", "\t\n", "\v\n", "    \n"])
_BENIGN = ["", "## Next", "Text after.", "**Field:** value", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n```"]
_BENIGN_AFTER = st.sampled_from(_BENIGN)
_ODD_AFTER = st.sampled_from(
    [
        *_BENIGN,
        "> quote",
        "    indented",
        "  two spaces",
        "- other list",
        "1. again",
        "2. two",
        "***",
        "<div>\nx\n</div>",
        "<span>",
        "Title\n---",
        "   → lazy",
    ]
)
_AFTER = st.one_of(_BENIGN_AFTER, _BENIGN_AFTER, _ODD_AFTER)


_MARKER_LINES = st.sampled_from(["1. x", "2. x", "10. x", "1) x", "- x", "* x", "+ x", "-", "1.", "-  x", "1.\tx", "  - x", "   1. x"])
_ODD_LINE = st.one_of(
    st.builds(str.__add__, _CONTINUATION_INDENTS, _ODD_TEXTS),
    st.builds(str.__add__, _CONTINUATION_INDENTS, _PLAIN_TEXTS),
    _MARKER_LINES,
    st.sampled_from(["", "   ", "\t", "\v", "    ", "\x1c"]),
)


@st.composite
def _list_document(draw: st.DrawFn) -> str:
    """A list of one-paragraph items (loose or tight, continuation lines at the content column),
    then up to two near misses: a line put in or replaced by an odd one (another indent, a rule's
    start, another marker, a blank of some kind)."""
    kind, loose = draw(_KINDS), draw(st.booleans())
    lines: list[str] = []
    for number in range(1, draw(st.integers(1, 6) | st.just(11)) + 1):
        marker = f"{number}{kind}" if kind in ".)" else kind
        lines.append(marker + " " + draw(_PLAIN_TEXTS))
        lines += [" " * (len(marker) + 1) + draw(_PLAIN_TEXTS) for _ in range(draw(st.integers(0, 2)))]
        if loose:
            lines += [""] * draw(st.integers(1, 2))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
        at, odd = draw(st.integers(0, len(lines))), draw(_ODD_LINE)
        lines[at : at + draw(st.integers(0, 1))] = [odd]
    before = draw(st.sampled_from(["", "", "# Title\n\n", "Intro line\n", "**Factors:**\n", "> q\n", "- x\n\n"]))
    return before + "\n".join(lines) + "\n" + draw(_BLANKS) + draw(_AFTER) + draw(st.sampled_from(["", "\n", "\n\n"]))


@st.composite
def _nested_list_document(draw: st.DrawFn) -> str:
    """A `_list_document` inside an outer list item or a block quote (the shortcut runs in child states too)."""
    prefix = draw(st.sampled_from(["  ", "  ", "   ", "    ", " ", "> ", ">", "\t"]))
    outer = draw(st.sampled_from(["- **Agenda:**\n", "1. **Agenda:**\n", "- a\n\n", "* x\n", ""]))
    inner = draw(_list_document()).split("\n")
    return outer + "\n".join(prefix + line if line or prefix.startswith(">") else line for line in inner) + draw(_AFTER)


@settings(max_examples=2000, deadline=None)
@given(_nested_list_document())
@example("- **Date:** 2021\n- **Agenda:**\n  1. Review\n  2. Discuss\n\n### Next\n")
@example("> 1. a\n>    b\n>\n> 2. c\n")
def test_nested_paragraph_lists_match_mistune(text: str) -> None:
    _same(text)


@settings(max_examples=3000, deadline=None)
@given(_list_document())
@example("1. **Why?**\n   → Because\n\n2. **Why?**\n   → Because\n\n### Next\n")
@example("1. **Why?**\n   → Because\n\n2. **Why?**\n    → deeper\n")
@example("1. **Why?**\n  → shallow\n")
@example("1. a\n\n   second paragraph\n")
@example("1. a\n   ```\n   code\n   ```\n")
@example("- a\n  b\n- c\n| x | y |\n|---|---|\n")
@example("10. a\n    b\n11. c\n")
@example("1. a\n\t→ tab\n")
@example("* a\n* **\n")  # a thematic break, though "**" alone is a paragraph
def test_paragraph_lists_match_mistune(text: str) -> None:
    _same(text)


_LINES = st.sampled_from(
    [
        "",
        "",
        "   ",
        "text",
        "**bold** text",
        "→ arrow",
        "# h",
        "    code",
        "\tcode",
        "  two",
        "```",
        "> q",
        "- item",
        "1. item",
        "***",
        "---",
        "===",
        "| a | b |",
        "|---|---|",
        "a | b",
        "<div>",
        "<span>",
        "[r]: /x",
        "\x1c",
        "\v",
    ]
)
_DOCS = st.lists(_LINES, min_size=1, max_size=16).map("\n".join)


@settings(max_examples=3000, deadline=None)
@given(_DOCS)
@example("**A:** 1\n**B:** 2\n\n## H\n")
@example("text\n    code\n")
@example("- a\n  **b**\n  → c\n")
@example("> a\n> **b**\n")
def test_loop_and_one_paragraph_items_match_mistune(text: str) -> None:
    _same(text)


@settings(max_examples=2000, deadline=None)
@given(_DOCS, st.integers(0, 200), st.sampled_from(["rules", "list_rules", "block_quote_rules"]))
def test_line_start_search_is_mistunes_search(text: str, pos: int, rules: str) -> None:
    """Every block rule is anchored at a line start, so trying only line starts finds the same match."""
    block = parse_mod._MD.block
    sc = block.compile_sc(getattr(block, rules))
    pos = min(pos, len(text))
    found, expected = parse_mod._search_line_starts(sc, text, pos), sc.search(text, pos)
    assert (found and (found.span(), found.lastgroup, found.groups())) == (
        expected and (expected.span(), expected.lastgroup, expected.groups())
    )


def _corpus_texts(folder: Path) -> list[tuple[Path, str]]:
    texts = []
    for path in sorted(folder.rglob("*.md")):
        decoded = source.decode(path.read_bytes())
        if isinstance(decoded, source.Source):
            texts.append((path, decoded.text))
    return texts


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_shortcuts_change_nothing_on_the_shared_corpus() -> None:
    texts = _corpus_texts(CORPUS)
    assert texts
    for path, text in texts:
        assert parse(text) == _without_shortcuts(text), path


def test_shortcuts_change_nothing_on_a_generated_corpus(tmp_path: Path) -> None:
    count = os.environ.get("PMLINT_PARSE_GENERATED", "60")
    generator = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), str(tmp_path), "--count", count, "--seed", "1"], check=True)
    texts = _corpus_texts(tmp_path / "tasks")
    assert len(texts) == int(count)
    for path, text in texts:
        assert parse(text) == _without_shortcuts(text), path.name


_TABLE_LINES = st.sampled_from(
    [
        "| a | b |",
        "| Time | Event |",
        "|------|-------|",
        "|:--|--:|",
        "| :-: | - |",
        "|---|",
        "|---|---|---|",
        "| x |",
        "| 1 | 2 | 3 |",
        "| a \\| b | c |",
        "|  | |",
        "  | a | b |",
        "| a | b",
        "|-x-|---|",
        "a | b",
        "",
        "text",
        "| `code` | a\tb |",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_TABLE_LINES, min_size=1, max_size=10).map("\n".join))
@example("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 |\n")  # a short row makes the table a paragraph
def test_tables_match_mistune(text: str) -> None:
    _same(text)
