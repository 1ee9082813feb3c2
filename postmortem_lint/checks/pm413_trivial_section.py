"""PM413 trivial-section: a section whose only content is `-`, `N/A`, `TBD` or `...`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import Block, Heading, Html, ListBlock, Paragraph, PostMortem, Quote, ThematicBreak
from postmortem_lint.packs.templates import reader

TRIVIAL = re.compile(r"(?i)^[\s*_`>]*+(?:-+|–|—|n/?a|tbd|tba|todo|\.{2,}|…|\?+|x+)?[\s*_`.]*+$")
"""Text that says nothing: a dash, N/A, TBD, TODO, an ellipsis, question marks, or nothing."""


@rule("PM413", "trivial-section", COMPLETENESS)
def trivial_section(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds a section of the template whose whole content is a placeholder of
    nothing: `-`, `N/A`, `TBD`, `TODO`, `...`, `?` (as a paragraph or list
    items). A section with subsections that have content, and a section the
    template lets stay empty (`content: none`), are not reported (each
    subsection is read on its own); an empty section is PM303's. Warning on a Draft.

    ## Why is this bad?
    A dash under "Lessons Learned" passes a check for the heading and tells the
    reader nothing; it is a section nobody wrote.

    ## Example
    ```markdown
    ## Lessons Learned

    - N/A
    ```

    ## Use instead
    ```markdown
    ## Lessons Learned

    - A rollout that only watches error rates misses latency regressions.
    ```
    """
    pack = ctx.packs.template()
    for found in reader.read(doc, pack).all_sections():
        if found.spec.content == "none" or found.heading is None:
            continue
        first = _only_trivial(found.own_blocks)
        if first is None:
            continue
        number, text = first
        line = doc.source.line(number)
        shown = _COMMENT.sub("", text).strip().split("\n")[0].strip() or "-"
        at = line.find(shown)
        yield Finding(
            number,
            f"section `{found.heading.text.strip()}` holds only `{shown}`: write it, or say why it does not apply",
            at + 1 if at >= 0 else 1,
            number,
            len(line) + 1,
            found.heading.text.strip(),
        )


def _only_trivial(blocks: tuple[Block, ...]) -> tuple[int, str] | None:
    """The first piece of content of ``blocks`` when every piece says nothing; None when one says something, or none is there.

    Reading stops at the first piece that says something (most sections' first paragraph)."""
    first = None
    for number, text in _atoms(blocks):
        if text is None or not _trivial(text):
            return None
        first = first or (number, text)
    return first


def _atoms(blocks: tuple[Block, ...]) -> Iterator[tuple[int, str | None]]:
    """(line, text) of each piece of content: paragraphs, list items (an empty item is `-`); None for anything else.

    Walked depth first as `flatten` orders the blocks, but lazily: `_only_trivial` mostly stops at the first paragraph,
    and flattening a whole section first cost more than the rest of the rule."""
    for block in blocks:
        if isinstance(block, ListBlock):
            yield from ((item.line, "-") for item in block.items if all(_comment(child) for child in item.children))
            for item in block.items:
                yield from _atoms(item.children)
            continue
        if not isinstance(block, (Heading, ThematicBreak)) and not _comment(block):
            yield block.line, block.text if isinstance(block, Paragraph) else None
        if isinstance(block, Quote):
            yield from _atoms(block.children)


def _comment(block: Block) -> bool:
    return isinstance(block, Html) and block.text.strip().startswith("<!--")


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _trivial(text: str) -> bool:
    return all(TRIVIAL.match(part) for part in _COMMENT.sub("", text).split("\n"))
