"""The report's root-cause categories (`rules/root-causes.yaml`): compiled, and matched against a primary cause."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from postmortem_lint.core.text import fold
from postmortem_lint.document.summary import Summary
from postmortem_lint.packs import loader

UNKNOWN = "unknown"
"""The category of a cause that no keyword matches (every pack has it)."""


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class RootCausePack:
    categories: tuple[Category, ...]
    stopwords: frozenset[str]

    def label(self, name: str) -> str:
        return next((c.label for c in self.categories if c.name == name), name)


@functools.lru_cache(maxsize=1)
def root_cause_pack() -> RootCausePack:
    """The shipped `rules/root-causes.yaml`, checked (unless pre-compiled) and compiled."""
    return compile_pack(loader.load("root-causes"))


def parse_pack(data: Any, origin: str) -> RootCausePack:
    """Validate ``data`` as a root-cause pack (`PackError` names ``origin`` and the entry) and compile it."""
    loader.validate("root-causes", data, origin)
    return compile_pack(data)


def compile_pack(data: dict[str, Any]) -> RootCausePack:
    categories = tuple(_category(entry) for entry in data["categories"])
    return RootCausePack(categories, frozenset(fold(w) for w in data.get("theme-stopwords", [])))


def _category(entry: dict[str, Any]) -> Category:
    words = [w for w in entry["keywords"] if w.strip()]
    patterns = tuple(re.compile(r"(?<![\w-])" + re.escape(fold(w).strip()) + r"(?![\w-])") for w in words)
    note = " ".join(str(entry.get("note", "")).split())
    return Category(entry["name"], str(entry.get("label", entry["name"])), patterns, note)


def category_of(summary: Summary, pack: RootCausePack) -> tuple[str, bool]:
    """An incident's category and whether the document states it.

    The stated category (`**Category:**` under Root Cause, as `pmlint new` writes
    it) comes first: a category's name or label, else its keywords. Only when it
    is absent or unknown are the primary cause's words classified.
    """
    stated = _stated(summary.root_cause_category, pack)
    if stated != UNKNOWN:
        return stated, True
    return categorize(summary.root_cause, pack), False


def _stated(text: str, pack: RootCausePack) -> str:
    folded = fold(text).strip(" .")
    if not folded:
        return UNKNOWN
    exact = next((c.name for c in pack.categories if folded in (fold(c.name), fold(c.label))), None)
    return exact or categorize(text, pack)


def categorize(text: str, pack: RootCausePack) -> str:
    """The category whose keywords match ``text`` most often (first listed on a tie; none: unknown)."""
    folded = fold(text)
    scores = [(sum(1 for p in c.patterns if p.search(folded)), -i, c.name) for i, c in enumerate(pack.categories)]
    best = max(scores)
    return best[2] if best[0] > 0 else UNKNOWN
