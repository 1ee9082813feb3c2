"""The real pre-commit framework running this checkout's hooks in temporary git repositories.

The hook repository is a local clone of the committed HEAD (pre-commit installs
it with `pip install .`, fetching the build backend and dependencies from the
package index). PRE_COMMIT_HOME is a temporary folder shared by the tests of
one session, so the hook environment is built once.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import CLEAN_PATH, REPO, clean_text
from repokit import ENV, commit, git, init, write

BAD_OWNER = "| AI-004 | Rate-limit the staging tax sandbox and load-test 10- and 20-line carts | TBD |"
GOOD_OWNER = "| AI-004 | Rate-limit the staging tax sandbox and load-test 10- and 20-line carts | Marcus Lee |"
TRACKER = "POST_MORTEM_TRACKING.md"
CHECK_ARGS = '["--today", "2026-03-20", "--ignore", "PM703"]'


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this checkout's committed HEAD, and that commit."""
    if not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    clone = tmp_path_factory.mktemp("hooks") / "pmlint"
    git(REPO, "clone", "-q", "--no-hardlinks", str(REPO), str(clone))
    return clone, git(clone, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit")
    return tmp_path_factory.mktemp("pre-commit-home")


def _env(home: Path) -> dict[str, str]:
    return {**ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}


def _project(tmp_path: Path, hook_repo: tuple[Path, str], home: Path, hooks: str) -> Path:
    repo = init(tmp_path / "project")
    clone, sha = hook_repo
    write(repo, ".pre-commit-config.yaml", f"repos:\n  - repo: {clone}\n    rev: {sha}\n    hooks:\n{hooks}")
    commit(repo, "pre-commit config")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"], cwd=repo, env=_env(home), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def _commit(repo: Path, home: Path, message: str = "post-mortem") -> subprocess.CompletedProcess[str]:
    """``git commit`` with the hooks' output (git sends it to stderr) in ``stdout``."""
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=repo, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_hook_manifest_is_valid() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = {h["id"]: h for h in clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"pmlint", "pmlint-fix", "pmlint-track", "pmlint-commit-msg"}
    assert "--exit-non-zero-on-fix" in hooks["pmlint-fix"]["entry"]
    assert hooks["pmlint"]["require_serial"] and hooks["pmlint-track"]["require_serial"]
    assert not hooks["pmlint-track"]["pass_filenames"]
    assert hooks["pmlint-commit-msg"]["stages"] == ["prepare-commit-msg"]


def test_clean_commit_passes_and_flawed_post_mortem_blocks_it(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    repo = _project(tmp_path, hook_repo, pre_commit_home, f"      - id: pmlint\n        args: {CHECK_ARGS}\n")
    write(repo, CLEAN_PATH, clean_text())
    git(repo, "add", CLEAN_PATH)
    clean = _commit(repo, pre_commit_home)
    assert clean.returncode == 0, clean.stdout
    assert "pmlint (post-mortems)" in clean.stdout and "Passed" in clean.stdout

    write(repo, CLEAN_PATH, clean_text().replace(GOOD_OWNER, BAD_OWNER))
    git(repo, "add", CLEAN_PATH)
    blocked = _commit(repo, pre_commit_home, "owner gone")
    assert blocked.returncode != 0
    assert "Failed" in blocked.stdout
    assert f"{CLEAN_PATH}:146:" in blocked.stdout and "PM502" in blocked.stdout and "AI-004" in blocked.stdout
    assert git(repo, "log", "--format=%s", "-1").strip() == "post-mortem"


def test_hook_compares_with_post_mortems_that_were_not_passed(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    repo = _project(tmp_path, hook_repo, pre_commit_home, f"      - id: pmlint\n        args: {CHECK_ARGS}\n")
    write(repo, CLEAN_PATH, clean_text())
    commit(repo, "first")
    write(repo, "tasks/post-mortem-2026-03-14-copy.md", clean_text())
    git(repo, "add", ".")
    blocked = _commit(repo, pre_commit_home)
    assert blocked.returncode != 0
    assert "tasks/post-mortem-2026-03-14-copy.md:3:" in blocked.stdout and "PM701" in blocked.stdout


def test_new_post_mortem_gets_its_tracker_row_and_commits_after_restaging(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    clone, _ = hook_repo
    if not (clone / "postmortem_lint" / "commands" / "track.py").is_file():
        pytest.skip("`pmlint track` is not in the committed checkout yet")
    hooks = "      - id: pmlint-track\n      - id: pmlint\n        args: [--today, '2026-03-20']\n"
    repo = _project(tmp_path, hook_repo, pre_commit_home, hooks)
    write(repo, TRACKER, (REPO / "scaffolds" / "tracking.md").read_text(encoding="utf-8"))
    commit(repo, "tracker")
    write(repo, CLEAN_PATH, clean_text())
    git(repo, "add", CLEAN_PATH)
    first = _commit(repo, pre_commit_home)
    assert first.returncode != 0, first.stdout
    row = "[post-mortem-2026-03-14-checkout-latency](tasks/post-mortem-2026-03-14-checkout-latency.md)"
    assert row in (repo / TRACKER).read_text(encoding="utf-8")
    git(repo, "add", TRACKER)
    second = _commit(repo, pre_commit_home)
    assert second.returncode == 0, second.stdout
    assert git(repo, "status", "--porcelain").strip() == ""


def test_commit_msg_hook_fills_in_the_template_for_an_empty_message(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    clone, _ = hook_repo
    if not (clone / "postmortem_lint" / "commands" / "commit_msg.py").is_file():
        pytest.skip("`pmlint commit-msg` is not in the committed checkout yet")
    repo = _project(tmp_path, hook_repo, pre_commit_home, "      - id: pmlint-commit-msg\n")
    install = [sys.executable, "-m", "pre_commit", "install", "--hook-type", "prepare-commit-msg"]
    subprocess.run(install, cwd=repo, env=_env(pre_commit_home), check=True, capture_output=True)
    write(repo, CLEAN_PATH, clean_text())
    git(repo, "add", CLEAN_PATH)
    env = {**_env(pre_commit_home), "GIT_EDITOR": "true"}
    done = subprocess.run(["git", "commit"], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert done.returncode == 0, done.stdout
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Post-Mortem: Checkout latency from per-item tax quotes")
    assert "Severity: SEV-2" in message
    written = subprocess.run(["git", "commit", "--allow-empty", "-m", "my words"], cwd=repo, env=env, capture_output=True, text=True)
    assert written.returncode == 0
    assert git(repo, "log", "-1", "--format=%B").strip() == "my words"


def test_tracker_hook_says_what_to_run_and_following_it_commits(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    hooks = "      - id: pmlint-track\n      - id: pmlint\n        args: [--today, '2026-03-20']\n"
    repo = _project(tmp_path, hook_repo, pre_commit_home, hooks)
    write(repo, CLEAN_PATH, clean_text())
    write(repo, TRACKER, (REPO / "scaffolds" / "tracking.md").read_text(encoding="utf-8"))
    assert subprocess.run([sys.executable, "-m", "postmortem_lint", "track"], cwd=repo, env=ENV, capture_output=True).returncode == 1
    commit(repo, "post-mortem and its row")
    write(repo, CLEAN_PATH, clean_text().replace("**Status:** Final", "**Status:** Closed"))
    git(repo, "add", CLEAN_PATH)
    outputs = [_commit(repo, pre_commit_home, "closed") for _ in range(2)]
    for done in outputs:
        assert done.returncode != 0
        assert f"pmlint: updated {TRACKER}; run `git add {TRACKER}` and commit again" in done.stdout, done.stdout
    command = re.search(r"run `(git add [^`]+)`", outputs[-1].stdout)
    assert command is not None
    git(repo, *shlex.split(command.group(1))[1:])
    done = _commit(repo, pre_commit_home, "closed")
    assert done.returncode == 0, done.stdout
    assert "| Closed |" in git(repo, "show", f"HEAD:{TRACKER}")


def test_hook_catches_misnamed_post_mortems_and_leaves_readme_and_tracker_alone(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = _project(tmp_path, hook_repo, pre_commit_home, f"      - id: pmlint\n        args: {CHECK_ARGS}\n")
    write(repo, "tasks/README.md", "# Post-mortems\n\nOne file per incident; see the template.\n")
    write(repo, TRACKER, "# Tracking\n")
    write(repo, "tasks/prd-profile.md", "# PRD: profile page\n")
    write(repo, ".pmlint.yaml", "exclude: [tasks/prd-*.md]\n")
    git(repo, "add", ".")
    quiet = _commit(repo, pre_commit_home, "readme, tracker, excluded prd")
    assert quiet.returncode == 0, quiet.stdout
    for name in ("tasks/postmortem-2026-05-11.md", "tasks/Post-Mortem-2026-05-09-Upper.md", "tasks/post-mortem-2026-03-14-x.markdown"):
        write(repo, name, clean_text())
        git(repo, "add", name)
        blocked = _commit(repo, pre_commit_home, "misnamed")
        assert blocked.returncode != 0, blocked.stdout
        assert f"{name}:1: PM101" in blocked.stdout
        git(repo, "rm", "-q", "--cached", name)
        (repo / name).unlink()


def test_fix_hook_fixes_fails_once_and_the_fixed_file_commits(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    repo = _project(tmp_path, hook_repo, pre_commit_home, f"      - id: pmlint-fix\n        args: {CHECK_ARGS}\n")
    write(repo, CLEAN_PATH, clean_text().replace("**Severity:** SEV-2", "**Severity:** SEV 2"))
    git(repo, "add", CLEAN_PATH)
    fixed = _commit(repo, pre_commit_home)
    assert fixed.returncode != 0 and "Failed" in fixed.stdout, fixed.stdout
    assert (repo / CLEAN_PATH).read_text(encoding="utf-8") == clean_text()
    git(repo, "add", CLEAN_PATH)
    again = _commit(repo, pre_commit_home)
    assert again.returncode == 0, again.stdout
    assert "pmlint --fix (post-mortems)" in again.stdout and "Passed" in again.stdout
