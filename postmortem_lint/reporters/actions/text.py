"""`pmlint actions` as an aligned table for the terminal, then one summary line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TextIO

from postmortem_lint.features.actions import Action, counts
from postmortem_lint.reporters.subjects import ActionList


def render(listed: ActionList, out: TextIO) -> None:
    """An aligned table for the terminal, then one summary line."""
    actions, today = listed.actions, listed.today
    if not actions:
        out.write(summary_line(actions, today) + "\n")
        return
    header = ("ID", "Action", "Owner", "Priority", "Due", "Status", "Late", "Post-mortem")
    rows = [(a.id, _short(a.action, 48), a.owner, a.priority, a.due, a.status, _late(a), f"{a.path}:{a.line}") for a in actions]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] + "\n")
    out.write(summary_line(actions, today) + "\n")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _late(action: Action) -> str:
    return f"{action.days_overdue}d" if action.overdue else ""


def summary_line(actions: Sequence[Action], today: dt.date) -> str:
    total = counts(actions)
    noun = "item" if total.total == 1 else "items"
    return f"{total.total} action {noun}: {total.open} open, {total.overdue} overdue on {today.isoformat()}"
