"""Plain ``git`` in a subprocess: every git call pmlint makes but those reading another ref.

Paths in and out are relative to the project root (``root``, which may be a
sub-folder of the repository) with '/' separators; names with spaces or
non-ASCII characters are passed NUL-separated, never quoted.

Two ways of talking to git live here, chosen by cost:

- the per-commit path (listing the post-mortems, the staged files and their
  staged content) runs plain ``git`` in a subprocess: GitPython costs 136 ms to
  import and ``index.diff('HEAD')`` 9 ms against 2.4 ms for the command
  (NOTES.md), and a pre-commit hook pays that on every commit;
- reading another ref (``--against REF``, ``--changed-since REF``: merge base,
  tree listing, blobs, diff against the working tree) uses GitPython, in
  `gitrefs`, which only those runs load (`core.lazy`).

Every failure is a `GitError` with a one-line message.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path


class GitError(Exception):
    """A git problem (not a repository, unknown ref, git missing), one line."""


GIT_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
"""Set by git for hooks (``git commit -a`` points GIT_INDEX_FILE at a temporary index), maybe relative."""


def run(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run ``git args`` in ``root`` and return stdout; `GitError` on failure."""
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False, env=_environment())
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH" if root.is_dir() else f"{root}: no such folder") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {lines[0] if lines else 'failed'}")
    return done.stdout


def _environment() -> dict[str, str]:
    """The environment with git's path variables made absolute, as git runs in ``root``, not in the cwd.

    GIT_DIR without GIT_WORK_TREE means "the cwd is the top of the working tree";
    that is said explicitly, or git would take ``root`` for the top.
    """
    env = dict(os.environ)
    if env.get("GIT_DIR") and not env.get("GIT_WORK_TREE"):
        env["GIT_WORK_TREE"] = os.getcwd()
    for name in GIT_PATH_VARIABLES:
        value = env.get(name)
        if value and not os.path.isabs(value):
            env[name] = os.path.abspath(value)
    return env


def paths_of(output: bytes) -> list[str]:
    """NUL-separated git output -> unique paths, in order."""
    return list(dict.fromkeys(os.fsdecode(p) for p in output.split(b"\0") if p))


def _pathspecs(patterns: Sequence[str]) -> list[str]:
    """Include globs as git pathspecs with glob semantics (``*`` stops at '/')."""
    return [f":(glob){p.removeprefix('./')}" for p in patterns]


def is_repo(root: Path) -> bool:
    """True when ``root`` lies inside a git working tree."""
    try:
        return run(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def list_files(root: Path, patterns: Sequence[str]) -> list[str]:
    """Files matching ``patterns``: tracked, plus untracked ones that are not ignored.

    A tracked file deleted from the working tree is left out.
    """
    output = run(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *_pathspecs(patterns))
    return sorted(_present(root, paths_of(output)))


def _present(root: Path, paths: list[str]) -> Iterator[str]:
    """The paths that exist (as `os.path.lexists` says) under ``root``.

    One listing per folder answers for most; a name it lacks (a case-insensitive
    file system may spell it otherwise) is asked of the file system itself.
    """
    base = os.fspath(root)
    listings: dict[str, frozenset[str]] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        names = listings.get(folder)
        if names is None:
            names = listings[folder] = _listing(os.path.join(base, folder))
        if name in names or os.path.lexists(os.path.join(base, path)):
            yield path


def _listing(folder: str) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def staged_files(root: Path, patterns: Sequence[str]) -> list[str]:
    """Files matching ``patterns`` added, copied, modified or renamed in the index.

    Works before the first commit (everything in the index is then staged).
    """
    args = ["diff", "--cached", "--name-only", "-z", "--relative", "--diff-filter=ACMR", "--no-ext-diff"]
    return paths_of(run(root, *args, "--", *_pathspecs(patterns)))


def staged_blobs(root: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """The staged (index) content of each path; a path not in the index is left out."""
    wanted = list(paths)
    batch = [p for p in wanted if "\n" not in p]
    found = _cat_batch(root, [f":./{p}" for p in batch], batch)
    for path in wanted:
        if "\n" in path:
            found[path] = run(root, "cat-file", "blob", f":./{path}")
    return found


def _cat_batch(root: Path, specs: list[str], names: list[str]) -> dict[str, bytes]:
    """``git cat-file --batch`` for ``specs`` (one object name per line), keyed by ``names``."""
    if not specs:
        return {}
    stdin = b"".join(os.fsencode(s) + b"\n" for s in specs)
    output = run(root, "cat-file", "--batch", stdin=stdin)
    found: dict[str, bytes] = {}
    pos = 0
    for name in names:
        end = output.index(b"\n", pos)
        header = output[pos:end].split(b" ")
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[name] = output[pos : pos + size]
            pos += size + 1
    return found


def answer(root: Path, *args: str) -> str:
    """The output of ``git args`` as text, or '' when git fails or is missing (for questions whose answer is optional)."""
    try:
        return run(root, *args).decode("utf-8", "replace")
    except (GitError, OSError):
        return ""


def user_name(root: Path) -> str:
    """`git config user.name`, or '' when unset."""
    return " ".join(answer(root, "config", "user.name").split())


def branch_lines(root: Path, pattern: str, patterns: Sequence[str]) -> list[tuple[str, str]]:
    """(path, line) of the lines matching the extended regex ``pattern`` in the files matching ``patterns``
    at every local and remote branch tip; no repository, no commit or no git gives nothing."""
    refs = answer(root, "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes").split()
    if not refs:
        return []
    output = answer(root, "grep", "-I", "-E", "-e", pattern, *dict.fromkeys(refs), "--", *_pathspecs(patterns))
    hits = (line.split(":", 2) for line in output.split("\n"))
    return [(path, text) for _sha, path, text in (h for h in hits if len(h) == 3)]
