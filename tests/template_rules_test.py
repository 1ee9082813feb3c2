"""The document rules read the run's template pack: the real `pmlint check` in temporary git repositories with
`template:` set to a preset or to a team's edited copy of the seed template.

Each preset's flawed fixture says inline what must be found (`tests/templatekit.py`); the rules must report each
of those at the right place and nothing else of theirs, and the clean fixture must give none of their findings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus_archives import archives
from repokit import make_repo, pmlint, write
from ruamel.yaml import YAML
from templatekit import FIXTURES, expected, load

from postmortem_lint.checks.pm3xx_sections import RENAMED, similarity
from postmortem_lint.packs.templates import presets, reader

PRESETS = ("dfds", "google-sre", "mentimeter", "bdougie", "google-api-infra")
OTHERS = {"PM401", "PM407", "PM408", "PM507", "PM701", "PM702", "PM703"}
"""Rules another change owns (placeholders, template examples, secrets, the repository rules, PM507 among them): not judged here."""
EXPECTED_CODES = {
    "missing-section": {"PM301"},
    "missing-field": {"PM202"},
    "bad-value": {"PM203", "PM204", "PM205", "PM206", "PM207", "PM208"},
    "no-owner": {"PM502"},
    "empty-section": {"PM303"},
    "no-table": {"PM402", "PM501"},
}
SEED_RULE = next(
    (p / "shared" / "seed" / "000_0a73f838bdf75aa7.txt" for p in Path(__file__).resolve().parents if (p / "shared" / "seed").is_dir()),
    Path("/nonexistent"),
)


def _name(path: Path, preset: str) -> str:
    """A file name in the default `include` that carries the document's own incident date (so PM206 has nothing to say)."""
    date = reader.incident_date(load(path), presets.preset(preset))
    return f"tasks/post-mortem-{date.isoformat() if date else '2026-01-05'}-{path.stem}.md"


def _check(repo: Path, *paths: str) -> list[dict[str, object]]:
    done = pmlint(repo, "check", "--format", "json", "--no-cache", "--today", "2026-03-20", *paths)
    assert done.returncode in (0, 1), done.stderr
    diagnostics: list[dict[str, object]] = json.loads(done.stdout)["diagnostics"]
    return diagnostics


def _repo(tmp_path: Path, template: str) -> Path:
    repo = make_repo(tmp_path / "repo")
    write(repo, ".pmlint.yaml", f"template: {template}\n")
    return repo


@pytest.mark.parametrize("preset", PRESETS)
def test_the_clean_fixture_of_each_preset_gives_no_finding_of_the_document_rules(tmp_path: Path, preset: str) -> None:
    repo = _repo(tmp_path, preset)
    clean = FIXTURES / preset / "clean.md"
    rel = _name(clean, preset)
    write(repo, rel, clean.read_text(encoding="utf-8"))
    found = [d for d in _check(repo, rel) if d["code"] not in OTHERS]
    assert found == []


@pytest.mark.parametrize("preset", PRESETS)
def test_the_flawed_fixture_of_each_preset_gives_the_findings_its_comments_announce(tmp_path: Path, preset: str) -> None:
    repo = _repo(tmp_path, preset)
    flawed = FIXTURES / preset / "flawed.md"
    rel = _name(flawed, preset)
    write(repo, rel, flawed.read_text(encoding="utf-8"))
    found = [d for d in _check(repo, rel) if d["code"] not in OTHERS]
    wanted = sorted(e for e in expected(flawed) if not e.startswith("placeholder:"))
    assert wanted, "the fixture announces something"
    explained: set[int] = set()
    for expectation in wanted:
        kind, _, what = expectation.partition(":")
        hits = [i for i, d in enumerate(found) if d["code"] in EXPECTED_CODES[kind] and _mentions(d, kind, what)]
        assert hits, f"{expectation}: not reported in {[(d['code'], d['message']) for d in found]}"
        explained.update(hits)
    assert [found[i] for i in range(len(found)) if i not in explained] == []


def _mentions(diagnostic: dict[str, object], kind: str, what: str) -> bool:
    message = str(diagnostic["message"]).casefold()
    if kind == "no-owner":
        return what.split()[0].casefold() in message or "(no id)" in message
    return what.casefold() in message


def test_an_owner_removed_from_a_dfds_bullet_action_item_is_reported_at_that_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "dfds")
    clean = FIXTURES / "dfds" / "clean.md"
    lines = clean.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("- ") and "Owner: KL" in line)
    lines[at] = lines[at].replace(" — Owner: KL", "")
    rel = _name(clean, "dfds")
    write(repo, rel, "\n".join(lines))
    found = [(d["code"], d["line"]) for d in _check(repo, rel) if d["code"] not in OTHERS]
    assert found == [("PM502", at + 1)]


def test_the_seed_preset_still_asks_for_the_action_table_that_dfds_does_not(tmp_path: Path) -> None:
    clean = FIXTURES / "dfds" / "clean.md"
    for template, wanted in (("seed", True), ("dfds", False)):
        repo = _repo(tmp_path / template, template)
        rel = _name(clean, "dfds")
        write(repo, rel, clean.read_text(encoding="utf-8"))
        assert any(d["code"] == "PM501" for d in _check(repo, rel)) is wanted


@pytest.mark.skipif(not archives().get("dfds"), reason="no dfds archive in the corpus")
def test_a_real_dfds_file_whose_items_name_owners_but_one_is_reported_at_that_line(tmp_path: Path) -> None:
    """The dfds archive names no owners; once a team starts to (`owner: if-any`), the item left without one is reported."""
    pack = presets.preset("dfds")
    path, items = next(
        (p, found) for p in archives()["dfds"] if len(found := [a for a in reader.find_actions(load(p), pack) if a.form == "bullets"]) >= 3
    )
    lines = path.read_text(encoding="utf-8").split("\n")
    unowned = items[1]
    for item in items:
        if item is not unowned:
            lines[item.line - 1] = lines[item.line - 1].rstrip() + " — Owner: Dana"
    repo = _repo(tmp_path, "dfds")
    write(repo, "tasks/post-mortem-2020-01-01-real.md", "\n".join(lines))
    found = [d for d in _check(repo, "tasks/post-mortem-2020-01-01-real.md") if d["code"] == "PM502"]
    assert [d["line"] for d in found] == [unowned.line]


# -- a team's edited copy of the seed template --------------------------------------------------------------------------


def _edited_seed_template() -> str:
    """The seed rule file with a section renamed, a field added and the timeline's Actor column dropped."""
    edited = (
        SEED_RULE.read_text(encoding="utf-8")
        .replace("## Executive Summary", "## Summary for Leadership")
        .replace(
            "**Status:** Draft | Under Review | Final | Closed",
            "**Status:** Draft | Under Review | Final | Closed\n**Customer Tier:** [Tier]",
        )
        .replace("| Time | Event | Actor |\n|------|-------|-------|", "| Time | Event |\n|------|-------|")
    )
    return "\n".join(line.rsplit(" | ", 1)[0] + " |" if line.startswith("| HH:MM |") else line for line in edited.split("\n"))


def _followed(text: str) -> str:
    """The seed's clean fixture as the team now writes it: the section renamed, the field filled, the column dropped."""
    text = text.replace("## Executive Summary", "## Summary for Leadership").replace(
        "**Status:** Final", "**Status:** Final\n**Customer Tier:** Enterprise"
    )
    lines = text.split("\n")
    start = lines.index("| Time | Event | Actor |")
    for index in range(start, len(lines)):
        if not lines[index].startswith("|"):
            break
        lines[index] = "|".join(lines[index].split("|")[:3]) + "|"
    return "\n".join(lines)


@pytest.mark.skipif(not SEED_RULE.is_file(), reason="no seed rule file in ../shared/seed")
def test_a_team_s_edited_seed_template_makes_the_rules_follow(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "our-template.md")
    write(repo, "our-template.md", _edited_seed_template())
    clean = (FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8")
    rel = "tasks/post-mortem-2026-03-14-checkout-latency.md"

    write(repo, rel, clean)
    old = {(d["code"], d["message"]) for d in _check(repo, rel) if d["code"] not in OTHERS}
    assert ("PM301", "missing section `## Summary for Leadership`") in old, "no look-alike heading: no renamed? hint"
    assert ("PM202", "header field `**Customer Tier:**` is missing") in old
    assert not any(code == "PM402" for code, _ in old), "the template's timeline has no Actor column, so its header is fine"

    write(repo, rel, _followed(clean))
    assert [d for d in _check(repo, rel) if d["code"] not in OTHERS] == []


@pytest.mark.skipif(not SEED_RULE.is_file(), reason="no seed rule file in ../shared/seed")
def test_the_seed_preset_still_asks_for_what_the_team_dropped(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "seed")
    rel = "tasks/post-mortem-2026-03-14-checkout-latency.md"
    write(repo, rel, _followed((FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8")))
    codes = {d["code"] for d in _check(repo, rel)}
    assert {"PM301", "PM402"} <= codes


@pytest.mark.parametrize(
    ("cell", "reported"),
    [("2026-02-12", False), ("~2026-02-12 08:35", False), ("2026-02-12 08:35 - 08:50", False), ("Feb 12", False),
     ("20262-02-12 08:35", True), ("2026-02-12 HH:mm", True), ("2026-02-12 08:??", True)],
)  # fmt: skip
def test_a_when_column_takes_a_day_a_range_or_an_approximate_time_but_not_a_typo(tmp_path: Path, cell: str, reported: bool) -> None:
    """dfds's Time column is `type: when`: a multi-day timeline may give the day alone; the seed's stays `HH:MM`-strict."""
    repo = _repo(tmp_path, "dfds")
    clean = FIXTURES / "dfds" / "clean.md"
    text = clean.read_text(encoding="utf-8").replace("| 2026-02-12 08:35 |", f"| {cell} |", 1)
    rel = _name(clean, "dfds")
    write(repo, rel, text)
    line = text.split("\n").index(next(x for x in text.split("\n") if x.startswith(f"| {cell} |"))) + 1
    found = [(d["code"], d["line"]) for d in _check(repo, rel) if d["code"] == "PM402"]
    assert found == ([("PM402", line)] if reported else [])


# -- PM301's "renamed?" hint -----------------------------------------------------------------------------------------


def _judged() -> list[dict[str, object]]:
    data: list[dict[str, object]] = YAML(typ="safe").load((Path(__file__).parent / "data" / "renamed_pairs.yaml").read_text("utf-8"))
    return data


def test_the_renamed_hint_threshold_keeps_the_judged_non_renames_out_but_one_and_most_renames_in() -> None:
    judged = _judged()
    hinted = [p for p in judged if similarity(str(p["missing"]), str(p["heading"])) >= RENAMED]
    false_hints = [p for p in hinted if p["rename"] is False]
    renames = [p for p in judged if p["rename"] is True]
    assert [(p["missing"], p["heading"]) for p in false_hints] == [("Business Impact", "User Impact")]
    assert len([p for p in hinted if p["rename"] is True]) / len(renames) >= 0.7


def test_a_missing_section_with_no_look_alike_points_after_the_previous_section(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "seed")
    text = (FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8").replace("## Timeline", "## Chronology of Events")
    rel = "tasks/post-mortem-2026-03-14-checkout-latency.md"
    write(repo, rel, text)
    lines = text.split("\n")
    found = [d for d in _check(repo, rel) if d["code"] == "PM301"]
    assert [d["message"] for d in found] == ["missing section `## Timeline`"]
    assert lines[int(found[0]["line"]) - 1] == "## Chronology of Events", "right after Impact, the section before it"


def test_a_renamed_section_is_hinted_at_its_heading(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "seed")
    text = (FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8").replace("## Executive Summary", "## Summary")
    rel = "tasks/post-mortem-2026-03-14-checkout-latency.md"
    write(repo, rel, text)
    found = [d for d in _check(repo, rel) if d["code"] == "PM301"]
    assert [(d["message"], d["line"]) for d in found] == [
        ("missing section `## Executive Summary` (found `Summary` here: renamed?)", text.split("\n").index("## Summary") + 1)
    ]


@pytest.mark.parametrize(
    "heading", ["## Timeline (all times PST) 01/16/2024 - 02/28/2024", "## Timeline [[167]](https://example.com/#t)", "Timeline\n--------"]
)
def test_a_heading_with_text_after_a_parenthesis_a_footnote_link_or_setext_form_is_the_section(tmp_path: Path, heading: str) -> None:
    repo = _repo(tmp_path, "seed")
    text = (FIXTURES / "seed" / "clean.md").read_text(encoding="utf-8").replace("## Timeline", heading, 1)
    rel = "tasks/post-mortem-2026-03-14-checkout-latency.md"
    write(repo, rel, text)
    assert [d for d in _check(repo, rel) if d["code"] in ("PM301", "PM302", "PM402")] == []
