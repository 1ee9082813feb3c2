"""Action items across the archive (`pmlint actions`): collect, filter, render.

Reads the repository index, never the documents: every item of every post-mortem
with its id, action, owner, priority, due date, status and where it is written.
An item is *open* unless its status is Done, Closed or Won't Do (an unrecognised
status counts as open, as PM507 does), and *overdue* when it is open and its due
date is before ``today``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from postmortem_lint.core import vocab
from postmortem_lint.core.facts import parse_date
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.packs.roster import key, owners_in

JSON_VERSION = 1
COLUMNS = ("id", "action", "owner", "priority", "due", "status", "open", "overdue", "days_overdue", "incident", "title", "path", "line")


@dataclass(frozen=True, slots=True)
class Action:
    """One action item and the post-mortem it belongs to."""

    id: str
    action: str
    owner: str
    priority: str
    due: str
    status: str
    path: str
    line: int
    incident: str
    title: str
    due_date: dt.date | None
    open: bool
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def as_dict(self) -> dict[str, str | int | bool]:
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(frozen=True, slots=True)
class ActionFilter:
    """What `--open`, `--overdue`, `--owner` and `--priority` keep (empty tuples keep all)."""

    open_only: bool = False
    overdue_only: bool = False
    owners: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()

    def keeps(self, action: Action) -> bool:
        if (self.open_only and not action.open) or (self.overdue_only and not action.overdue):
            return False
        if self.priorities and action.priority.casefold() not in {p.casefold() for p in self.priorities}:
            return False
        return not self.owners or bool({key(o) for o in self.owners} & {key(o) for o in owners_in(action.owner)})


def collect(summaries: Iterable[Summary], today: dt.date) -> list[Action]:
    """Every action item, soonest due first (undated last), then by file and line."""
    found = [_action(item, summary, today) for summary in summaries for item in summary.actions]
    return sorted(found, key=lambda a: (a.due_date or dt.date.max, a.path, a.line))


def _action(item: ActionSummary, summary: Summary, today: dt.date) -> Action:
    status = vocab.action_status(item.status) or item.status
    due = parse_date(item.due)
    is_open = vocab.is_open(item.status)
    late = (today - due).days if is_open and due is not None and due < today else 0
    return Action(
        id=item.id,
        action=item.action,
        owner=item.owner,
        priority=_priority(item.priority),
        due=item.due,
        status=status,
        path=summary.path,
        line=item.line,
        incident=summary.incident,
        title=summary.title,
        due_date=due,
        open=is_open,
        days_overdue=late,
    )


def _priority(text: str) -> str:
    return vocab.priority(text) or text


def select(actions: Iterable[Action], keep: ActionFilter) -> list[Action]:
    return [a for a in actions if keep.keeps(a)]


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    open: int
    overdue: int
    done: int

    @property
    def completion_rate(self) -> float | None:
        """Share of items finished (Done, Closed or Won't Do), None when there are none."""
        return self.done / self.total if self.total else None


def counts(actions: Sequence[Action]) -> Counts:
    opened = sum(a.open for a in actions)
    return Counts(len(actions), opened, sum(a.overdue for a in actions), len(actions) - opened)


# ---------------------------------------------------------------- renderers


def render_text(actions: Sequence[Action], out: TextIO, today: dt.date) -> None:
    """An aligned table for the terminal, then one summary line."""
    if not actions:
        out.write(_summary_line(actions, today) + "\n")
        return
    header = ("ID", "Action", "Owner", "Priority", "Due", "Status", "Late", "Post-mortem")
    rows = [(a.id, _short(a.action, 48), a.owner, a.priority, a.due, a.status, _late(a), f"{a.path}:{a.line}") for a in actions]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] + "\n")
    out.write(_summary_line(actions, today) + "\n")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _late(action: Action) -> str:
    return f"{action.days_overdue}d" if action.overdue else ""


def _summary_line(actions: Sequence[Action], today: dt.date) -> str:
    total = counts(actions)
    noun = "item" if total.total == 1 else "items"
    return f"{total.total} action {noun}: {total.open} open, {total.overdue} overdue on {today.isoformat()}"


def render_markdown(actions: Sequence[Action], out: TextIO, today: dt.date) -> None:
    """A Markdown table; each item links to its post-mortem (paths relative to the project root)."""
    out.write("| ID | Action | Owner | Priority | Due Date | Status | Overdue | Post-Mortem |\n")
    out.write("|----|--------|-------|----------|----------|--------|---------|-------------|\n")
    for a in actions:
        link = f"[{_md(a.incident or a.path.rsplit('/', 1)[-1])}]({a.path}#L{a.line})"
        cells = (a.id, a.action, a.owner, a.priority, a.due, a.status, f"{a.days_overdue} days" if a.overdue else "", link)
        out.write("| " + " | ".join(_md(c) if c is not link else c for c in cells) + " |\n")
    out.write("\n" + _summary_line(actions, today) + ".\n")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_json(actions: Sequence[Action], out: TextIO, today: dt.date) -> None:
    total = counts(actions)
    payload = {
        "version": JSON_VERSION,
        "today": today.isoformat(),
        "summary": {"total": total.total, "open": total.open, "overdue": total.overdue},
        "actions": [a.as_dict() for a in actions],
    }
    json.dump(payload, out, indent=2, ensure_ascii=False)
    out.write("\n")


def render_csv(actions: Sequence[Action], out: TextIO, today: dt.date) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in actions:
        writer.writerow([_csv_cell(v) for v in a.as_dict().values()])


def _csv_cell(value: str | int | bool) -> str | int:
    """Booleans as ``true``/``false``; text exactly as written (an `@handle` owner stays one)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


Renderer = Callable[[Sequence[Action], TextIO, dt.date], None]
FORMATS: dict[str, Renderer] = {"text": render_text, "markdown": render_markdown, "json": render_json, "csv": render_csv}
