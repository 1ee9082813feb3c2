"""Settings from `[tool.pmlint]` in pyproject.toml or `.pmlint.yaml`.

`Settings` is a plain frozen dataclass: a run with no configuration file never
imports pydantic. When a file exists it is validated by a pydantic model, and an
error is reported as ``file:line: key: problem`` (exit 2). The validated settings
are remembered in the project's cache folder, keyed by the file's bytes, so later
runs skip ruamel.yaml and pydantic until the file changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

CONFIG_NAMES = (".pmlint.yaml", ".pmlint.yml", "pyproject.toml")
DEFAULT_INCLUDE = ("tasks/post-mortem-*.md",)


class ConfigError(Exception):
    """A configuration problem; the message names the file, line and key."""


@dataclass(frozen=True)
class Settings:
    root: Path = Path(".")
    config_path: Path | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    folder: str = "tasks"
    tracker: str = "POST_MORTEM_TRACKING.md"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    incident_number_width: int = 3
    blame_extra_phrases: tuple[str, ...] = ()
    blame_allow: tuple[str, ...] = ()
    owners: str | None = None
    since: dt.date | None = None
    sections: str | None = None
    timezone: str = "UTC"
    origins: dict[str, int] = field(default_factory=dict, compare=False)
    """The line of `config_path` where each key was set: ``{"tracker": 2, "blame.allow": 7}`` (keys as written, dotted)."""

    def origin(self, key: str) -> str:
        """``file:line`` of ``key`` (the file alone when the key is not in it), the file relative to the current folder."""
        if self.config_path is None:
            return str(self.root)
        line = self.origins.get(key)
        return f"{shown_path(self.config_path)}:{line}" if line else shown_path(self.config_path)

    def fingerprint(self) -> str:
        """A stable hash of everything that changes findings (for the cache)."""
        data = {k: v for k, v in asdict(self).items() if k not in ("root", "config_path", "origins")}
        text = json.dumps(data, sort_keys=True, default=str)
        extra = Path(self.sections).read_bytes() if self.sections and Path(self.sections).is_file() else b""
        return hashlib.sha256(text.encode() + extra).hexdigest()[:16]


def find_config(start: Path, root: Path) -> Path | None:
    """The configuration file a run uses: the closest to ``start`` (see `find_configs`)."""
    found = find_configs(start, root)
    return found[0] if found else None


def find_configs(start: Path, root: Path) -> list[Path]:
    """Every configuration file from ``start`` up to the repository top, closest first.

    The rule is ruff's: the closest file wins, and there is no merging. In one
    folder `.pmlint.yaml` comes before `.pmlint.yml`, and both before a
    pyproject.toml with a ``[tool.pmlint]`` table. Above ``root`` the walk goes
    on to the git top (or stops at ``root`` outside git), so that a file the run
    ignores can be named.
    """
    here = start.resolve()
    top = _walk_top(root.resolve())
    found: list[Path] = []
    while True:
        for name in CONFIG_NAMES:
            candidate = here / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_pmlint_table(candidate)):
                found.append(candidate)
        if here == top or here.parent == here:
            return found
        here = here.parent


def _walk_top(root: Path) -> Path:
    """The git top at or above ``root``, else ``root``."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _has_pmlint_table(path: Path) -> bool:
    try:
        return "[tool.pmlint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load(root: Path, explicit: Path | None = None, cwd: Path | None = None, remember: bool = True) -> Settings:
    """Settings for a run: the explicit file, else the closest one, else defaults.

    A file validated before, byte for byte, is not validated again: its settings
    come from the project's cache folder (``remember``), which spares a one-file
    run the ~150 ms of importing ruamel.yaml and pydantic. The paths it names
    are checked on every load (`check_paths`): what they lead to can change
    without the file changing. When several files are found, a note on stderr
    names the one used and those ignored.
    """
    if explicit is None:
        found = find_configs(cwd or Path.cwd(), root)
        if len(found) > 1:
            _note_ignored(found)
        path = found[0] if found else None
    else:
        path = explicit
    if path is None:
        return Settings(root=root)
    if not path.is_file():
        raise ConfigError(f"{shown_path(path)}: configuration file not found")
    key = _config_key(path, root)
    settings = _remembered(root, key, path) if remember and key else None
    if settings is None:
        raw, lines = _read(Path(shown_path(path)))
        settings = _validate(raw, lines, path, root)
        if remember and key:
            _remember(settings, key)
    check_paths(settings)
    return settings


def _note_ignored(found: list[Path]) -> None:
    import sys

    ignored = ", ".join(_shown(p) for p in found[1:])
    sys.stderr.write(
        f"pmlint: note: using {_shown(found[0])}; ignoring {ignored} "
        "(the configuration file closest to the current folder wins; in one folder .pmlint.yaml comes before pyproject.toml)\n"
    )


def _shown(path: Path) -> str:
    """A configuration file as the user knows it, pyproject.toml with its table."""
    text = shown_path(path)
    return f"{text} [tool.pmlint]" if path.name == "pyproject.toml" else text


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when below it or in a folder above it, else as it is."""
    import os

    try:
        cwd = Path.cwd()
        absolute = path.absolute()
    except OSError:
        return str(path)
    near = absolute.is_relative_to(cwd) or cwd.is_relative_to(absolute.parent)
    return os.path.relpath(absolute, cwd) if near else str(path)


SETTINGS_NOTE = "settings.json"
MEMO_FORMAT = 2
"""Bumped when the remembered settings change shape (2: `origins`)."""


def _config_key(path: Path, root: Path) -> str | None:
    from postmortem_lint import __version__

    try:
        data = path.read_bytes()
    except OSError:
        return None
    seed = f"{__version__}|{MEMO_FORMAT}|{path.resolve()}|{root.resolve()}|".encode()
    return hashlib.sha256(seed + data).hexdigest()


def _remember(settings: Settings, key: str) -> None:
    from postmortem_lint import cache

    fields = {k: v for k, v in asdict(settings).items() if k not in ("root", "config_path")}
    note = json.dumps({"key": key, "settings": fields}, default=str, sort_keys=True)
    cache.write_note(settings.root, SETTINGS_NOTE, note.encode())


def _remembered(root: Path, key: str, path: Path) -> Settings | None:
    from postmortem_lint import cache

    note = cache.read_note(root, SETTINGS_NOTE)
    try:
        stored = json.loads(note) if note else None
        if not stored or stored.get("key") != key:
            return None
        return _settings_from(stored["settings"], root, path)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _settings_from(data: dict[str, Any], root: Path, path: Path) -> Settings:
    """The inverse of `_remember`'s JSON (lists back to tuples, the date back to a date)."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            value = tuple(value)
        values[name] = value
    values["per_file_ignores"] = {k: tuple(v) for k, v in data["per_file_ignores"].items()}
    values["since"] = dt.date.fromisoformat(data["since"]) if data["since"] else None
    return Settings(root=root, config_path=path, **values)


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    if path.suffix == ".toml":
        return _read_toml(path)
    from postmortem_lint.yamlio import YamlError, load_yaml

    try:
        data = load_yaml(path, round_trip=True)
    except YamlError as exc:
        raise ConfigError(str(exc)) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of keys, not {_kind(data)}")
    return _plain(data), _yaml_lines(data)


def _kind(value: Any) -> str:
    from postmortem_lint.config_errors import describe

    return describe(_plain(value))


def _plain(value: Any) -> Any:
    """ruamel's round-trip values as plain ones (its string, int and float subclasses too)."""
    if isinstance(value, dict):
        return {_plain(k) if isinstance(k, (str, int, float)) else str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return _unicode(value)
    for kind in (bool, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def _unicode(text: str) -> str:
    """YAML's ``"\\ud800\\udc00"`` escapes give surrogates: pairs become their character, a lone one U+FFFD."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _yaml_lines(data: Any, prefix: str = "") -> dict[str, int]:
    """The 1-based line of every key, and of every list item (``select.2``), dotted."""
    lines: dict[str, int] = {}
    lc = getattr(data, "lc", None)
    if lc is None:
        return lines
    if isinstance(data, dict):
        for key, value in data.items():
            dotted = f"{prefix}{key}"
            try:
                lines[dotted] = lc.key(key)[0] + 1
            except (KeyError, TypeError):
                continue
            lines.update(_yaml_lines(value, dotted + "."))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            try:
                lines[f"{prefix}{index}"] = lc.item(index)[0] + 1
            except (KeyError, TypeError, IndexError):
                continue
            lines.update(_yaml_lines(value, f"{prefix}{index}."))
    return lines


def _read_toml(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, str(exc))) from None
    lines = _toml_lines(text)
    tool = data.get("tool", {})
    table = tool.get("pmlint", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:{lines.get('', 1)}: tool.pmlint: must be a table of keys, not {_kind(table)}")
    return table, lines


def _toml_error(path: Path, text: str, message: str) -> str:
    """tomllib's 'Invalid value (at line 2, column 10)' as 'pyproject.toml:2: key: Invalid value'.

    An unquoted date that is not a real day gets the same words as in YAML.
    """
    where = re.search(r" \(at (?:line (\d+), column \d+|end of document)\)$", message)
    if where is None:
        return f"{path}: {message}"
    line = int(where.group(1) or text.count("\n") + (0 if text.endswith("\n") else 1))
    key = next((k for k, n in _toml_lines(text).items() if n == line), None)
    problem = message[: where.start()]
    source = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    date = re.match(r"^[^=]*=\s*(\d{4}-\d{2}-\d{2})\b", source)
    if date:
        from postmortem_lint.days import parse_day

        try:
            parse_day(date.group(1))
        except ValueError as exc:
            problem = str(exc)
    return f"{path}:{line}: {key + ': ' if key else ''}{problem}"


_TOML_HEADER = r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$"
_TOML_KEY = r"""^\s*((?:"[^"]*"|'[^']*'|[\w-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[\w-]+))*)\s*="""
_TOML_PART = r""""([^"]*)"|'([^']*)'|([\w-]+)"""


def _toml_lines(text: str) -> dict[str, int]:
    """Line of each key under [tool.pmlint] (and its sub-tables), best effort; '' is the table's own line."""
    lines: dict[str, int] = {}
    prefix: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        header = re.match(_TOML_HEADER, line)
        if header:
            name = _dotted(header.group(1))
            prefix = name[len("tool.pmlint") :].lstrip(".") if name == "tool.pmlint" or name.startswith("tool.pmlint.") else None
            if prefix is not None:
                lines.setdefault(prefix, number)
            continue
        key = re.match(_TOML_KEY, line)
        if key and prefix is not None:
            dotted = f"{prefix}.{_dotted(key.group(1))}" if prefix else _dotted(key.group(1))
            lines.setdefault(dotted, number)
    return lines


def _dotted(key: str) -> str:
    """A TOML key (``"per-file-ignores"."tasks/*.md"``) as plain dotted parts."""
    return ".".join(next(p for p in m.groups() if p is not None) for m in re.finditer(_TOML_PART, key))


def _validate(raw: dict[str, Any], lines: dict[str, int], path: Path, root: Path) -> Settings:
    from pydantic import ValidationError

    from postmortem_lint.config_model import ConfigFile

    try:
        model = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc, lines, Path(shown_path(path)))) from None
    return _to_settings(model, path, root, {key: line for key, line in lines.items() if key})


def _first_error(exc: Any, lines: dict[str, int], path: Path) -> str:
    """``file:line: key: problem`` for the first error, in plain words (`config_errors`)."""
    from postmortem_lint import config_errors
    from postmortem_lint.config_model import BlameConfig, ConfigFile

    error = exc.errors()[0]
    loc = tuple(error["loc"])
    parts = [str(p) for p in loc if p != "[key]"]
    line = next((lines[".".join(parts[:size])] for size in range(len(parts), 0, -1) if ".".join(parts[:size]) in lines), 1)
    model = BlameConfig if parts[:1] == ["blame"] and len(parts) > 1 else ConfigFile
    allowed = [info.alias or name for name, info in model.model_fields.items()]
    key = config_errors.where(loc) or "(top)"
    return f"{path}:{line}: {key}: {config_errors.problem(error, allowed)}"


def _folder_of(pattern: str) -> str:
    """The folder part of an include glob: 'tasks/post-mortem-*.md' -> 'tasks'."""
    return pattern.rsplit("/", 1)[0] if "/" in pattern else "."


def _to_settings(model: Any, path: Path, root: Path, origins: dict[str, int]) -> Settings:
    base = path.parent
    sections = str((base / model.sections).absolute()) if model.sections else None
    owners = str((base / model.owners).absolute()) if model.owners and model.owners != "CODEOWNERS" else model.owners
    include = tuple(model.include)
    return replace(
        Settings(root=root, config_path=path),
        include=include,
        exclude=tuple(model.exclude),
        folder=model.folder or _folder_of(include[0]),
        tracker=model.tracker,
        select=tuple(c.upper() for c in model.select),
        ignore=tuple(c.upper() for c in model.ignore),
        severity={k.upper(): v for k, v in model.severity.items()},
        per_file_ignores={k: tuple(c.upper() for c in v) for k, v in model.per_file_ignores.items()},
        incident_number_width=model.incident_number_width,
        blame_extra_phrases=tuple(model.blame.extra_phrases),
        blame_allow=tuple(model.blame.allow),
        owners=owners,
        since=model.since,
        sections=sections,
        timezone=model.timezone,
        origins=origins,
    )


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
    for key in ("owners", "sections"):
        value = getattr(settings, key)
        if value:
            written[key] = _relative_to(Path(value), base)
    return written


def _relative_to(path: Path, base: Path) -> str:
    import os

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
