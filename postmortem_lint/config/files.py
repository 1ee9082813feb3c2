"""Reading and validating a configuration file: TOML or YAML, then the pydantic schema.

Loaded only when a configuration file must be validated (`config.load`, through
`core.lazy`): it imports tomllib, ruamel.yaml and pydantic. Errors are
`ConfigError`s naming the file, the line and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from postmortem_lint.config.schema import ConfigFile
from postmortem_lint.config.settings import ConfigError, Settings
from postmortem_lint.io.yamlio import YamlError, load_yaml


def read_settings(path: Path, root: Path) -> Settings:
    """The settings the configuration file at ``path`` sets, validated; `ConfigError` names the file, line and key."""
    raw, lines = _read(path)
    return _validate(raw, lines, path, root)


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    if path.suffix == ".toml":
        return _read_toml(path)
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
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, str(exc))) from None
    table = data.get("tool", {}).get("pmlint", {})
    return table, _toml_lines(text)


def _toml_error(path: Path, text: str, message: str) -> str:
    """tomllib's 'Invalid value (at line 2, column 10)' as 'pyproject.toml:2: Invalid value'."""
    where = re.search(r" \(at (?:line (\d+), column \d+|end of document)\)$", message)
    if where is None:
        return f"{path}: {message}"
    line = where.group(1) or str(text.count("\n") + (0 if text.endswith("\n") else 1))
    return f"{path}:{line}: {message[: where.start()]}"


def _toml_lines(text: str) -> dict[str, int]:
    """Line of each key under [tool.pmlint] (and its sub-tables), best effort."""
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
