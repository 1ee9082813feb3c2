"""`pmlint actions --format markdown`: a table whose items link to their post-mortem."""

from __future__ import annotations

from typing import TextIO

from postmortem_lint.reporters.actions.text import summary_line
from postmortem_lint.reporters.subjects import ActionList


def render(listed: ActionList, out: TextIO) -> None:
    """A Markdown table; each item links to its post-mortem (paths relative to the project root)."""
    actions, today = listed.actions, listed.today
    out.write("| ID | Action | Owner | Priority | Due Date | Status | Overdue | Post-Mortem |\n")
    out.write("|----|--------|-------|----------|----------|--------|---------|-------------|\n")
    for a in actions:
        link = f"[{_md(a.incident or a.path.rsplit('/', 1)[-1])}]({a.path}#L{a.line})"
        cells = (a.id, a.action, a.owner, a.priority, a.due, a.status, f"{a.days_overdue} days" if a.overdue else "", link)
        out.write("| " + " | ".join(_md(c) if c is not link else c for c in cells) + " |\n")
    out.write("\n" + summary_line(actions, today) + ".\n")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
