"""PM703 tracker-out-of-sync in `pmlint check`, and `pmlint check --fix`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lintkit import REPO
from repokit import pmlint
from tracker_test import NAME, post_mortem

from postmortem_lint.document import tracking


def pm703(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = pmlint(root, "check", "--select", "PM703", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["diagnostics"]


def synced(root: Path) -> None:
    assert pmlint(root, "track").returncode in (0, 1)


def test_examples_have_no_pm703(tmp_path: Path) -> None:
    assert pm703(REPO / "examples") == (0, [])


def test_no_tracker_file_means_no_pm703(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    assert pm703(tmp_path) == (0, [])


def test_missing_row_is_reported_at_the_title(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    synced(tmp_path)
    rel = post_mortem(tmp_path, "2026-03-15", "new-one")
    code, found = pm703(tmp_path)
    assert code == 1 and len(found) == 1
    assert found[0]["path"] == rel and found[0]["line"] == 1 and found[0]["fixable"] is True
    assert found[0]["message"] == f"no row for this post-mortem in {NAME}; run `pmlint track`"


def test_stale_row_names_what_differs(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool", actions=("Open", "Open"))
    synced(tmp_path)
    post_mortem(tmp_path, "2026-03-14", "db-pool", status="Under Review", actions=("Done", "Open"))
    code, found = pm703(tmp_path)
    assert code == 1 and [d["path"] for d in found] == [rel]
    assert found[0]["message"] == (
        f"{NAME} row is stale (Status `Draft` should be `Under Review`; Action Items `2/2` should be `1/2`); run `pmlint track`"
    )


def test_duplicate_and_misplaced_rows(tmp_path: Path) -> None:
    old = post_mortem(tmp_path, "2026-01-09", "old")
    new = post_mortem(tmp_path, "2026-03-14", "new")
    synced(tmp_path)
    path = tmp_path / NAME
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("| [")]
    lines[rows[0]], lines[rows[1]] = lines[rows[1]], lines[rows[0]]
    path.write_text("\n".join(lines), encoding="utf-8")
    _, found = pm703(tmp_path)
    assert {d["path"] for d in found} == {old, new} and all("out of order" in str(d["message"]) for d in found)
    lines.insert(rows[1], lines[rows[1]])
    path.write_text("\n".join(lines), encoding="utf-8")
    _, found = pm703(tmp_path)
    assert any("more than one row" in str(d["message"]) for d in found)


def test_unmigrated_and_unparseable_trackers_are_reported(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text("# Tracking\n| post-mortem-2026-03-14 | SEV-2 | 2026-03-14 | Draft |\n", encoding="utf-8")
    _, found = pm703(tmp_path)
    assert [d["path"] for d in found] == [rel] and "run `pmlint track` to migrate it" in str(found[0]["message"])
    (tmp_path / NAME).write_text(f"# Tracking\n{tracking.START}\n", encoding="utf-8")
    _, found = pm703(tmp_path)
    assert "tracker cannot be parsed (POST_MORTEM_TRACKING.md:2:" in str(found[0]["message"])


def test_files_outside_the_include_globs_are_not_tracked(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    synced(tmp_path)
    stray = tmp_path / "notes" / "post-mortem-2026-03-15-stray.md"
    stray.parent.mkdir()
    shutil.copy(tmp_path / "tasks" / "post-mortem-2026-03-14-db-pool.md", stray)
    assert pm703(tmp_path, str(stray)) == (0, [])


def test_fix_syncs_the_tracker_first(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    synced(tmp_path)
    post_mortem(tmp_path, "2026-03-15", "new-one")
    assert pm703(tmp_path, "--fix") == (0, [])
    assert pmlint(tmp_path, "track", "--check").returncode == 0


def test_fix_with_an_unparseable_tracker_is_exit_2(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text(f"{tracking.END}\n", encoding="utf-8")
    done = pmlint(tmp_path, "check", "--fix")
    assert done.returncode == 2 and f"{NAME}:1:" in done.stderr
    assert (tmp_path / NAME).read_text(encoding="utf-8") == f"{tracking.END}\n"
