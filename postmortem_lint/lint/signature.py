"""What a check read, for `lint.replay`: the paths whose stat must be unchanged for its output to be replayed.

Made by the run that records (it has the settings); the replay only compares
stats. Anything a check's findings may depend on and that is not here, nor in
the replay's key, would make a replay stale: add it here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import postmortem_lint
from postmortem_lint.config.scope import checked_globs
from postmortem_lint.config.settings import Settings
from postmortem_lint.io import discover, gitrepo
from postmortem_lint.io.fsutil import atomic_write
from postmortem_lint.lint.results import Target
from postmortem_lint.packs import roster

PACKAGE = os.path.dirname(os.path.abspath(postmortem_lint.__file__))
GLOB_CHARS = frozenset("*?[")


def inputs(settings: Settings, found: Sequence[Target], paths: Sequence[str]) -> list[str]:
    """Every file and folder whose stat the output of a check over ``found`` (PATH arguments ``paths``) depends on."""
    root = os.path.abspath(settings.root)
    listed: set[str] = {os.path.dirname(os.path.abspath(t.path)) for t in found}
    for pattern in checked_globs(settings):
        listed.update(_listing_folders(root, pattern))
    for path in paths:
        listed.update(_tree(os.path.abspath(path)) if os.path.isdir(path) else (os.path.dirname(os.path.abspath(path)),))
    out = list(_package_files())
    out.extend(os.path.abspath(t.path) for t in found)
    out.extend(sorted(listed))
    out.extend(_config_places([os.getcwd(), *(os.path.abspath(p) for p in paths[:1])]))
    out.extend(_settings_files(settings, root))
    out.extend(_git_files(root, listed))
    out.extend(paths)
    return out


def _package_files() -> Iterator[str]:
    """pmlint's own files, code and shipped data (a new version or an edited preset changes a stat)."""
    for folder, dirs, names in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        yield folder
        for name in names:
            yield os.path.join(folder, name)


def _listing_folders(root: str, pattern: str) -> Iterator[str]:
    """The folders whose entries decide which files ``pattern`` matches: its fixed prefix, or the tree below it."""
    parts = pattern.split("/")
    fixed: list[str] = []
    for part in parts:
        if GLOB_CHARS & set(part):
            break
        fixed.append(part)
    base = os.path.join(root, *fixed)
    rest = parts[len(fixed) :]
    if len(rest) <= 1:
        yield base
    else:
        yield from _tree(base)


def _tree(folder: str) -> Iterator[str]:
    """``folder`` and every folder below it but those a listing skips (`discover.SKIP_DIRS`)."""
    yield folder
    for top, dirs, _ in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in discover.SKIP_DIRS]
        yield from (os.path.join(top, d) for d in dirs)


def _config_places(starts: Iterable[str]) -> Iterator[str]:
    """Every place a configuration file could be found from ``starts`` upwards (a new one changes the settings)."""
    for start in starts:
        folder = start if os.path.isdir(start) else os.path.dirname(start)
        while True:
            yield from (os.path.join(folder, name) for name in discover.CONFIG_NAMES)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent


def _settings_files(settings: Settings, root: str) -> Iterator[str]:
    """The files the settings name: the configuration, the tracker, the owners roster, a team's sections and template packs."""
    if settings.config_path is not None:
        yield os.path.abspath(settings.config_path)
    yield os.path.join(root, settings.tracker)
    if settings.owners:
        if settings.owners == roster.CODEOWNERS:
            yield from (os.path.join(root, place) for place in roster.CODEOWNERS_PLACES)
        else:
            yield os.path.join(root, settings.owners)
    if settings.sections:
        yield os.path.join(root, settings.sections)
    template = (settings.template or "").strip()
    if template:
        yield os.path.join(root, template)  # a preset's name gives a path that does not exist: its YAML is pmlint's own


def _git_files(root: str, folders: Iterable[str]) -> Iterator[str]:
    """What git's listing of tracked and untracked-not-ignored files reads: the index, the ignore files, the configuration."""
    top = discover.git_top(Path(root))
    if top is None:
        return
    top_s = str(top)
    gitdir = _gitdir(os.path.join(top_s, ".git"))
    yield os.path.join(top_s, ".git")
    for name in ("index", "info/exclude", "config", "commondir"):
        yield os.path.join(gitdir, name)
    home = os.path.expanduser("~")
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    yield from (os.path.join(home, ".gitconfig"), os.path.join(config_home, "git", "config"), os.path.join(config_home, "git", "ignore"))
    yield "/etc/gitconfig"
    excludes = _excludes_file(top)
    if excludes:
        yield excludes
    ignores: set[str] = set()
    for folder in folders:
        while folder.startswith(top_s):
            ignores.add(os.path.join(folder, ".gitignore"))
            if folder == top_s:
                break
            folder = os.path.dirname(folder)
    yield from sorted(ignores)


def _excludes_file(top: Path) -> str | None:
    """``core.excludesFile``, when git's configuration names one (its patterns hide untracked files)."""
    try:
        value = gitrepo.run(top, "config", "--path", "--get", "core.excludesFile").decode("utf-8", "replace").strip()
    except gitrepo.GitError:
        return None
    return os.path.abspath(os.path.join(str(top), value)) if value else None


def _gitdir(dotgit: str) -> str:
    """The git folder: ``.git`` itself, or where a ``.git`` file (a worktree, a submodule) points."""
    if os.path.isfile(dotgit):
        try:
            with open(dotgit, encoding="utf-8") as handle:
                line = handle.read().strip()
        except OSError:
            return dotgit
        if line.startswith("gitdir:"):
            return os.path.normpath(os.path.join(os.path.dirname(dotgit), line[len("gitdir:") :].strip()))
    return dotgit


def store(folder: str, path: str, data: bytes, keep: int) -> None:
    """Write a replay record atomically inside the cache folder, keep the newest ``keep``; failures are ignored."""
    if not os.path.isdir(folder):
        return
    try:
        atomic_write(Path(path), data, root=Path(folder))
        records = sorted((os.path.join(folder, n) for n in os.listdir(folder) if n.startswith("replay-")), key=os.path.getmtime)
        for old in records[:-keep]:
            os.unlink(old)
    except (OSError, ValueError):
        return
