"""`build._sections` (one pass) and `build._flatten` (a list) against the recursive versions they replaced."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.core.text import heading_key
from postmortem_lint.document import build
from postmortem_lint.document.model import Block, Heading, ListBlock, ListItem, Paragraph, Quote, Section


def _old_sections(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    preamble: list[Block] = []
    groups: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == 2:
            groups.append((block, []))
        elif groups:
            groups[-1][1].append(block)
        elif not (isinstance(block, Heading) and block.level == 1):
            preamble.append(block)
    ends = _old_ends(groups, blocks[-1].end_line if blocks else 0)
    return tuple(preamble), tuple(_old_section(h, body, end, 3) for (h, body), end in zip(groups, ends, strict=True))


def _old_ends(groups: list[tuple[Heading, list[Block]]], last: int) -> list[int]:
    return [g[0].line - 1 for g in groups[1:]] + [last] if groups else []


def _old_section(heading: Heading, body: list[Block], end: int, level: int) -> Section:
    own: list[Block] = []
    subs: list[tuple[Heading, list[Block]]] = []
    for block in body:
        if isinstance(block, Heading) and block.level == level:
            subs.append((block, []))
        elif isinstance(block, Heading) and block.level < level:
            own.append(block)
        elif subs:
            subs[-1][1].append(block)
        else:
            own.append(block)
    sub_ends = _old_ends(subs, end)
    children = tuple(_old_section(h, b, e, level + 1) for (h, b), e in zip(subs, sub_ends, strict=True))
    return Section(heading, heading_key(heading.text), tuple(own), children, end)


def _old_flatten(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from _old_flatten(item.children)
        elif isinstance(block, Quote):
            yield from _old_flatten(block.children)


_KINDS = st.lists(st.one_of(st.integers(1, 6), st.just(0)), max_size=40)
"""A document as a run of block kinds: a heading level, or 0 for a paragraph."""


def _blocks(kinds: list[int]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for index, level in enumerate(kinds):
        line = 2 * index + 1
        blocks.append(Heading(line, line, level, f"Head {index}") if level else Paragraph(line, line + 1, f"text {index}"))
    return tuple(blocks)


@settings(max_examples=500, deadline=None)
@given(_KINDS)
def test_sections_match_the_recursive_split(kinds: list[int]) -> None:
    blocks = _blocks(kinds)
    assert build._sections(blocks) == _old_sections(blocks)


def test_sections_of_a_quirky_outline() -> None:
    # a '#' after a '###' belongs to the '##' section; a '#####' under '###' is a block of it
    blocks = _blocks([0, 1, 3, 2, 3, 1, 0, 5, 4, 0, 2, 6, 0, 1])
    assert build._sections(blocks) == _old_sections(blocks)
    assert build._sections(()) == _old_sections(())


_LEAF = st.builds(Paragraph, st.integers(1, 9), st.integers(1, 9), st.text(max_size=3))


def _nest(children: st.SearchStrategy[Block]) -> st.SearchStrategy[Block]:
    kids = st.lists(children, max_size=3).map(tuple)
    item = st.builds(ListItem, st.just(1), st.just(1), st.just(""), st.none(), kids)
    lines = (st.integers(1, 9), st.integers(1, 9))
    return st.one_of(st.builds(Quote, *lines, kids), st.builds(ListBlock, *lines, st.booleans(), st.lists(item, max_size=3).map(tuple)))


_TREE = st.recursive(_LEAF, _nest, max_leaves=15)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TREE, max_size=4).map(tuple))
def test_flatten_matches_the_recursive_generator(blocks: tuple[Block, ...]) -> None:
    assert list(build.flatten(blocks)) == list(_old_flatten(blocks))
