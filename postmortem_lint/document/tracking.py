"""`POST_MORTEM_TRACKING.md` as data: its managed table of every post-mortem, parsed and rendered (SPEC §6).

The tool owns the lines between `<!-- pmlint:tracker:start -->` and
`<!-- pmlint:tracker:end -->`; every byte outside them is the user's. A file
without markers is migrated: rows appended by hand in the seed's
`| post-mortem-[date] | SEV-[level] | date | [Status] |` form that name an
existing post-mortem are absorbed into the managed table, every other line is
kept. A tracker that cannot be parsed raises `TrackerError` and is never written.
Pure: reading and writing the file is `features.tracker`'s, and PM703 gets the
parsed tracker from `lint`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from postmortem_lint.core.facts import SEVERITY, parse_incident
from postmortem_lint.document.summary import Summary

START = "<!-- pmlint:tracker:start -->"
END = "<!-- pmlint:tracker:end -->"
COLUMNS = ("Post-Mortem", "Incident", "Severity", "Date", "Status", "Action Items")
_LINK = re.compile(r"^\[((?:\\.|[^\]\\])*)\]\(([^()\s]*)\)$")
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_SEED_NAME = re.compile(r"^\[?(post-mortem-\d{4}-\d{2}-\d{2}[\w-]*)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


class TrackerError(Exception):
    """The tracker cannot be parsed (or read); the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the managed table: its cells, and the post-mortem its link names."""

    cells: tuple[str, ...]
    line: int

    @property
    def target(self) -> str:
        match = _LINK.match(self.cells[0])
        return match.group(2) if match else ""


@dataclass(frozen=True, slots=True)
class Tracker:
    """A parsed tracker: its lines (newlines kept) and where the managed table is."""

    path: Path
    lines: tuple[str, ...]
    start: int | None = None
    end: int | None = None
    rows: tuple[Row, ...] = ()

    @property
    def managed(self) -> bool:
        return self.start is not None


def decode(path: Path, data: bytes, label: str | None = None) -> Tracker:
    """The parsed tracker from its bytes (`TrackerError` when they are not UTF-8 or the table is malformed)."""
    label = label or str(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{label}: not valid UTF-8 (offset {exc.start}); save it as UTF-8") from None
    return parse(path, text, label)


def parse(path: Path, text: str, label: str | None = None) -> Tracker:
    """Find the markers and parse the managed table between them."""
    label = label or str(path)
    lines = tuple(_split_lines(text))
    starts = [i for i, line in enumerate(lines) if line.strip() == START]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not starts and not ends:
        return Tracker(path, lines)
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        where = (starts or ends)[0] + 1
        raise TrackerError(f"{label}:{where}: the tracker needs exactly one `{START}` followed by one `{END}`")
    rows = _parse_table(label, lines, starts[0], ends[0])
    return Tracker(path, lines, starts[0], ends[0], rows)


def _split_lines(text: str) -> Iterator[str]:
    """Lines with their newline kept (only '\\n' ends a line; '\\r\\n' stays whole)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _parse_table(label: str, lines: tuple[str, ...], start: int, end: int) -> tuple[Row, ...]:
    body = [(i + 1, lines[i].strip()) for i in range(start + 1, end) if lines[i].strip()]
    if not body:
        return ()
    if len(body) < 2 or split_cells(body[0][1]) != COLUMNS or not _is_delimiter(body[1][1]):
        raise TrackerError(f"{label}:{body[0][0]}: the managed table must start with `{render_header()}` and its delimiter row")
    rows = []
    for number, line in body[2:]:
        cells = split_cells(line)
        if cells is None or len(cells) != len(COLUMNS) or not _LINK.match(cells[0]):
            shape = "| [post-mortem](path) | Incident | Severity | Date | Status | Action Items |"
            raise TrackerError(f"{label}:{number}: tracker row is not `{shape}`")
        rows.append(Row(cells, number))
    return tuple(rows)


def split_cells(line: str) -> tuple[str, ...] | None:
    """The stripped cells of a `| a | b |` table row (None when it is not one)."""
    line = line.strip()
    if len(line) < 2 or not line.startswith("|") or not line.endswith("|") or line.endswith("\\|"):
        return None
    return tuple(cell.strip() for cell in _CELL_SPLIT.split(line[1:-1]))


def _is_delimiter(line: str) -> bool:
    cells = split_cells(line)
    return bool(cells) and all(_DELIMITER_CELL.match(c) for c in cells or ())


def render_header() -> str:
    return "| " + " | ".join(COLUMNS) + " |"


def render_delimiter() -> str:
    return "|" + "|".join("-" * (len(name) + 2) for name in COLUMNS) + "|"


def expected_rows(summaries: Iterable[Summary], tracker_path: str) -> list[tuple[str, ...]]:
    """The managed table's rows for ``summaries``, newest date first, then incident number.

    ``tracker_path`` is the tracker's root-relative path: links are relative to its folder.
    """
    folder = posixpath.dirname(tracker_path)
    ordered = sorted(summaries, key=_order)
    return [row_cells(s, folder) for s in ordered]


def _order(summary: Summary) -> tuple[int, int, str]:
    date = summary.incident_date
    incident = parse_incident(summary.incident)
    return (-(date.toordinal() if date else 0), incident.sequence if incident else 1 << 30, summary.path)


def row_cells(summary: Summary, folder: str) -> tuple[str, ...]:
    """The cells of one post-mortem's row (link relative to the tracker's ``folder``)."""
    target = quote(posixpath.relpath(summary.path, folder or "."), safe="/-._~")
    name = re.sub(r"([\\\[\]])", r"\\\1", PurePosixPath(summary.path).stem)
    date = summary.incident_date
    cells = (summary.incident, _severity(summary.severity), date.isoformat() if date else summary.date, _status(summary), _actions(summary))
    return (f"[{_escape(name)}]({target})", *(_escape(c) for c in cells))


def _severity(value: str) -> str:
    match = SEVERITY.match(value.strip())
    return f"SEV-{match.group(1)}" if match else value.strip()


def _status(summary: Summary) -> str:
    return summary.status or summary.status_text.strip()


def _actions(summary: Summary) -> str:
    return f"{open_actions(summary)}/{len(summary.actions)}"


def open_actions(summary: Summary) -> int:
    """Action items not finished under the pack's action statuses (`ActionSummary.open`)."""
    return sum(1 for a in summary.actions if a.open)


def _escape(value: str) -> str:
    return " ".join(value.split()).replace("|", "\\|")


def render_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_table(rows: Iterable[Sequence[str]], newline: str = "\n") -> str:
    lines = [render_header(), render_delimiter(), *(render_row(r) for r in rows)]
    return "".join(line + newline for line in lines)


def synced_text(tracker: Tracker | None, rows: list[tuple[str, ...]], scaffold: str) -> str:
    """The tracker's full text with the managed table set to ``rows``."""
    if tracker is None or not "".join(tracker.lines).strip():
        return _fill_scaffold(scaffold, rows)
    if tracker.managed:
        return _replace_managed(tracker, rows)
    return _migrate(tracker, rows)


def _fill_scaffold(scaffold: str, rows: list[tuple[str, ...]]) -> str:
    return _replace_managed(parse(Path("scaffold"), scaffold), rows)


def _replace_managed(tracker: Tracker, rows: list[tuple[str, ...]]) -> str:
    assert tracker.start is not None and tracker.end is not None
    newline = _newline(tracker.lines[tracker.start])
    head = "".join(tracker.lines[: tracker.start + 1])
    tail = "".join(tracker.lines[tracker.end :])
    return head + render_table(rows, newline) + tail


def _newline(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def _migrate(tracker: Tracker, rows: list[tuple[str, ...]]) -> str:
    """Absorb recognised hand-written rows; insert the managed table where they were."""
    stems = [_LINK.match(r[0]).group(1) for r in rows]  # type: ignore[union-attr]
    dropped = set(_absorbed(tracker.lines, stems))
    newline = _newline(tracker.lines[0])
    block = START + newline + render_table(rows, newline) + END + newline
    if not dropped:
        text = "".join(tracker.lines)
        return text + ("" if text.endswith("\n") else newline) + newline + block
    first = min(dropped)
    kept = (block if i == first else line for i, line in enumerate(tracker.lines) if i == first or i not in dropped)
    return "".join(kept)


def _absorbed(lines: tuple[str, ...], stems: list[str]) -> Iterator[int]:
    """Indexes of lines to drop: recognised rows, and the header of a table left empty."""
    for run in _table_runs(lines):
        has_header = len(run) >= 2 and _is_delimiter(lines[run[1]])
        body = run[2:] if has_header else run
        hits = [i for i in body if _recognised(lines[i], stems)]
        yield from hits
        if has_header and body and len(hits) == len(body):
            yield from run[:2]


def _table_runs(lines: tuple[str, ...]) -> Iterator[list[int]]:
    run: list[int] = []
    for i, line in enumerate(lines):
        if line.strip().startswith("|"):
            run.append(i)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _recognised(line: str, stems: list[str]) -> bool:
    """A seed-style row (`| post-mortem-DATE… | SEV-N | … |`) naming an existing post-mortem."""
    cells = split_cells(line)
    if not cells or len(cells) not in (4, len(COLUMNS)):
        return False
    match = _SEED_NAME.match(cells[0])
    if not match:
        return False
    name = match.group(1).rstrip("-")
    return any(stem == name or stem.startswith(name + "-") for stem in stems)
