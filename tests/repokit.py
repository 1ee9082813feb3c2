"""Temporary git repositories and the real `pmlint` executable, for end-to-end tests."""

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


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=root, env=env or clean_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def make_repo(root: Path) -> Path:
    """An empty repository at ``root`` with an author configured."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Dana Ortiz")
    git(root, "config", "user.email", "dana@example.com")
    git(root, "config", "commit.gpgsign", "false")
    return root


def pmlint(root: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in ``root``."""
    return subprocess.run([*PMLINT, *args], cwd=root, env=env or clean_env(), input=input, capture_output=True, text=True, check=False)
