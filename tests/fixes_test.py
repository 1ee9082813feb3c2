"""Autofix: a before/after fixture per fix (tests/fixes/), the CLI's --diff/--fix/--unsafe-fixes/--fix-only in real
git repositories, the examples, and properties of applying every fix (never raises, idempotent, no unannounced finding)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lintkit import CLEAN_PATH, REPO, clean_text, lint
from repokit import clean_env, commit, init, pmlint, write

from postmortem_lint.core.diagnostics import SAFE
from postmortem_lint.lint import fixing
from postmortem_lint.lint.fixing import fix_text

FIXES = REPO / "tests" / "fixes"
CASES = sorted(p.name.removesuffix(".before.md") for p in FIXES.glob("*.before.md"))
TODAY = ("--today", "2026-03-20", "--no-cache")
ANNOUNCED = {"PM301": {"PM303"}}
"""Findings a fix may bring and says so in its message: an inserted skeleton is an empty section."""


def _selection(case: str) -> str:
    code = case.split("-")[0]
    return "PM901,PM502" if code == "PM901" else code


def _repo(tmp_path: Path, text: str) -> Path:
    repo = init(tmp_path / "repo")
    write(repo, CLEAN_PATH, text)
    commit(repo, "draft")
    return repo


@pytest.mark.parametrize("case", CASES)
def test_each_fix_turns_its_before_fixture_into_its_after_fixture(tmp_path: Path, case: str) -> None:
    before = (FIXES / f"{case}.before.md").read_text(encoding="utf-8")
    after = (FIXES / f"{case}.after.md").read_text(encoding="utf-8")
    repo = _repo(tmp_path, before)
    select = ("--select", _selection(case))
    shown = pmlint(repo, "check", "--diff", "--unsafe-fixes", *select, *TODAY)
    assert shown.returncode == 1 and f"+++ b/{CLEAN_PATH}" in shown.stdout, shown.stderr
    assert (repo / CLEAN_PATH).read_text(encoding="utf-8") == before, "--diff writes nothing"
    done = pmlint(repo, "check", "--fix-only", "--unsafe-fixes", *select, *TODAY)
    assert done.returncode == 0 and "Fixed 1 finding (0 remaining)" in done.stderr, done.stderr
    assert (repo / CLEAN_PATH).read_text(encoding="utf-8") == after
    again = pmlint(repo, "check", "--diff", "--unsafe-fixes", *select, *TODAY)
    assert again.returncode == 0 and again.stdout == ""


@pytest.mark.parametrize("case", CASES)
def test_fix_applies_only_safe_fixes_and_unsafe_ones_wait_for_the_flag(tmp_path: Path, case: str) -> None:
    before = (FIXES / f"{case}.before.md").read_text(encoding="utf-8")
    repo = _repo(tmp_path, before)
    select = ("--select", _selection(case))
    found = json.loads(pmlint(repo, "check", "--format", "json", *select, *TODAY).stdout)["diagnostics"]
    fixes = [d["fix"] for d in found if d["fix"]]
    assert len(fixes) == 1 and fixes[0]["edits"]
    safe = fixes[0]["safety"] == SAFE
    done = pmlint(repo, "check", "--fix", *select, *TODAY)
    assert ((repo / CLEAN_PATH).read_text(encoding="utf-8") != before) == safe
    assert ("1 more with --unsafe-fixes" in done.stderr) == (not safe), done.stderr
    assert done.returncode == (0 if safe or all(d["severity"] != "error" for d in found) else 1)


def test_text_format_marks_fixable_findings(tmp_path: Path) -> None:
    repo = _repo(tmp_path, (FIXES / "PM204-spacing.before.md").read_text(encoding="utf-8"))
    out = pmlint(repo, "check", "--select", "PM204,PM504", *TODAY).stdout
    assert "PM204 [error] [*] severity `SEV 2`" in out and "([*] 1 fixable with `pmlint check --fix`)" in out


def test_a_file_changed_on_disk_meanwhile_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("new", encoding="utf-8")
    change = fixing.FileFix("doc.md", "old", "fixed", ())
    assert not fixing.write(path, b"old", change, tmp_path)
    assert path.read_text(encoding="utf-8") == "new"
    assert fixing.write(path, b"new", change._replace(before="new"), tmp_path)
    assert path.read_text(encoding="utf-8") == "fixed"


def test_fixes_keep_crlf_and_the_rest_of_the_bytes(tmp_path: Path) -> None:
    before = (FIXES / "PM301-missing.before.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    repo = init(tmp_path / "repo")
    (repo / "tasks").mkdir()
    (repo / CLEAN_PATH).write_bytes(before.encode("utf-8"))
    commit(repo, "draft")
    pmlint(repo, "check", "--fix-only", "--unsafe-fixes", "--select", "PM301", *TODAY)
    after = (FIXES / "PM301-missing.after.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert (repo / CLEAN_PATH).read_bytes() == after.encode("utf-8")


def test_examples_fix_safe_then_unsafe_and_the_count_drops(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    shutil.copytree(REPO / "examples", repo, dirs_exist_ok=True)
    commit(repo, "examples")

    def count() -> int:
        return len(json.loads(pmlint(repo, "check", "--format", "json", *TODAY).stdout)["diagnostics"])

    start = count()
    diff = pmlint(repo, "check", "--diff", "--unsafe-fixes", *TODAY)
    assert diff.returncode == 1 and "+++ b/tasks/" in diff.stdout
    safe = pmlint(repo, "check", "--fix", *TODAY)
    fixed = int(safe.stderr.split("Fixed ")[1].split()[0])
    assert count() == start - fixed
    unsafe = pmlint(repo, "check", "--fix", "--unsafe-fixes", *TODAY)
    more = int(unsafe.stderr.split("Fixed ")[1].split()[0])
    assert more > 0 and count() <= start - fixed - more + 3, unsafe.stderr
    assert pmlint(repo, "check", "--diff", "--unsafe-fixes", *TODAY).stdout == ""


def _all_fixed(text: str) -> tuple[str, list[str]]:
    def linted(current: str) -> list:  # type: ignore[type-arg]
        return lint(current)

    done = fix_text(text, linted, unsafe=True)
    return done.text, [a["code"] for a in done.applied]


def _assert_fix_properties(text: str) -> None:
    before = {d.code for d in lint(text)}
    fixed, codes = _all_fixed(text)
    assert fix_text(fixed, lint, unsafe=True).applied == (), "a second run changes nothing"
    allowed = before | {c for code in codes for c in ANNOUNCED.get(code, set())}
    assert {d.code for d in lint(fixed)} <= allowed


@pytest.mark.parametrize("case", CASES)
def test_every_fix_at_once_on_each_fixture_is_idempotent_and_announces_what_it_brings(case: str) -> None:
    _assert_fix_properties((FIXES / f"{case}.before.md").read_text(encoding="utf-8"))


MUTATIONS = [
    ("**Severity:** SEV-2", ["**Severity:** SEV 2", "**Severity:** p2", "**Severity:** High", "**Severity:** sev2"]),
    ("**Status:** Final", ["**Status:** Resolved", "**Status:** wip", "**Status:** complete"]),
    ("| Daniel Okafor | High |", ["| Daniel Okafor | urgent |", "| Daniel Okafor | P0 |"]),
    ("| 2026-03-27 | In Progress |", ["| 2026-03-27 | WIP |", "| 2026-03-27 | doing |"]),
    ("**Duration:** 1 hour 30 minutes", ["**Duration:** 3h", "**Duration:** 45 min"]),
    ("| AI-002 | Add p95", ["| AI-001 | Add p95", "| AI-003 | Add p95"]),
    ("## Resolution\n", ["## Resolution\n<!-- pmlint-disable-next-line PM401 -->\n", "## Resolution\ntoken AKIAIOSFODNN7EXAMPLE\n"]),
    (
        "❌ The flag kill switch was not listed",
        ["❌ Fat-fingering the flag kill switch was not listed", "❌ The offending operator's flag kill switch was not listed"],
    ),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(MUTATIONS) - 1), st.integers(0, 3)), max_size=5))
def test_mutated_documents_fix_idempotently(picks: list[tuple[int, int]]) -> None:
    text = clean_text()
    for which, variant in picks:
        old, news = MUTATIONS[which]
        text = text.replace(old, news[variant % len(news)], 1)
    _assert_fix_properties(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#*|:-\n `<>!AIPSEV0123456789abc ")), max_size=400))
def test_arbitrary_text_never_breaks_the_fixes(text: str) -> None:
    fixed, _ = _all_fixed(text)
    assert fix_text(fixed, lint, unsafe=True).applied == ()


def _corpus() -> list[Path]:
    root = Path(os.environ.get("PMLINT_CORPUS", REPO.parent / "shared" / "corpus"))
    return sorted(root.rglob("*.md"))[:: max(1, len(list(root.rglob("*.md"))) // 40)] if root.is_dir() else []


@pytest.mark.parametrize("path", _corpus() or [None])
def test_corpus_documents_fix_idempotently(path: Path | None) -> None:
    if path is None:
        pytest.skip("the corpus is absent")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    fixed, _ = _all_fixed(text)
    assert fix_text(fixed, lint, unsafe=True).applied == ()


def test_a_fresh_draft_from_pmlint_new(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    made = pmlint(repo, "new", "--no-input", "--date", "2026-03-14", "--severity", "SEV-2", "Cache storm")
    assert made.returncode == 0, made.stderr
    commit(repo, "draft")
    rel = made.stdout.strip()
    before = (repo / rel).read_bytes()
    start = json.loads(pmlint(repo, "check", "--format", "json", *TODAY).stdout)["diagnostics"]
    offered = [d for d in start if d["fix"] and d["fix"]["edits"]]
    diff = pmlint(repo, "check", "--diff", "--unsafe-fixes", *TODAY)
    assert diff.returncode == (1 if offered else 0) and (diff.stdout != "") == bool(offered)
    pmlint(repo, "check", "--fix", "--unsafe-fixes", *TODAY)
    after = json.loads(pmlint(repo, "check", "--format", "json", *TODAY).stdout)["diagnostics"]
    assert len(after) == len(start) - len(offered)
    assert ((repo / rel).read_bytes() == before) == (not offered)


def test_unfixable_withholds_a_rules_fixes_and_an_unknown_code_is_exit_2(tmp_path: Path) -> None:
    repo = _repo(tmp_path, (FIXES / "PM204-spacing.before.md").read_text(encoding="utf-8"))
    write(repo, ".pmlint.yaml", "unfixable: [PM2]\nfixable: [PM204]\n")
    kept = json.loads(pmlint(repo, "check", "--format", "json", "--select", "PM204", *TODAY).stdout)["diagnostics"]
    assert [d["fixable"] for d in kept] == [True]
    write(repo, ".pmlint.yaml", "unfixable: [PM204]\n")
    withheld = json.loads(pmlint(repo, "check", "--format", "json", "--select", "PM204", *TODAY).stdout)["diagnostics"]
    assert [(d["code"], d["fix"]) for d in withheld] == [("PM204", None)]
    assert pmlint(repo, "check", "--fix-only", "--select", "PM204", *TODAY).stderr.startswith("pmlint: Fixed 0 findings (1 remaining)")
    write(repo, ".pmlint.yaml", "unfixable: [PM999]\n")
    bad = pmlint(repo, "check", *TODAY)
    assert bad.returncode == 2 and bad.stderr.startswith("pmlint: error: .pmlint.yaml:1: unfixable: unknown rule code PM999")


@pytest.mark.parametrize("path", sorted((REPO / "examples" / "tasks").glob("*.md")), ids=lambda p: p.name)
def test_every_fix_on_each_example_is_idempotent_and_announces_what_it_brings(path: Path) -> None:
    _assert_fix_properties(path.read_text(encoding="utf-8"))


def test_a_fix_that_does_not_resolve_its_finding_is_undone_and_not_retried() -> None:
    text = "<!A"
    assert any(d.code == "PM301" and d.fix is not None for d in lint(text)), "a section is missing and offered"
    done = fix_text(text, lint, unsafe=True)
    assert done.text == text and done.applied == (), "the heading lands inside the HTML block: the fix is undone"


def test_fixes_survive_the_result_cache(tmp_path: Path) -> None:
    repo = _repo(tmp_path, (FIXES / "PM301-missing.before.md").read_text(encoding="utf-8"))
    cache = tmp_path / "cache"
    env = clean_env(PMLINT_CACHE_DIR=str(cache))
    args = ("check", "--format", "json", "--today", "2026-03-20")
    cold = json.loads(pmlint(repo, *args, env=env).stdout)["diagnostics"]
    assert any(p.is_file() for p in cache.rglob("*")), "the first run stored its results"
    warm = json.loads(pmlint(repo, *args, env=env).stdout)["diagnostics"]
    assert any(d["fix"] for d in cold) and cold == warm
