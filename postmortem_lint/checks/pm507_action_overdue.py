"""PM507 action-overdue: an open action item past its due date, judged from the repository index."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.checks.registry import repo_rule
from postmortem_lint.core import vocab
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.packs.templates.runtime import parse_date

DUE_FORMATS = ("iso", "month-name")
"""A due date as a table cell (`YYYY-MM-DD`) or a list item (`due April 1, 2026`) writes it."""


@repo_rule("PM507", "action-overdue", "warning")
def action_overdue(summary: Summary, index: RepoIndex, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Flags an action item that is not Done, Closed or Won't Do and whose due date
    is before today (`--today YYYY-MM-DD` makes runs reproducible).

    ## Why is this bad?
    Overdue items are how the same incident happens twice; a warning in every
    run keeps them visible until someone closes or re-plans them.

    It reads the repository index rather than the document, so that cached
    per-file results do not depend on the date of the run.

    ## Example
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2020-01-31 | Open |
    ```

    ## Use instead
    ```markdown
    | AI-001 | Add cache warm-up to deploys | Dana Cho | High | 2020-01-31 | Done |
    ```
    """
    for item in summary.actions:
        due = parse_date(item.due, DUE_FORMATS)
        if due is None or due >= ctx.today:
            continue
        if item.open if item.unfinished is not None else _is_open(item.status, ctx):
            message = f"action item {_named(item)} was due {due} and is still {item.status or 'open'}"
            yield Finding(item.line, message, item.due_column, text=f"{item.id or item.action}:{due}")


def _named(item: ActionSummary) -> str:
    """An item by its id, else by its first words (a bullet or task item has no id)."""
    if item.id:
        return item.id
    words = " ".join(item.action.split())
    return f"`{words[:40]}{'…' if len(words) > 40 else ''}`"


def _is_open(status: str, ctx: Context) -> bool:
    """Not a finished status of the pack's action-status vocabulary. With the default template the seed's vocabulary
    (`core.vocab`, the same values) answers, so that a run served by the cache loads no pack (tests/catalog_test.py)."""
    if ctx.settings.template is None:
        return vocab.is_open(status)
    statuses = ctx.packs.template().vocabulary("action-status")
    return statuses is None or statuses.is_open(statuses.canonical(status))
