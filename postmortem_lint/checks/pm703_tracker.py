"""PM703 tracker-out-of-sync: the post-mortem's tracker row is missing, stale or misplaced.

The tracker is read once per run by `lint` and arrives as `Context.tracker`; what it
should say is worked out once per run (`keep_last`). A project with no tracker
file is not checked: a team may not keep one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from postmortem_lint.checks import fixers
from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.checks.registry import repo_rule
from postmortem_lint.config.scope import is_post_mortem
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import SEVERITY, parse_incident
from postmortem_lint.core.memo import keep_last
from postmortem_lint.document import tracking
from postmortem_lint.document.summary import Summary


@dataclass(frozen=True)
class _State:
    """The tracker as read once per run, and the rows it should have."""

    name: str
    folder: str = "."
    rows: dict[str, tracking.Row] = field(default_factory=dict)
    misplaced: frozenset[str] = frozenset()
    duplicated: frozenset[str] = frozenset()
    problem: str = ""


@repo_rule("PM703", "tracker-out-of-sync", "error")
def tracker_out_of_sync(summary: Summary, index: RepoIndex, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that the tracker's managed table (between `<!-- pmlint:tracker:start -->`
    and `<!-- pmlint:tracker:end -->`) has a row for the post-mortem, that the row
    says what the post-mortem says (incident, severity, date, status, open/total
    action items) and that it sits where `pmlint track` would put it (newest date
    first, then incident number). A project with no tracker file is not checked.
    Rows for post-mortems that no longer exist are reported by `pmlint track --check`.

    ## Why is this bad?
    The tracker is what the weekly reliability review reads; a row that still says
    `Draft` or `0/5` open for a post-mortem that moved on hides work, or invents it.

    ## Example
    ```markdown
    **Status:** Final
    <!-- while the tracker row still reads: | … | SEV-2 | 2026-03-14 | Draft | 4/6 | -->
    ```

    ## Use instead
    ```markdown
    <!-- run `pmlint track` (or `pmlint check --fix`): the row now reads | … | Final | 4/6 | -->
    ```
    """
    state = _state(index, ctx)
    if state is None or not is_post_mortem(summary.path, ctx.settings):
        return
    line = summary.title_line
    if state.problem:
        yield Finding(line, state.problem, 1, text=state.problem)
        return
    expected = tracking.row_cells(summary, state.folder)
    target = _target(expected)
    row = state.rows.get(target)
    if row is None:
        yield Finding(
            line, f"no row for this post-mortem in {state.name}; run `pmlint track`", 1, text="missing", fix=fixers.tracker(state.name)
        )
    elif row.cells != expected:
        yield Finding(line, _stale(state.name, row.cells, expected, summary), 1, text="stale", fix=fixers.tracker(state.name))
    elif target in state.duplicated:
        yield Finding(
            line,
            f"{state.name} has more than one row for this post-mortem; run `pmlint track`",
            1,
            text="duplicate",
            fix=fixers.tracker(state.name),
        )
    elif target in state.misplaced:
        message = f"{state.name} row is out of order (newest date first, then incident number); run `pmlint track`"
        yield Finding(line, message, 1, text="order", fix=fixers.tracker(state.name))


@keep_last
def _state(index: RepoIndex, ctx: Context) -> _State | None:
    """The tracker's rows and what they should be, once per run (the index and the context are the run's)."""
    name = PurePosixPath(ctx.settings.tracker).as_posix()
    parsed = ctx.tracker
    if isinstance(parsed, str):
        return _State(name, problem=parsed)
    if parsed is None:
        return None
    if not parsed.managed:
        return _State(name, problem=f"{name} has no `{tracking.START}` table; run `pmlint track` to migrate it")
    listed = [s for s in index.summaries.values() if is_post_mortem(s.path, ctx.settings)]
    rows = tracking.expected_rows(listed, name)
    actual = {r.target: r for r in parsed.rows}
    seen = Counter(r.target for r in parsed.rows)
    duplicated = frozenset(t for t, n in seen.items() if n > 1)
    folder = PurePosixPath(name).parent.as_posix()
    return _State(name, folder, actual, _misplaced(rows, parsed.rows), duplicated)


def _target(cells: tuple[str, ...]) -> str:
    return tracking.Row(cells, 0).target


def _misplaced(expected: list[tuple[str, ...]], actual: tuple[tracking.Row, ...]) -> frozenset[str]:
    """Targets whose row is not where the sort order puts it (among rows of existing files)."""
    wanted = [_target(cells) for cells in expected]
    present = list(dict.fromkeys(r.target for r in actual if r.target in set(wanted)))
    seen = set(present)
    order = [t for t in wanted if t in seen]
    return frozenset(a for a, b in zip(present, order, strict=True) if a != b)


def _stale(name: str, actual: tuple[str, ...], expected: tuple[str, ...], summary: Summary) -> str:
    """What differs; a value the post-mortem states invalidly is not offered for the tracker, but named to fix first."""
    invalid = _invalid(summary)
    changes = [(column, old, new) for column, old, new in zip(tracking.COLUMNS, actual, expected, strict=True) if old != new]
    fixable = "; ".join(f"{column} `{old}` should be `{new}`" for column, old, new in changes if column not in invalid)
    wrong = [f"{col} `{new}` is not valid ({invalid[col]}; the row says `{old}`)" for col, old, new in changes if col in invalid]
    if not wrong:
        return f"{name} row is stale ({fixable}); run `pmlint track`"
    head = f"{name} row is stale ({fixable}); " if fixable else f"{name} row differs from the post-mortem: "
    return f"{head}the post-mortem's {', '.join(wrong)}: fix the post-mortem, then run `pmlint track`"


def _invalid(summary: Summary) -> dict[str, str]:
    """The tracker columns whose value the post-mortem states invalidly, with the rule that says so."""
    found = {}
    if parse_incident(summary.incident) is None:
        found["Incident"] = "PM203"
    if "severity" not in summary.known and not SEVERITY.match(summary.severity.strip()):
        found["Severity"] = "PM204"
    if summary.incident_date is None:
        found["Date"] = "PM206"
    if summary.status is None and "status" not in summary.known:
        found["Status"] = "PM205"
    return found
