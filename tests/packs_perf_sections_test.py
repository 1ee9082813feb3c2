"""The template reader's one-scan section finder gives what the general two-pass finder gives (open every section,
then freeze the tree): over every preset, a corpus sample, the fixtures and hand-made nestings."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import pytest
from packs_perf_reader_test import DOCS, PACKS

from postmortem_lint.document.build import build
from postmortem_lint.document.model import Heading, PostMortem
from postmortem_lint.document.source import from_text
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundSection, first_match, section_key
from postmortem_lint.packs.templates.runtime import SectionSpec, TemplatePack


@dataclass
class _Open:
    spec: SectionSpec
    heading: Heading
    children: list[_Open] = field(default_factory=list)
    end: int = 0


def _general_sections(doc: PostMortem, pack: TemplatePack) -> tuple[tuple[FoundSection, ...], tuple[Heading, ...]]:
    """`reader.find_sections` as it was: every section opened in one pass, ends fixed and frozen in a second."""
    last = doc.blocks[-1].end_line if doc.blocks else 0
    tops: list[_Open] = []
    stack: list[_Open] = []
    unmatched: list[Heading] = []
    for heading in reader._headings(doc):
        key = section_key(heading.text, heading.level, pack)
        if heading.level == 1 and first_match(pack.sections, key, 1) is None:
            unmatched.append(heading)
            continue
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop().end = heading.line - 1
        child = _open_child(stack, key, heading)
        if child is not None:
            stack.append(child)
            continue
        spec = first_match(pack.sections, key, heading.level)
        if spec is None:
            unmatched.append(heading)
            continue
        while stack:
            stack.pop().end = heading.line - 1
        opened = _Open(spec, heading)
        tops.append(opened)
        stack.append(opened)
    for entry in stack:
        entry.end = last
    starts = [b.line for b in doc.blocks]
    found = [_freeze(entry, doc, starts) for entry in tops]
    found = reader._with_inline(found, pack.sections, lambda: reader._outside(doc.blocks, found), doc, last)
    return tuple(sorted(found, key=lambda s: s.line)), tuple(unmatched)


def _open_child(stack: list[_Open], key: str, heading: Heading) -> _Open | None:
    for parent in reversed(stack):
        spec = first_match(parent.spec.subsections, key, heading.level)
        if spec is not None:
            child = _Open(spec, heading)
            parent.children.append(child)
            return child
    return None


def _freeze(entry: _Open, doc: PostMortem, starts: list[int]) -> FoundSection:
    for child in entry.children:
        child.end = min(child.end, entry.end) if child.end else entry.end
    start = entry.heading.line
    blocks = doc.blocks[bisect.bisect_right(starts, start) : bisect.bisect_right(starts, entry.end)]
    subs = [_freeze(child, doc, starts) for child in entry.children]
    subs = reader._with_inline(subs, entry.spec.subsections, lambda: reader._outside(blocks, subs), doc, entry.end)
    level = entry.heading.level
    return FoundSection(
        entry.spec, entry.heading.text, start, entry.end, level, entry.heading, blocks, tuple(sorted(subs, key=lambda s: s.line))
    )


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_sections_found_in_one_scan_are_the_general_finders(pack: TemplatePack) -> None:
    for doc in DOCS:
        assert reader.find_sections(doc, pack) == _general_sections(doc, pack), doc.path


def _nested(pack: TemplatePack) -> list[str]:
    """Documents that nest the pack's sections and subsections every way: deeper, shallower, out of order, as bold paragraphs."""
    names = [(s.name, min(s.levels or (2,)), [(c.name, min(c.levels or (3,)), c.as_field) for c in s.subsections]) for s in pack.sections]
    texts = []
    for shift in (0, 1, 2):
        lines = ["# Title", ""]
        for name, level, subs in names[shift:] + names[:shift]:
            lines += ["#" * level + " " + name, "", "text", ""]
            for index, (sub, sub_level, as_field) in enumerate(reversed(subs) if shift else subs):
                depth = max(sub_level + (index + shift) % 3 - 1, 1)
                lines += [f"**{sub}**: inline", ""] if as_field and shift == 1 else ["#" * depth + " " + sub, "", "- item", ""]
                lines += ["#" * min(depth + 1, 6) + " Stray heading", "", "more", ""]
        texts.append("\n".join(lines))
    return texts


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_nestings_found_in_one_scan_are_the_general_finders(pack: TemplatePack) -> None:
    for text in _nested(pack):
        doc = build("nested.md", from_text(text))
        assert reader.find_sections(doc, pack) == _general_sections(doc, pack), text
