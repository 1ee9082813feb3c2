"""`pmlint actions --format csv`: one row per item, the columns of `features.actions.COLUMNS`."""

from __future__ import annotations

import csv
from typing import TextIO

from postmortem_lint.features.actions import COLUMNS
from postmortem_lint.reporters.subjects import ActionList


def render(listed: ActionList, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in listed.actions:
        writer.writerow([_csv_cell(v) for v in a.as_dict().values()])


def _csv_cell(value: str | int | bool) -> str | int:
    """Booleans as ``true``/``false``; text exactly as written (an `@handle` owner stays one)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
