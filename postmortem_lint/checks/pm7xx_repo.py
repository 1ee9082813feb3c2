"""PM701–PM702: incident numbers across the repository (and the tree at ``--against REF``)."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_lint.checks import fixers
from postmortem_lint.checks.context import Context, RepoIndex
from postmortem_lint.checks.registry import repo_rule
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.core.facts import parse_incident
from postmortem_lint.core.memo import keep_last
from postmortem_lint.document.summary import Summary


@repo_rule("PM701", "incident-number-duplicate", "error")
def incident_number_duplicate(summary: Summary, index: RepoIndex, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that no other post-mortem in the repository uses the same incident
    number, nor one at `--against REF` (for example the pull request's base
    branch, so that two branches that both take `INC-2026-03-14-001` are caught
    before the second merges).

    ## Why is this bad?
    The incident number is the key that links the post-mortem, the tracker,
    tickets and related incidents. Two documents with one number make every
    one of those links ambiguous.

    ## Example
    ```markdown
    <!-- tasks/post-mortem-2026-03-14-checkout-latency.md -->
    **Incident Number:** INC-2026-03-14-001
    <!-- tasks/post-mortem-2026-03-14-search-outage.md -->
    **Incident Number:** INC-2026-03-14-001
    ```

    ## Use instead
    ```markdown
    <!-- tasks/post-mortem-2026-03-14-search-outage.md -->
    **Incident Number:** INC-2026-03-14-002
    ```
    """
    if parse_incident(summary.incident) is None:
        return
    others = [s.path for s in _numbers(index).get(summary.incident, ()) if s.path != summary.path]
    if not others:
        return
    end = summary.incident_column + len(summary.incident)
    message = f"incident number {summary.incident} is also used by {_listed(others, index)}"
    fix = fixers.next_incident(summary, _numbers(index), ctx.settings.incident_number_width) if summary.path > min(others) else None
    yield Finding(summary.incident_line, message, summary.incident_column, summary.incident_line, end, text=summary.incident, fix=fix)


@keep_last
def _numbers(index: RepoIndex) -> dict[str, list[Summary]]:
    """Summaries by incident number, here and at REF (built once per run)."""
    found = index.by_incident()
    for path, summary in sorted(index.against.items()):
        if path not in index.summaries and parse_incident(summary.incident):
            found.setdefault(summary.incident, []).append(summary)
    return found


def _listed(paths: list[str], index: RepoIndex) -> str:
    at = f" at {index.against_ref}" if index.against_ref else ""
    shown = [f"{p}{at if p in index.against and p not in index.summaries else ''}" for p in paths[:3]]
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return ", ".join(shown) + more


@repo_rule("PM702", "related-incident-unknown", "warning")
def related_incident_unknown(summary: Summary, index: RepoIndex, ctx: Context) -> Iterator[Finding]:
    """## What it does
    Checks that every `INC-…` number referenced under Related Incidents is the
    incident number of a post-mortem in the repository (or at `--against REF`).
    A reference without the sequence number (`INC-2026-03-14`) matches any
    incident of that day.

    ## Why is this bad?
    A related incident is cited so that readers can follow the pattern. A
    number that matches no post-mortem is a typo, or points at a write-up that
    was never filed, and the trail ends there.

    ## Example
    ```markdown
    ### Related Incidents
    - INC-2025-13-40-001: similar pool exhaustion
    ```

    ## Use instead
    ```markdown
    ### Related Incidents
    - INC-2026-01-09-002: search index outage, also a rollout whose health checks missed the failure
    ```
    """
    numbers = _numbers(index)
    for ref, line, column in summary.related:
        if ref == summary.incident or _known(ref, numbers):
            continue
        message = f"related incident {ref} matches no post-mortem in the repository"
        yield Finding(line, message, column, line, column + len(ref), text=ref)


def _known(ref: str, numbers: dict[str, list[Summary]]) -> bool:
    if ref in numbers:
        return True
    if parse_incident(ref) is not None:
        return False
    return any(number.startswith(ref + "-") for number in numbers)
