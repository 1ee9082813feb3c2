"""Wording the report's numbers share across formats: minutes, percentages, the headline, what is not counted."""

from __future__ import annotations

from postmortem_lint.features.insights import Report, mutual_pairs


def minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} min" if float(value).is_integer() else f"{value:.1f} min"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def headline(report: Report) -> list[tuple[str, str]]:
    """The summary rows every format starts with."""
    items = report.action_items
    ttd, ttm = report.time_to_detect, report.time_to_mitigate
    period = f"{report.first} to {report.last}" if report.first else "–"
    return [
        ("Incidents", f"{report.incidents} ({period})"),
        ("Time to detect", f"mean {minutes(ttd.mean)}, median {minutes(ttd.median)} ({ttd.incidents} incidents)"),
        ("Time to mitigate", f"mean {minutes(ttm.mean)}, median {minutes(ttm.median)} ({ttm.incidents} incidents)"),
        ("Action items done", f"{items.done} of {items.total} ({percent(items.completion_rate)})"),
        ("Overdue action items", f"{items.overdue} (of {items.open} open)"),
    ]


def references_sentence(report: Report) -> str:
    pairs = len(mutual_pairs(report))
    linked = len({r.source for r in report.references} | {r.target for r in report.references})
    text = f"{count(len(report.references), 'reference')} between {count(linked, 'post-mortem')}; "
    text += f"{count(pairs, 'pair')} of incidents referring to each other."
    if report.unknown_references:
        text += f" {count(report.unknown_references, 'reference')} to incidents without a post-mortem here."
    return text


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def not_counted(report: Report) -> list[str]:
    """What the numbers leave out: undated and unreadable post-mortems."""
    notes = [f"{count(report.undated, 'post-mortem')} without a date, missing from the months."] if report.undated else []
    return notes + [f"`{path}` could not be read (see `pmlint check`)." for path in report.unreadable]


def category_notes(report: Report) -> list[str]:
    """What the category counts are made of: stated or classified, and which answers share a bucket."""
    sources = report.category_sources
    stated, guessed = sources.get("stated", 0), sources.get("keywords", 0)
    where = f"Category as stated in the post-mortem (`**Category:**` under Root Cause): {stated}; "
    return [f"{where}classified from the words of the primary cause: {guessed}.", *report.category_notes]
