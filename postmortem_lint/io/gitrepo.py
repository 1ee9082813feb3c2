"""Every git call pmlint makes, in one module.

Paths in and out are relative to the project root (``root``, which may be a
sub-folder of the repository) with '/' separators; names with spaces or
non-ASCII characters are passed NUL-separated, never quoted.

Two ways of talking to git live here, chosen by cost:

- the per-commit path (listing the post-mortems, the staged files and their
  staged content) runs plain ``git`` in a subprocess: GitPython costs 136 ms to
  import and ``index.diff('HEAD')`` 9 ms against 2.4 ms for the command
  (NOTES.md), and a pre-commit hook pays that on every commit;
- reading another ref (``--against REF``, ``--changed-since REF``: merge base,
  tree listing, blobs, diff against the working tree) uses GitPython, imported
  lazily inside the functions that need it.

Every failure is a `GitError` with a one-line message.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from git import Blob, Commit, Repo


class GitError(Exception):
    """A git problem (not a repository, unknown ref, git missing), one line."""


GIT_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
"""Set by git for hooks (``git commit -a`` points GIT_INDEX_FILE at a temporary index), maybe relative."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
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


def _paths(output: bytes) -> list[str]:
    """NUL-separated git output -> unique paths, in order."""
    return list(dict.fromkeys(os.fsdecode(p) for p in output.split(b"\0") if p))


def _pathspecs(patterns: Sequence[str]) -> list[str]:
    """Include globs as git pathspecs with glob semantics (``*`` stops at '/')."""
    return [f":(glob){p.removeprefix('./')}" for p in patterns]


def is_repo(root: Path) -> bool:
    """True when ``root`` lies inside a git working tree."""
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def list_files(root: Path, patterns: Sequence[str]) -> list[str]:
    """Files matching ``patterns``: tracked, plus untracked ones that are not ignored.

    A tracked file deleted from the working tree is left out.
    """
    output = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *_pathspecs(patterns))
    return sorted(_present(root, _paths(output)))


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
    return _paths(_git(root, *args, "--", *_pathspecs(patterns)))


def staged_blobs(root: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """The staged (index) content of each path; a path not in the index is left out."""
    wanted = list(paths)
    batch = [p for p in wanted if "\n" not in p]
    found = _cat_batch(root, [f":./{p}" for p in batch], batch)
    for path in wanted:
        if "\n" in path:
            found[path] = _git(root, "cat-file", "blob", f":./{path}")
    return found


def _cat_batch(root: Path, specs: list[str], names: list[str]) -> dict[str, bytes]:
    """``git cat-file --batch`` for ``specs`` (one object name per line), keyed by ``names``."""
    if not specs:
        return {}
    stdin = b"".join(os.fsencode(s) + b"\n" for s in specs)
    output = _git(root, "cat-file", "--batch", stdin=stdin)
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


def _repo(root: Path) -> Repo:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{root}: not a git repository") from None


def _commit(repo: Repo, ref: str) -> Commit:
    from git.exc import BadName, BadObject

    try:
        return repo.commit(ref)
    except (BadName, BadObject, ValueError):
        raise GitError(f"unknown git ref {ref!r} (not a branch, tag or commit)") from None


def _merge_base(repo: Repo, commit: Commit) -> Commit | None:
    """The merge base of ``commit`` and HEAD; None on an unborn branch or unrelated history."""
    try:
        bases = repo.merge_base(commit, repo.head.commit)
    except ValueError:
        return None
    return bases[0] if bases else None


def _prefix(repo: Repo, root: Path) -> str:
    """``root`` relative to the top of the working tree, '' or ending in '/'."""
    top = Path(repo.working_tree_dir or root).resolve()
    rel = root.resolve().relative_to(top).as_posix()
    return "" if rel == "." else rel + "/"


def _under(path: str, prefix: str) -> str | None:
    return path[len(prefix) :] if path.startswith(prefix) else None


def _matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    """Glob matching as git pathspecs do it: ``*`` never crosses '/', ``**`` does."""
    import re

    def regex(pattern: str) -> str:
        parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern.removeprefix("./"))
        table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
        return "".join(table.get(part, re.escape(part)) for part in parts)

    compiled = re.compile("|".join(f"(?:{regex(p)})" for p in patterns) + r"\Z")
    return lambda path: compiled.match(path) is not None


def _blobs(commit: Commit, prefix: str, keep: Callable[[str], bool]) -> dict[str, Blob]:
    """Blobs of ``commit``'s tree under ``prefix`` chosen by ``keep``, by root-relative path."""
    from git import Blob

    found: dict[str, Blob] = {}
    for item in commit.tree.traverse():
        if not isinstance(item, Blob):
            continue
        rel = _under(os.fspath(item.path), prefix)
        if rel is not None and keep(rel):
            found[rel] = item
    return found


def added_at(root: Path, ref: str, patterns: Sequence[str]) -> dict[str, bytes]:
    """Content of the files at ``ref`` matching ``patterns`` that the merge base lacks.

    These are the post-mortems the other branch added since this one forked from
    it; files present at the merge base are this branch's own (kept, renamed or
    deleted here) and are left out. Without a merge base every file at ``ref``
    is returned.
    """
    with _repo(root) as repo:
        commit = _commit(repo, ref)
        prefix, keep = _prefix(repo, root), _matcher(patterns)
        at_ref = _blobs(commit, prefix, keep)
        base = _merge_base(repo, commit)
        known = _blobs(base, prefix, keep) if base is not None else {}
        return {rel: blob.data_stream.read() for rel, blob in at_ref.items() if rel not in known}


def changed_since(root: Path, ref: str, patterns: Sequence[str]) -> list[str]:
    """Files matching ``patterns`` that differ between ``ref`` and the working tree.

    Compared with the merge base of ``ref`` and HEAD, as ``git diff REF...``
    does, so that what changed on ``ref`` meanwhile is not counted; untracked,
    not ignored files count as changed.
    """
    with _repo(root) as repo:
        commit = _commit(repo, ref)
        base = _merge_base(repo, commit) or commit
        prefix, keep = _prefix(repo, root), _matcher(patterns)
        changed = {d.b_path for d in base.diff(None) if d.b_path and not d.deleted_file}
    changed.update(prefix + p for p in _paths(_git(root, "ls-files", "-z", "--others", "--exclude-standard")))
    found = (_under(p, prefix) for p in changed)
    return sorted(p for p in found if p is not None and keep(p))
