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

    def fingerprint(self) -> str:
        """A stable hash of everything that changes findings (for the cache)."""
        data = {k: v for k, v in asdict(self).items() if k not in ("root", "config_path")}
        text = json.dumps(data, sort_keys=True, default=str)
        extra = Path(self.sections).read_bytes() if self.sections and Path(self.sections).is_file() else b""
        return hashlib.sha256(text.encode() + extra).hexdigest()[:16]


def find_config(start: Path, root: Path) -> Path | None:
    """The nearest config file walking up from ``start`` to ``root``."""
    here = start.resolve()
    top = root.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = here / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_pmlint_table(candidate)):
                return candidate
        if here == top or here.parent == here:
            return None
        here = here.parent


def _has_pmlint_table(path: Path) -> bool:
    try:
        return "[tool.pmlint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load(root: Path, explicit: Path | None = None, cwd: Path | None = None, remember: bool = True) -> Settings:
    """Settings for a run: the explicit file, else the nearest one, else defaults.

    A file validated before, byte for byte, is not validated again: its settings
    come from the project's cache folder (``remember``), which spares a one-file
    run the ~150 ms of importing ruamel.yaml and pydantic.
    """
    path = explicit or find_config(cwd or Path.cwd(), root)
    if path is None:
        return Settings(root=root)
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    key = _config_key(path, root)
    remembered = _remembered(root, key, path) if remember and key else None
    if remembered is not None:
        return remembered
    raw, lines = _read(path)
    settings = _validate(raw, lines, path, root)
    if remember and key:
        _remember(settings, key)
    return settings


SETTINGS_NOTE = "settings.json"


def _config_key(path: Path, root: Path) -> str | None:
    from postmortem_lint import __version__

    try:
        data = path.read_bytes()
    except OSError:
        return None
    seed = f"{__version__}|{path.resolve()}|{root.resolve()}|".encode()
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
        raise ConfigError(f"{path}:1: the configuration must be a mapping of keys")
    return _plain(data), _yaml_lines(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _yaml_lines(data: Any, prefix: str = "") -> dict[str, int]:
    lines: dict[str, int] = {}
    lc = getattr(data, "lc", None)
    if not isinstance(data, dict) or lc is None:
        return lines
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        try:
            lines[dotted] = lc.key(key)[0] + 1
        except (KeyError, TypeError):
            continue
        lines.update(_yaml_lines(value, dotted + "."))
    return lines


def _read_toml(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    import tomllib

    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, str(exc))) from None
    table = data.get("tool", {}).get("pmlint", {})
    return table, _toml_lines(text)


def _toml_error(path: Path, text: str, message: str) -> str:
    """tomllib's 'Invalid value (at line 2, column 10)' as 'pyproject.toml:2: Invalid value'."""
    import re

    where = re.search(r" \(at (?:line (\d+), column \d+|end of document)\)$", message)
    if where is None:
        return f"{path}: {message}"
    line = where.group(1) or str(text.count("\n") + (0 if text.endswith("\n") else 1))
    return f"{path}:{line}: {message[: where.start()]}"


def _toml_lines(text: str) -> dict[str, int]:
    """Line of each key under [tool.pmlint] (and its sub-tables), best effort."""
    import re

    lines: dict[str, int] = {}
    prefix: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            name = header.group(1).strip()
            prefix = name[len("tool.pmlint") :].lstrip(".") if name.startswith("tool.pmlint") else None
            if prefix:
                lines[prefix] = number
            continue
        key = re.match(r"^\s*\"?([\w.-]+)\"?\s*=", line)
        if key and prefix is not None:
            dotted = f"{prefix}.{key.group(1)}" if prefix else key.group(1)
            lines.setdefault(dotted, number)
    return lines


def _validate(raw: dict[str, Any], lines: dict[str, int], path: Path, root: Path) -> Settings:
    from pydantic import ValidationError

    from postmortem_lint.config_model import ConfigFile

    try:
        model = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc, lines, path)) from None
    return _to_settings(model, path, root)


def _first_error(exc: Any, lines: dict[str, int], path: Path) -> str:
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    line = 1
    for size in range(len(loc), 0, -1):
        if ".".join(loc[:size]) in lines:
            line = lines[".".join(loc[:size])]
            break
    return f"{path}:{line}: {'.'.join(loc) or '(top)'}: {error['msg']}"


def _folder_of(pattern: str) -> str:
    """The folder part of an include glob: 'tasks/post-mortem-*.md' -> 'tasks'."""
    return pattern.rsplit("/", 1)[0] if "/" in pattern else "."


def _to_settings(model: Any, path: Path, root: Path) -> Settings:
    base = path.parent
    sections = str((base / model.sections).resolve()) if model.sections else None
    owners = str(base / model.owners) if model.owners and model.owners != "CODEOWNERS" else model.owners
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
    )
