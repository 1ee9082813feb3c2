"""The real `pmlint` command in temporary git repositories.

Branches that both take an incident number (`--against`), `--staged` against
an unstaged fix, `--changed-since`, a baseline round trip, the `since`
setting, names with spaces and non-ASCII characters, a repository without
commits, a detached HEAD and a plain folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text
from repokit import ENV, commit, git, init, write

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
TODAY = ("--today", "2026-03-20")
NO_TRACKER = ("--ignore", "PM703")
BAD_OWNER = "| AI-004 | Rate-limit the staging tax sandbox and load-test 10- and 20-line carts | TBD |"
GOOD_OWNER = "| AI-004 | Rate-limit the staging tax sandbox and load-test 10- and 20-line carts | Marcus Lee |"
ODD = "tasks/post-mortem-2026-03-14-café outage.md"


def pmlint_command() -> list[str]:
    script = Path(sys.executable).with_name("pmlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "postmortem_lint"]


def pmlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "NO_COLOR": "1"}
    return subprocess.run([*pmlint_command(), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def numbered(number: str) -> str:
    return clean_text().replace("INC-2026-03-14-001", number)


def flawed() -> str:
    return clean_text().replace(GOOD_OWNER, BAD_OWNER)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return init(tmp_path / "repo")


def _branches(repo: Path) -> None:
    """main and feature fork at `base`; each then adds a post-mortem numbered INC-2026-03-14-002."""
    write(repo, CLEAN_PATH, clean_text())
    commit(repo, "base")
    git(repo, "branch", "feature")
    write(repo, "tasks/post-mortem-2026-03-14-search-outage.md", numbered("INC-2026-03-14-002"))
    commit(repo, "main takes -002")
    git(repo, "checkout", "-q", "feature")
    write(repo, "tasks/post-mortem-2026-03-14-db-failover.md", numbered("INC-2026-03-14-002"))
    write(repo, CLEAN_PATH, clean_text() + "\nAn edit on the branch.\n")
    commit(repo, "feature takes -002 too")


def test_branch_reusing_a_number_from_main_fails_with_pm701_against_main(repo: Path) -> None:
    _branches(repo)
    assert pmlint(repo, "check", "--select", "PM701").returncode == 0
    done = pmlint(repo, "check", "--select", "PM701", "--against", "main", "--format", "json")
    assert done.returncode == 1, done.stderr
    [finding] = json.loads(done.stdout)["diagnostics"]
    assert finding["path"] == "tasks/post-mortem-2026-03-14-db-failover.md"
    assert finding["code"] == "PM701"
    assert finding["message"] == "incident number INC-2026-03-14-002 is also used by tasks/post-mortem-2026-03-14-search-outage.md at main"
    assert (finding["line"], finding["column"]) == (3, 22)


def test_against_works_on_a_detached_head_and_with_a_commit_id(repo: Path) -> None:
    _branches(repo)
    main = git(repo, "rev-parse", "main").strip()
    git(repo, "checkout", "-q", "--detach", "feature")
    assert pmlint(repo, "check", "--select", "PM701", "--against", main).returncode == 1
    assert pmlint(repo, "check", "--select", "PM701", "--against", "feature").returncode == 0


def test_against_an_unknown_ref_is_a_usage_error(repo: Path) -> None:
    _branches(repo)
    done = pmlint(repo, "check", "--against", "origin/nope")
    assert done.returncode == 2
    assert "unknown git ref 'origin/nope'" in done.stderr
    assert "Traceback" not in done.stderr


def test_staged_checks_the_index_and_ignores_an_unstaged_fix(repo: Path) -> None:
    write(repo, CLEAN_PATH, flawed())
    git(repo, "add", CLEAN_PATH)
    write(repo, CLEAN_PATH, clean_text())
    assert pmlint(repo, "check", *TODAY, *NO_TRACKER).returncode == 0
    staged = pmlint(repo, "check", "--staged", *TODAY, *NO_TRACKER)
    assert staged.returncode == 1
    assert f"{CLEAN_PATH}:146:" in staged.stdout and "PM502" in staged.stdout
    git(repo, "add", CLEAN_PATH)
    write(repo, CLEAN_PATH, flawed())
    assert pmlint(repo, "check", "--staged", *TODAY, *NO_TRACKER).returncode == 0


def test_staged_reports_only_staged_files_but_compares_with_all(repo: Path) -> None:
    write(repo, CLEAN_PATH, clean_text())
    commit(repo, "base")
    write(repo, "tasks/post-mortem-2026-03-14-copy.md", clean_text())
    git(repo, "add", ".")
    write(repo, "tasks/post-mortem-2026-03-14-unstaged.md", flawed())
    done = pmlint(repo, "check", "--staged", "--select", "PM701,PM502", *TODAY, "--format", "json")
    payload = json.loads(done.stdout)
    assert payload["files_checked"] == 1
    assert [(d["path"], d["code"]) for d in payload["diagnostics"]] == [("tasks/post-mortem-2026-03-14-copy.md", "PM701")]


def test_changed_since_reports_only_changed_post_mortems(repo: Path) -> None:
    write(repo, CLEAN_PATH, flawed())
    write(repo, "tasks/post-mortem-2026-03-14-old.md", numbered("INC-2026-03-14-002").replace(GOOD_OWNER, BAD_OWNER))
    commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "work")
    write(repo, CLEAN_PATH, flawed() + "\nEdited.\n")
    done = pmlint(repo, "check", "--changed-since", "main", "--select", "PM502", *TODAY, "--format", "json")
    assert done.returncode == 1
    assert {d["path"] for d in json.loads(done.stdout)["diagnostics"]} == {CLEAN_PATH}
    assert json.loads(done.stdout)["files_checked"] == 1


def test_baseline_round_trip_survives_unrelated_edits_and_catches_new_findings(repo: Path) -> None:
    write(repo, CLEAN_PATH, flawed())
    args = ("check", "--select", "PM502,PM401", *TODAY)
    written = pmlint(repo, *args, "--write-baseline", ".pmlint-baseline.json")
    assert written.returncode == 0, written.stderr
    recorded = json.loads((repo / ".pmlint-baseline.json").read_text(encoding="utf-8"))
    assert [(f["path"], f["code"], f["count"]) for f in recorded["findings"]] == [(CLEAN_PATH, "PM502", 1)]
    assert "TBD" not in json.dumps([f["fingerprint"] for f in recorded["findings"]])
    assert pmlint(repo, *args).returncode == 1
    assert pmlint(repo, *args, "--baseline", ".pmlint-baseline.json").returncode == 0
    moved = flawed().replace("## Executive Summary\n", "## Executive Summary\n\nA new opening paragraph.\n\n")
    write(repo, CLEAN_PATH, moved)
    assert pmlint(repo, *args, "--baseline", ".pmlint-baseline.json").returncode == 0
    write(repo, CLEAN_PATH, moved.replace("| Elena Petrova | High | 2026-03-31 |", "| TBD | High | 2026-03-31 |"))
    done = pmlint(repo, *args, "--baseline", ".pmlint-baseline.json")
    assert done.returncode == 1
    assert done.stdout.count("PM502") == 1 and "AI-003" in done.stdout


def test_a_broken_baseline_is_a_one_line_usage_error(repo: Path) -> None:
    write(repo, CLEAN_PATH, clean_text())
    write(repo, "baseline.json", "{not json")
    done = pmlint(repo, "check", "--baseline", "baseline.json")
    assert done.returncode == 2
    assert "baseline.json: not a pmlint baseline" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_since_setting_checks_older_post_mortems_only_for_name_and_repository_rules(repo: Path) -> None:
    write(repo, "tasks/post-mortem-2025-06-01-Legacy_Notes.md", "# Legacy notes\n\n**Date:** 2025-06-01\n\nNo template here.\n")

    def codes() -> set[str]:
        return {d["code"] for d in json.loads(pmlint(repo, "check", "--format", "json", *TODAY).stdout)["diagnostics"]}

    before = codes()
    assert {"PM101", "PM201", "PM301"} <= before
    write(repo, ".pmlint.yaml", "since: 2026-01-01\n")
    assert codes() == {c for c in before if c.startswith(("PM1", "PM7"))} and "PM101" in codes()


def test_paths_with_spaces_and_non_ascii_in_every_mode(repo: Path) -> None:
    write(repo, ODD, clean_text())
    commit(repo, "odd")
    write(repo, ODD, flawed())
    git(repo, "add", ".")
    for extra in ((), ("--staged",), ("--changed-since", "HEAD"), (ODD,)):
        done = pmlint(repo, "check", "--select", "PM101,PM502", *TODAY, "--format", "json", *extra)
        found = {(d["path"], d["code"]) for d in json.loads(done.stdout)["diagnostics"]}
        assert found == {(ODD, "PM101"), (ODD, "PM502")}, extra


def test_sarif_of_a_real_run_validates(repo: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent")
    write(repo, "docs/" + ODD, flawed())
    write(repo, "docs/.pmlint.yaml", "include: ['tasks/post-mortem-*.md']\n")
    done = pmlint(repo / "docs", "check", "--format", "sarif", *TODAY)
    log = json.loads(done.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"docs/tasks/post-mortem-2026-03-14-caf%C3%A9%20outage.md"}


def test_repository_without_commits(repo: Path) -> None:
    write(repo, CLEAN_PATH, flawed())
    assert "PM502" in pmlint(repo, "check", *TODAY).stdout
    assert pmlint(repo, "check", "--staged", *TODAY).stdout.startswith("All clear: no findings in 0 files")
    git(repo, "add", ".")
    assert "PM502" in pmlint(repo, "check", "--staged", *TODAY).stdout
    done = pmlint(repo, "check", "--against", "HEAD")
    assert done.returncode == 2 and "unknown git ref 'HEAD'" in done.stderr


def test_discovery_skips_ignored_post_mortems(repo: Path) -> None:
    write(repo, ".gitignore", "tasks/post-mortem-*-draft.md\n")
    write(repo, "tasks/post-mortem-2026-03-14-x-draft.md", flawed())
    write(repo, CLEAN_PATH, clean_text())
    payload = json.loads(pmlint(repo, "check", "--format", "json", *TODAY, *NO_TRACKER).stdout)
    assert payload["files_checked"] == 1


def test_plain_folder_outside_git(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    write(folder, CLEAN_PATH, flawed())
    assert "PM502" in pmlint(folder, "check", *TODAY).stdout
    for option in (("--staged",), ("--changed-since", "main"), ("--against", "main")):
        done = pmlint(folder, "check", *option)
        assert done.returncode == 2 and "not a git repository" in done.stderr, option


def test_check_of_one_file_outside_git_options_does_not_import_gitpython(repo: Path) -> None:
    write(repo, CLEAN_PATH, clean_text())
    code = "import sys; from postmortem_lint.cli import main; main(sys.argv[1:]); print('git' in sys.modules, file=sys.stderr)"
    done = subprocess.run(
        [sys.executable, "-c", code, "check", CLEAN_PATH], cwd=repo, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    assert done.stderr.strip().endswith("False")


def test_statistics_count_findings_per_rule_in_text_and_json(repo: Path) -> None:
    write(repo, CLEAN_PATH, flawed().replace("| Elena Petrova | High | 2026-03-31 |", "| TBD | High | 2026-03-31 |"))
    text = pmlint(repo, "check", "--statistics", "--select", "PM502", *TODAY)
    assert text.returncode == 1
    assert text.stdout.splitlines() == ["     2  PM502  action-owner                 [error]", "     2  total"]
    rows = json.loads(pmlint(repo, "check", "--statistics", "--select", "PM502", "--format", "json", *TODAY).stdout)
    assert rows == [{"code": "PM502", "name": "action-owner", "severity": "error", "fixable": False, "count": 2}]
