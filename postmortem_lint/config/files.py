"""Reading and validating a configuration file: TOML or YAML, then the pydantic schema.

Loaded only when a configuration file must be validated (`config.load`, through
`core.lazy`): it imports tomllib, ruamel.yaml and pydantic. Errors are
`ConfigError`s naming the file, the line and the key, in plain words (`config.errors`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from postmortem_lint.config import errors
from postmortem_lint.config.errors import describe
from postmortem_lint.config.schema import BlameConfig, ConfigFile
from postmortem_lint.config.settings import ConfigError, Settings, shown_path
from postmortem_lint.core.days import parse_day
from postmortem_lint.io.yamlio import YamlError, load_yaml


def read_settings(path: Path, root: Path) -> Settings:
    """The settings the configuration file at ``path`` sets, validated; `ConfigError` names the file, line and key."""
    raw, lines = _read(Path(shown_path(path)))
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
        raise ConfigError(f"{path}:1: the configuration must be a mapping of keys, not {_kind(data)}")
    return _plain(data), _yaml_lines(data)


def _kind(value: Any) -> str:
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
    try:
        model = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc, lines, Path(shown_path(path)))) from None
    return _to_settings(model, path, root, {key: line for key, line in lines.items() if key})


def _first_error(exc: Any, lines: dict[str, int], path: Path) -> str:
    """``file:line: key: problem`` for the first error, in plain words (`config.errors`)."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    parts = [str(p) for p in loc if p != "[key]"]
    line = next((lines[".".join(parts[:size])] for size in range(len(parts), 0, -1) if ".".join(parts[:size]) in lines), 1)
    model = BlameConfig if parts[:1] == ["blame"] and len(parts) > 1 else ConfigFile
    allowed = [info.alias or name for name, info in model.model_fields.items()]
    key = errors.where(loc) or "(top)"
    return f"{path}:{line}: {key}: {errors.problem(error, allowed)}"


def is_template_path(value: str) -> bool:
    """A `template:` value that names a file (it has a folder or a suffix), not a preset such as `google-sre`."""
    return "/" in value or "\\" in value or "." in value


def _folder_of(pattern: str) -> str:
    """The folder part of an include glob: 'tasks/post-mortem-*.md' -> 'tasks'."""
    return pattern.rsplit("/", 1)[0] if "/" in pattern else "."


def _to_settings(model: Any, path: Path, root: Path, origins: dict[str, int]) -> Settings:
    base = path.parent
    sections = str((base / model.sections).absolute()) if model.sections else None
    template = str((base / model.template).absolute()) if model.template and is_template_path(model.template) else model.template
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
        fixable=tuple(c.upper() for c in model.fixable),
        unfixable=tuple(c.upper() for c in model.unfixable),
        per_file_ignores={k: tuple(c.upper() for c in v) for k, v in model.per_file_ignores.items()},
        incident_number_width=model.incident_number_width,
        numbers_tolerance=model.numbers_tolerance,
        timeline_gap=model.timeline_gap,
        blame_extra_phrases=tuple(model.blame.extra_phrases),
        blame_allow=tuple(model.blame.allow),
        owners=owners,
        since=model.since,
        sections=sections,
        template=template,
        timezone=model.timezone,
        origins=origins,
    )
