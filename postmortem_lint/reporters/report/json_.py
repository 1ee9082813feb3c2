"""`pmlint report --format json`: every number of the report (`Report.as_dict`)."""

from __future__ import annotations

import json
from typing import TextIO

from postmortem_lint.features.insights import Report


def render(report: Report, out: TextIO) -> None:
    json.dump(report.as_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
