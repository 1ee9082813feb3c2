"""`pmlint actions --format json`: the listed items and their counts."""

from __future__ import annotations

import json
from typing import TextIO

from postmortem_lint.features.actions import counts
from postmortem_lint.reporters.subjects import ActionList

JSON_VERSION = 1


def render(listed: ActionList, out: TextIO) -> None:
    actions, today = listed.actions, listed.today
    total = counts(actions)
    payload = {
        "version": JSON_VERSION,
        "today": today.isoformat(),
        "summary": {"total": total.total, "open": total.open, "overdue": total.overdue},
        "actions": [a.as_dict() for a in actions],
    }
    json.dump(payload, out, indent=2, ensure_ascii=False)
    out.write("\n")
