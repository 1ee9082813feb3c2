"""Issue 17's done-when on a fresh `pmlint new` draft: untouched, nothing is fixable (its placeholders are the
author's); once an author fills in the header in forms of their own, `--diff` shows exactly the edits the fixes make,
`--fix` applies the safe ones and the count drops by the number it reports, `--unsafe-fixes` the rest, and every other
byte of the file stays as it was. For the seed and for a preset (`template: bdougie`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from repokit import commit, init, pmlint, write

TODAY = ("--today", "2026-03-20", "--no-cache")


class Line(NamedTuple):
    """One line of the draft: as `pmlint new` wrote it, as the author rewrote it, after `--fix`, after `--unsafe-fixes`."""

    draft: str
    written: str
    safe: str
    unsafe: str


def _same(draft: str, written: str) -> Line:
    """A line the author fills in that no fix touches."""
    return Line(draft, written, written, written)


SEED = [
    Line("**Date:** 2026-03-14", "**Date**: 2026-03-14", "**Date:** 2026-03-14", "**Date:** 2026-03-14"),
    _same("**Time:** [HH:MM - HH:MM UTC]", "**Time:** 14:02 - 15:37 UTC"),
    Line(
        "**Duration:** [between 30 minutes and 2 hours]",
        "**Duration:** 2 hours",
        "**Duration:** 2 hours",
        "**Duration:** 1 hour 35 minutes",
    ),
    Line("**Severity:** SEV-2", "**Severity:** sev 2", "**Severity:** SEV-2", "**Severity:** SEV-2"),
    Line("**Status:** Draft", "**Status:** draft", "**Status:** Draft", "**Status:** Draft"),
    Line(
        "The primary impact is still to be described. It lasted",
        "A fat-fingered cache key emptied the cache. It lasted",
        "A fat-fingered cache key emptied the cache. It lasted",
        "A mistyped cache key emptied the cache. It lasted",
    ),
    Line(
        "| AI-001 | [Action] | [Name] | High | [Date] | Open |",
        "| AI-001 | [Action] | [Name] | high | [Date] | in progress |",
        "| AI-001 | [Action] | [Name] | High | [Date] | In Progress |",
        "| AI-001 | [Action] | [Name] | High | [Date] | In Progress |",
    ),
]
"""The seed's draft: the header in the author's forms, a blame phrase the pack has a literal rewording of."""

BDOUGIE = [
    _same("**Date:** 2026-03-14", "**Date**: 2026-03-14"),  # the bdougie family writes `**Date**:` on purpose
    Line("**Severity:** High", "**Severity:** high", "**Severity:** High", "**Severity:** High"),
    _same("**Status:** Resolved", "**Status:** fixed"),  # an alias the pack's vocabulary lists: accepted as it is
    Line(
        "## Root Cause\n\nTo be written.",
        "## Root Cause\n\nThe offending operator's command set a cache key that emptied the cache.",
        "## Root Cause\n\nThe offending operator's command set a cache key that emptied the cache.",
        "## Root Cause\n\nThe operator's command set a cache key that emptied the cache.",
    ),
]
"""A preset's draft: its own severity words and date form, and a blame phrase."""

CASES = {"seed": (("--severity", "SEV-2"), SEED), "bdougie": (("--severity", "High"), BDOUGIE)}


def _draft(tmp_path: Path, preset: str, args: tuple[str, ...]) -> tuple[Path, str]:
    repo = init(tmp_path / "repo")
    if preset != "seed":
        write(repo, ".pmlint.yaml", f"template: {preset}\n")
    made = pmlint(repo, "new", "--no-input", "--date", "2026-03-14", "--author", "Dana Lee", *args, "Cache storm")
    assert made.returncode == 0, made.stderr
    commit(repo, "draft")
    return repo, made.stdout.strip()


def _filled(text: str, lines: list[Line], which: str) -> str:
    for line in lines:
        assert text.count(line.draft) == 1, f"the draft no longer holds {line.draft!r} once"
        text = text.replace(line.draft, getattr(line, which))
    return text


def _diagnostics(repo: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(pmlint(repo, "check", "--format", "json", *TODAY).stdout)["diagnostics"]  # type: ignore[no-any-return]


def _changed(diff: str) -> tuple[list[str], list[str]]:
    """The removed and the added lines of a unified diff."""
    body = [line for line in diff.splitlines() if not line.startswith(("--- ", "+++ "))]
    return [line[1:] for line in body if line.startswith("-")], [line[1:] for line in body if line.startswith("+")]


def _expected_change(draft: str, lines: list[Line], after: str) -> tuple[list[str], list[str]]:
    """The lines the fixes should change (each edit keeps the line count), as the author wrote them and as fixed."""
    pairs = zip(_filled(draft, lines, "written").split("\n"), _filled(draft, lines, after).split("\n"), strict=True)
    changed = [(old, new) for old, new in pairs if old != new]
    return [old for old, _ in changed], [new for _, new in changed]


def _summary(stderr: str) -> tuple[int, int]:
    """How many findings the stderr summary says were (or would be) fixed, and how many remain."""
    match = re.search(r"pmlint: (?:Fixed|Would fix) (\d+) findings? \((\d+) remaining\)", stderr)
    assert match, stderr
    return int(match[1]), int(match[2])


@pytest.mark.parametrize("preset", sorted(CASES))
def test_an_untouched_draft_has_nothing_to_fix(tmp_path: Path, preset: str) -> None:
    repo, rel = _draft(tmp_path, preset, CASES[preset][0])
    before = (repo / rel).read_bytes()
    found = _diagnostics(repo)
    assert all(d["fix"] is None for d in found), [d["code"] for d in found if d["fix"]]
    for flags in ((), ("--unsafe-fixes",)):
        diff = pmlint(repo, "check", "--diff", *flags, *TODAY)
        assert diff.returncode == 0 and diff.stdout == "", (diff.stdout, diff.stderr)
        assert _summary(diff.stderr) == (0, len(found))
    assert (repo / rel).read_bytes() == before


@pytest.mark.parametrize("preset", sorted(CASES))
def test_a_filled_in_draft_diff_fix_then_unsafe_fixes(tmp_path: Path, preset: str) -> None:
    args, lines = CASES[preset]
    repo, rel = _draft(tmp_path, preset, args)
    draft = (repo / rel).read_text(encoding="utf-8")
    write(repo, rel, _filled(draft, lines, "written"))
    start = _diagnostics(repo)
    safe = [d for d in start if d["fix"] and d["fix"]["safety"] == "safe"]
    unsafe = [d for d in start if d["fix"] and d["fix"]["safety"] == "unsafe"]
    assert safe and {d["code"] for d in unsafe} >= {"PM601"}

    shown = pmlint(repo, "check", "--diff", *TODAY)
    assert shown.returncode == 1 and _changed(shown.stdout) == _expected_change(draft, lines, "safe"), shown.stdout
    assert _summary(shown.stderr) == (len(safe), len(start) - len(safe)) and f"{len(unsafe)} more with --unsafe-fixes" in shown.stderr
    every = pmlint(repo, "check", "--diff", "--unsafe-fixes", *TODAY)
    assert every.returncode == 1 and _changed(every.stdout) == _expected_change(draft, lines, "unsafe"), every.stdout
    assert (repo / rel).read_text(encoding="utf-8") == _filled(draft, lines, "written"), "--diff writes nothing"

    fixed = pmlint(repo, "check", "--fix", *TODAY)
    count, remaining = _summary(fixed.stderr)
    assert count == len(safe) and f"{len(unsafe)} more with --unsafe-fixes" in fixed.stderr, fixed.stderr
    assert len(_diagnostics(repo)) == len(start) - count == remaining
    assert (repo / rel).read_text(encoding="utf-8") == _filled(draft, lines, "safe"), "only the safe fixes' spans changed"

    rest = pmlint(repo, "check", "--unsafe-fixes", *TODAY)
    count, remaining = _summary(rest.stderr)
    assert count == len(unsafe) and "more with --unsafe-fixes" not in rest.stderr, rest.stderr
    assert len(_diagnostics(repo)) == len(start) - len(safe) - len(unsafe) == remaining
    assert (repo / rel).read_text(encoding="utf-8") == _filled(draft, lines, "unsafe"), "every other byte is the author's"
    again = pmlint(repo, "check", "--diff", "--unsafe-fixes", *TODAY)
    assert again.returncode == 0 and again.stdout == ""
