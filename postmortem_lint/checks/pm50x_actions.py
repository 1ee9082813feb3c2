"""PM501–PM506: the Action Items table and each item in it (PM507, over the repository index, is `pm507_action_overdue`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks._template import is_slot, template
from postmortem_lint.checks.context import Context
from postmortem_lint.checks.registry import rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.text import strip_inline
from postmortem_lint.core.vocab import COMPLETENESS
from postmortem_lint.document.model import PostMortem
from postmortem_lint.packs.templates import reader
from postmortem_lint.packs.templates.reader import FoundAction
from postmortem_lint.packs.templates.runtime import NO_PERSON, TemplatePack, Vocabulary, parse_date, regex

LIST_DUE_FORMATS = ("iso", "month-name")
"""How a due date written in a list item may read (a table's Due Date cell is `YYYY-MM-DD`)."""


def items(doc: PostMortem, pack: TemplatePack) -> tuple[FoundAction, ...]:
    """The document's action items as the pack finds them (rows, bullets, task items)."""
    return reader.actions(doc, pack)


def name(item: FoundAction, pack: TemplatePack) -> str:
    """How a message names an item: its id, `(no id)` in a table with an id column, else its first words."""
    table = pack.table("actions")
    if item.id.text or (item.form == "table" and table is not None and table.column("id") is not None):
        return item.id.text or "(no id)"
    words = strip_inline(item.action.text)
    return f"`{words[:40]}{'…' if len(words) > 40 else ''}`"


def no_owner(pack: TemplatePack, text: str) -> bool:
    """An owner that names nobody: empty, `TBD`, `?`, `-`, `N/A` or a placeholder."""
    return strip_inline(text).casefold() in NO_PERSON or is_slot(pack, text)


def _choices(vocabulary: Vocabulary, last: str = "or") -> str:
    values = vocabulary.values
    return f"{', '.join(values[:-1])} {last} {values[-1]}" if len(values) > 1 else ", ".join(values)


def _shape(pattern: str) -> str:
    """An id pattern as a message writes it: `AI-\\d{3,}` → `AI-NNN`."""
    return re.sub(r"\\d(?:\{\d+,?\d*\}|\+)?", "NNN", pattern).replace("\\", "")


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
    pack = template(ctx)
    spec = pack.table("actions")
    if spec is None or (pack.actions is not None and "table" not in pack.actions.forms):
        return
    section = reader.find_section(doc, pack, spec.section)
    if section is None:
        return
    found = reader.find_table(doc, pack, "actions")
    heading = f"{'#' * section.level} {section.spec.name}" if section.level else section.spec.name
    if found is None:
        if spec.required:
            yield Finding(section.line, f"`{heading}` has no table `| {spec.shape} |`", 1, text="no-table")
    elif not spec.header_ok(found.table.columns):
        yield Finding(
            found.table.line,
            f"action items header is `{' | '.join(found.table.columns)}`, expected `{spec.shape}`",
            1,
            text="|".join(found.table.columns),
        )
    elif len(found.table.rows) < spec.min_rows:
        rows = len(found.table.rows)
        message = "action items table has no rows" if not rows else f"action items table has {rows} rows; write at least {spec.min_rows}"
        yield Finding(found.table.line, message, 1, text="no-rows")


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
    pack = template(ctx)
    found = items(doc, pack)
    if pack.actions is None or not reader.action_needs(found, pack.actions.owner, "owner"):
        return
    for item in found:
        if no_owner(pack, item.owner.text):
            yield Finding(
                item.line,
                f"action item {name(item, pack)} has no owner (`{item.owner.text or 'empty'}`)",
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
    pack = template(ctx)
    pattern = pack.actions.id_pattern if pack.actions else None
    if pattern is None:
        return
    seen: dict[str, int] = {}
    free = fixers.free_ids(strip_inline(item.id.text) for item in items(doc, pack)) if pattern == fixers.AI_PATTERN else None
    for item in items(doc, pack):
        ident = strip_inline(item.id.text)
        if item.form != "table" and not ident:
            continue
        if not regex(pattern).fullmatch(ident):
            yield Finding(item.line, f"action item id `{ident or '(empty)'}` is not `{_shape(pattern)}`", item.id.column, text=ident)
        elif ident in seen:
            fix = fixers.renumber(item.line, item.id.column, item.id.text, next(free)) if free and item.id.text == ident else None
            yield Finding(
                item.line, f"action item id {ident} is used again (first at line {seen[ident]})", item.id.column, text=ident, fix=fix
            )
        seen.setdefault(ident, item.line)


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
    pack = template(ctx)
    vocabulary = _column_vocabulary(pack, "priority")
    for item in items(doc, pack) if vocabulary else ():
        value = strip_inline(item.priority.text)
        if item.form != "table" or vocabulary is None:
            continue
        if vocabulary.canonical(value) is None and not is_slot(pack, item.priority.text):
            yield Finding(
                item.line,
                f"action item {item.id.text} priority `{value or '(empty)'}` is not {_choices(vocabulary)}",
                item.priority.column,
                text=value,
                fix=fixers.vocabulary(
                    item.line, item.priority.column, item.priority.text, vocabulary.values, _aliases(fixers.PRIORITY_ALIASES, vocabulary)
                ),
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
    pack = template(ctx)
    found = items(doc, pack)
    if pack.actions is None or not reader.action_needs(found, pack.actions.due, "due"):
        return
    for item in found:
        formats = ("iso",) if item.form == "table" else LIST_DUE_FORMATS
        if parse_date(strip_inline(item.due.text), formats) is None:
            yield Finding(
                item.line,
                f"action item {name(item, pack)} due date `{item.due.text or '(empty)'}` is not a real YYYY-MM-DD date",
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
    pack = template(ctx)
    vocabulary = _column_vocabulary(pack, "status")
    for item in items(doc, pack) if vocabulary else ():
        if item.form != "table" or vocabulary is None:
            continue
        if vocabulary.canonical(item.status.text) is None and not is_slot(pack, item.status.text):
            yield Finding(
                item.line,
                f"action item {item.id.text} status `{item.status.text or '(empty)'}` is not one of {', '.join(vocabulary.values)}",
                item.status.column,
                text=item.status.text,
                fix=fixers.vocabulary(
                    item.line, item.status.column, item.status.text, vocabulary.values, _aliases(fixers.ACTION_STATUS_ALIASES, vocabulary)
                ),
            )


def _column_vocabulary(pack: TemplatePack, role: str) -> Vocabulary | None:
    """The vocabulary of the action table's ``role`` column (priority, status), when the pack has one."""
    spec = pack.table("actions")
    column = spec.column(role) if spec else None
    return pack.vocabulary(column.vocabulary) if column and column.type == "vocabulary" else None


def _aliases(known: dict[str, str], vocabulary: Vocabulary) -> dict[str, str]:
    """The fixes' other words for a value, for the values this vocabulary has."""
    return {word: value for word, value in known.items() if value in vocabulary.values}
