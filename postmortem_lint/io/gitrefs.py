"""Reading another ref with GitPython: ``--against REF`` and ``--changed-since REF``.

Merge base, tree listing, blobs and the diff against the working tree. GitPython
costs ~140 ms to import, so this module is loaded only by the runs that read
another ref (`core.lazy`); everything else git-related is plain ``git`` in
`gitrepo`. Every failure is a `gitrepo.GitError` with a one-line message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import git
from git import Blob, Commit, Repo
from git.exc import BadName, BadObject

from postmortem_lint.io.gitrepo import GitError, paths_of, run


def _repo(root: Path) -> Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{root}: not a git repository") from None


def _commit(repo: Repo, ref: str) -> Commit:
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

    def regex(pattern: str) -> str:
        parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern.removeprefix("./"))
        table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
        return "".join(table.get(part, re.escape(part)) for part in parts)

    compiled = re.compile("|".join(f"(?:{regex(p)})" for p in patterns) + r"\Z")
    return lambda path: compiled.match(path) is not None


def _blobs(commit: Commit, prefix: str, keep: Callable[[str], bool]) -> dict[str, Blob]:
    """Blobs of ``commit``'s tree under ``prefix`` chosen by ``keep``, by root-relative path."""
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
    changed.update(prefix + p for p in paths_of(run(root, "ls-files", "-z", "--others", "--exclude-standard")))
    found = (_under(p, prefix) for p in changed)
    return sorted(p for p in found if p is not None and keep(p))
