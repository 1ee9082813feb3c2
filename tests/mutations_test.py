"""One-line mutations of the clean Final post-mortem: each rule fires at the mutated line.

The clean fixture (tests/fixtures/clean-final.md, checked as
tasks/post-mortem-2026-03-14-checkout-latency.md on 2026-03-20) has no finding.
Each case changes one line, found by a unique substring, and states every
finding the mutated document gets: code, the line (by default the mutated one)
and, where the rule gives one, the column. Nothing else may fire.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from lintkit import CLEAN_PATH, clean_text, line_of, lint, replace_line

from postmortem_lint.cli import main
from postmortem_lint.core.diagnostics import Diagnostic


@dataclass(frozen=True)
class Expect:
    """A finding ``code`` on the line holding ``at`` (default: the mutated text), at the column of ``col``."""

    code: str
    at: str | None = None
    col: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Mutation:
    id: str
    old: str
    new: str | None
    expect: tuple[Expect, ...]
    path: str = CLEAN_PATH
    why: str = ""


def E(code: str, at: str | None = None, col: str | None = None, message: str | None = None) -> Expect:
    return Expect(code, at, col, message)


MUTATIONS = (
    # Title and header fields.
    Mutation("PM201-not-post-mortem", "# Post-Mortem: Checkout", "# Incident: Checkout", (E("PM201", col="# Incident"),)),
    Mutation("PM201-empty-title", "# Post-Mortem: Checkout latency from per-item tax quotes", "# Post-Mortem:", (E("PM201", col="#"),)),
    Mutation("PM201-second-h1", "### Appendix D: Monitoring Improvements", "# Appendix D", (E("PM201", col="#"),)),
    Mutation(
        "PM202-author-deleted",
        "**Author:** Daniel Okafor",
        None,
        (E("PM202", at="**Status:** Final", message="`**Author:**` is missing"),),
        why="the line is gone: the finding is where the field belongs, at the next field (now on the deleted line's number)",
    ),
    Mutation(
        "PM202-incident-number-deleted",
        "**Incident Number:**",
        None,
        (E("PM202", at="**Date:** 2026-03-14"),),
        why="the line is gone: the finding is at the field that now holds its line number",
    ),
    Mutation(
        "PM202-status-deleted",
        "**Status:** Final",
        None,
        (E("PM202", at="**Author:** Daniel Okafor"),),
        why="the last field is gone: the finding is on the field before it; a missing status reads as Final",
    ),
    Mutation("PM203", "INC-2026-03-14-001", "INC-42", (E("PM203", col="INC-42", message="`INC-42` is not `INC-YYYY-MM-DD-NNN`"),)),
    Mutation("PM203-impossible-date", "INC-2026-03-14-001", "INC-2026-02-30-001", (E("PM203", col="INC-"),)),
    Mutation(
        "PM204", "**Severity:** SEV-2", "**Severity:** P1", (E("PM204", col="P1", message="severity `P1` is not one of SEV-1..SEV-4"),)
    ),
    Mutation("PM205", "**Status:** Final", "**Status:** ✅ RESOLVED", (E("PM205", col="✅", message="status `RESOLVED` is not one of"),)),
    Mutation("PM206-incident-date", "INC-2026-03-14-001", "INC-2026-03-13-001", (E("PM206", col="INC-"),)),
    Mutation(
        "PM206-date-field",
        "**Date:** 2026-03-14",
        "**Date:** 2026-03-15",
        (E("PM206", col="2026"), E("PM206", at="INC-2026-03-14-001", col="INC-")),
        why="the stated date differs from the file name and from the incident number: both are reported",
    ),
    Mutation("PM207", "**Time:** 14:05 - 15:35 UTC", "**Time:** 2:05pm - 3:35pm", (E("PM207", col="2:05pm"),)),
    Mutation("PM208", "**Duration:** 1 hour 30 minutes", "**Duration:** 2 hours", (E("PM208", col="2 hours", message="spans 1h 30m"),)),
    # Sections.
    Mutation("PM301-renamed-subsection", "### Trigger", "### Triggers", (E("PM301", col="#", message="`### Trigger`"),)),
    Mutation("PM301-renamed-section", "## Lessons Learned", "## Learnings", (E("PM301", col="#", message="`## Lessons Learned`"),)),
    Mutation(
        "PM302-heading-out-of-place",
        "### Appendix D: Monitoring Improvements",
        "## Executive Summary",
        (E("PM302", col="#"), E("PM304", col="#")),
        why="a required heading written again near the end is both out of order and a duplicate",
    ),
    Mutation(
        "PM303-summary-emptied",
        "On 2026-03-14 from 14:05 to 15:35 UTC, checkout slowed",
        "<!-- what happened, impact, status -->",
        (E("PM303", at="## Executive Summary", col="#"),),
        why="an empty section is reported at its heading, two lines above the emptied text",
    ),
    Mutation("PM304", "### Appendix D: Monitoring Improvements", "## Appendices", (E("PM304", col="#"),)),
    # Content.
    Mutation("PM401-author", "**Author:** Daniel Okafor", "**Author:** [Name]", (E("PM401", col="[Name]"),)),
    Mutation("PM401-revenue", "$38,500 (estimated", "$[Amount] (estimated", (E("PM401", col="$[Amount]"),)),
    Mutation("PM401-timeline-time", "| 14:14 | Alert triggered", "| HH:MM | Alert triggered", (E("PM401", col="HH:MM"),)),
    Mutation("PM402-time", "| 14:31 | Initial diagnosis", "| 2:31pm | Initial diagnosis", (E("PM402", col="2:31pm"),)),
    Mutation(
        "PM402-empty-actor",
        "| Initial diagnosis: checkout-api workers saturated waiting on quotes | Marcus Lee |",
        "| Initial diagnosis: checkout-api workers saturated waiting on quotes |  |",
        (E("PM402"),),
    ),
    Mutation("PM402-header", "| Time | Event | Actor |", "| When | Event | Actor |", (E("PM402", col="|"),)),
    Mutation("PM403", "| 14:31 | Initial diagnosis", "| 14:01 | Initial diagnosis", (E("PM403", col="14:01"),)),
    Mutation(
        "PM404-no-question",
        "5. **Why did the rollout not halt on its own?**",
        "5. **Why did the rollout not halt on its own**",
        (E("PM404"),),
    ),
    Mutation(
        "PM405",
        "and all follow-up actions have owners.",
        "and all follow-up actions have owners. It was bad. It was long.",
        (E("PM405", message="5 sentences"),),
    ),
    Mutation("PM406", "~12,400 customers (18% of checkout attempts during the window)", "many customers", (E("PM406", col="many"),)),
    Mutation("PM407", "Document the quote kill-switch flag in the runbook", "Implement circuit breakers", (E("PM407", col="Implement"),)),
    Mutation(
        "PM408",
        "cart_lines=9",
        "cart_lines=9 key=AKIAZ3MPLE7QXW4RT2KD",
        (E("PM408", col="AKIA", message="possible AWS access key"),),
    ),
    Mutation(
        "PM401-angle-slot",
        "set to `false` in production at 15:09.",
        "set to `false` in production by <who-changed-it>.",
        (E("PM401", col="<who-changed-it>"),),
    ),
    Mutation("PM401-blank", "New alert TaxProvider429Rate", "New alert ____", (E("PM401", col="____"),)),
    Mutation("PM401-tbd", "**Post-Incident Report:** Sent within 24 hours", "**Post-Incident Report:** TBD", (E("PM401", col="TBD"),)),
    Mutation(
        "PM401-unknown-owner",
        "| Marcus Lee | Medium | 2026-04-10 |",
        "| ??? | Medium | 2026-04-10 |",
        (E("PM401", col="???"), E("PM802", at="- [x] All action items have owners")),
    ),
    Mutation(
        "PM408-entropy",
        "cart_lines=9",
        "cart_lines=9 secret=9fQz2Lx7Rk4Wm8Tb1Vc6Ny3Hd5Gs0Pj",
        (E("PM408", col="secret=", message="possible secret"),),
    ),
    Mutation("PM408-reference-is-fine", "cart_lines=9", "cart_lines=9 api_key=process.env.TAXLY_API_KEY", ()),
    Mutation(
        "PM409-email",
        "- **Customer Tickets:** 214",
        "- **Customer Tickets:** 214, the first from jane.doe@gmail.com",
        (E("PM409", col="jane.doe@gmail.com"),),
    ),
    Mutation(
        "PM410-ttd",
        "- **Time to Detect (TTD):** 9 minutes",
        "- **Time to Detect (TTD):** 25 minutes",
        (E("PM410", col="25 minutes", message="from the start of the time range at 14:05 (line 5)"),),
    ),
    Mutation(
        "PM410-ttm",
        "- **Time to Mitigate (TTM):** 76 minutes",
        "- **Time to Mitigate (TTM):** 45 minutes",
        (E("PM410", col="45 minutes", message="to the restore at 15:21"),),
    ),
    Mutation(
        "PM411-nobody",
        "~12,400 customers (18% of checkout attempts during the window)",
        "0",
        (E("PM411", col="0", message="the severity is SEV-2"),),
    ),
    Mutation(
        "PM413",
        "pricing-service 4.12.2 batches all line items into one quote per cart; the tax client moves to backoff with jitter"
        " and a retry budget, and canary analysis gains a p95 latency check.",
        "N/A",
        (E("PM413", col="N/A"),),
    ),
    Mutation(
        "PM802-done-claim", "- [x] Documentation is updated", "- [x] All action items are done", (E("PM802", message="AI-002 (line 144)"),)
    ),
    # Action items.
    Mutation("PM501", "| ID | Action | Owner |", "| ID | Task | Owner |", (E("PM501", col="|"),)),
    Mutation("PM502-tbd", "| Marcus Lee | Medium | 2026-04-10 |", "| TBD | Medium | 2026-04-10 |", (E("PM502", col="TBD"),)),
    Mutation(
        "PM502-placeholder",
        "| Marcus Lee | Medium | 2026-04-10 |",
        "| [Name] | Medium | 2026-04-10 |",
        (E("PM401", col="[Name]"), E("PM502", col="[Name]")),
        why="a template owner is both a placeholder and a missing owner",
    ),
    Mutation("PM503-format", "| AI-004 |", "| 4 |", (E("PM503", col="4 |"),)),
    Mutation("PM503-duplicate", "| AI-004 |", "| AI-003 |", (E("PM503", at="| AI-003 | Rate-limit", col="AI-003", message="used again"),)),
    Mutation("PM504", "| Medium | 2026-04-10 |", "| Urgent | 2026-04-10 |", (E("PM504", col="Urgent"),)),
    Mutation("PM505", "| Medium | 2026-04-10 |", "| Medium | next sprint |", (E("PM505", col="next sprint"),)),
    Mutation("PM506", "| 2026-04-10 | Open |", "| 2026-04-10 | WIP |", (E("PM506", col="WIP"),)),
    Mutation(
        "PM507",
        "| 2026-03-27 | In Progress |",
        "| 2026-03-19 | In Progress |",
        (E("PM507", col="2026-03-19", message="was due 2026-03-19"),),
    ),
    # Sign-off, suppressions.
    Mutation(
        "PM801-checklist",
        "- [x] Prevention measures address the root cause",
        "- [ ] Prevention measures address the root cause",
        (E("PM801"),),
    ),
    Mutation("PM801-success-criteria", "- [x] Team training is completed", "- [ ] Team training is completed", (E("PM801"),)),
    Mutation(
        "PM801-sign-off",
        "| SRE Lead | Sofia Martins | 2026-03-19 | [x] |",
        "| SRE Lead | Sofia Martins | 2026-03-19 | [ ] |",
        (E("PM801", col="|"),),
    ),
    Mutation(
        "PM901",
        "All times in UTC",
        "<!-- pmlint-disable-next-line PM402 -->\nAll times in UTC",
        (E("PM901", at="<!-- pmlint-disable-next-line PM402 -->", col="<!--"),),
    ),
)


def _mutate(mutation: Mutation) -> str:
    return replace_line(clean_text(), mutation.old, mutation.new)


def _where(text: str, expect: Expect, mutation: Mutation) -> tuple[int, int | None]:
    number = line_of(text, expect.at) if expect.at is not None else line_of(clean_text(), mutation.old)
    if expect.col is None:
        return number, None
    return number, text.split("\n")[number - 1].index(expect.col) + 1


def _exact_line(text: str, line: str) -> int:
    hits = [n for n, found in enumerate(text.split("\n"), start=1) if found == line]
    assert len(hits) == 1, f"{line!r} is the whole of lines {hits}"
    return hits[0]


def _assert_exactly(diagnostics: list[Diagnostic], text: str, mutation: Mutation) -> None:
    got = sorted((d.code, d.line) for d in diagnostics)
    wanted = sorted((e.code, _where(text, e, mutation)[0]) for e in mutation.expect)
    assert got == wanted, "\n".join(f"{d.line}:{d.column}: {d.code} {d.message}" for d in diagnostics)
    for expect in mutation.expect:
        line, column = _where(text, expect, mutation)
        match = [d for d in diagnostics if d.code == expect.code and d.line == line]
        if column is not None:
            assert column in {d.column for d in match}, f"{expect.code} columns {[d.column for d in match]}, expected {column}"
        if expect.message is not None:
            assert any(expect.message in d.message for d in match), [d.message for d in match]


def test_clean_final_has_no_findings() -> None:
    assert lint(clean_text()) == []


def test_clean_final_through_the_cli_exits_zero(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / CLEAN_PATH
    target.parent.mkdir(parents=True)
    target.write_text(clean_text(), encoding="utf-8")
    (tmp_path / ".pmlint.yaml").write_text("ignore: [PM7]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--today", "2026-03-20"]) == 0
    assert "All clear: no findings in 1 file." in capsys.readouterr().out


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_one_line_mutation_fires_at_the_mutated_line(mutation: Mutation) -> None:
    text = _mutate(mutation)
    _assert_exactly(lint(text), text, mutation)


def test_swapped_sections_fire_section_order_at_the_moved_heading() -> None:
    text = (
        clean_text()
        .replace("## Communication\n", "## @@\n")
        .replace("## Appendices\n", "## Communication\n")
        .replace("## @@\n", "## Appendices\n")
    )
    diagnostics = lint(text)
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("PM302", _exact_line(text, "## Communication"), 1)]
    assert "`## Communication` should come before `## Appendices`" in diagnostics[0].message


TOLERATED = (
    ("## Timeline", "## Timeline (UTC)"),
    ("**Incident Number:**", "**Incident ID:**"),
    ("**Severity:** SEV-2", "**Severity**: SEV-2"),
    ("**Severity:** SEV-2", "**Severity:** SEV-2 (Major - significant degradation)"),
    ("**Status:** Final", "**Status:** ✅ **Final**"),
    ("**Author:** Daniel Okafor", "**Author:** 🧑‍💻 **Daniel Okafor**"),
    ("### Why It Happened (5 Whys Analysis)", "### Why it happened"),
    ("## Follow-up", "## Follow Up"),
    ("**Duration:** 1 hour 30 minutes", "**Duration:** 1h 30m"),
)


@pytest.mark.parametrize(("old", "new"), TOLERATED, ids=[new for _old, new in TOLERATED])
def test_what_real_teams_write_is_tolerated(old: str, new: str) -> None:
    """Tolerated: no error; another form or an alias of a header field is only PM210's warning, with a safe fix."""
    text = clean_text().replace(old, new, 1)
    assert text != clean_text()
    found = lint(text)
    respelled = new in RESPELLED
    assert [(d.code, d.severity, d.fix.safety if d.fix else None) for d in found] == ([("PM210", "warning", "safe")] if respelled else [])


RESPELLED = {"**Incident ID:**", "**Severity**: SEV-2"}
"""The tolerated forms PM210 asks to write as the template does."""


PATHS = (
    ("PM101", "tasks/Post Mortem checkout.md", "is not `post-mortem-YYYY-MM-DD-<slug>.md`"),
    ("PM101", "tasks/post-mortem-2026-03-14-Checkout_Latency.md", "slug"),
    ("PM102", "tasks/post-mortem-2026-02-30-checkout-latency.md", "2026-02-30, is not a real calendar date"),
    ("PM103", "docs/post-mortem-2026-03-14-checkout-latency.md", "not in the configured folder `tasks/`"),
)


@pytest.mark.parametrize(("code", "path", "message"), PATHS, ids=[p[1] for p in PATHS])
def test_file_level_rules_fire_on_line_one(code: str, path: str, message: str) -> None:
    """A file name has no line of its own: file-level findings sit on line 1."""
    diagnostics = lint(clean_text(), rel=path)
    assert [(d.code, d.line) for d in diagnostics] == [(code, 1)]
    assert message in diagnostics[0].message


def test_invalid_utf8_is_pm000_at_the_line_of_the_bad_byte() -> None:
    text = clean_text()
    number = line_of(text, "Checkout confirmation, cart order total preview")
    data = text.encode("utf-8").replace(b"Checkout confirmation", b"Checkout confirm\xe9tion")
    diagnostics = lint(data)
    assert [(d.code, d.line, d.severity) for d in diagnostics] == [("PM000", number, "error")]
    assert "not valid UTF-8 (byte 0xe9" in diagnostics[0].message


PLACEHOLDER = ("**Author:** Daniel Okafor", "**Author:** [Name]")


@pytest.mark.parametrize(("status", "severity"), [("Draft", "warning"), ("Under Review", "error"), ("Final", "error"), ("Closed", "error")])
def test_placeholder_severity_follows_status(status: str, severity: str) -> None:
    text = clean_text().replace(*PLACEHOLDER).replace("**Status:** Final", f"**Status:** {status}")
    diagnostics = lint(text)
    assert [(d.code, d.severity) for d in diagnostics] == [("PM401", severity)]


def test_missing_status_is_strict_like_final() -> None:
    text = replace_line(clean_text().replace(*PLACEHOLDER), "**Status:** Final", None)
    found = {(d.code, d.severity) for d in lint(text)}
    assert found == {("PM202", "error"), ("PM401", "error")}


def test_invalid_status_is_strict_like_final() -> None:
    text = clean_text().replace(*PLACEHOLDER).replace("**Status:** Final", "**Status:** Resolved")
    found = {(d.code, d.severity) for d in lint(text)}
    assert found == {("PM205", "error"), ("PM401", "error")}


def test_sign_off_is_only_required_once_final() -> None:
    text = clean_text().replace("- [x] Team training is completed", "- [ ] Team training is completed")
    assert [d.code for d in lint(text)] == ["PM801"]
    for status in ("Draft", "Under Review"):
        assert lint(text.replace("**Status:** Final", f"**Status:** {status}")) == []


def test_draft_with_placeholders_is_committable_and_final_is_not(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / CLEAN_PATH
    target.parent.mkdir(parents=True)
    (tmp_path / ".pmlint.yaml").write_text("ignore: [PM7]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    draft = clean_text().replace(*PLACEHOLDER).replace("**Status:** Final", "**Status:** Draft")
    target.write_text(draft, encoding="utf-8")
    assert main(["check", "--today", "2026-03-20"]) == 0
    assert main(["check", "--today", "2026-03-20", "--strict"]) == 1
    target.write_text(draft.replace("**Status:** Draft", "**Status:** Final"), encoding="utf-8")
    assert main(["check", "--today", "2026-03-20"]) == 1
    out = capsys.readouterr().out
    assert f"{CLEAN_PATH}:{line_of(draft, '[Name]')}:13: PM401 [error] placeholder `[Name]` left in" in out
