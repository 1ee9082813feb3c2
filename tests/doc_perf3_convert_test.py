"""`_convert_all`'s one-line-then-blank blocks taken without `_trim_blank`, and `build._people` splitting each distinct text once,
against the code they replaced (kept here as the reference)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from unittest import mock

import pytest
from corpus_archives import CORPUS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from samekit import documents, generated

from postmortem_lint.document import build, parse
from postmortem_lint.document.model import Block, Paragraph, PostMortem


def _convert_all_reference(tokens: list[parse.Token], limit: int, lines: Sequence[str]) -> tuple[Block, ...]:
    kept = [t for t in tokens if t["type"] != "blank_line"]
    kept.sort(key=parse._LINE)
    blocks: list[Block] = []
    for index, token in enumerate(kept):
        start = token["_line"]
        stop = kept[index + 1]["_line"] if index + 1 < len(kept) else limit
        end = start if stop == start + 1 else parse._trim_blank(lines, start, stop)
        block = parse._convert(token, start + 1, end + 1, lines)
        if block is not None:
            blocks.append(block)
    return tuple(blocks)


_LINES = st.sampled_from(["# H", "text", "", " ", ">", "> q", "- a", "  - b", "| a |", "|---|", "| 1 |", "```", "[r]: /u", "\t", "1. x"])


@settings(max_examples=3000, deadline=None)
@given(lines=st.lists(_LINES, min_size=1, max_size=10), end=st.sampled_from(["", "\n", "\n\n"]))
@example(lines=["# H", "[r]: /u", "", "x"], end="")
@example(lines=["> q", ">", "x"], end="")
def test_blocks_end_where_the_trim_ends_them(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    found = parse.parse(text)
    with mock.patch.object(parse, "_convert_all", _convert_all_reference):
        assert found == parse.parse(text), text


def _people_reference(doc: PostMortem) -> Iterator[str]:
    author = doc.fields.get("author")
    if author:
        yield from build._names(author.value)
    for key, column in (("timeline", "actor"), ("action items", "owner"), ("sign off", "name")):
        table = build.first_table(doc, key)
        if table is None:
            continue
        index = build.column_index(table, column)
        if index is not None:
            for row in table.rows:
                yield from build._names(row.cell(index).text)
    follow = doc.section("follow up")
    for block in build.flatten(follow.all_blocks() if follow else ()):
        if isinstance(block, Paragraph):
            match = build._ATTENDEES.search(block.text) if "Attendees" in block.text else None
            if match:
                yield from build._names(match.group(1))


def test_people_of_a_generated_archive(tmp_path: Path) -> None:
    count = 0
    for doc in generated(tmp_path, 40, 7):
        assert doc.people == frozenset(_people_reference(doc)), doc.path
        count += 1
    assert count == 40


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_people_of_the_shared_corpus() -> None:
    docs = list(documents(CORPUS))
    assert docs
    for doc in docs:
        assert doc.people == frozenset(_people_reference(doc)), doc.path
