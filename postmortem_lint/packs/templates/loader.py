"""The `template:` configuration value -> a `TemplatePack`: a preset name, a YAML pack, or a Markdown template.

Errors are `TemplateError`s reading ``file:line: key: problem`` (exit 2 for the CLI).
A team's file is validated once: with ``cache_root`` its compiled form is remembered in
the project's cache folder, keyed by pmlint's version and the file's bytes, so later
runs import neither pydantic nor ruamel.yaml until the file changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from postmortem_lint import __version__
from postmortem_lint.config.settings import shown_path
from postmortem_lint.core import lazy
from postmortem_lint.document.source import MAX_BYTES, SourceError, decode
from postmortem_lint.io import cachedir, files
from postmortem_lint.packs.templates import presets
from postmortem_lint.packs.templates.derive import derive_data
from postmortem_lint.packs.templates.runtime import FORMAT, TemplateError, TemplatePack, from_data

YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt", "")
NOTE = "template-{}.json"
"""The cache note of one template file, named by a hash of its path."""


def load_template(value: str | None, root: Path, cache_root: Path | None = None) -> TemplatePack:
    """The pack named by ``template:``; paths are relative to ``root`` (the configuration file's folder).

    None or empty: the default preset. A bare name that is a preset: that preset. A
    `.yaml`/`.yml` file: a template pack. Any other file (`.md`, a rule file): a
    Markdown template the pack is derived from.
    """
    if not value or not value.strip():
        return presets.preset(presets.DEFAULT)
    value = value.strip()
    if value in presets.names():
        return presets.preset(value)
    path = Path(value) if Path(value).is_absolute() else root / value
    if not path.is_file():
        hint = f"the presets are {', '.join(presets.names())}"
        looks_like_path = "/" in value or "\\" in value or "." in value
        raise TemplateError(f"template `{value}`: {'no such file' if looks_like_path else 'no such preset'} ({hint})")
    return _from_file(path, shown_path(path) if Path(value).is_absolute() else value, cache_root)


def _from_file(path: Path, shown: str, cache_root: Path | None) -> TemplatePack:
    data = _read(path, shown)
    key = _key(path, data)
    note = NOTE.format(hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16])
    remembered = _remembered(cache_root, note, key) if cache_root else None
    if remembered is not None:
        return remembered
    compiled = _compile(path, shown, data)
    if cache_root:
        _remember(cache_root, note, key, compiled)
    return from_data(compiled)


def _read(path: Path, shown: str) -> bytes:
    data = files.read_capped(path, MAX_BYTES)
    if isinstance(data, files.Unreadable):
        raise TemplateError(f"{shown}:1: {data.message}")
    return data


def _compile(path: Path, shown: str, data: bytes) -> dict[str, Any]:
    schema = lazy.load("postmortem_lint.packs.templates.schema")
    if path.suffix.lower() in YAML_SUFFIXES:
        yamlio = lazy.load("postmortem_lint.io.yamlio")
        if len(data) > yamlio.MAX_YAML_BYTES:
            raise TemplateError(f"{shown}: {len(data):,} bytes, over the {yamlio.MAX_YAML_BYTES:,}-byte limit for YAML")
        try:
            raw = yamlio.parse_yaml(data.decode("utf-8", errors="replace"), shown, round_trip=True)
        except yamlio.YamlError as exc:
            raise TemplateError(str(exc)) from None
        compiled: dict[str, Any] = schema.compile_data(raw, shown, raw)
        return compiled
    decoded = decode(data)
    if isinstance(decoded, SourceError):
        raise TemplateError(f"{shown}:{decoded.line}: {decoded.message}")
    derived: dict[str, Any] = schema.compile_data(derive_data(decoded.text, shown, path.stem), shown)
    return derived


def _key(path: Path, data: bytes) -> str:
    seed = f"{__version__}|{FORMAT}|{path.resolve()}|".encode()
    return hashlib.sha256(seed + data).hexdigest()


def _remembered(cache_root: Path, note: str, key: str) -> TemplatePack | None:
    data = cachedir.read_note(cache_root, note)
    try:
        stored = json.loads(data) if data else None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return from_data(stored["pack"])
    except (ValueError, KeyError, TypeError, TemplateError):
        return None


def _remember(cache_root: Path, note: str, key: str, compiled: dict[str, Any]) -> None:
    cachedir.write_note(cache_root, note, json.dumps({"key": key, "pack": compiled}, sort_keys=True).encode())
