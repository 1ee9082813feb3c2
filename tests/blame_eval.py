"""How well the current PM601/PM602 rules do on the labelled set `tests/data/blame_v2.yaml`.

Not a test module (pytest collects ``*_test.py``): `tests/blame_v2_data_test.py` checks
that it runs, and `benchmarks/blame_eval.py` prints its numbers.

Each sentence is checked the way a real post-mortem is: it becomes the Executive
Summary of a small post-mortem whose header names the first person of `people` as
Author and whose Timeline names the others as actors (so PM602 knows them), and the
document goes through `linter.lint_bytes`/`engine.finish` with only PM601 and PM602
selected. A sentence is flagged when a PM601 or PM602 finding lands on its line.

The set is split in two halves by a hash of the text (`half_of`); tune on "tuning",
report on "heldout".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from postmortem_lint.config.settings import Settings
from postmortem_lint.lint import engine, linter

DATA = Path(__file__).resolve().parent / "data" / "blame_v2.yaml"
REPO = Path(__file__).resolve().parent.parent
HALVES = ("tuning", "heldout")
BLAMEFUL_KINDS = (
    "explicit",
    "named-person",
    "role",
    "team",
    "passive",
    "sanction",
    "character",
    "counterfactual-person",
    "sarcasm",
    "idiom",
    "without-checking",
)
TRAP_KINDS = (
    "quoted",
    "negated",
    "technical",
    "code-log",
    "lesson",
    "neutral-person",
    "system-subject",
    "category-list",
)
RULES = ("PM601", "PM602")
REL = "tasks/post-mortem-2026-03-14-blame-eval.md"
TODAY = dt.date(2026, 3, 20)


def half_of(text: str) -> str:
    """The half a sentence belongs to: fixed by its text, never stored."""
    return "heldout" if int(hashlib.sha256(text.strip().encode()).hexdigest(), 16) % 2 else "tuning"


def load(path: Path = DATA) -> tuple[list[str], list[dict[str, Any]]]:
    """The people and the sentences of the set."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return list(data["people"]), list(data["sentences"])


def document(sentence: str, people: list[str]) -> tuple[str, int]:
    """A minimal post-mortem holding ``sentence`` as a paragraph, and the 1-based line it is on.

    The sentence is the Executive Summary, so the prose block before it is the header
    (ending in "Draft"), never a Timeline cell holding a name: the engine joins all
    prose blocks into one text, and a name ending the previous block must not be read
    as the start of the sentence.
    """
    author, *actors = people
    rows = [f"| 10:{minute:02d} | Joined the incident bridge | {actor} |" for minute, actor in enumerate(actors or [author])]
    before = [
        "# Post-Mortem: Checkout errors after a configuration change",
        "",
        "**Incident Number:** INC-2026-03-14-001",
        "**Date:** 2026-03-14",
        "**Severity:** SEV-2",
        f"**Author:** {author}",
        "**Status:** Draft",
        "",
        "## Executive Summary",
        "",
    ]
    after = [
        "",
        "## Timeline",
        "",
        "| Time | Event | Actor |",
        "|------|-------|-------|",
        *rows,
        "",
        "## Lessons Learned",
        "",
        "Checkout needs a faster rollback path.",
        "",
    ]
    return "\n".join([*before, sentence.strip(), *after]), len(before) + 1


def _settings() -> Settings:
    return Settings(root=REPO, select=RULES)


def findings(text: str, settings: Settings | None = None) -> list[tuple[str, int]]:
    """(code, line) of every PM601/PM602 finding of one document."""
    settings = settings or _settings()
    result = linter.lint_bytes(REL, text.encode("utf-8"), None, settings, TODAY)
    return [(d.code, d.line) for d in engine.finish({REL: result}, None, settings, TODAY) if d.code in RULES]


def flagged(sentence: str, people: list[str], settings: Settings | None = None) -> bool:
    """Whether a PM601/PM602 finding lands on the sentence's line of its document."""
    text, line = document(sentence, people)
    return any(at == line for _, at in findings(text, settings))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def evaluate(half: str, path: Path = DATA, details: bool = False) -> dict[str, Any]:
    """Precision, recall, F1 and per-kind rates of the current rules on one half of the set.

    ``kinds`` maps every kind to n, flagged and rate (recall for a blameful kind, the
    false-alarm rate for a trap kind); ``recall_by_kind`` and ``false_alarm_by_kind``
    hold just the rates. Precision is 0.0 when nothing is flagged. With ``details``,
    ``misses`` and ``false_alarms`` list the (kind, text) the rules got wrong; only ask
    for them on the tuning half.
    """
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    people, sentences = load(path)
    settings = _settings()
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    kinds: dict[str, dict[str, Any]] = {k: {"blame": k in BLAMEFUL_KINDS, "n": 0, "flagged": 0} for k in BLAMEFUL_KINDS + TRAP_KINDS}
    misses: list[tuple[str, str]] = []
    false_alarms: list[tuple[str, str]] = []
    for item in sentences:
        text, kind, actual = str(item["text"]), str(item["kind"]), bool(item["blame"])
        if half_of(text) != half:
            continue
        predicted = flagged(text, people, settings)
        counts[("t" if predicted == actual else "f") + ("p" if predicted else "n")] += 1
        kinds[kind]["n"] += 1
        kinds[kind]["flagged"] += predicted
        if actual and not predicted:
            misses.append((kind, text))
        elif predicted and not actual:
            false_alarms.append((kind, text))
    for entry in kinds.values():
        entry["rate"] = _ratio(entry["flagged"], entry["n"])
    precision = _ratio(counts["tp"], counts["tp"] + counts["fp"])
    recall = _ratio(counts["tp"], counts["tp"] + counts["fn"])
    report: dict[str, Any] = {
        "half": half,
        "n": sum(counts.values()),
        **counts,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "kinds": kinds,
        "recall_by_kind": {k: kinds[k]["rate"] for k in BLAMEFUL_KINDS},
        "false_alarm_by_kind": {k: kinds[k]["rate"] for k in TRAP_KINDS},
    }
    if details:
        report["misses"] = misses
        report["false_alarms"] = false_alarms
    return report
