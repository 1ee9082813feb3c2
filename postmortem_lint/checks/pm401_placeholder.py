"""PM401 placeholder: template fill-in tokens left in the document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks._common import lines_containing
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.placeholders import PLACEHOLDER_LITERALS, placeholders
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.build import code_lines
from postmortem_lint.document.model import PostMortem


@rule("PM401", "placeholder", COMPLETENESS)
def placeholder(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Finds template placeholders left in: the scaffold's bracketed tokens (`[Name]`,
    `[Date]`, `[X minutes]`, …), `HH:MM`, `YYYY-MM-DD`, `$[Amount]` and unchosen
    alternatives such as `Yes/No`. Links, task boxes (`[ ]`, `[x]`), footnotes and
    `[INC-…]` references are not placeholders. Warning on a Draft, error once
    the status is Under Review or later.

    On a Draft, where the scaffold's placeholders are the to-do list, each
    section's placeholders are one warning: the first of them, with how many
    more the section holds and on which lines (a fresh `pmlint new` draft gets
    one per section instead of one per token). From Under Review on, every
    placeholder is its own error.

    ## Why is this bad?
    A placeholder in a reviewed post-mortem is a question nobody answered.

    ## Example
    ```markdown
    - **Affected Users:** [Number or percentage]
    ```

    ## Use instead
    ```markdown
    - **Affected Users:** 18% of checkout sessions (about 41,000 users)
    ```
    """
    found = list(_found(doc))
    if doc.status != "Draft":
        yield from (_one(number, match) for number, match in found)
        return
    groups: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for number, match in found:
        if any(s.covers(CODE, number) for s in doc.suppressions):
            yield _one(number, match)
        else:
            groups.setdefault(_section_of(doc, number), []).append((number, match))
    for name, group in groups.items():
        yield _one(*group[0]) if len(group) == 1 else _grouped(name, group)


CODE = "PM401"


def _found(doc: PostMortem) -> Iterator[tuple[int, re.Match[str]]]:
    skip = code_lines(doc.blocks)
    first = doc.front_matter_lines + 1
    for number in lines_containing(doc.source.text, PLACEHOLDER_LITERALS):
        if number >= first and number not in skip:
            yield from ((number, match) for match in placeholders(doc.source.line(number)))


def _one(number: int, match: re.Match[str]) -> Finding:
    token = match.group(0)
    return Finding(number, f"placeholder `{token}` left in", match.start() + 1, number, match.end() + 1, token)


def _grouped(name: str, group: list[tuple[int, re.Match[str]]]) -> Finding:
    """A Draft's placeholders of one section as one finding, at the first of them."""
    number, match = group[0]
    last = group[-1][0]
    lines = f"line {number}" if last == number else f"lines {number}–{last}"
    message = f"placeholder `{match.group(0)}` and {len(group) - 1} more left in {name} ({lines})"
    return Finding(number, message, match.start() + 1, number, match.end() + 1, f"draft:{name}")


def _section_of(doc: PostMortem, number: int) -> str:
    """The `##` section holding line ``number`` (the header before the first one)."""
    for section in doc.sections:
        if section.heading.line <= number <= section.end_line:
            return section.heading.text.strip()
    return "the header"
