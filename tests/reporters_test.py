"""Every output format against one shared set of diagnostics; golden files for the CI formats.

Regenerate the golden files after an intended change with
``PMLINT_UPDATE_GOLDEN=1 pytest tests/reporters_test.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem_lint import __version__
from postmortem_lint.checks.registry import catalog
from postmortem_lint.core.diagnostics import Diagnostic, Edit, Fix
from postmortem_lint.reporters import registry
from postmortem_lint.reporters.check import full
from postmortem_lint.reporters.check.github import escape_data, escape_property
from postmortem_lint.reporters.subjects import CheckReport


def render(name: str, diagnostics: list[Diagnostic], files_checked: int, out: Any, **options: Any) -> None:
    """A check reporter's output for ``diagnostics`` (options as `CheckReport` takes them)."""
    registry.render("check", name, CheckReport(diagnostics, files_checked, **options), out)


GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = Path(os.environ.get("PMLINT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SARIF_SCHEMA = next(
    (p for p in (SHARED / "schemas" / "sarif-schema-2.1.0.json", Path("/work/shared/schemas/sarif-schema-2.1.0.json")) if p.is_file()),
    SHARED / "schemas" / "sarif-schema-2.1.0.json",
)
"""The shared SARIF schema (`PMLINT_SHARED`, else ../shared beside the checkout, else the session's shared folder)."""
SPACED = "tasks/post-mortem-2026-03-14-café outage.md"
PLAIN = "tasks/post-mortem-2026-03-14-checkout-latency.md"

DIAGNOSTICS = [
    Diagnostic(
        PLAIN,
        4,
        23,
        4,
        41,
        "PM701",
        "incident-number-duplicate",
        "error",
        "incident number INC-2026-03-14-001 is also used by tasks/a.md, tasks/b.md",
        text="INC-2026-03-14-001",
    ),
    Diagnostic(PLAIN, 13, 0, 13, 0, "PM405", "executive-summary-length", "warning", "executive summary has 6 sentences; write 2–3"),
    Diagnostic(PLAIN, 128, 91, 128, 97, "PM401", "placeholder", "error", "placeholder `[Name]` left in", text="[Name]"),
    Diagnostic(PLAIN, 128, 91, 128, 97, "PM401", "placeholder", "error", "placeholder `[Name]` left in", text="[Name]"),
    Diagnostic(
        SPACED, 1, 0, 1, 0, "PM101", "filename-format", "error", "file name has 100% spaces: a, b\r\nand a new line", text="café outage"
    ),
    Diagnostic(SPACED, 60, 3, 62, 5, "PM702", "related-incident-unknown", "info", 'related <incident> & "quoted" \x01 INC-2025-13-40'),
]


def rendered(name: str, diagnostics: list[Diagnostic] = DIAGNOSTICS, **options: Any) -> str:
    out = io.StringIO()
    render(name, diagnostics, 2, out, **options)
    return out.getvalue()


def golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("PMLINT_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    return path.read_bytes().decode("utf-8")


def _sarif_without_catalog(text: str) -> str:
    """The SARIF log minus the rule catalog, rule indexes and version, which change with every rule added."""
    log = json.loads(text)
    driver = log["runs"][0]["tool"]["driver"]
    driver.pop("rules")
    for result in log["runs"][0]["results"]:
        result.pop("ruleIndex")
    driver["version"] = driver["semanticVersion"] = "<version>"
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", ["github", "gitlab", "junit"])
def test_ci_format_matches_its_golden_file(name: str) -> None:
    text = rendered(name)
    assert text == golden(f"report.{name}.txt", text)


def test_sarif_matches_its_golden_file_apart_from_the_catalog() -> None:
    text = _sarif_without_catalog(rendered("sarif"))
    assert text == golden("report.sarif.json", text)


def test_every_format_renders_the_shared_diagnostics_and_an_empty_run() -> None:
    for name in registry.formats("check"):
        assert rendered(name).strip()
        rendered(name, [])


def test_sarif_validates_against_the_2_1_0_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent")
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    for diagnostics in (DIAGNOSTICS, []):
        errors = [e.message for e in validator.iter_errors(json.loads(rendered("sarif", diagnostics)))]
        assert errors == []


FIXED = [
    Diagnostic(
        PLAIN,
        7,
        15,
        7,
        20,
        "PM204",
        "severity-value",
        "error",
        "severity `SEV 2` is not one of SEV-1..SEV-4",
        "SEV 2",
        Fix("safe", "write `SEV-2`", (Edit(7, 15, 7, 20, "SEV-2"),)),
    ),
    Diagnostic(
        SPACED,
        77,
        0,
        77,
        0,
        "PM301",
        "section-missing",
        "error",
        "missing section `### Trigger`",
        "### Trigger",
        Fix("unsafe", "insert an empty `### Trigger`", (Edit(77, 1, 77, 1, "### Trigger\n\n"),)),
    ),
    Diagnostic(PLAIN, 1, 1, 1, 0, "PM703", "tracker-out-of-sync", "error", "stale row", "stale", Fix("safe", "sync the tracker")),
]


def test_sarif_carries_fixes_as_artifact_changes_and_validates() -> None:
    results = json.loads(rendered("sarif", FIXED))["runs"][0]["results"]
    change = results[0]["fixes"][0]["artifactChanges"][0]
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 7, "startColumn": 15, "endLine": 7, "endColumn": 20}, "insertedContent": {"text": "SEV-2"}}
    ]
    assert "unsafe" in results[1]["fixes"][0]["description"]["text"]
    assert "fixes" not in results[2], "a fix without edits (the tracker) has no artifact change"
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent")
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(json.loads(rendered("sarif", FIXED)))] == []


def test_json_carries_each_fix_in_the_spec_shape() -> None:
    found = json.loads(rendered("json", FIXED))["diagnostics"]
    assert [d["fix"]["safety"] for d in found] == ["safe", "unsafe", "safe"]
    assert found[0]["fix"]["edits"] == [{"line": 7, "column": 15, "end_line": 7, "end_column": 20, "replacement": "SEV-2"}]
    assert found[2]["fix"]["edits"] == [] and all(d["fixable"] for d in found)


def test_text_and_full_mark_safe_and_unsafe_fixes() -> None:
    text = rendered("text", FIXED)
    assert "PM204 [error] [*] severity" in text and "PM301 [error] [-] missing" in text
    assert "([*] 2 fixable with `pmlint check --fix`) ([-] 1 more with `--unsafe-fixes`)" in text
    assert "[*] severity" in rendered("full", FIXED)


def test_sarif_describes_every_rule_with_help_from_its_docstring() -> None:
    driver = json.loads(rendered("sarif"))["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("pmlint", __version__)
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == list(catalog())
    pm701 = rules["PM701"]
    assert pm701["name"] == "incident-number-duplicate"
    assert pm701["defaultConfiguration"] == {"level": "error"}
    assert "## Why is this bad?" in pm701["help"]["markdown"]
    assert "\n" not in pm701["shortDescription"]["text"]
    assert rules["PM702"]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_results_point_at_their_rule_and_repository_path() -> None:
    run = json.loads(rendered("sarif", path_prefix="docs/"))["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    first, *_, spaced = run["results"]
    assert ids[first["ruleIndex"]] == first["ruleId"] == "PM701"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"docs/{PLAIN}"
    assert location["region"] == {"startLine": 4, "startColumn": 23, "endLine": 4, "endColumn": 41}
    uri = spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/tasks/post-mortem-2026-03-14-caf%C3%A9%20outage.md"
    assert spaced["level"] == "note"
    assert all("partialFingerprints" not in r for r in run["results"])


def test_sarif_region_omits_unknown_columns() -> None:
    results = json.loads(rendered("sarif"))["runs"][0]["results"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 13, "endLine": 13}


def test_github_escapes_data_and_properties() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    lines = rendered("github", path_prefix="sub dir/").splitlines()
    assert len(lines) == len(DIAGNOSTICS)
    assert lines[4] == (
        "::error file=sub dir/tasks/post-mortem-2026-03-14-café outage.md,line=1,endLine=1,title=PM101 filename-format"
        "::file name has 100%25 spaces: a, b%0D%0Aand a new line"
    )
    assert lines[-1].startswith("::notice ")


def test_gitlab_fingerprints_are_unique_and_ignore_the_line() -> None:
    issues = json.loads(rendered("gitlab"))
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    shifted = [_shift(d, 10) for d in DIAGNOSTICS]
    assert [i["fingerprint"] for i in json.loads(rendered("gitlab", shifted))] == [i["fingerprint"] for i in issues]
    assert {i["severity"] for i in issues} == {"major", "minor", "info"}
    assert issues[0]["location"] == {"path": PLAIN, "lines": {"begin": 4, "end": 4}}


def _shift(d: Diagnostic, by: int) -> Diagnostic:
    return replace(d, line=d.line + by, end_line=d.end_line + by)


def test_junit_is_well_formed_xml_with_one_failure_per_finding() -> None:
    root = ET.fromstring(rendered("junit"))
    assert root.get("failures") == str(len(DIAGNOSTICS))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [PLAIN, SPACED]
    assert len(root.findall(".//failure")) == len(DIAGNOSTICS)
    assert "\ufffd" in (suites[1].findall(".//failure")[-1].get("message") or "")


def test_junit_clean_run_is_one_passing_case() -> None:
    root = ET.fromstring(rendered("junit", []))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    assert root.find(".//failure") is None


def test_json_keeps_the_spec_shape() -> None:
    payload = json.loads(rendered("json"))
    assert payload["summary"] == {"error": 4, "warning": 1, "info": 1}
    assert payload["diagnostics"][0]["code"] == "PM701"


def test_text_prints_one_line_per_finding_and_a_summary() -> None:
    lines = rendered("text", colour=False).splitlines()
    assert lines[0] == f"{PLAIN}:4:23: PM701 [error] incident number INC-2026-03-14-001 is also used by tasks/a.md, tasks/b.md"
    assert lines[-1].startswith("Found 4 errors, 1 warning, 1 info in 2 files")


# --- The human formats: `full` (source line and carets) and `grouped`. ---

PLAIN_SOURCE = {
    4: "**Incident Number:**  INC-2026-03-14-001",
    13: "The summary runs on. And on. And on. And on. And on. And on.",
    128: "| AI-001 |\tAdd a 限流 guard to the pricing service so one release cannot fan out per line | [Name] | High |",
}
"""The lines of `PLAIN` the shared diagnostics point at: a tab and wide characters before column 91 on line 128."""


def plain_lines(path: str) -> list[str] | None:
    """`PLAIN` as 130 lines (the others blank); no source for `SPACED`, which `full` then prints without a snippet."""
    if path != PLAIN:
        return None
    return [PLAIN_SOURCE.get(n, "") for n in range(1, 131)]


@pytest.mark.parametrize("name", ["full", "grouped"])
def test_human_format_matches_its_golden_file(name: str) -> None:
    text = rendered(name, colour=False, source=plain_lines)
    assert text == golden(f"report.{name}.txt", text)


def _carets(text: str, source_line: str) -> str:
    """The characters of the printed ``source_line`` row that stand above the carets of the next row."""
    rows = text.splitlines()
    [at] = [i for i, row in enumerate(rows) if row.endswith(source_line)]
    shown, marks = rows[at].split(" | ", 1)[1], rows[at + 1].split(" | ", 1)[1]
    start = marks.index("^")
    return shown[start : start + marks.count("^")]


def test_full_puts_the_carets_under_the_offending_text() -> None:
    text = rendered("full", colour=False, source=plain_lines)
    assert _carets(text, PLAIN_SOURCE[4]) == "INC-2026-03-14-001"
    assert PLAIN_SOURCE[128].index("[Name]") == 90
    tabbed = PLAIN_SOURCE[128].expandtabs(4)
    shown = next(row for row in text.splitlines() if row.startswith("128 | "))
    caret_row = text.splitlines()[text.splitlines().index(shown) + 1]
    width = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in tabbed[: tabbed.index("[Name]")])
    assert caret_row == "    | " + " " * width + "^" * 6 + " PM401"
    assert shown == "128 | " + tabbed


def test_full_without_a_column_or_a_source_prints_no_carets() -> None:
    text = rendered("full", colour=False, source=plain_lines)
    blocks = text.split("\n\n")
    summary = next(b for b in blocks if b.startswith(f"{PLAIN}:13:"))
    assert summary.splitlines()[2] == f"13 | {PLAIN_SOURCE[13]}" and "^" not in summary
    spaced = [b for b in blocks if b.startswith(SPACED)]
    assert spaced and all(len(b.splitlines()) <= 2 for b in spaced)
    assert rendered("full", colour=False) == rendered("full", colour=False, source=lambda path: None)


def test_full_underlines_a_multi_line_span_to_the_end_of_its_first_line() -> None:
    d = replace(DIAGNOSTICS[0], line=2, column=3, end_line=4, end_column=2)
    text = rendered("full", [d], colour=False, source=lambda path: ["", "| a | b |", "c", "d"])
    assert "2 | | a | b |\n  |   ^^^^^^^ PM701\n" in text


def test_full_shows_control_characters_as_replacement_characters() -> None:
    d = replace(DIAGNOSTICS[0], line=1, column=5, end_line=1, end_column=8)
    text = rendered("full", [d], colour=False, source=lambda path: ["\x1b[2Jab\u202eRLO here"])
    assert "\x1b" not in text and "\u202e" not in text
    assert _carets(text, "\ufffd[2Jab\ufffdRLO here") == "ab\ufffd"


def test_full_cuts_a_long_line_around_the_finding() -> None:
    line = "x" * 5000 + "AKIAIOSFODNN7EXAMPLE" + "y" * 5000
    d = replace(DIAGNOSTICS[0], line=1, column=5001, end_line=1, end_column=5021)
    text = rendered("full", [d], colour=False, source=lambda path: [line])
    row = next(r for r in text.splitlines() if r.startswith("1 | "))
    assert row.startswith("1 | …x") and row.endswith("y…") and len(row) <= len("1 | ") + full.WIDTH + 2
    assert _carets(text, row.split(" | ", 1)[1]) == "AKIAIOSFODNN7EXAMPLE"


def test_full_colours_the_carets_by_severity_on_request() -> None:
    text = rendered("full", colour=True, source=plain_lines)
    assert "\033[31m" + "^" * 18 + "\033[0m PM701" in text


def test_grouped_names_each_path_once_with_a_blank_line_between_files() -> None:
    text = rendered("grouped", colour=False)
    blocks = text.split("\n\n")
    assert [b.splitlines()[0] for b in blocks[:-1]] == [f"{PLAIN}:", f"{SPACED}:"]
    assert blocks[0].splitlines()[1:] == [
        "  4:23   PM701 [error] incident number INC-2026-03-14-001 is also used by tasks/a.md, tasks/b.md",
        "  13     PM405 [warning] executive summary has 6 sentences; write 2–3",
        "  128:91 PM401 [error] placeholder `[Name]` left in",
        "  128:91 PM401 [error] placeholder `[Name]` left in",
    ]
    assert blocks[-1].startswith("Found 4 errors, 1 warning, 1 info in 2 files")
    assert rendered("grouped", [], colour=False) == "All clear: no findings in 2 files.\n"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=400),
    st.integers(min_value=0, max_value=420),
    st.integers(min_value=0, max_value=30),
)
def test_full_carets_stand_under_the_span_on_any_printable_line(line: str, first: int, length: int) -> None:
    first = min(first, len(line))
    shown, offset, width = full.excerpt(line, first, first + length)
    assert len(shown) <= full.WIDTH + 2
    if not length:
        assert width == 0
        return
    assert width >= 1
    under = shown[offset : offset + width]
    assert under == line[first : first + width] or (first == len(line) and under == "")
    assert shown.strip("…") in line
