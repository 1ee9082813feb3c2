"""`pmlint track`: the managed table, migration, byte-preservation, atomic locked writes, exit codes."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lintkit import REPO
from repokit import clean_env, make_repo, pmlint

from postmortem_lint.config.settings import Settings
from postmortem_lint.document import tracking
from postmortem_lint.document.summary import ActionSummary, Summary
from postmortem_lint.features import tracker

EXAMPLES = REPO / "examples"
NAME = "POST_MORTEM_TRACKING.md"
HEADER = "| Post-Mortem | Incident | Severity | Date | Status | Action Items |"
DELIMITER = "|-------------|----------|----------|------|--------|--------------|"


def post_mortem(root: Path, date: str, slug: str, number: int = 1, status: str = "Draft", actions: tuple[str, ...] = ("Open",)) -> str:
    """Write a small post-mortem; its root-relative path."""
    rel = f"tasks/post-mortem-{date}-{slug}.md"
    rows = "".join(f"| AI-{i:03d} | Do {i} | Sam Lee | High | 2026-05-01 | {s} |\n" for i, s in enumerate(actions, 1))
    text = (
        f"# Post-Mortem: {slug}\n\n**Incident Number:** INC-{date}-{number:03d}\n**Date:** {date}\n"
        f"**Severity:** SEV-2 (Major)\n**Status:** {status}\n\n## Action Items\n\n"
        f"| ID | Action | Owner | Priority | Due Date | Status |\n|----|--------|-------|----------|----------|--------|\n{rows}"
    )
    (root / "tasks").mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return rel


def row(rel: str, incident: str, date: str, status: str = "Draft", actions: str = "1/1") -> str:
    stem = Path(rel).stem
    return f"| [{stem}]({rel}) | {incident} | SEV-2 | {date} | {status} | {actions} |"


def track(root: Path, *args: str) -> tuple[int, str, str]:
    done = pmlint(root, "track", *args)
    return done.returncode, done.stdout, done.stderr


# The shipped example and the format.


def test_example_tracker_is_in_sync() -> None:
    code, out, err = track(EXAMPLES, "--check")
    assert (code, out, err) == (0, "", "")


def test_header_and_delimiter_are_the_specs() -> None:
    assert tracking.render_header() == HEADER
    assert tracking.render_delimiter() == DELIMITER


def test_rows_are_newest_date_first_then_incident_number(tmp_path: Path) -> None:
    old = post_mortem(tmp_path, "2026-01-09", "old")
    late = post_mortem(tmp_path, "2026-03-14", "zeta", number=2)
    early = post_mortem(tmp_path, "2026-03-14", "alpha", number=10)
    first = post_mortem(tmp_path, "2026-03-14", "beta", number=1)
    assert track(tmp_path)[0] == 1
    table = (tmp_path / NAME).read_text(encoding="utf-8")
    expected = [
        row(first, "INC-2026-03-14-001", "2026-03-14"),
        row(late, "INC-2026-03-14-002", "2026-03-14"),
        row(early, "INC-2026-03-14-010", "2026-03-14"),
        row(old, "INC-2026-01-09-001", "2026-01-09"),
    ]
    assert f"{tracking.START}\n{HEADER}\n{DELIMITER}\n" + "\n".join(expected) + f"\n{tracking.END}\n" in table


def test_open_action_items_exclude_done_closed_and_wont_do() -> None:
    statuses = ("Open", "In Progress", "Blocked", "Done", "closed", "Won’t Do", "Won't Do")
    actions = tuple(ActionSummary(f"AI-{i}", "x", "o", "High", "2026-01-01", s, i) for i, s in enumerate(statuses))
    summary = Summary("tasks/post-mortem-2026-03-14-x.md", incident="INC-2026-03-14-001", date="2026-03-14", actions=actions)
    assert tracking.row_cells(summary, ".")[-1] == "3/7"


def test_cells_escape_pipes_and_link_relative_to_the_tracker() -> None:
    summary = Summary("tasks/post-mortem-2026-03-14-x.md", incident="INC-2026-03-14-001", severity="SEV-2 | major", status_text="Drafty")
    cells = tracking.row_cells(summary, "docs")
    assert cells[0] == "[post-mortem-2026-03-14-x](../tasks/post-mortem-2026-03-14-x.md)"
    assert cells[2] == "SEV-2 \\| major" and cells[4] == "Drafty"


# Writing: created, updated, idempotent, preserved bytes, exit codes.


def test_creates_the_tracker_then_is_idempotent(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    code, _, err = track(tmp_path)
    assert code == 1 and "created POST_MORTEM_TRACKING.md" in err
    first = (tmp_path / NAME).read_bytes()
    assert first.startswith(b"# Post-Mortem Tracking\n")
    assert track(tmp_path) == (0, "", "")
    assert (tmp_path / NAME).read_bytes() == first


def test_nothing_to_track_writes_nothing(tmp_path: Path) -> None:
    assert track(tmp_path) == (0, "", "")
    assert not (tmp_path / NAME).exists()


def test_bytes_outside_the_markers_are_preserved(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    head = "\ufeff# Our incidents\r\n\r\nWeird  spacing\t| not a row |\r\n"
    tail = "\r\n## Notes\r\n- keep me\x0b as is"
    stale = f"{tracking.START}\r\n{HEADER}\r\n{DELIMITER}\r\n| [x](tasks/gone.md) | a | b | c | d | e |\r\n{tracking.END}\r\n"
    (tmp_path / NAME).write_bytes((head + stale + tail).encode("utf-8"))
    assert track(tmp_path)[0] == 1
    text = (tmp_path / NAME).read_bytes().decode("utf-8")
    managed = f"{tracking.START}\r\n{HEADER}\r\n{DELIMITER}\r\n{row(rel, 'INC-2026-03-14-001', '2026-03-14')}\r\n{tracking.END}\r\n"
    assert text == head + managed + tail
    assert track(tmp_path, "--check")[0] == 0


def test_status_changes_update_the_row(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool", actions=("Open", "Done"))
    track(tmp_path)
    post_mortem(tmp_path, "2026-03-14", "db-pool", status="Final", actions=("Done", "Done"))
    code, out, _ = track(tmp_path, "--check")
    assert code == 1
    assert f"-{row(rel, 'INC-2026-03-14-001', '2026-03-14', 'Draft', '1/2')}\n" in out
    assert f"+{row(rel, 'INC-2026-03-14-001', '2026-03-14', 'Final', '0/2')}\n" in out
    assert track(tmp_path)[0] == 1
    assert row(rel, "INC-2026-03-14-001", "2026-03-14", "Final", "0/2") in (tmp_path / NAME).read_text(encoding="utf-8")


def test_check_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    code, out, err = track(tmp_path, "--check")
    assert code == 1 and out.startswith(f"--- a/{NAME}\n+++ b/{NAME}\n@@")
    assert "run `pmlint track`" in err
    assert not (tmp_path / NAME).exists()


def test_filenames_from_pre_commit_are_ignored(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    post_mortem(tmp_path, "2026-03-15", "other")
    assert track(tmp_path, rel)[0] == 1
    assert "post-mortem-2026-03-15-other" in (tmp_path / NAME).read_text(encoding="utf-8")


def test_configured_tracker_path(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / ".pmlint.yaml").write_text("tracker: docs/TRACKER.md\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    assert track(tmp_path)[0] == 1
    assert f"[post-mortem-2026-03-14-db-pool](../{rel})" in (tmp_path / "docs" / "TRACKER.md").read_text(encoding="utf-8")


# Migration of hand-written seed rows.


def test_seed_rows_are_absorbed_and_other_lines_kept(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    text = (
        "# Post-Mortems\n\nIntro text.\n\n"
        "| Post-Mortem | Severity | Date | Status |\n|---|---|---|---|\n"
        "| post-mortem-2026-03-14 | SEV-2 | 2026-03-14 | Draft |\n\n"
        "Footer.\n| post-mortem-2025-01-01 | SEV-3 | 2025-01-01 | Closed |\n"
    )
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    assert track(tmp_path)[0] == 1
    migrated = (tmp_path / NAME).read_text(encoding="utf-8")
    managed = f"{tracking.START}\n{HEADER}\n{DELIMITER}\n{row(rel, 'INC-2026-03-14-001', '2026-03-14')}\n{tracking.END}\n"
    assert migrated == (
        "# Post-Mortems\n\nIntro text.\n\n" + managed + "\nFooter.\n| post-mortem-2025-01-01 | SEV-3 | 2025-01-01 | Closed |\n"
    )
    assert track(tmp_path) == (0, "", "")


def test_rows_echoed_by_the_seed_script_without_a_header(tmp_path: Path) -> None:
    rel = post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text("# Tracking\n| post-mortem-2026-03-14-db-pool | SEV-2 | 2026-03-14 | Draft |\n", encoding="utf-8")
    assert track(tmp_path)[0] == 1
    migrated = (tmp_path / NAME).read_text(encoding="utf-8")
    assert migrated.startswith(f"# Tracking\n{tracking.START}\n") and row(rel, "INC-2026-03-14-001", "2026-03-14") in migrated
    assert "| post-mortem-2026-03-14-db-pool | SEV-2" not in migrated


def test_tracker_without_rows_gets_the_table_appended(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text("# Tracking\nno newline at the end", encoding="utf-8")
    assert track(tmp_path)[0] == 1
    assert (tmp_path / NAME).read_text(encoding="utf-8").startswith(f"# Tracking\nno newline at the end\n\n{tracking.START}\n")


# Trackers that cannot be parsed: exit 2, nothing written.


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f"# T\n{tracking.START}\n{HEADER}\n", 2),
        (f"# T\n{tracking.END}\n{tracking.START}\n", 3),
        (f"{tracking.START}\n{tracking.START}\n{tracking.END}\n", 1),
        (f"{tracking.START}\n{HEADER}\n{DELIMITER}\n| broken row |\n{tracking.END}\n", 4),
        (f"{tracking.START}\n| Post-Mortem | Severity |\n|---|---|\n{tracking.END}\n", 2),
        (f"{tracking.START}\n{HEADER}\n{DELIMITER}\n| no link | a | b | c | d | e |\n{tracking.END}\n", 4),
    ],
)
def test_unparseable_tracker_is_exit_2_and_untouched(tmp_path: Path, body: str, line: int) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text(body, encoding="utf-8")
    for args in ((), ("--check",)):
        code, out, err = track(tmp_path, *args)
        assert code == 2 and out == "" and f"{NAME}:{line}:" in err and "Traceback" not in err
    assert (tmp_path / NAME).read_text(encoding="utf-8") == body


def test_undecodable_tracker_is_exit_2(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_bytes(b"\xff\xfe# T\n")
    code, _, err = track(tmp_path)
    assert code == 2 and "not valid UTF-8" in err
    assert (tmp_path / NAME).read_bytes() == b"\xff\xfe# T\n"


def test_tracker_symlinked_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    post_mortem(root, "2026-03-14", "db-pool")
    outside = tmp_path / "outside.md"
    outside.write_text("# mine\n", encoding="utf-8")
    (root / NAME).symlink_to(outside)
    code, _, err = track(root)
    assert code == 2 and "outside" in err
    assert outside.read_text(encoding="utf-8") == "# mine\n"


# The lock and the atomic write.


def test_sync_holds_the_lock_kept_in_the_git_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    settings = Settings(root=tmp_path)
    with tracker.lock(tmp_path, tmp_path / NAME):
        lock_file = tmp_path / ".git" / ".pmlint-tracker.lock"
        with open(lock_file, "a+b") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    assert tracker.sync(settings) is not None
    assert [p.name for p in tmp_path.rglob("*.lock")] == [".pmlint-tracker.lock"], "the lock file stays in .git"


def test_sync_writes_atomically_keeping_the_mode(tmp_path: Path) -> None:
    post_mortem(tmp_path, "2026-03-14", "db-pool")
    (tmp_path / NAME).write_text(f"# T\n{tracking.START}\n{tracking.END}\n", encoding="utf-8")
    (tmp_path / NAME).chmod(0o640)
    before = (tmp_path / NAME).stat().st_ino
    tracker.sync(Settings(root=tmp_path))
    after = (tmp_path / NAME).stat()
    assert after.st_ino != before and after.st_mode & 0o777 == 0o640


def test_example_copy_round_trips(tmp_path: Path) -> None:
    copy = shutil.copytree(EXAMPLES, tmp_path / "examples")
    original = (copy / NAME).read_bytes()
    assert track(copy) == (0, "", "")
    assert (copy / NAME).read_bytes() == original


def test_git_ignored_post_mortems_are_not_tracked(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    kept = post_mortem(root, "2026-03-14", "kept")
    ignored = post_mortem(root, "2026-03-14", "scratch", number=2)
    (root / ".gitignore").write_text(f"{ignored}\n", encoding="utf-8")
    assert track(root)[0] == 1
    text = (root / NAME).read_text(encoding="utf-8")
    assert Path(kept).stem in text and Path(ignored).stem not in text


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r/\x00"), max_size=30)


@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_any_rendered_row_parses_back(stem: str, incident: str, severity: str, status: str) -> None:
    summary = Summary(f"tasks/post-mortem-2026-03-14-{stem}.md", incident=incident, severity=severity, status_text=status)
    cells = tracking.row_cells(summary, ".")
    text = f"{tracking.START}\n{tracking.render_table([cells])}{tracking.END}\n"
    parsed = tracking.parse(Path(NAME), text)
    assert [r.cells for r in parsed.rows] == [cells]
    assert parsed.rows[0].target == cells[0].rsplit("](", 1)[1][:-1]


def test_write_says_which_git_add_to_run(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    post_mortem(plain, "2026-03-14", "db-pool")
    assert track(plain)[2] == f"pmlint: created {NAME}\n", "outside git there is nothing to add"
    repo = make_repo(tmp_path / "repo")
    post_mortem(repo, "2026-03-14", "db-pool")
    assert track(repo)[2] == f"pmlint: created {NAME}; run `git add {NAME}`\n"
    post_mortem(repo, "2026-03-14", "db-pool", status="Final")
    hooked = pmlint(repo, "track", env={**clean_env(), "PRE_COMMIT": "1"})
    assert hooked.stderr == f"pmlint: updated {NAME}; run `git add {NAME}` and commit again\n"
    post_mortem(repo, "2026-03-14", "db-pool", status="Closed")
    below = pmlint(repo / "tasks", "track")
    assert below.stderr == f"pmlint: updated {NAME}; run `git add ../{NAME}`\n", "the path is the one to type from the cwd"
