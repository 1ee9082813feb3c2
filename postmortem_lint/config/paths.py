"""The paths a configuration names stay inside the project: checked on every load, since what they lead to can change."""

from __future__ import annotations

import os
from pathlib import Path

from postmortem_lint.config.settings import ConfigError, Settings


def check_paths(settings: Settings) -> None:
    """Every path the configuration names stays inside the project root (ConfigError otherwise).

    ``tracker`` and ``folder`` are relative to the project root, ``owners`` and
    ``sections`` to the configuration file. None may lead out with ``..`` or
    through a symlink (the model refuses absolute paths); ``owners`` and
    ``sections`` must exist.
    """
    root = settings.root.resolve()
    raw = written_paths(settings)
    checks = (
        ("tracker", settings.root / settings.tracker, False),
        ("folder", settings.root / settings.folder, False),
        ("owners", Path(settings.owners) if settings.owners and settings.owners != "CODEOWNERS" else None, True),
        ("sections", Path(settings.sections) if settings.sections else None, True),
        ("template", Path(settings.template) if settings.template and Path(settings.template).is_absolute() else None, True),
    )
    for key, target, must_exist in checks:
        if target is None or key not in settings.origins:
            continue
        problem = _path_problem(raw.get(key, str(target)), target, root, must_exist)
        if problem:
            raise ConfigError(f"{settings.origin(key)}: {key}: {problem}")
    if (settings.root / settings.tracker).is_dir():
        raise ConfigError(f"{settings.origin('tracker')}: tracker: {settings.tracker} is a folder, not a file")


def written_paths(settings: Settings) -> dict[str, str]:
    """The paths as the file wrote them (settings hold ``owners`` and ``sections`` joined to the file's folder)."""
    base = settings.config_path.parent if settings.config_path else settings.root
    written = {"tracker": settings.tracker, "folder": settings.folder}
    for key in ("owners", "sections", "template"):
        value = getattr(settings, key)
        if value and (key != "template" or Path(value).is_absolute()):
            written[key] = _relative_to(Path(value), base)
    return written


def _relative_to(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return str(path)


def _path_problem(written: str, target: Path, root: Path, must_exist: bool) -> str | None:
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return f"{written} cannot be followed (a symlink loop?)"
    if resolved != root and root not in resolved.parents:
        how = "through a symlink " if ".." not in Path(written).parts else ""
        return f"{written} leads {how}outside the project root ({root})"
    if ".git" in resolved.relative_to(root).parts:
        return f"{written} is inside .git, which belongs to git"
    if must_exist and not target.is_file():
        return f"{written} is not a file" if target.exists() else f"{written} does not exist"
    return None
