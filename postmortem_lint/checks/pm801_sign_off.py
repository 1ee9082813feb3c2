"""PM801 sign-off-incomplete: a Final post-mortem is signed off and checked."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks._common import is_placeholder
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import strip_inline
from postmortem_lint.document.build import flatten
from postmortem_lint.document.model import ListBlock, PostMortem, Section
from postmortem_lint.document.tables import column_index, first_table


@rule("PM801", "sign-off-incomplete", "error")
def sign_off_incomplete(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    On a `Final` or `Closed` post-mortem, checks that every Quality Checklist and
    Success Criteria box is ticked and every Sign-off row has a name, a date and
    `[x]`.

    ## Why is this bad?
    "Final" is a claim that the review happened. An unticked box or an unsigned
    role says it did not, and the document should stay Under Review.

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
    for section in (doc.section("post mortem quality checklist"), doc.subsection("follow up", "success criteria")):
        if section is not None:
            yield from _unticked(section, doc.status)
    yield from _unsigned(doc)


def _unticked(section: Section, status: str) -> Iterator[Finding]:
    for block in flatten(section.all_blocks()):
        if isinstance(block, ListBlock):
            for item in block.items:
                if item.checked is False:
                    yield Finding(
                        item.line,
                        f"unticked box in {section.heading.text} on a {status} post-mortem: `{item.text.strip()[:60]}`",
                        text=item.text.strip()[:60],
                    )


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
