"""Which files each command sees: misnamed post-mortems of the folder, README, the tracker, `exclude`.

Through the real `pmlint` in temporary git repositories. `check` checks every
Markdown file of the post-mortem folder (so PM101 finds a misnamed one); the
tracker, `actions` and `report` list only the files named like post-mortems.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, clean_text
from repokit import commit, git, init, pmlint, write

TODAY = ("--today", "2026-03-20")
MISNAMED = ("tasks/postmortem-2026-05-11.md", "tasks/Post-Mortem-2026-05-09-Upper.md")


def numbered(number: str) -> str:
    return clean_text().replace("INC-2026-03-14-001", number)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one well-named post-mortem, two misnamed ones, a README and a tracker copy in tasks/."""
    root = init(tmp_path / "repo")
    write(root, CLEAN_PATH, clean_text())
    write(root, MISNAMED[0], numbered("INC-2026-05-11-001").replace("2026-03-14", "2026-05-11"))
    write(root, MISNAMED[1], numbered("INC-2026-05-09-001").replace("2026-03-14", "2026-05-09"))
    write(root, "tasks/README.md", "# Post-mortems\n\nOne file per incident.\n")
    write(root, "tasks/notes.markdown", "# Notes\n")
    write(root, "tasks/POST_MORTEM_TRACKING.md", "# Tracking (an old copy)\n")
    write(root, "docs/guide.md", "# Guide\n")
    return root


def diagnostics(root: Path, *args: str) -> list[dict[str, object]]:
    done = pmlint(root, "check", "--format", "json", *TODAY, *args)
    assert done.returncode in (0, 1), done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["diagnostics"]
    return found


def paths_with(found: list[dict[str, object]], code: str) -> set[object]:
    return {d["path"] for d in found if d["code"] == code}


def test_check_finds_the_misnamed_post_mortems_of_the_folder(repo: Path) -> None:
    found = diagnostics(repo, "--ignore", "PM703")
    assert paths_with(found, "PM101") == {*MISNAMED, "tasks/notes.markdown"}
    checked = {d["path"] for d in found}
    assert not checked & {"tasks/README.md", "tasks/POST_MORTEM_TRACKING.md", "docs/guide.md"}
    upper = next(d for d in found if d["code"] == "PM101" and d["path"] == MISNAMED[1])
    assert str(upper["message"]).endswith(
        f"rename it to `post-mortem-2026-05-09-upper.md`: `git mv {MISNAMED[1]} tasks/post-mortem-2026-05-09-upper.md`"
    )
    plain = next(d for d in found if d["code"] == "PM101" and d["path"] == MISNAMED[0])
    assert "list it under `exclude`" in str(plain["message"])


def test_exclude_takes_a_file_out_of_every_command(repo: Path) -> None:
    write(repo, ".pmlint.yaml", "exclude: [tasks/notes.markdown, tasks/postmortem-*.md]\n")
    found = diagnostics(repo, "--ignore", "PM703")
    assert paths_with(found, "PM101") == {MISNAMED[1]}
    write(repo, ".pmlint.yaml", f"exclude: [{CLEAN_PATH}]\n")
    assert CLEAN_PATH not in {d["path"] for d in diagnostics(repo)}
    assert pmlint(repo, "track").returncode == 0, "nothing left to track"
    assert "0 action items" in pmlint(repo, "actions").stdout


def test_the_tracker_actions_and_report_list_only_well_named_post_mortems(repo: Path) -> None:
    assert pmlint(repo, "track").returncode == 1
    table = (repo / "POST_MORTEM_TRACKING.md").read_text(encoding="utf-8")
    assert CLEAN_PATH in table and not any(name in table for name in MISNAMED)
    found = diagnostics(repo)
    assert paths_with(found, "PM703") == set(), "a misnamed file needs no tracker row until it is renamed"
    listed = json.loads(pmlint(repo, "actions", "--format", "json", *TODAY).stdout)["actions"]
    assert {a["path"] for a in listed} == {CLEAN_PATH}
    report = json.loads(pmlint(repo, "report", "--format", "json", *TODAY).stdout)
    assert report["incidents"] == 1


def test_renamed_post_mortem_joins_the_tracker(repo: Path) -> None:
    pmlint(repo, "track")
    (repo / MISNAMED[1]).rename(repo / "tasks/post-mortem-2026-05-09-upper.md")
    found = diagnostics(repo)
    assert paths_with(found, "PM703") == {"tasks/post-mortem-2026-05-09-upper.md"}
    assert pmlint(repo, "track").returncode == 1
    assert "post-mortem-2026-05-09-upper.md" in (repo / "POST_MORTEM_TRACKING.md").read_text(encoding="utf-8")


def test_cross_file_rules_see_misnamed_post_mortems(repo: Path) -> None:
    write(repo, MISNAMED[0], clean_text())
    found = diagnostics(repo, "--select", "PM701")
    assert paths_with(found, "PM701") == {CLEAN_PATH, MISNAMED[0]}


def test_new_numbers_past_a_misnamed_post_mortem(repo: Path) -> None:
    done = pmlint(repo, "new", "Second one", "--date", "2026-05-11", "--no-input")
    assert done.returncode == 0, done.stderr
    assert "**Incident Number:** INC-2026-05-11-002" in (repo / done.stdout.strip()).read_text(encoding="utf-8")


def test_named_files_are_checked_unless_force_exclude(repo: Path) -> None:
    named = ("tasks/README.md", "docs/guide.md", MISNAMED[0], CLEAN_PATH)
    assert {d["path"] for d in diagnostics(repo, *named)} >= {"tasks/README.md", "docs/guide.md"}, "as ruff: a named file is checked"
    kept = {d["path"] for d in diagnostics(repo, "--force-exclude", *named)}
    assert kept & {"tasks/README.md", "docs/guide.md"} == set() and MISNAMED[0] in kept
    direct = pmlint(repo, "check", "--force-exclude", "tasks/README.md", "docs/guide.md")
    assert direct.returncode == 0 and "in 0 files" in direct.stdout, "the hook's fast path (no click) knows the flag"


def test_named_folder_gives_what_the_default_run_checks(repo: Path) -> None:
    assert {d["path"] for d in diagnostics(repo, "tasks")} == {d["path"] for d in diagnostics(repo)}


def test_post_mortems_at_the_project_root_do_not_pull_in_every_markdown_file(tmp_path: Path) -> None:
    root = init(tmp_path / "flat")
    write(root, ".pmlint.yaml", "include: ['post-mortem-*.md']\n")
    write(root, "post-mortem-2026-03-14-checkout-latency.md", clean_text())
    write(root, "CHANGELOG.md", "# Changes\n")
    done = pmlint(root, "check", "--format", "json", "--select", "PM1")
    assert done.returncode == 0 and json.loads(done.stdout)["files_checked"] == 1


def test_missing_path_is_exit_2_and_an_empty_folder_a_warning(repo: Path) -> None:
    missing = pmlint(repo, "check", "tasks/post-mortem-2026-03-14-nothing.md")
    assert missing.returncode == 2 and "tasks/post-mortem-2026-03-14-nothing.md: no such file or directory" in missing.stderr
    (repo / "tasks/post-mortem-2026-03-15-x.md").mkdir()
    (repo / "empty").mkdir()
    for folder in ("tasks/post-mortem-2026-03-15-x.md", "empty"):
        done = pmlint(repo, "check", folder)
        assert done.returncode == 0 and "Traceback" not in done.stderr
        assert f"pmlint: warning: {folder} is a folder without post-mortems" in done.stderr
        assert "in 0 files" in done.stdout
    listed = pmlint(repo, "actions", "empty")
    assert listed.returncode == 0 and "pmlint: warning: empty is a folder without post-mortems" in listed.stderr


def test_staged_check_leaves_out_the_readme(repo: Path) -> None:
    commit(repo, "start")
    write(repo, "tasks/README.md", "# Changed\n")
    write(repo, MISNAMED[0], clean_text() + "\nmore\n")
    git(repo, "add", "tasks/README.md", MISNAMED[0])
    found = {d["path"] for d in diagnostics(repo, "--staged")}
    assert MISNAMED[0] in found and "tasks/README.md" not in found
