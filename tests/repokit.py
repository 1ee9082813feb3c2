"""Temporary git repositories and the real `pmlint` executable, for the git-aware and end-to-end tests.

Every git call runs without the user's git configuration and without the ``GIT_*`` and
``PRE_COMMIT*`` variables of an enclosing hook (a test suite run from a hook must not
write to the outer repository's index).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PMLINT = (sys.executable, "-m", "postmortem_lint")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the user's git configuration (hooks paths, signing, templates)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1", **extra)
    return env


ENV = clean_env(
    GIT_AUTHOR_NAME="Test",
    GIT_AUTHOR_EMAIL="test@example.com",
    GIT_COMMITTER_NAME="Test",
    GIT_COMMITTER_EMAIL="test@example.com",
)
"""`clean_env` with an author and committer, for repositories made by `init`."""


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=root, env=env or ENV, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def init(repo: Path) -> Path:
    """An empty repository at ``repo``; commits take their author from `ENV`."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def make_repo(root: Path) -> Path:
    """An empty repository at ``root`` with an author configured (for runs under `clean_env`)."""
    init(root)
    git(root, "config", "user.name", "Dana Ortiz", env=clean_env())
    git(root, "config", "user.email", "dana@example.com", env=clean_env())
    git(root, "config", "commit.gpgsign", "false", env=clean_env())
    return root


def write(repo: Path, rel: str, text: str | bytes) -> Path:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def commit(repo: Path, message: str = "change", *paths: str) -> str:
    git(repo, "add", "--", *(paths or (".",)))
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def pmlint(
    root: Path | str, *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in ``root``."""
    return subprocess.run(
        [*PMLINT, *args], cwd=root, env=env or clean_env(), input=input, capture_output=True, text=True, timeout=timeout, check=False
    )
