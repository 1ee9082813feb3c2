"""PM701 incident-number-duplicate and PM702 related-incident-unknown over the repository index."""

from __future__ import annotations

from pathlib import Path

from lintkit import CLEAN_PATH, TODAY, clean_text, line_of, replace_line

from postmortem_lint.checks import registry
from postmortem_lint.checks.context import RepoIndex
from postmortem_lint.config.settings import Settings
from postmortem_lint.core.diagnostics import Diagnostic
from postmortem_lint.document.summary import Summary
from postmortem_lint.lint import engine, providers

A = "tasks/post-mortem-2026-03-14-a.md"
B = "tasks/post-mortem-2026-03-14-b.md"
C = "tasks/post-mortem-2026-03-15-c.md"


def summary(path: str, incident: str, related: tuple[tuple[str, int, int], ...] = ()) -> Summary:
    return Summary(path=path, incident=incident, incident_line=4, incident_column=25, related=related)


def findings(code: str, target: Summary, index: RepoIndex) -> list[tuple[int, int, int, str]]:
    check = registry.checks([code])[code]
    return [(f.line, f.column, f.end_column, f.message) for f in check(target, index, providers.context(Settings(), TODAY))]


def test_pm701_flags_both_files_sharing_a_number() -> None:
    a, b, c = summary(A, "INC-2026-03-14-001"), summary(B, "INC-2026-03-14-001"), summary(C, "INC-2026-03-15-001")
    index = RepoIndex.of([a, b, c])
    assert findings("PM701", a, index) == [(4, 25, 43, f"incident number INC-2026-03-14-001 is also used by {B}")]
    assert findings("PM701", b, index) == [(4, 25, 43, f"incident number INC-2026-03-14-001 is also used by {A}")]
    assert findings("PM701", c, index) == []


def test_pm701_ignores_missing_and_malformed_numbers() -> None:
    a, b = summary(A, "INC-14-001"), summary(B, "INC-14-001")
    empty_a, empty_b = summary(A, ""), summary(B, "")
    assert findings("PM701", a, RepoIndex.of([a, b])) == []
    assert findings("PM701", empty_a, RepoIndex.of([empty_a, empty_b])) == []


def test_pm701_compares_with_the_tree_at_the_against_ref() -> None:
    mine = summary(A, "INC-2026-03-14-001")
    index = RepoIndex.of([mine], {B: summary(B, "INC-2026-03-14-001"), A: summary(A, "INC-2026-03-14-001")}, "main")
    assert findings("PM701", mine, index) == [(4, 25, 43, f"incident number INC-2026-03-14-001 is also used by {B} at main")]


def test_pm701_lists_at_most_three_others() -> None:
    many = [summary(f"tasks/post-mortem-2026-03-14-{n}.md", "INC-2026-03-14-001") for n in "abcde"]
    [(_, _, _, message)] = findings("PM701", many[0], RepoIndex.of(many))
    assert message.endswith("tasks/post-mortem-2026-03-14-d.md and 1 more")


def test_pm702_accepts_known_numbers_day_prefixes_and_itself() -> None:
    related = (("INC-2026-03-14-001", 60, 3), ("INC-2026-03-15", 61, 3), ("INC-2026-03-14-002", 62, 3), ("INC-2026-03-16", 63, 3))
    a = summary(A, "INC-2026-03-14-002", related)
    index = RepoIndex.of([a, summary(B, "INC-2026-03-14-001"), summary(C, "INC-2026-03-15-001")])
    assert findings("PM702", a, index) == [(63, 3, 17, "related incident INC-2026-03-16 matches no post-mortem in the repository")]


def test_pm702_knows_post_mortems_at_the_against_ref() -> None:
    a = summary(A, "INC-2026-03-14-002", (("INC-2026-03-15-001", 60, 3),))
    index = RepoIndex.of([a])
    assert len(findings("PM702", a, index)) == 1
    assert findings("PM702", a, RepoIndex.of([a], {C: summary(C, "INC-2026-03-15-001")})) == []


def _run(files: dict[str, str]) -> list[Diagnostic]:
    settings = Settings(root=Path("."), select=("PM7",))
    targets = [engine.Target(Path(rel), rel, text.encode()) for rel, text in files.items()]
    return engine.check(targets, settings, TODAY).diagnostics


def test_engine_reports_duplicates_and_unknown_related_incidents_at_their_lines() -> None:
    text = clean_text()
    other = replace_line(text, "# Post-Mortem:", "# Post-Mortem: Another")
    diagnostics = _run({CLEAN_PATH: text, "tasks/post-mortem-2026-03-14-other.md": other})
    duplicate = [d for d in diagnostics if d.code == "PM701"]
    assert {d.path for d in duplicate} == {CLEAN_PATH, "tasks/post-mortem-2026-03-14-other.md"}
    assert all(d.line == line_of(text, "**Incident Number:**") and d.column > 1 for d in duplicate)


def test_engine_related_incident_is_known_once_its_post_mortem_exists() -> None:
    text = clean_text()
    alone = [d for d in _run({CLEAN_PATH: text}) if d.code == "PM702"]
    line = line_of(text, "[INC-2026-01-09-002]")
    assert [(d.line, d.column, d.end_column, d.severity) for d in alone] == [(line, 4, 22, "warning")]
    search = replace_line(text, "**Incident Number:** INC-2026-03-14-001", "**Incident Number:** INC-2026-01-09-002")
    both = _run({CLEAN_PATH: text, "tasks/post-mortem-2026-01-09-search.md": search})
    assert [d for d in both if d.code == "PM702" and d.path == CLEAN_PATH] == []
