"""Patterns across incidents (`pmlint report`): the numbers, from the archive's summaries.

`build(summaries, today)` computes a `Report` of plain values; `reporters.report`
prints it (Markdown, JSON, HTML). The root-cause categories come from
`packs.root_causes`; `of_archive` loads the summaries (`lint.archive`).

Time to detect / mitigate of an incident is the document's stated value
(`**Time to Detect (TTD):**`, `**Time to Mitigate (TTM):**`), else what its
timeline shows (first alert or report row, first "restored" row, from the
header's start time); where both exist and differ by more than
`MISMATCH_MINUTES` the incident is listed for a look.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from postmortem_lint.core.errors import Problem
from postmortem_lint.core.facts import SEVERITY
from postmortem_lint.core.text import fold
from postmortem_lint.core.vocab import ACTION_STATUSES, INCIDENT_SEVERITIES
from postmortem_lint.document.summary import Summary
from postmortem_lint.features import actions as actions_mod
from postmortem_lint.lint import archive, providers
from postmortem_lint.packs.loader import PackError
from postmortem_lint.packs.root_causes import RootCausePack, category_of, root_cause_pack
from postmortem_lint.packs.templates.runtime import TemplatePack

JSON_VERSION = 1
MISMATCH_MINUTES = 5
TOP = 10
MONTHS_SHOWN = 24
UNKNOWN = "unknown"
"""A severity that is not SEV-1..SEV-4."""


# ---------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class Timing:
    """Mean and median minutes over the incidents that state or show the measure."""

    incidents: int
    mean: float | None
    median: float | None
    from_fields: int
    from_timeline: int


@dataclass(frozen=True, slots=True)
class Mismatch:
    incident: str
    path: str
    measure: str
    stated: int
    timeline: int


@dataclass(frozen=True, slots=True)
class ActionStats:
    total: int
    done: int
    open: int
    overdue: int
    completion_rate: float | None
    by_status: dict[str, int]


@dataclass(frozen=True, slots=True)
class Reference:
    source: str
    source_path: str
    target: str
    target_path: str
    mutual: bool


@dataclass(frozen=True, slots=True)
class Theme:
    phrase: str
    incidents: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Incident:
    """One post-mortem of the archive, as the HTML report lists it."""

    path: str
    incident: str
    title: str
    date: str
    severity: str
    status: str
    category: str
    open_actions: int
    actions: int


@dataclass(frozen=True, slots=True)
class Overdue:
    """An open action item past its due date, and who owns it."""

    id: str
    action: str
    owner: str
    due: str
    days_overdue: int
    incident: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Report:
    today: str
    incidents: int
    undated: int
    unreadable: tuple[str, ...]
    first: str
    last: str
    by_severity: dict[str, int]
    by_category: dict[str, int]
    category_labels: dict[str, str]
    category_sources: dict[str, int]
    category_notes: tuple[str, ...]
    by_month: dict[str, int]
    time_to_detect: Timing
    time_to_mitigate: Timing
    mismatches: tuple[Mismatch, ...]
    action_items: ActionStats
    systems: dict[str, int]
    references: tuple[Reference, ...]
    unknown_references: int
    themes: tuple[Theme, ...]
    listing: tuple[Incident, ...] = ()
    overdue_items: tuple[Overdue, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("category_labels")
        data.pop("category_notes")
        return {"version": JSON_VERSION, **data}


def build(summaries: Sequence[Summary], today: dt.date, unreadable: Iterable[str] = (), template: TemplatePack | None = None) -> Report:
    """Every number of the report, from the summaries (sorted by path for stable output).

    The severity buckets and action statuses are the ``template`` pack's vocabularies (the seed's when None or
    when the pack has none); the summaries hold severities canonical already.
    """
    ordered = sorted(summaries, key=lambda s: s.path)
    severities = _values(template, "severity", INCIDENT_SEVERITIES)
    statuses = _values(template, "action-status", ACTION_STATUSES)
    pack = root_cause_pack()
    dates = sorted(d for d in (s.incident_date for s in ordered) if d is not None)
    return Report(
        today=today.isoformat(),
        incidents=len(ordered),
        undated=len(ordered) - len(dates),
        unreadable=tuple(sorted(unreadable)),
        first=dates[0].isoformat() if dates else "",
        last=dates[-1].isoformat() if dates else "",
        by_severity=by_severity(ordered, severities),
        by_category=by_category(ordered, pack),
        category_labels={c.name: c.label for c in pack.categories},
        category_sources=category_sources(ordered, pack),
        category_notes=tuple(c.note for c in pack.categories if c.note),
        by_month=by_month(dates),
        time_to_detect=timing(ordered, "ttd_minutes", "timeline_ttd"),
        time_to_mitigate=timing(ordered, "ttm_minutes", "timeline_ttm"),
        mismatches=tuple(mismatches(ordered)),
        action_items=action_stats(ordered, today, statuses),
        systems=top_systems(ordered),
        references=tuple(references(ordered)),
        unknown_references=unknown_references(ordered),
        themes=tuple(themes(ordered, pack)),
        listing=tuple(listing(ordered, pack, today, severities)),
        overdue_items=tuple(overdue_items(ordered, today)),
    )


def of_archive(
    paths: Sequence[Path], config_file: Path | None, today: dt.date, jobs: int = 0, cache: bool = True, warn: Callable[[str], None] = print
) -> tuple[Report, Path]:
    """The report of the project's post-mortems (or of those under ``paths``), and the project root; a bad pack is a `Problem`."""
    found = archive.load(paths, config_file, jobs, cache, warn)
    try:
        template = providers.packdata().template_pack(found.settings.template, found.settings.root) if found.settings.template else None
        return build(found.summaries, today, found.unreadable, template), found.settings.root
    except PackError as exc:
        raise Problem(str(exc)) from None


def _values(template: TemplatePack | None, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    words = template.vocabulary(name) if template is not None else None
    return words.values if words is not None and words.values else default


def by_severity(summaries: Sequence[Summary], severities: tuple[str, ...] = INCIDENT_SEVERITIES) -> dict[str, int]:
    found = Counter(_severity(s.severity, severities) for s in summaries)
    counts = {sev: found.get(sev, 0) for sev in severities}
    if found.get(UNKNOWN):
        counts[UNKNOWN] = found[UNKNOWN]
    return counts


def _severity(text: str, severities: tuple[str, ...] = INCIDENT_SEVERITIES) -> str:
    """The bucket: the pack's value (summaries hold it canonical), else a `SEV-n` spelling of one, else unknown."""
    if text.strip() in severities:
        return text.strip()
    match = SEVERITY.match(text.strip())
    return f"SEV-{match.group(1)}" if match and f"SEV-{match.group(1)}" in severities else UNKNOWN


def by_category(summaries: Sequence[Summary], pack: RootCausePack) -> dict[str, int]:
    found = Counter(category_of(s, pack)[0] for s in summaries)
    return {c.name: found.get(c.name, 0) for c in pack.categories}


def category_sources(summaries: Sequence[Summary], pack: RootCausePack) -> dict[str, int]:
    """How many incidents state their category, and how many were classified from the primary cause's words."""
    stated = sum(1 for s in summaries if category_of(s, pack)[1])
    return {"stated": stated, "keywords": len(summaries) - stated}


def listing(
    summaries: Sequence[Summary], pack: RootCausePack, today: dt.date, severities: tuple[str, ...] = INCIDENT_SEVERITIES
) -> Iterable[Incident]:
    """Every incident, newest first (undated last), with its open and total action items."""
    items = actions_mod.collect(summaries, today)
    open_by_path = Counter(a.path for a in items if a.open)
    dated = sorted(summaries, key=lambda s: (s.incident_date or dt.date.min, s.path), reverse=True)
    for s in dated:
        date = s.incident_date.isoformat() if s.incident_date else ""
        status = s.status or s.status_text
        category = pack.label(category_of(s, pack)[0])
        severity = _severity(s.severity, severities)
        yield Incident(s.path, s.incident, s.title, date, severity, status, category, open_by_path[s.path], len(s.actions))


def overdue_items(summaries: Sequence[Summary], today: dt.date) -> Iterable[Overdue]:
    """The overdue action items, most overdue first."""
    late = [a for a in actions_mod.collect(summaries, today) if a.overdue]
    for a in sorted(late, key=lambda a: (-a.days_overdue, a.path, a.line)):
        yield Overdue(a.id, a.action, a.owner, a.due, a.days_overdue, a.incident, a.path, a.line)


def by_month(dates: Sequence[dt.date]) -> dict[str, int]:
    """Incidents per calendar month, every month from the first to the last (zeros included)."""
    if not dates:
        return {}
    found = Counter(f"{d.year:04d}-{d.month:02d}" for d in dates)
    months: dict[str, int] = {}
    year, month = dates[0].year, dates[0].month
    while (year, month) <= (dates[-1].year, dates[-1].month):
        months[f"{year:04d}-{month:02d}"] = found.get(f"{year:04d}-{month:02d}", 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timing(summaries: Sequence[Summary], stated: str, shown: str) -> Timing:
    values: list[int] = []
    fields = timeline = 0
    for summary in summaries:
        value, from_timeline = getattr(summary, stated), getattr(summary, shown)
        if value is not None:
            values.append(value)
            fields += 1
        elif from_timeline is not None:
            values.append(from_timeline)
            timeline += 1
    if not values:
        return Timing(0, None, None, 0, 0)
    return Timing(len(values), round(statistics.fmean(values), 2), float(statistics.median(values)), fields, timeline)


def mismatches(summaries: Sequence[Summary]) -> Iterable[Mismatch]:
    """Incidents whose stated TTD/TTM and timeline differ by more than `MISMATCH_MINUTES`."""
    for summary in summaries:
        pairs = (("TTD", summary.ttd_minutes, summary.timeline_ttd), ("TTM", summary.ttm_minutes, summary.timeline_ttm))
        for measure, stated, shown in pairs:
            if stated is not None and shown is not None and abs(stated - shown) > MISMATCH_MINUTES:
                yield Mismatch(_name(summary), summary.path, measure, stated, shown)


def _name(summary: Summary) -> str:
    return summary.incident or summary.path.rsplit("/", 1)[-1]


def action_stats(summaries: Sequence[Summary], today: dt.date, statuses: tuple[str, ...] = ACTION_STATUSES) -> ActionStats:
    items = actions_mod.collect(summaries, today)
    total = actions_mod.counts(items)
    found = Counter(a.status for a in items)
    by_status = {s: found.pop(s, 0) for s in statuses}
    by_status.update(sorted(found.items()))
    rate = round(total.completion_rate, 4) if total.completion_rate is not None else None
    return ActionStats(total.total, total.done, total.open, total.overdue, rate, by_status)


def top_systems(summaries: Sequence[Summary], limit: int = TOP) -> dict[str, int]:
    """The systems named most often under Systems Affected (one count per incident; first spelling shown)."""
    counted: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for summary in summaries:
        keys = {fold(name): name for name in summary.systems}
        counted.update(keys.keys())
        for folded, name in keys.items():
            spelling.setdefault(folded, name)
    ranked = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return {spelling[k]: n for k, n in ranked}


def references(summaries: Sequence[Summary]) -> Iterable[Reference]:
    """Related-incident links between post-mortems of the archive (each pair once per direction)."""
    numbers = {s.incident: s for s in summaries if s.incident}
    links = {(s.incident or s.path, target.incident): (s, target) for s in summaries for target in _targets(s, numbers)}
    for (source, target), (summary, other) in sorted(links.items()):
        yield Reference(source, summary.path, target, other.path, (target, source) in links)


def _targets(summary: Summary, numbers: dict[str, Summary]) -> Iterable[Summary]:
    for ref, _line, _column in summary.related:
        target = _resolve(ref, numbers)
        if target is not None and target.path != summary.path:
            yield target


def _resolve(ref: str, numbers: dict[str, Summary]) -> Summary | None:
    """An incident by number; a reference without the sequence (`INC-2026-01-09`) when it names one incident."""
    if ref in numbers:
        return numbers[ref]
    hits = [s for number, s in numbers.items() if number.startswith(ref + "-")]
    return hits[0] if len(hits) == 1 else None


def unknown_references(summaries: Sequence[Summary]) -> int:
    numbers = {s.incident: s for s in summaries if s.incident}
    return sum(1 for s in summaries for ref, _l, _c in s.related if _resolve(ref, numbers) is None)


def themes(summaries: Sequence[Summary], pack: RootCausePack, limit: int = TOP) -> Iterable[Theme]:
    """Word pairs that recur in the primary causes of two or more incidents.

    Pairs found in exactly the same incidents are one theme: overlapping ones are
    chained (`unannounced api` + `api change` -> `unannounced api change`).
    """
    seen: dict[str, list[str]] = {}
    for summary in summaries:
        for phrase in sorted(_phrases(summary.root_cause, pack.stopwords)):
            seen.setdefault(phrase, []).append(_name(summary))
    groups: dict[tuple[str, ...], list[str]] = {}
    for phrase, names in seen.items():
        if len(names) > 1:
            groups.setdefault(tuple(names), []).append(phrase)
    ranked = sorted(((_chain(phrases), cited) for cited, phrases in groups.items()), key=lambda kv: (-len(kv[1]), kv[0]))
    for phrase, cited in ranked[:limit]:
        yield Theme(phrase, len(cited), cited[:3])


def _chain(pairs: list[str]) -> str:
    """Overlapping word pairs joined into phrases (`a b` + `b c` -> `a b c`), several joined by ` / `."""
    follows = {pair.split(" ")[0]: pair.split(" ")[1] for pair in sorted(pairs)}
    starts = sorted(set(follows) - set(follows.values())) or sorted(follows)[:1]
    phrases = []
    for word in starts:
        words = [word]
        while words[-1] in follows and follows[words[-1]] not in words:
            words.append(follows[words[-1]])
        phrases.append(" ".join(words))
    return " / ".join(phrases)


def _phrases(text: str, stopwords: frozenset[str]) -> set[str]:
    words = re.findall(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]", fold(text))
    return {f"{a} {b}" for a, b in itertools.pairwise(words) if a not in stopwords and b not in stopwords}


def most_referenced(report: Report, limit: int = TOP) -> dict[str, list[str]]:
    """The incidents referred to most often, with who refers to them."""
    cited: dict[str, list[str]] = {}
    for ref in report.references:
        cited.setdefault(ref.target, []).append(ref.source)
    return dict(sorted(cited.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit])


def mutual_pairs(report: Report) -> list[tuple[str, str]]:
    return sorted({(r.source, r.target) for r in report.references if r.mutual and r.source < r.target})
