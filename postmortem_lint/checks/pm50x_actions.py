"""PM501–PM506: the Action Items table and each item in it (PM507, over the repository index, is `pm507_action_overdue`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core import vocab
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import parse_date
from postmortem_lint.core.placeholders import is_placeholder
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.core.vocab import ACTION_STATUSES, COMPLETENESS, NO_OWNER
from postmortem_lint.document.model import PostMortem
from postmortem_lint.document.tables import ACTION_COLUMNS, action_items, first_table

_ID = re.compile(r"^AI-\d{3,}$")


@rule("PM501", "action-table", "error")
def action_table(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that `## Action Items` has a table with the header
    `ID | Action | Owner | Priority | Due Date | Status` and at least one row.

    ## Why is this bad?
    Action items are how a post-mortem changes anything. A bullet list has no
    owner or due date to track, and `pmlint actions` cannot follow it up.

    ## Example
    ```markdown
    ## Action Items
    - Add cache warm-up to deploys
    ```

    ## Use instead
    ```markdown
    ## Action Items

    | ID | Action | Owner | Priority | Due Date | Status |
    |----|--------|-------|----------|----------|--------|
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    section = doc.section("action items")
    if section is None:
        return
    table = first_table(doc, "action items")
    if table is None:
        yield Finding(
            section.line, "`## Action Items` has no table `| ID | Action | Owner | Priority | Due Date | Status |`", 1, text="no-table"
        )
    elif tuple(heading_key(c) for c in table.columns) != ACTION_COLUMNS:
        yield Finding(
            table.line,
            f"action items header is `{' | '.join(table.columns)}`, expected `ID | Action | Owner | Priority | Due Date | Status`",
            1,
            text="|".join(table.columns),
        )
    elif not table.rows:
        yield Finding(table.line, "action items table has no rows", 1, text="no-rows")


@rule("PM502", "action-owner", COMPLETENESS)
def action_owner(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that every action item has an owner: not empty, not a placeholder, not
    `TBD`, `TBA`, `?`, `-` or `N/A`. Warning on a Draft, error from Under Review on.

    ## Why is this bad?
    An action item without an owner is a wish. It will still be open at the next
    incident of the same kind.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | TBD | High | 2026-04-01 | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    for item in action_items(doc):
        owner = strip_inline(item.owner.text)
        if owner.casefold() in NO_OWNER or is_placeholder(item.owner.text):
            yield Finding(
                item.row.line,
                f"action item {item.id.text or '(no id)'} has no owner (`{item.owner.text or 'empty'}`)",
                item.owner.column,
                text=f"{item.id.text}:{item.owner.text}",
            )


@rule("PM503", "action-id", "error")
def action_id(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that action-item ids read `AI-NNN` and are unique within the document.

    ## Why is this bad?
    Ids are how commits, tickets and follow-up meetings refer to an item; two
    `AI-002`s make every such reference ambiguous.

    ## Example
    ```markdown
    | 1 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    seen: dict[str, int] = {}
    free = fixers.free_ids(strip_inline(item.id.text) for item in action_items(doc))
    for item in action_items(doc):
        ident = strip_inline(item.id.text)
        if not _ID.match(ident):
            yield Finding(item.row.line, f"action item id `{ident or '(empty)'}` is not `AI-NNN`", item.id.column, text=ident)
        elif ident in seen:
            fix = fixers.renumber(item.row.line, item.id.column, item.id.text, next(free)) if item.id.text == ident else None
            yield Finding(
                item.row.line, f"action item id {ident} is used again (first at line {seen[ident]})", item.id.column, text=ident, fix=fix
            )
        seen.setdefault(ident, item.row.line)


@rule("PM504", "action-priority", "error")
def action_priority(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that each action item's priority is `High`, `Medium` or `Low`.

    ## Why is this bad?
    Reports and `pmlint actions --priority` group by these three values; `P0` or
    `Urgent` falls out of every view.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | Urgent | 2026-04-01 | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    for item in action_items(doc):
        value = strip_inline(item.priority.text)
        if vocab.priority(value) is None and not is_placeholder(item.priority.text):
            yield Finding(
                item.row.line,
                f"action item {item.id.text} priority `{value or '(empty)'}` is not High, Medium or Low",
                item.priority.column,
                text=value,
                fix=fixers.vocabulary(item.row.line, item.priority.column, item.priority.text, vocab.PRIORITIES, fixers.PRIORITY_ALIASES),
            )


@rule("PM505", "action-due-date", COMPLETENESS)
def action_due_date(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that each action item's due date is a real `YYYY-MM-DD` date.
    Warning on a Draft, error from Under Review on.

    ## Why is this bad?
    "Next sprint" is never overdue, so nothing reminds anyone.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | next sprint | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | Open |
    ```
    """
    for item in action_items(doc):
        if parse_date(strip_inline(item.due.text)) is None:
            yield Finding(
                item.row.line,
                f"action item {item.id.text} due date `{item.due.text or '(empty)'}` is not a real YYYY-MM-DD date",
                item.due.column,
                text=f"{item.id.text}:{item.due.text}",
            )


@rule("PM506", "action-status", "error")
def action_status(doc: PostMortem, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that each action item's status is `Open`, `In Progress`, `Blocked`,
    `Done`, `Closed` or `Won't Do`.

    ## Why is this bad?
    The tracker's open/total count and the overdue check read this column; an
    unknown status is counted as neither open nor done.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | WIP |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2026-04-01 | In Progress |
    ```
    """
    for item in action_items(doc):
        if vocab.action_status(item.status.text) is None and not is_placeholder(item.status.text):
            yield Finding(
                item.row.line,
                f"action item {item.id.text} status `{item.status.text or '(empty)'}` is not one of {', '.join(ACTION_STATUSES)}",
                item.status.column,
                text=item.status.text,
                fix=fixers.vocabulary(item.row.line, item.status.column, item.status.text, ACTION_STATUSES, fixers.ACTION_STATUS_ALIASES),
            )
