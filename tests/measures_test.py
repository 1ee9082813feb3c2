"""The report's per-document facts: stated and timeline TTD/TTM, primary cause, systems affected."""

from __future__ import annotations

from typing import Any

import pytest
from lintkit import clean_text

from postmortem_lint.document.build import build
from postmortem_lint.document.measures import measures
from postmortem_lint.document.source import decode


def _measures(text: str) -> dict[str, Any]:
    source = decode(text.encode("utf-8"))
    assert not hasattr(source, "message")
    return measures(build("tasks/x.md", source))  # type: ignore[arg-type]


def test_the_clean_fixture() -> None:
    assert _measures(clean_text()) == {
        "ttd_minutes": 9,
        "ttm_minutes": 76,
        "timeline_ttd": 9,
        "timeline_ttm": 76,
        "root_cause": (
            "A per-line-item tax quote pattern combined with fixed-interval retries multiplied requests "
            "to a rate-limited external dependency."
        ),
        "systems": ("checkout-api", "pricing-service", "tax-client library", "external tax provider integration"),
        "root_cause_category": "",
    }


@pytest.mark.parametrize(
    ("where", "category"),
    [
        ("### Root Cause\n**Primary Cause:** x\n**Category:** Configuration error\n", "Configuration error"),
        ("### Root Cause\n- **Root Cause Category:** *Third-party service*\n", "Third-party service"),
        ("### Root Cause\n**Category:** [Category]\n", ""),
        ("### Root Cause\n**Primary Cause:** a bad config\n", ""),
    ],
)
def test_the_stated_root_cause_category(where: str, category: str) -> None:
    assert _measures(f"# Post-Mortem: X\n\n## Root Cause Analysis\n\n{where}")["root_cause_category"] == category


def test_a_header_field_states_the_category_too() -> None:
    text = "# Post-Mortem: X\n\n**Root Cause Category:** Code bug\n\n## Root Cause Analysis\n\n### Root Cause\nx\n"
    assert _measures(text)["root_cause_category"] == "Code bug"


def _doc(time: str, rows: list[tuple[str, str]], response: str = "") -> str:
    table = "\n".join(f"| {t} | {e} | System |" for t, e in rows)
    return (
        f"# Post-Mortem: X\n\n**Date:** 2026-03-14\n**Time:** {time}\n\n## Timeline\n\n| Time | Event | Actor |\n|---|---|---|\n{table}\n\n"
        f"## Detection and Response\n\n### Response\n{response}\n"
    )


def test_short_labels_and_colon_outside_the_bold() -> None:
    found = _measures(_doc("10:00 - 11:00 UTC", [], "- **TTD:** 12 min\n- **Mitigation time**: 1h 5m"))
    assert (found["ttd_minutes"], found["ttm_minutes"]) == (12, 65)


def test_placeholders_state_nothing() -> None:
    found = _measures(_doc("10:00 - 11:00 UTC", [], "- **Time to Detect (TTD):** [X minutes]\n- **Time to Mitigate (TTM):** TBD"))
    assert (found["ttd_minutes"], found["ttm_minutes"]) == (None, None)


@pytest.mark.parametrize(
    ("time", "rows", "expected"),
    [
        ("23:50 - 00:40 UTC", [("23:40", "Deploy"), ("00:05", "Alert fired"), ("00:30", "Service restored")], (15, 40)),
        ("", [("09:00", "First signs of errors"), ("09:07", "Customer reports failures"), ("09:40", "Back to baseline")], (7, 40)),
        ("22:00 - 02:00 UTC", [("2026-03-14 22:30", "Alert fired"), ("2026-03-15 01:10", "Service restored")], (30, 190)),
        ("10:00 - 11:00 UTC", [("2026-03-14 10:20", "PagerDuty paged on-call"), ("2026-03-14 10:50", "Mitigated by failover")], (20, 50)),
        ("10:00 - 11:00 UTC", [("09:50", "Alert fired before the start"), ("10:30", "Mitigation attempted")], (None, None)),
    ],
)
def test_timeline_times_from_the_start(time: str, rows: list[tuple[str, str]], expected: tuple[int | None, int | None]) -> None:
    text = _doc(time, rows) if time else _doc("", rows).replace("**Time:** \n", "")
    found = _measures(text)
    assert (found["timeline_ttd"], found["timeline_ttm"]) == expected


def test_root_cause_without_a_primary_cause_field_is_the_sections_text() -> None:
    text = "# Post-Mortem: X\n\n## Root Cause Analysis\n\n### Root Cause\nThe cron **job** ran twice.\n\nIt was not idempotent.\n"
    assert _measures(text)["root_cause"] == "The cron job ran twice. It was not idempotent."


def test_systems_split_on_commas_semicolons_and_and_without_placeholders() -> None:
    text = "# Post-Mortem: X\n\n## Impact\n\n### Technical Impact\n- **Systems Affected:** api (v2); worker and db, [List systems]\n"
    assert _measures(text)["systems"] == ("api", "worker", "db")


def test_root_cause_from_a_section_named_as_teams_do() -> None:
    text = "# Post-Mortem: X\n\n## Summary\n\nShort.\n\n## Root cause and fix\n\n- The proxy dropped **idle** connections.\n"
    assert _measures(text)["root_cause"] == "The proxy dropped idle connections."
