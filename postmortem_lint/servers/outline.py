"""The section outline of a document: its headings nested by level (LSP document symbols)."""

from __future__ import annotations

from dataclasses import dataclass

from postmortem_lint.document.model import Heading, PostMortem


@dataclass(frozen=True, slots=True)
class Node:
    """A heading and what it spans: up to the line before the next heading of its level or higher."""

    heading: Heading
    end_line: int
    children: tuple[Node, ...]

    @property
    def name(self) -> str:
        return " ".join(self.heading.text.split()) or "(untitled)"


def outline(doc: PostMortem) -> list[Node]:
    """The document's headings as a tree (top-level blocks only: a `#` inside a list or quote is not a section)."""
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    last = _last_line(doc)
    ends = [_end(headings, i, last) for i in range(len(headings))]
    nodes, _ = _children(headings, ends, 0, 0)
    return nodes


def _last_line(doc: PostMortem) -> int:
    lines = doc.source.lines
    count = len(lines)
    while count > 1 and not lines[count - 1].strip():
        count -= 1
    return count


def _end(headings: list[Heading], index: int, last: int) -> int:
    level = headings[index].level
    following = (h for h in headings[index + 1 :] if h.level <= level)
    nxt = next(following, None)
    return max(headings[index].end_line, nxt.line - 1 if nxt is not None else last)


def _children(headings: list[Heading], ends: list[int], start: int, parent_level: int) -> tuple[list[Node], int]:
    """The nodes from ``start`` until a heading at or above ``parent_level``; and where that was."""
    nodes: list[Node] = []
    index = start
    while index < len(headings) and headings[index].level > parent_level:
        children, after = _children(headings, ends, index + 1, headings[index].level)
        nodes.append(Node(headings[index], ends[index], tuple(children)))
        index = after
    return nodes, index
