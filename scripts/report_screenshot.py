"""Regenerate docs/report-screenshot.png: the HTML report of examples/ in headless Chromium.

    python scripts/report_screenshot.py [--today 2026-04-15] [--out docs/report-screenshot.png]

Runs `pmlint report --format html` in examples/ (the page written to a temporary
folder, nothing in examples/ changes), loads it with scripts/headless.py and saves a
1000×1400 screenshot of the top of the page. Fails, writing nothing, when Chromium
is missing or the page logs an error. `--today` is a day on which some of the demo's
action items are overdue, so the screenshot shows that table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import headless

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from postmortem_lint.io.fsutil import atomic_write  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="2026-04-15", help="the report's date (YYYY-MM-DD)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "report-screenshot.png")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        command = [sys.executable, "-m", "postmortem_lint", "report", "--today", args.today, "--format", "html", "-o", str(page)]
        subprocess.run(command, cwd=REPO / "examples", check=True)
        loaded = headless.load(page.as_uri(), width=1000, height=1400)
    if loaded.errors:
        sys.stderr.write("".join(f"report_screenshot: {error}\n" for error in loaded.errors))
        return 1
    atomic_write(args.out, loaded.png)
    print(f"wrote {args.out} ({len(loaded.png):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
