"""Earlier post-mortems related to a draft: shared systems, the same root-cause category, shared trigger words.

The template asks for "Related Incidents" and for patterns from previous
incidents; this ranks the archive's summaries against the draft's, each with
its score and the reasons for it, so that an assistant can cite them.

Scores: 3 per system affected in both (`**Systems Affected:**`), 2 for the same
root-cause category as `pmlint report` counts it (not "unknown"), 1 per word of
four letters or more that both titles or primary causes use (at most 5), and 1
when the draft already lists the incident under Related Incidents. Only
post-mortems dated on or before the draft (all, when a date is missing) with a
score above zero are listed, highest first, then newest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postmortem_lint.core.text import fold

if TYPE_CHECKING:
    from postmortem_lint.document.summary import Summary

SYSTEM_POINTS = 3
CATEGORY_POINTS = 2
WORD_POINTS = 1
WORDS_COUNTED = 5
REFERENCE_POINTS = 1
UNKNOWN = "unknown"
_WORD = re.compile(r"[a-z][a-z0-9'-]{3,}")
_GENERIC = frozenset(
    {"incident", "outage", "issue", "issues", "error", "errors", "failure", "failed", "service", "services", "system", "systems"}
    | {"production", "users", "user", "after", "during", "minutes", "hours", "caused", "causing", "because", "while", "when"}
    | {"which", "there", "their", "about", "between"}
)
"""Words too common in post-mortems to relate two of them."""


@dataclass(frozen=True, slots=True)
class Related:
    summary: Summary
    score: int
    reasons: tuple[str, ...]

    def to_dict(self, category: str) -> dict[str, Any]:
        s = self.summary
        return {
            "path": s.path,
            "incident": s.incident,
            "title": s.title,
            "date": s.date,
            "severity": s.severity,
            "root_cause_category": category,
            "systems": list(s.systems),
            "score": self.score,
            "reasons": list(self.reasons),
        }


def rank(
    draft: Summary, archive: Iterable[Summary], category: Callable[[Summary], str], stopwords: frozenset[str], limit: int = 5
) -> list[Related]:
    """The archive's post-mortems related to ``draft``, best first (at most ``limit``)."""
    mine = _Facts.of(draft, category, stopwords)
    cited = {ref for ref, _line, _column in draft.related}
    found = []
    for other in archive:
        if other.path == draft.path or (other.incident and other.incident == draft.incident) or not _earlier(other, draft):
            continue
        related = _score(mine, _Facts.of(other, category, stopwords), other, other.incident in cited)
        if related.score > 0:
            found.append(related)
    found.sort(key=lambda r: (-r.score, -(_day(r.summary) or dt.date.min).toordinal(), r.summary.path))
    return found[:limit]


@dataclass(frozen=True, slots=True)
class _Facts:
    systems: dict[str, str]
    category: str
    words: frozenset[str]

    @classmethod
    def of(cls, summary: Summary, category: Callable[[Summary], str], stopwords: frozenset[str]) -> _Facts:
        systems = {fold(name).strip(): name for name in summary.systems if name.strip()}
        text = fold(f"{summary.title} {summary.root_cause}")
        words = frozenset(w.strip("'-") for w in _WORD.findall(text)) - stopwords - _GENERIC
        return cls(systems, category(summary), words)


def _score(mine: _Facts, theirs: _Facts, other: Summary, cited: bool) -> Related:
    score, reasons = 0, []
    shared = sorted(set(mine.systems) & set(theirs.systems))
    if shared:
        score += SYSTEM_POINTS * len(shared)
        reasons.append("same systems affected: " + ", ".join(theirs.systems[s] for s in shared))
    if mine.category != UNKNOWN and mine.category == theirs.category:
        score += CATEGORY_POINTS
        reasons.append(f"same root-cause category: {mine.category}")
    words = sorted(mine.words & theirs.words)[:WORDS_COUNTED]
    if words:
        score += WORD_POINTS * len(words)
        reasons.append("shared trigger words: " + ", ".join(words))
    if cited:
        score += REFERENCE_POINTS
        reasons.append("already listed under Related Incidents")
    return Related(other, score, tuple(reasons))


def _day(summary: Summary) -> dt.date | None:
    return summary.incident_date


def _earlier(other: Summary, draft: Summary) -> bool:
    theirs, mine = _day(other), _day(draft)
    return theirs is None or mine is None or theirs <= mine
