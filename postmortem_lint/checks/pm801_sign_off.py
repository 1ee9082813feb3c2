"""PM801 sign-off-incomplete: a Final post-mortem is signed off and checked."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core import vocab
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import ListBlock, PostMortem, Section
from postmortem_lint.document.tables import action_items, column_index, first_table


@rule("PM801", "sign-off-incomplete", "error")
def sign_off_incomplete(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    On a `Final` or `Closed` post-mortem, checks that every Quality Checklist and
    Success Criteria box is ticked and every Sign-off row has a name, a date and
    `[x]`.

    ## Why is this bad?
    "Final" is a claim that the review happened. An unticked box or an unsigned
    role says it did not, and the document should stay Under Review. A box that
    claims finished work ("Prevention measures are implemented") should not be
    ticked while action items are still open: the message names them, and the
    honest status until they are done is `Under Review`.

    ## Example
    ```markdown
    ## Post-Mortem Quality Checklist

    - [x] Timeline is complete and accurate
    - [ ] Root cause is clearly identified
    ```

    ## Use instead
    ```markdown
    ## Post-Mortem Quality Checklist

    - [x] Timeline is complete and accurate
    - [x] Root cause is clearly identified
    ```
    """
    if doc.status not in ("Final", "Closed"):
        return
    still_open = _open_items(doc)
    for section in (doc.section("post mortem quality checklist"), doc.subsection("follow up", "success criteria")):
        if section is not None:
            yield from _unticked(section, doc.status, still_open)
    yield from _unsigned(doc)


_DONE_CLAIM = re.compile(r"\b(?:implemented|completed?|done|deployed|in place|rolled out|shipped|updated|fixed)\b", re.I)
"""A box that claims work is finished ("Prevention measures are implemented"), which open action items contradict."""


def _open_items(doc: PostMortem) -> list[str]:
    return [strip_inline(a.id.text) or f"row {a.row.line}" for a in action_items(doc) if vocab.is_open(a.status.text)]


def _unticked(section: Section, status: str, still_open: list[str]) -> Iterator[Finding]:
    for block in flatten(section.all_blocks()):
        if isinstance(block, ListBlock):
            for item in block.items:
                if item.checked is False:
                    claim = item.text.strip()[:60]
                    message = f"unticked box in {section.heading.text} on a {status} post-mortem: `{claim}`"
                    if still_open and _DONE_CLAIM.search(item.text):
                        message += f", and {_listed(still_open)} still open: keep the status `Under Review` until they are done"
                    yield Finding(item.line, message, text=claim)


def _listed(ids: list[str], shown: int = 5) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    noun = "action item" if len(ids) == 1 else "action items"
    return f"{noun} {', '.join(ids[:shown])}{more} {'is' if len(ids) == 1 else 'are'}"


def _unsigned(doc: PostMortem) -> Iterator[Finding]:
    table = first_table(doc, "sign off")
    if table is None:
        return
    name, date, reviewed = (column_index(table, c) for c in ("name", "date", "reviewed"))
    for row in table.rows:
        role = row.cell(0).text
        missing = [label for label, index in (("name", name), ("date", date)) if index is None or _blank(row.cell(index).text)]
        if reviewed is None or strip_inline(row.cell(reviewed).text).casefold() not in ("[x]", "x", "yes", "✓", "✔"):
            missing.append("[x]")
        if missing:
            yield Finding(row.line, f"sign-off for {role or 'a role'} lacks {', '.join(missing)}", 1, text=f"{role}:{','.join(missing)}")


def _blank(text: str) -> bool:
    return not text.strip(" -") or is_placeholder(text)
