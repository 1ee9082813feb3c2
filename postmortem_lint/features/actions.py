"""Action items across the archive (`pmlint actions`): collect and filter (the formats are `reporters.actions`).

Reads the repository index, never the documents: every item of every post-mortem
with its id, action, owner, priority, due date, status and where it is written.
An item is *open* unless its status is Done, Closed or Won't Do (an unrecognised
status counts as open, as PM507 does), and *overdue* when it is open and its due
date is before ``today``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.core import vocab
from postmortem_lint.core.errors import Problem
from postmortem_lint.core.facts import parse_date
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.lint import archive
from postmortem_lint.packs import roster
from postmortem_lint.packs.roster import key, owners_in

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
    is_open = item.open
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


def aliases(owners: tuple[str, ...], settings: Settings) -> dict[str, tuple[str, ...]]:
    """Each ``--owner`` value widened to every alias of the same person on the owners roster, when one is configured."""
    try:
        found = roster.load(settings) if owners else None
    except roster.RosterError as exc:
        raise Problem(str(exc)) from None
    if found is None:
        return {owner: (owner,) for owner in owners}
    return {owner: tuple(sorted(found.aliases_of(owner))) for owner in owners}


def unknown_owners(aliases: dict[str, tuple[str, ...]], every: list[Action]) -> list[str]:
    """A warning for each ``--owner`` that owns no item at all (else `0 action items` reads as "all done"), with a close name."""
    names = sorted({name for a in every for name in owners_in(a.owner)})
    warnings = []
    for owner, alias in aliases.items():
        if any(ActionFilter(owners=alias).keeps(a) for a in every):
            continue
        close = difflib.get_close_matches(owner, names, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        warnings.append(f"pmlint: warning: no action item in the archive is owned by `{owner}`{hint}")
    return warnings


def listed(
    paths: Sequence[Path],
    config_file: Path | None,
    keep: ActionFilter,
    today: dt.date,
    jobs: int = 0,
    cache: bool = True,
    warn: Callable[[str], None] = print,
) -> list[Action]:
    """The action items of the project's post-mortems (or of those under ``paths``) that ``keep`` keeps, soonest due first."""
    found = archive.load(paths, config_file, jobs, cache, warn)
    widened = aliases(keep.owners, found.settings)
    keep = replace(keep, owners=tuple(sorted({a for alias in widened.values() for a in alias})))
    every = collect(found.summaries, today)
    for warning in unknown_owners(widened, every):
        warn(warning)
    return select(every, keep)
