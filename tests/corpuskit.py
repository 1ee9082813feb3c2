"""The content rules' findings on the shared corpus, each archive with the preset `fit.rank` puts first.

Used by tests/corpus_judgements_test.py and runnable to list the findings for judging:

    python tests/corpuskit.py [CODE ...]      # one line per finding: archive, file, code, line, text

The corpus is read in place, never copied into the project. Files are linted in memory as
``tasks/<name>`` with the archive's preset as `template:`.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_archives import CORPUS, archives
from lintkit import lint, settings

from postmortem_lint.packs.templates import fit

CONTENT_CODES = (
    "PM401",
    "PM404",
    "PM405",
    "PM406",
    "PM407",
    "PM408",
    "PM409",
    "PM410",
    "PM411",
    "PM412",
    "PM413",
    "PM502",
    "PM503",
    "PM504",
    "PM505",
    "PM506",
    "PM507",
    "PM508",
    "PM601",
    "PM602",
    "PM802",
)
"""The rules issue 15 measures on the corpus: every rule that judges a document's content.

Left out are the rules on a table's format (PM402 timeline-table, PM403 timeline-order,
PM501 action-table), the header, filename, section, repository and suppression rules."""
TODAY = dt.date(2026, 12, 1)


class Found(NamedTuple):
    archive: str
    file: str
    code: str
    line: int
    text: str
    message: str


@functools.cache
def preset_of(archive: str) -> str:
    """The preset `fit.rank` ranks first on ``archive`` (what `pmlint init` would pick)."""
    files = archives()[archive]
    documents = [(p.name, p.read_bytes().decode("utf-8", "replace")) for p in files]
    return fit.rank(documents)[0].name


def excerpt(text: str, line: str) -> str:
    """The finding's quoted text, else its line, cut to 120 characters."""
    return (text if text and text in line else line.strip())[:120]


def findings(codes: tuple[str, ...] = CONTENT_CODES) -> list[Found]:
    found: list[Found] = []
    for archive, files in sorted(archives().items()):
        config = settings(select=codes, ignore=(), template=preset_of(archive))
        for path in files:
            data = path.read_bytes()
            lines = data.decode("utf-8", "replace").split("\n")
            rel = path.relative_to(CORPUS).as_posix()
            for d in lint(data, rel=f"tasks/{path.name}", config=config, today=TODAY):
                if d.code in codes:
                    line = lines[d.line - 1] if 0 < d.line <= len(lines) else ""
                    found.append(Found(archive, rel, d.code, d.line, excerpt(d.text, line), d.message))
    return found


if __name__ == "__main__":
    wanted = tuple(sys.argv[1:]) or CONTENT_CODES
    for f in findings(wanted):
        print(f"{f.archive}\t{f.file}\t{f.code}\t{f.line}\t{f.text!r}\t{f.message}")
