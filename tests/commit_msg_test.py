"""`pmlint commit-msg`: the seed's commit template for staged post-mortems, and the whole loop under pre-commit.

The end-to-end test installs this checkout's hooks (`.pre-commit-hooks.yaml`) as
local `system` hooks running this interpreter, so it needs no package index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lintkit import REPO
from repokit import clean_env, git, make_repo, pmlint
from ruamel.yaml import YAML

from postmortem_lint.commands.commit_msg import template, written
from postmortem_lint.document.summary import ActionSummary, Summary

GIT_COMMENTS = "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n"
SCISSORS = "# ------------------------ >8 ------------------------\n"
TEMPLATE = (
    "Post-Mortem: DB pool exhausted\n\n"
    "- Severity: SEV-2\n"
    "- Duration: between 5 and 30 minutes\n"
    "- Root Cause: initial category: a manual step in the change process that the tooling allowed to go unchecked\n"
    "- Action Items: 1 (1 open)\n"
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", False),
        (GIT_COMMENTS, False),
        ("\n\n" + GIT_COMMENTS + SCISSORS + "diff --git a/x b/x\n", False),
        ("Fix it\n" + GIT_COMMENTS, True),
    ],
)
def test_written_means_a_line_that_is_not_a_comment(message: str, expected: bool) -> None:
    assert written(message) is expected


def test_template_for_a_final_post_mortem_and_for_several() -> None:
    actions = tuple(ActionSummary(f"AI-00{i}", "x", "o", "High", "2026-04-01", s, i) for i, s in enumerate(("Done", "Open", "Won't Do")))
    cause = "A pricing rollout removed the quote cache"
    fields = {"duration": "1 hour 30 minutes"}
    final = Summary("tasks/a.md", title="Checkout latency", severity="SEV-2", fields=fields, actions=actions, root_cause=cause)
    assert template([final]) == (
        "Post-Mortem: Checkout latency\n\n- Severity: SEV-2\n- Duration: 1 hour 30 minutes\n"
        "- Root Cause: A pricing rollout removed the quote cache\n- Action Items: 3 (1 open)\n"
    )
    bare = Summary("tasks/post-mortem-2026-03-15-b.md")
    assert template([final, bare]).startswith("Post-Mortems: Checkout latency; post-mortem-2026-03-15-b\n\nCheckout latency:\n- Severity")
    assert "post-mortem-2026-03-15-b:\n- Severity: not set\n- Duration: not yet known\n- Root Cause: under investigation\n" in template(
        [final, bare]
    )


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """A repository with a new Draft post-mortem staged."""
    root = make_repo(tmp_path / "repo")
    args = ["--severity", "SEV-2", "--duration", "5-30m", "--root-cause", "human", "--date", "2026-03-14"]
    assert pmlint(root, "new", "DB pool exhausted", "--no-input", *args).returncode == 0
    git(root, "add", ".")
    return root


def _hook(root: Path, message: str, *args: str, **env: str) -> str:
    path = root / ".git" / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    done = pmlint(root, "commit-msg", str(path), *args, env=clean_env(**env))
    assert done.returncode == 0, done.stderr
    return path.read_text(encoding="utf-8")


def test_empty_message_gets_the_template_and_keeps_gits_comments(staged: Path) -> None:
    assert _hook(staged, GIT_COMMENTS) == TEMPLATE + "\n" + GIT_COMMENTS
    assert _hook(staged, "\n" + GIT_COMMENTS, "template") == TEMPLATE + "\n\n" + GIT_COMMENTS
    verbose = GIT_COMMENTS + SCISSORS + "diff --git a/x b/x\n"
    assert _hook(staged, verbose) == TEMPLATE + "\n" + verbose


@pytest.mark.parametrize(
    ("message", "args", "env"),
    [
        ("Write-up of the DB pool incident\n" + GIT_COMMENTS, ("message",), {}),
        (GIT_COMMENTS, ("merge",), {}),
        (GIT_COMMENTS, ("squash",), {}),
        (GIT_COMMENTS, ("commit", "HEAD"), {}),
        (GIT_COMMENTS, (), {"PRE_COMMIT_COMMIT_MSG_SOURCE": "commit"}),
    ],
)
def test_written_messages_merges_and_amends_are_left_alone(staged: Path, message: str, args: tuple[str, ...], env: dict[str, str]) -> None:
    assert _hook(staged, message, *args, **env) == message


def test_nothing_staged_is_left_alone(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "README.md").write_text("hello\n", encoding="utf-8")
    git(root, "add", ".")
    assert _hook(root, GIT_COMMENTS) == GIT_COMMENTS


def test_missing_message_file_is_exit_2(tmp_path: Path) -> None:
    done = pmlint(tmp_path, "commit-msg", str(tmp_path / "nope"))
    assert done.returncode == 2 and "nope: cannot be read" in done.stderr


def _local_hooks() -> str:
    """The shipped hooks as local `system` hooks running this interpreter (no package index needed)."""
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        hook["language"] = "system"
        hook["entry"] = hook["entry"].replace("pmlint", f"{sys.executable} -m postmortem_lint", 1)
        hook.pop("minimum_pre_commit_version", None)
    hooks[0]["args"] = ["--today", "2026-03-20"]
    lines = ["repos:", "  - repo: local", "    hooks:"]
    lines += [f"      - {json.dumps(hook)}" for hook in hooks]
    return "\n".join(lines) + "\n"


def test_from_nothing_to_a_committed_tracked_clean_draft(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    root = make_repo(tmp_path / "repo")
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_EDITOR="true", PRE_COMMIT_COLOR="never")
    (root / ".pre-commit-config.yaml").write_text(_local_hooks(), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "--no-verify", "-m", "pre-commit config")
    install = [sys.executable, "-m", "pre_commit", "install", "--hook-type", "pre-commit", "--hook-type", "prepare-commit-msg"]
    assert subprocess.run(install, cwd=root, env=env, capture_output=True, check=False).returncode == 0

    args = ["--severity", "SEV-2", "--duration", "5-30m", "--root-cause", "human", "--date", "2026-03-14"]
    created = pmlint(root, "new", "DB pool exhausted", "--no-input", *args, env=env)
    assert created.returncode == 0, created.stderr
    git(root, "add", ".")
    done = subprocess.run(["git", "commit"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(root, "log", "-1", "--format=%B") == TEMPLATE + "\n"
    assert git(root, "status", "--porcelain") == ""

    path = root / created.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8").replace("| High | [Date] | Open |", "| High | [Date] | Done |"), encoding="utf-8")
    git(root, "add", ".")
    blocked = subprocess.run(["git", "commit", "-m", "AI-001 done"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert blocked.returncode == 1 and "pmlint track" in blocked.stdout + blocked.stderr
    assert "| Draft | 0/1 |" in (root / "POST_MORTEM_TRACKING.md").read_text(encoding="utf-8")
    git(root, "add", ".")
    done = subprocess.run(["git", "commit", "-m", "AI-001 done"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(root, "log", "-1", "--format=%s") == "AI-001 done\n"
    assert pmlint(root, "check", "--today", "2026-03-20").returncode == 0
