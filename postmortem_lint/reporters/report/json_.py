"""`pmlint report --format json`: every number of the report (`Report.as_dict`)."""

from __future__ import annotations

import json
from typing import TextIO

from postmortem_lint.reporters.subjects import ReportPage


def render(page: ReportPage, out: TextIO) -> None:
    report = page.report
    json.dump(report.as_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
