"""Reading a document through a pack: fields in every form, sections, tables, action items, measures, the date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem, Section
from postmortem_lint.document.source import decode, from_text
from postmortem_lint.document.tables import action_items
from postmortem_lint.io.yamlio import parse_yaml
from postmortem_lint.packs.templates import presets, reader, runtime, schema
from postmortem_lint.packs.templates.runtime import TemplatePack

ROOT = Path(__file__).resolve().parents[1]


def doc_of(text: str, path: str = "doc.md") -> PostMortem:
    return build(path, from_text(text))


def pack_of(text: str) -> TemplatePack:
    raw = parse_yaml(text, "pack.yaml", round_trip=True)
    return runtime.from_data(schema.compile_data(raw, "pack.yaml", raw))


FIELDS = pack_of(
    "name: forms\n"
    "header-area: until-first-section\n"
    "fields:\n"
    "  - {name: Date, where: [bold-line, key-line, heading, section, front-matter, summary-table], type: date}\n"
    "  - {name: Owner, aliases: [Lead], where: [heading, bold-line]}\n"
    "  - {name: Severity, where: [summary-table]}\n"
    "  - {name: Category, section: Stats, where: [key-line], required: false}\n"
    "sections: [Summary, {name: Stats, level: any}]\n"
)


@pytest.mark.parametrize(
    ("text", "value", "line", "column", "form"),
    [
        ("# T\n\n**Date:** 2026-01-02\n\n## Summary\nx\n", "2026-01-02", 3, 11, "bold-line"),
        ("# T\n\n**Date**: 2026-01-02\n\n## Summary\nx\n", "2026-01-02", 3, 11, "bold-line"),
        ("# T\n\n- **Date:** *2026-01-02*\n\n## Summary\nx\n", "2026-01-02", 3, 13, "bold-line"),
        ("# T\n\nDate: 2026-01-02\n\n## Summary\nx\n", "2026-01-02", 3, 7, "key-line"),
        ("# T\n\n## Date: 2026-01-02\n\n## Summary\nx\n", "2026-01-02", 3, 10, "heading"),
        ("# T\n\n## Date\n\n2026-01-02\n\n## Summary\nx\n", "2026-01-02", 5, 1, "section"),
        ("---\ntitle: x\ndate: '2026-01-02'\n---\n# T\n", "2026-01-02", 3, 7, "front-matter"),
        ("# T\n\n## Summary\n\n| Key | Value |\n|---|---|\n| Date | 2026-01-02 |\n", "2026-01-02", 7, 10, "summary-table"),
    ],
)
def test_a_field_is_found_in_each_form(text: str, value: str, line: int, column: int, form: str) -> None:
    found = reader.read(doc_of(text), FIELDS).fields["date"]
    assert (found.value, found.line, found.column, found.form) == (value, line, column, form)
    assert text.split("\n")[line - 1][column - 1 :].lstrip("'*").startswith(value[:4])


def test_the_first_place_in_the_document_wins() -> None:
    text = "# T\n\n## Owner: Ana\n\n**Lead:** Bo\n\n## Summary\n"
    found = reader.read(doc_of(text), FIELDS).fields["owner"]
    assert (found.value, found.label, found.form) == ("Ana", "Owner", "heading")


def test_four_column_summary_tables_are_read_as_pairs() -> None:
    text = "# T\n\n| Owner | Ana | Severity | High |\n|---|---|---|---|\n| Date | 2026-01-02 | | |\n\n## Summary\nx\n"
    fields = reader.read(doc_of(text), FIELDS).fields
    assert fields["severity"].value == "High" and fields["date"].line == 5


def test_a_field_may_be_read_inside_a_section() -> None:
    text = "# T\n\n## Summary\nCategory: not this one\n\n# Stats\n\n- Category: Kubernetes\n"
    found = reader.read(doc_of(text), FIELDS).fields["category"]
    assert (found.value, found.line) == ("Kubernetes", 8)


def test_the_header_area_ends_where_the_pack_says() -> None:
    text = "# T\n\n## Preface\n\n**Date:** 2026-01-02\n\n## Summary\n\n**Date:** 2027-01-01\n"
    assert reader.read(doc_of(text), FIELDS).fields["date"].value == "2026-01-02"
    seed = presets.preset("seed")
    assert "date" not in reader.read(doc_of(text.replace("Date", "Date")), seed).fields


SECTIONS = pack_of(
    "name: s\n"
    "sections:\n"
    "  - {name: Summary, aliases: [Overview]}\n"
    "  - {name: Timeline, pattern: 'timeline\\b', level: [2, 3]}\n"
    "  - name: Lessons Learned\n"
    "    level: any\n"
    "    subsections:\n"
    "      - {name: What went well, level: any, as-field: true}\n"
    "  - {name: Action Items, as-field: true, level: any}\n"
    "  - {name: Stats, level: any}\n"
)


def _found(text: str, pack: TemplatePack = SECTIONS) -> list[tuple[str, int, int, list[str]]]:
    sections, _unmatched = reader.find_sections(doc_of(text), pack)
    return [(s.spec.id, s.line, s.end_line, [sub.spec.id for sub in s.subsections]) for s in sections]


def test_sections_by_alias_pattern_and_level() -> None:
    text = "# T\n\n## Overview\nx\n\n### Timeline (all times PST) 01/16/2024 - 01/17/2024\n- a\n\n#### Timeline\n\n## Stats\n"
    assert _found(text) == [("summary", 3, 5, []), ("timeline", 6, 10, []), ("stats", 11, 11, [])]


def test_a_top_level_section_closes_the_open_ones_and_unknown_headings_stay_inside() -> None:
    text = "# T\n\n## Summary\n\n### Background\nx\n\n### Timeline\ny\n"
    sections, unmatched = reader.find_sections(doc_of(text), SECTIONS)
    assert [(s.spec.id, s.line, s.end_line) for s in sections] == [("summary", 3, 7), ("timeline", 8, 9)]
    assert [h.text for h in unmatched] == ["Background"]


def test_an_h1_ends_a_section_only_when_it_is_one() -> None:
    assert _found("# T\n\n## Summary\nx\n\n# Appendix\ny\n")[0][:3] == ("summary", 3, 7)
    assert _found("# T\n\n## Summary\nx\n\n# Stats\n- a\n") == [("summary", 3, 5, []), ("stats", 6, 7, [])]


def test_sections_written_as_bold_paragraphs() -> None:
    text = (
        "Example\n=======\n\n**Summary**: it broke.\n\n**Action Items**:\n\n| Action Item | Owner |\n|---|---|\n| Fix it | ana |\n\n"
        "Lessons Learned\n---------------\n\n**What went well**\n\n- alerts\n"
    )
    found = _found(text)
    assert found == [("action items", 6, 11, []), ("lessons learned", 12, 17, ["what went well"])]
    blocks = reader.find_sections(doc_of(text), SECTIONS)[0][0].blocks
    assert any(type(b).__name__ == "Table" for b in blocks)


def test_a_heading_outside_its_levels_is_not_the_section() -> None:
    assert _found("# T\n\n### Summary\nx\n") == []


ACTIONS = pack_of(
    "name: a\n"
    "sections: [{name: Action Items, role: actions}]\n"
    "actions:\n"
    "  section: actions\n"
    "  forms: [bullets, tasks]\n"
    "  id-pattern: 'AI-\\d+'\n"
    "  owner: if-any\n"
    "  owner-forms: [bracket, owner-label, parenthesis, mention]\n"
    "  due-forms: [due-label, parenthesis]\n"
)


@pytest.mark.parametrize(
    ("item", "owner", "due"),
    [
        ("- Debrief the team before risky launches [Rick]", "Rick", ""),
        ("- Add a dead-letter queue (@dana, due 2026-04-01)", "@dana", "2026-04-01"),
        ("- Add a dead-letter queue (Dana Cho, due 2026-04-01)", "Dana Cho", "2026-04-01"),
        ("- Add a dead-letter queue — Owner: Sam Lee", "Sam Lee", ""),
        ("- Add a dead-letter queue. Owner: Sam Lee, due: 2026-04-01", "Sam Lee", "2026-04-01"),
        ("- Add a dead-letter queue **Owner:** Sam Lee", "Sam Lee", ""),
        ("- Ask @sre-team to add a dead-letter queue by 2026-05-01", "@sre-team", "2026-05-01"),
        ("- Add a dead-letter queue (issue created)", "", ""),
        ("- Discuss GitOps (Rasmus call for meeting)", "", ""),
        ("- Read [the guide](https://example.com/x)", "", ""),
        ("- [ ] Add a dead-letter queue [Rick] <!-- later -->", "Rick", ""),
        ("- Mail ops@example.com about the queue", "", ""),
    ],
)
def test_owners_and_due_dates_from_list_items(item: str, owner: str, due: str) -> None:
    text = f"# T\n\n## Action Items\n\n{item}\n"
    (found,) = reader.find_actions(doc_of(text), ACTIONS)
    assert (found.owner.text, found.due.text) == (owner, due)
    line = text.split("\n")[4]
    if owner:
        assert line[found.owner.column - 1 :].startswith(owner)
    if due:
        assert line[found.due.column - 1 :].startswith(due)


def test_list_items_give_status_from_their_box_and_ids_from_the_pattern() -> None:
    text = "# T\n\n## Action Items\n\n- [x] AI-1 Ship the fix [Ana]\n- [ ] AI-2 Add the alert\n  - a detail, not an item\n- Write it up\n"
    items = reader.find_actions(doc_of(text), ACTIONS)
    assert [(a.form, a.id.text, a.status.text, a.checked) for a in items] == [
        ("tasks", "AI-1", "Done", True),
        ("tasks", "AI-2", "Open", False),
        ("bullets", "", "Open", None),
    ]
    assert reader.action_needs(items, "if-any", "owner")
    assert not reader.action_needs(items[1:], "if-any", "owner")
    assert reader.action_needs((), "required", "owner") and not reader.action_needs(items, "optional", "owner")


def test_seed_action_items_are_today_s_rows() -> None:
    seed = presets.preset("seed")
    doc = build("x.md", decode((ROOT / "tests/fixtures/clean-final.md").read_bytes()))  # type: ignore[arg-type]
    items = reader.find_actions(doc, seed)
    assert [(a.line, a.id.text, a.owner.text, a.due.text) for a in items] == [
        (i.row.line, i.id.text, i.owner.text, i.due.text) for i in action_items(doc)
    ]
    timeline = reader.find_table(doc, seed, "timeline")
    assert timeline is not None and timeline.layout == {"time": 0, "event": 1, "actor": 2}


def test_no_actions_without_their_section() -> None:
    assert reader.find_actions(doc_of("# T\n\n- [ ] orphan\n"), ACTIONS) == ()


MEASURED = pack_of(
    "name: m\n"
    "sections: [{name: Stats, level: any}, {name: Metrics}]\n"
    "measures:\n"
    "  time-to-detect: {labels: [Time to detection, TTD], sections: [Stats, Metrics]}\n"
    "  time-to-resolve: {labels: [Time To Resolve]}\n"
)


def test_measures_from_bullets_bold_lines_and_tables() -> None:
    bullets = doc_of("# T\n\n# Stats\n\n- Time to detection: 53 minutes\n")
    assert reader.find_measure(bullets, MEASURED, "time-to-detect").value == "53 minutes"  # type: ignore[union-attr]
    bold = doc_of("# T\n\n## Stats\n\n- **TTD (minutes):** 9 minutes\n")
    assert reader.find_measure(bold, MEASURED, "time-to-detect").value == "9 minutes"  # type: ignore[union-attr]
    table = doc_of("# T\n\n## Metrics\n\n| Metric | Time |\n|---|---|\n| Time To Resolve | 2 hours |\n")
    found = reader.find_measure(table, MEASURED, "time-to-resolve")
    assert (found.value, found.line, found.column) == ("2 hours", 7, 21)  # type: ignore[union-attr]
    assert reader.find_measure(table, MEASURED, "time-to-detect") is None
    assert reader.find_measure(table, MEASURED, "time-to-mitigate") is None


DATED = pack_of(
    "name: d\n"
    "fields: [{name: Date, type: date, date-formats: [month-name]}]\n"
    "sections: [Timeline]\n"
    "tables:\n"
    "  timeline: {section: Timeline, columns: [{role: time, name: Time}, {role: event, name: Event}]}\n"
    "incident-date:\n"
    "  - field: date\n"
    "  - front-matter: start_time\n"
    "  - file-name: '(?P<date>\\d{4}-\\d{2}-\\d{2})'\n"
    "  - timeline: true\n"
)


@pytest.mark.parametrize(
    ("text", "path", "date"),
    [
        ("# T\n\n**Date:** July 1, 2020\n", "x.md", dt.date(2020, 7, 1)),
        ("---\nstart_time: 2019-03-02T10:00:00Z\n---\n# T\n", "x.md", dt.date(2019, 3, 2)),
        ("# T\n", "2021-05-09-negative-coin-values.md", dt.date(2021, 5, 9)),
        (
            "# T\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 14:00 | a |\n| 2021-12-10   15:40 | b |\n",
            "PM2021-011.md",
            dt.date(2021, 12, 10),
        ),
        ("# T\n\n**Date:** soon\n", "notes.md", None),
    ],
)
def test_the_incident_date_from_the_pack_s_sources(text: str, path: str, date: dt.date | None) -> None:
    assert reader.incident_date(doc_of(text, path), DATED) == date


# -- the seed pack reads what build.py reads -------------------------------------------------------------

KEYS = ("incident_number", "date", "time", "duration", "severity", "author", "status")


def _key(section: Section) -> str:
    return reader.section_key(section.heading.text, section.heading.level, presets.preset("seed"))


def _same_as_build(path: Path) -> None:
    source = decode(path.read_bytes())
    if not hasattr(source, "text"):
        return
    doc = build(path.name, source)  # type: ignore[arg-type]
    seed = presets.preset("seed")
    reading = reader.read(doc, seed)
    old = {k: (f.value, f.raw, f.line, f.column) for k, f in doc.fields.items() if k in KEYS}
    assert {k: (f.value, f.raw, f.line, f.column) for k, f in reading.fields.items()} == old, path
    known = {s.id for s in seed.sections}
    # build.py's sections, each keyed as the reader keys a heading: the part before a parenthesis or a footnote link
    # when only that names a section (`## Timeline (all times PST) 01/16/2024`, issue 15)
    today = [(_key(s), s.line, s.end_line) for s in doc.sections if _key(s) in known]
    assert [(s.spec.id, s.line, s.end_line) for s in reading.sections] == today, path
    for found in reading.sections:
        section = next(s for s in doc.sections if s.line == found.line)
        subs = [(_key(sub), sub.line) for sub in section.subsections if any(_key(sub) in s.labels for s in found.spec.subsections)]
        assert [(s.spec.id, s.line) for s in found.subsections] == subs, path
    rows = [(i.row.line, i.owner.text, i.owner.column, i.due.text, i.status.text) for i in action_items(doc)]
    assert [(a.line, a.owner.text, a.owner.column, a.due.text, a.status.text) for a in reader.find_actions(doc, seed)] == rows, path


def test_seed_reading_equals_build_on_examples_and_rule_fixtures() -> None:
    paths = sorted((ROOT / "examples").rglob("*.md")) + sorted((ROOT / "tests").rglob("*.md"))
    assert len(paths) > 100
    for path in paths:
        _same_as_build(path)


def test_seed_reading_equals_build_on_the_generated_corpus(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/generate.py"), str(tmp_path), "--count", "60", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    paths = sorted((tmp_path / "tasks").glob("*.md"))
    assert len(paths) == 60
    for path in paths:
        _same_as_build(path)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_seed_reading_equals_build_on_the_real_corpus() -> None:
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        _same_as_build(path)


_PIECES = st.sampled_from(
    [
        "# Stats",
        "## Summary",
        "### Timeline (all times PST) 1/2/2024",
        "**Date**: July 1, 2020",
        "Date: 2020-01-01",
        "## Date: x",
        "---",
        "start_time: 2020-01-01",
        "| Time | Event |",
        "|---|---|",
        "| 10:00 | a |",
        "- [ ] do it [Ana]",
        "- x (@b, due 2026-01-01)",
        "* y — Owner: C",
        "**Impact**: big",
        "**What went well**",
        "## Action Items",
        "## Corrective Actions with Owners",
        "",
        "```",
        "> q",
        "1. Why? → Because",
        "<!-- c -->",
        "## Metrics",
        "| Severity | 1 |",
        "- Time to detection: 5 minutes",
        "Setext\n---",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=15)), max_size=30).map("\n".join))
def test_any_document_can_be_read_through_any_preset(text: str) -> None:
    doc = doc_of(text, "2024-01-02-random.md")
    last = len(doc.source.lines)
    for name in presets.names():
        pack = presets.preset(name)
        reading = reader.read(doc, pack)
        for found in reading.all_sections():
            assert 1 <= found.line <= found.end_line <= max(last, found.line)
        for item in reader.find_actions(doc, pack):
            assert 1 <= item.line <= last
        for measure in ("time-to-detect", "time-to-mitigate", "time-to-resolve"):
            reader.find_measure(doc, pack, measure)
        reader.incident_date(doc, pack)
