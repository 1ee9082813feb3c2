"""gitrepo against real git: listing, the index, other refs; odd names, no commits, detached HEAD."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repokit import ENV, commit, git, init, write

from postmortem_lint.io import gitrefs, gitrepo

TASKS = ("tasks/post-mortem-*.md",)
ODD = "tasks/post-mortem-2026-03-14-café outage.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return init(tmp_path / "repo")


def test_is_repo_only_inside_a_working_tree(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    assert gitrepo.is_repo(repo)
    assert not gitrepo.is_repo(tmp_path / "plain")


def test_list_files_is_tracked_plus_untracked_not_ignored(repo: Path) -> None:
    write(repo, ".gitignore", "tasks/post-mortem-*-ignored.md\n")
    write(repo, "tasks/post-mortem-2026-03-14-tracked.md", "a")
    write(repo, "tasks/post-mortem-2026-03-14-gone.md", "a")
    commit(repo)
    (repo / "tasks/post-mortem-2026-03-14-gone.md").unlink()
    write(repo, ODD, "new")
    write(repo, "tasks/post-mortem-2026-03-14-x-ignored.md", "secret")
    write(repo, "tasks/nested/post-mortem-2026-03-14-deep.md", "a")
    write(repo, "notes.md", "a")
    assert gitrepo.list_files(repo, TASKS) == sorted([ODD, "tasks/post-mortem-2026-03-14-tracked.md"])
    assert gitrepo.list_files(repo, ("tasks/**/post-mortem-*.md",)) == sorted(
        [ODD, "tasks/nested/post-mortem-2026-03-14-deep.md", "tasks/post-mortem-2026-03-14-tracked.md"]
    )


def test_list_files_keeps_a_dangling_link_and_drops_a_deleted_folder(repo: Path) -> None:
    write(repo, "tasks/gone/post-mortem-2026-03-14-a.md", "a")
    write(repo, "tasks/post-mortem-2026-03-14-kept.md", "a")
    commit(repo)
    shutil.rmtree(repo / "tasks/gone")
    (repo / "tasks/post-mortem-2026-03-14-link.md").symlink_to("nowhere.md")
    assert gitrepo.list_files(repo, ("tasks/**/post-mortem-*.md",)) == [
        "tasks/post-mortem-2026-03-14-kept.md",
        "tasks/post-mortem-2026-03-14-link.md",
    ]


def test_list_files_from_a_sub_folder_is_relative_to_it(repo: Path) -> None:
    write(repo, "docs/tasks/post-mortem-2026-03-14-a.md", "a")
    write(repo, "tasks/post-mortem-2026-03-14-outside.md", "a")
    assert gitrepo.list_files(repo / "docs", TASKS) == ["tasks/post-mortem-2026-03-14-a.md"]


def test_staged_files_and_blobs_before_the_first_commit(repo: Path) -> None:
    write(repo, ODD, "staged\n")
    write(repo, "tasks/post-mortem-2026-03-14-unstaged.md", "not added")
    git(repo, "add", ODD)
    write(repo, ODD, "edited after staging\n")
    assert gitrepo.staged_files(repo, TASKS) == [ODD]
    assert gitrepo.staged_blobs(repo, [ODD, "tasks/post-mortem-2026-03-14-unstaged.md"]) == {ODD: b"staged\n"}


def test_staged_files_leaves_out_deletions_and_unchanged_files(repo: Path) -> None:
    for name in ("kept", "edited", "deleted"):
        write(repo, f"tasks/post-mortem-2026-03-14-{name}.md", name)
    commit(repo)
    write(repo, "tasks/post-mortem-2026-03-14-edited.md", "edited twice")
    git(repo, "add", ".")
    git(repo, "rm", "-q", "tasks/post-mortem-2026-03-14-deleted.md")
    assert gitrepo.staged_files(repo, TASKS) == ["tasks/post-mortem-2026-03-14-edited.md"]


def test_staged_blobs_reads_binary_content_and_names_with_newlines(repo: Path) -> None:
    weird = "tasks/post-mortem-2026-03-14-two\nlines.md"
    write(repo, weird, b"\x00\xff binary")
    write(repo, "tasks/post-mortem-2026-03-14-b.md", b"line\r\nnext")
    git(repo, "add", ".")
    assert gitrepo.staged_blobs(repo / "tasks", ["post-mortem-2026-03-14-b.md"]) == {"post-mortem-2026-03-14-b.md": b"line\r\nnext"}
    assert gitrepo.staged_blobs(repo, [weird, "tasks/post-mortem-2026-03-14-b.md"]) == {
        weird: b"\x00\xff binary",
        "tasks/post-mortem-2026-03-14-b.md": b"line\r\nnext",
    }


def _fork(repo: Path) -> None:
    """main: base; main gains `main-only`; branch `feature` (from base) gains `mine`."""
    write(repo, "tasks/post-mortem-2026-03-01-base.md", "base")
    write(repo, "tasks/post-mortem-2026-03-02-renamed.md", "renamed on feature")
    commit(repo, "base")
    git(repo, "branch", "feature")
    write(repo, "tasks/post-mortem-2026-03-10-main-only.md", "main")
    commit(repo, "main adds one")
    git(repo, "checkout", "-q", "feature")
    git(repo, "mv", "tasks/post-mortem-2026-03-02-renamed.md", "tasks/post-mortem-2026-03-02-new-name.md")
    write(repo, ODD, "mine")
    commit(repo, "feature adds one")


def test_added_at_returns_what_the_other_branch_added_since_the_fork(repo: Path) -> None:
    _fork(repo)
    assert gitrefs.added_at(repo, "main", TASKS) == {"tasks/post-mortem-2026-03-10-main-only.md": b"main"}


def test_added_at_without_a_merge_base_returns_everything_at_the_ref(repo: Path) -> None:
    _fork(repo)
    git(repo, "checkout", "-q", "--orphan", "fresh")
    assert sorted(gitrefs.added_at(repo, "main", TASKS)) == [
        "tasks/post-mortem-2026-03-01-base.md",
        "tasks/post-mortem-2026-03-02-renamed.md",
        "tasks/post-mortem-2026-03-10-main-only.md",
    ]


def test_added_at_on_a_detached_head_and_from_a_sub_folder(repo: Path) -> None:
    write(repo, "docs/tasks/post-mortem-2026-03-01-base.md", "base")
    commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "other")
    write(repo, "docs/tasks/post-mortem-2026-03-05-other.md", "other")
    commit(repo, "other")
    git(repo, "checkout", "-q", "--detach", "main")
    assert gitrefs.added_at(repo / "docs", "other", TASKS) == {"tasks/post-mortem-2026-03-05-other.md": b"other"}


def test_changed_since_counts_from_the_merge_base_and_includes_untracked(repo: Path) -> None:
    _fork(repo)
    write(repo, "tasks/post-mortem-2026-03-01-base.md", "edited, not staged")
    write(repo, "tasks/post-mortem-2026-03-20-untracked.md", "new")
    assert gitrefs.changed_since(repo, "main", TASKS) == sorted(
        [
            ODD,
            "tasks/post-mortem-2026-03-01-base.md",
            "tasks/post-mortem-2026-03-02-new-name.md",
            "tasks/post-mortem-2026-03-20-untracked.md",
        ]
    )


def test_unknown_ref_and_plain_folder_are_one_line_errors(repo: Path, tmp_path: Path) -> None:
    write(repo, "a.md", "a")
    commit(repo)
    with pytest.raises(gitrepo.GitError, match="unknown git ref 'nope'"):
        gitrefs.added_at(repo, "nope", TASKS)
    (tmp_path / "plain").mkdir()
    with pytest.raises(gitrepo.GitError, match="not a git repository"):
        gitrefs.changed_since(tmp_path / "plain", "main", TASKS)
    with pytest.raises(gitrepo.GitError, match=r"^git ls-files: "):
        gitrepo.list_files(tmp_path / "plain", TASKS)


def test_ref_on_a_repository_without_commits_is_unknown(repo: Path) -> None:
    with pytest.raises(gitrepo.GitError, match="unknown git ref 'HEAD'"):
        gitrefs.changed_since(repo, "HEAD", TASKS)


def test_the_per_commit_path_does_not_import_gitpython(repo: Path) -> None:
    write(repo, ODD, "a")
    git(repo, "add", ".")
    code = (
        "import sys; from pathlib import Path; from postmortem_lint.io import gitrepo; r = Path(sys.argv[1]);"
        "gitrepo.list_files(r, ['tasks/*.md']); gitrepo.staged_blobs(r, gitrepo.staged_files(r, ['tasks/*.md']));"
        "print('git' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(repo)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_relative_git_variables_from_a_hook_work_from_a_sub_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "docs/tasks/post-mortem-2026-03-14-a.md", "in the main index")
    git(repo, "add", ".")
    write(repo, "docs/tasks/post-mortem-2026-03-14-b.md", "only in the hook's index")
    shutil.copy(repo / ".git" / "index", repo / ".git" / "next-index")
    subprocess.run(["git", "add", "docs"], cwd=repo, env={**ENV, "GIT_INDEX_FILE": ".git/next-index"}, check=True)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_DIR", ".git")
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/next-index")
    assert gitrepo.staged_files(repo / "docs", TASKS) == ["tasks/post-mortem-2026-03-14-a.md", "tasks/post-mortem-2026-03-14-b.md"]
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert gitrepo.staged_files(repo / "docs", TASKS) == ["tasks/post-mortem-2026-03-14-a.md"]
