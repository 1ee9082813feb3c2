"""The runtime pack: vocabularies, dates, people, table layouts, section matching, compiled data round trip."""

from __future__ import annotations

import datetime as dt

import pytest

from postmortem_lint.packs.templates import presets, runtime
from postmortem_lint.packs.templates.runtime import ColumnSpec, SectionSpec, TableSpec, TemplateError, Term, Vocabulary

SEVERITY = Vocabulary("severity", (Term("SEV-1", ("P1", "Critical")), Term("SEV-2", ("P2",))), suffix=True)
STATUS = Vocabulary("status", (Term("Draft"), Term("Under Review"), Term("Final")), drafts=("Draft",), final=("Final",))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("SEV-1", "SEV-1"),
        ("sev-1", "SEV-1"),
        ("**P2**", "SEV-2"),
        ("🔴 Critical", "SEV-1"),
        ("Critical (full outage)", "SEV-1"),
        ("SEV-2 - degraded", "SEV-2"),
        ("SEV-2: degraded", "SEV-2"),
        ("SEV-3", None),
        ("SEV-10", None),
        ("SEV-2 degraded", None),
        ("", None),
    ],
)
def test_a_vocabulary_maps_spellings_to_its_values(text: str, value: str | None) -> None:
    assert SEVERITY.canonical(text) == value


def test_without_suffix_only_whole_values_count() -> None:
    assert STATUS.canonical("under   review") == "Under Review"
    assert STATUS.canonical("Final (signed)") is None


def test_action_statuses_are_open_unless_finished() -> None:
    statuses = presets.preset("seed").vocabulary("action-status")
    assert statuses is not None
    assert statuses.canonical("won’t do") == "Won't Do"
    assert not statuses.is_open("Done") and statuses.is_open("Blocked") and statuses.is_open(None)


@pytest.mark.parametrize(
    ("text", "formats", "date"),
    [
        ("2026-03-14", ("iso",), dt.date(2026, 3, 14)),
        (" 2026-03-14 ", ("iso",), dt.date(2026, 3, 14)),
        ("2026-03-14 (UTC)", ("iso",), None),
        ("2026-03-14 (UTC)", ("iso-in-text",), dt.date(2026, 3, 14)),
        ("2026-02-30", ("iso",), None),
        ("October 9, 2025", ("month-name",), dt.date(2025, 10, 9)),
        ("Oct 30th 2021", ("month-name",), dt.date(2021, 10, 30)),
        ("Monday 3. February 2020", ("month-name",), dt.date(2020, 2, 3)),
        ("9 of May, 2024", ("month-name",), dt.date(2024, 5, 9)),
        ("3.4.2020", ("day.month.year",), dt.date(2020, 4, 3)),
        ("01/16/2024 - 01/17/2024", ("month/day/year",), dt.date(2024, 1, 16)),
        ("October 9, 2025", ("iso",), None),
        ("no date here", runtime.DATE_FORMATS, None),
    ],
)
def test_dates_in_the_forms_teams_write(text: str, formats: tuple[str, ...], date: dt.date | None) -> None:
    assert runtime.parse_date(text, formats) == date


def test_people_drop_placeholders_and_nobody() -> None:
    assert runtime.people("Dana Cho, @sam and Lee (SRE)") == ("Dana Cho", "@sam", "Lee")
    assert runtime.people("TBD") == ()
    assert runtime.people("[Name]") == ()


def _actions_table(header: str) -> TableSpec:
    columns = (
        ColumnSpec("id", "ID"),
        ColumnSpec("action", "Action"),
        ColumnSpec("owner", "Owner", ("Who",)),
        ColumnSpec("due", "Due", required=False),
    )
    return TableSpec("actions", "actions", columns, header=header)


def test_a_table_layout_finds_roles_by_name_or_alias_in_any_order() -> None:
    table = _actions_table("roles")
    assert table.layout(("Who", "Action", "ID")) == {"owner": 0, "action": 1, "id": 2}
    assert table.complete(table.layout(("Who", "Action", "ID")))
    assert not table.complete(table.layout(("Action", "ID")))


@pytest.mark.parametrize(
    ("header", "cells", "ok"),
    [
        ("exact", ("ID", "Action", "Owner", "Due"), True),
        ("exact", ("ID", "Action", "Who", "Due"), True),
        ("exact", ("ID", "Action", "Owner", "Due", "Notes"), False),
        ("exact", ("Action", "ID", "Owner", "Due"), False),
        ("prefix", ("ID", "Action", "Owner", "Due", "Notes"), True),
        ("prefix", ("ID", "Action"), False),
        ("roles", ("Owner", "ID", "Action"), True),
        ("roles", ("Owner", "ID"), False),
    ],
)
def test_header_strictness(header: str, cells: tuple[str, ...], ok: bool) -> None:
    assert _actions_table(header).header_ok(cells) is ok


def test_sections_match_names_aliases_patterns_and_levels() -> None:
    spec = SectionSpec("timeline", "Timeline", ("Chronology",), r"timeline\b", (2, 3))
    assert spec.matches("timeline", 2) and spec.matches("chronology", 3)
    assert spec.matches("timeline all times pst 01 16 2024", 2)
    assert not spec.matches("timelines", 2)
    assert not spec.matches("timeline", 4)
    assert SectionSpec("stats", "Stats", levels=()).matches("stats", 1)


@pytest.mark.parametrize("name", presets.names())
def test_compiled_data_round_trips(name: str) -> None:
    pack = presets.preset(name)
    assert runtime.from_data(runtime.to_data(pack)) == pack


def test_compiled_data_of_another_format_or_damaged_is_refused() -> None:
    data = runtime.to_data(presets.preset("dfds"))
    with pytest.raises(TemplateError, match="format 0, expected 1"):
        runtime.from_data({**data, "format": 0})
    del data["sections"]
    with pytest.raises(TemplateError, match="damaged"):
        runtime.from_data(data)


def test_value_patterns_are_case_sensitive_and_section_patterns_are_not() -> None:
    assert runtime.regex("INC-").match("inc-") is None
    assert runtime.regex("timeline", ignore_case=True).match("TIMELINE")
