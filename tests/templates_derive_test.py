"""Deriving a pack from a Markdown template: the seed rule file, a team's edits of it, and plain skeletons."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from corpus_archives import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from templatekit import FIXTURES, load, problems

from postmortem_lint.document.build import build
from postmortem_lint.document.source import from_text
from postmortem_lint.packs.templates import derive, presets
from postmortem_lint.packs.templates.runtime import TemplateError

SEED_RULE = next(
    (p / "shared" / "seed" / "000_0a73f838bdf75aa7.txt" for p in Path(__file__).resolve().parents if (p / "shared" / "seed").is_dir()),
    Path("absent"),
)
EXAMPLES = int(os.environ.get("PMLINT_FUZZ_EXAMPLES", "300"))
needs_seed = pytest.mark.skipif(not SEED_RULE.is_file(), reason="no seed rule file in ../shared/seed")


def seed_rule() -> str:
    return SEED_RULE.read_text(encoding="utf-8")


def doc_of(text: str):  # type: ignore[no-untyped-def]
    return build("doc.md", from_text(text))


# -- the seed rule file ----------------------------------------------------------------------------------------


@needs_seed
def test_the_template_is_cut_out_of_the_rule_file_with_its_nested_fences() -> None:
    text = seed_rule()
    body = derive.template_text(text)
    lines = body.split("\n")
    assert len(lines) == len(text.split("\n")), "line numbers stay the file's"
    kept = [i for i, line in enumerate(lines) if line]
    first, last = text.split("\n")[kept[0]], text.split("\n")[kept[-1]]
    assert first == "# Post-Mortem: [Incident Title]"
    assert last == "- [ ] Prevention measures address the root cause"
    assert "## Version Control Integration" not in body and "kubectl rollout undo deployment/service-name" in body


@needs_seed
def test_the_seed_rule_file_derives_the_seed_preset() -> None:
    derived, seed = derive.derive(seed_rule(), "seed-rule.md"), presets.preset("seed")
    assert [(f.key, f.name, f.type, f.vocabulary) for f in derived.fields] == [(f.key, f.name, f.type, f.vocabulary) for f in seed.fields]
    assert [s.id for s in derived.sections] == [s.id for s in seed.sections]
    for ours, theirs in zip(derived.sections, seed.sections, strict=True):
        assert {s.id for s in theirs.subsections if s.required} <= {s.id for s in ours.subsections}
        assert (ours.role, ours.checklist, ours.sentences) == (theirs.role, theirs.checklist, theirs.sentences)
    for role in ("timeline", "actions", "sign-off"):
        ours_t, theirs_t = derived.table(role), seed.table(role)
        assert ours_t is not None and theirs_t is not None
        assert [(c.role, c.name, c.type, c.vocabulary) for c in ours_t.columns] == [
            (c.role, c.name, c.type, c.vocabulary) for c in theirs_t.columns
        ]
    for name in ("severity", "status", "priority", "action-status"):
        assert derived.vocabulary(name) == seed.vocabulary(name), name
    assert derived.title.pattern.lower() == seed.title.pattern.lower()
    assert derived.actions is not None and derived.actions.id_pattern == seed.actions.id_pattern  # type: ignore[union-attr]
    assert [m.name for m in derived.measures][:2] == ["time-to-detect", "time-to-mitigate"]
    why = derived.section("Why It Happened")
    customer = derived.section("Customer Impact")
    assert why is not None and why.whys == 5 and customer is not None and customer.quantified == "Affected Users"
    examples = dict(derived.examples)
    assert "the database connection pool was exhausted" in examples["five-whys"]
    assert "Implement connection pool monitoring" in examples["action-items"]


@needs_seed
@pytest.mark.parametrize("kind", ["clean", "flawed"])
def test_the_derived_seed_finds_what_the_seed_preset_finds(kind: str) -> None:
    path = FIXTURES / "seed" / f"{kind}.md"
    assert problems(load(path), derive.derive(seed_rule(), "seed-rule.md")) == problems(load(path), presets.preset("seed"))


@needs_seed
def test_a_team_s_edits_of_the_seed_are_followed() -> None:
    """Rename a section, add a field, drop a table column: the derived pack, and what it finds, follow."""
    edited = (
        seed_rule()
        .replace("## Executive Summary", "## Summary for Leadership")
        .replace(
            "**Status:** Draft | Under Review | Final | Closed",
            "**Status:** Draft | Under Review | Final | Closed\n**Customer Tier:** [Tier]",
        )
        .replace("| Time | Event | Actor |\n|------|-------|-------|", "| Time | Event |\n|------|-------|")
    )
    edited = "\n".join(line.rsplit(" | ", 1)[0] + " |" if line.startswith("| HH:MM |") else line for line in edited.split("\n"))
    pack = derive.derive(edited, "team-rule.md")
    assert pack.sections[0].name == "Summary for Leadership"
    assert pack.field("customer_tier") is not None and pack.field("customer_tier").required  # type: ignore[union-attr]
    timeline = pack.table("timeline")
    assert timeline is not None and [c.role for c in timeline.columns] == ["time", "event"]

    seed_doc = load(FIXTURES / "seed" / "clean.md")
    assert problems(seed_doc, pack) == {"missing-section:Summary for Leadership", "missing-field:Customer Tier"}
    followed = (FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8")
    followed = followed.replace("## Executive Summary", "## Summary for Leadership").replace(
        "**Status:** Final", "**Status:** Final\n**Customer Tier:** Enterprise"
    )
    lines = followed.split("\n")
    start = lines.index("| Time | Event | Actor |")
    for index in range(start, len(lines)):
        if not lines[index].startswith("|"):
            break
        lines[index] = "|".join(lines[index].split("|")[:3]) + "|"
    team_doc = doc_of("\n".join(lines))
    assert problems(team_doc, pack) == set()
    assert "missing-section:Executive Summary" in problems(team_doc, presets.preset("seed"))


# -- skeletons ----------------------------------------------------------------------------------------------------


SKELETON = """# Incident: [Title]

**Date:** [YYYY-MM-DD]
**Severity:** SEV-[1-4]
**Phase:** [Draft/Final]
**Owner:** [Name]

## Summary

## Timeline (all times UTC) DATE RANGE

| Time | Description | Who |
|------|-------------|-----|
| HH:MM | [What happened] | [Name] |

## Contributing Factors

### Technical

### Process (optional)

## Corrective Actions

- [ ] [Action] — Owner: [Name]

## Metrics

- **Time to Detect (TTD):** [X minutes]
"""


def test_a_skeleton_gives_fields_sections_tables_and_vocabularies() -> None:
    pack = derive.derive(SKELETON, "skeleton.md")
    assert [(f.key, f.type) for f in pack.fields] == [
        ("date", "date"),
        ("severity", "vocabulary"),
        ("phase", "vocabulary"),
        ("owner", "people"),
    ]
    assert pack.vocabulary("severity").values == ("SEV-1", "SEV-2", "SEV-3", "SEV-4")  # type: ignore[union-attr]
    assert pack.vocabulary("severity").suffix  # type: ignore[union-attr]
    assert pack.vocabulary("phase").values == ("Draft", "Final")  # type: ignore[union-attr]
    timeline = pack.section("timeline")
    assert timeline is not None and timeline.pattern == r"timeline\b" and timeline.matches("timeline all times pst", 2)
    factors = pack.section("Contributing Factors")
    assert factors is not None and [(s.name, s.required, s.levels) for s in factors.subsections] == [
        ("Technical", True, (3,)),
        ("Process", False, (3,)),
    ]
    table = pack.table("timeline")
    assert table is not None and [c.role for c in table.columns] == ["time", "event", "actor"]
    assert pack.actions is not None and pack.actions.forms == ("tasks",) and pack.actions.owner == "required"
    assert "owner-label" in pack.actions.owner_forms
    assert pack.measure("time-to-detect") is not None
    assert pack.title.pattern.startswith("Incident")


def test_fields_in_headings_and_sections_are_fields() -> None:
    text = "# Title\n\n## Date: July 1, 2020\n## Owner: Someone\n\n### Status\n\n## Timeline\n\n## Cause\n"
    pack = derive.derive(text, "menti.md")
    assert [(f.key, f.where[0]) for f in pack.fields] == [("date", "heading"), ("owner", "heading"), ("status", "section")]
    assert [s.name for s in pack.sections] == ["Timeline", "Cause"]
    assert pack.header_area == "until-first-section"


def test_a_plain_markdown_file_without_a_template_is_a_clean_error() -> None:
    with pytest.raises(TemplateError, match=r"^notes\.md:1: no template found"):
        derive.derive("# Just a title\n\nSome words.\n", "notes.md")


def test_duplicate_headings_are_taken_once() -> None:
    pack = derive.derive("# T\n\n## Summary\n\n## Summary\n\n## Impact\n", "dup.md")
    assert [s.name for s in pack.sections] == ["Summary", "Impact"]


def test_every_corpus_template_derives() -> None:

    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    templates = [p for p in CORPUS.rglob("*") if p.is_file() and "template" in p.name.lower()]
    assert len(templates) >= 10
    for path in templates:
        try:
            pack = derive.derive(path.read_text(encoding="utf-8", errors="replace"), path.name)
        except TemplateError as exc:
            assert "no template found" in str(exc), path
            continue
        assert pack.sections or pack.fields, path


# -- open-ended input ----------------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Summary",
        "Timeline",
        "Action Items",
        "Root Cause",
        "(optional)",
        "[Name]",
        "SEV-[1-4]",
        "Draft | Final",
        "[Draft/Final]",
        "YYYY-MM-DD",
        "HH:MM",
        "Post-Mortem Structure",
        "Owner:",
        "Date:",
        "(all times PST)",
        "DATE RANGE",
        "→ Because x",
        "Why?",
        "",
        " ",
        ":",
        "|",
        "**",
        "#",
        "`",
        "```",
        "~~~",
        "\\",
        "é",
        "🔥",
        "- [ ]",
        "1.",
    ]
)
_TEXT = st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=5).map(" ".join)
_LINE = st.one_of(
    _TEXT,
    st.tuples(st.integers(1, 7), _TEXT).map(lambda p: "#" * p[0] + " " + p[1]),
    st.tuples(_TEXT, _TEXT).map(lambda p: f"**{p[0]}:** {p[1]}"),
    st.tuples(_TEXT, _TEXT).map(lambda p: f"{p[0]}: {p[1]}"),
    st.lists(_TEXT, min_size=1, max_size=5).map(lambda cells: "| " + " | ".join(cells) + " |"),
    st.just("|---|---|---|"),
    st.sampled_from(["```markdown", "```", "````", "```bash", "~~~", "---", "- [x] done [Ana]", "1. **Why?** → Because"]),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=40).map("\n".join))
def test_random_markdown_derives_a_pack_or_a_clean_error(text: str) -> None:
    try:
        pack = derive.derive(text, "random.md")
    except TemplateError as exc:
        assert str(exc).startswith("random.md:")
        assert "Traceback" not in str(exc)
    else:
        assert pack.sections or pack.fields


@given(st.text(alphabet="ab ()\t)", max_size=24))
def test_a_closing_aside_is_cut_as_the_pattern_it_replaces_would(text: str) -> None:
    # The measure labels once went through re.sub(r"\s*\([^)]*\)\s*$", ...), which backtracks
    # quadratically on long runs of "(" or of spaces (tests/regex_safety_test.py).
    assert derive._without_closing_aside(text) == re.sub(r"\s*\([^)]*\)\s*$", "", text)


def test_a_closing_aside_is_cut_from_labels_and_long_runs_come_back_whole() -> None:
    assert derive._without_closing_aside("Time to detect (TTD)") == "Time to detect"
    assert derive._without_closing_aside("Impact (users) (paid) ") == "Impact (users)"
    assert derive._without_closing_aside("(" * 50_000) == "(" * 50_000
    assert derive._without_closing_aside(" " * 50_000 + "(x)") == ""
