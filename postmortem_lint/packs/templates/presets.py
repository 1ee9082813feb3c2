"""The shipped presets (`rules/templates/<name>.yaml`), served from their compiled JSON when it is fresh.

`rules/templates/compiled.json` holds every preset compiled, with a fingerprint of the
YAML it came from, so that a run with a preset imports neither ruamel.yaml nor
pydantic. When the fingerprint does not match (a preset was edited), the YAML is
validated instead; ``python -m postmortem_lint.packs.templates.presets`` rewrites the
compiled file and a test fails when it is stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from postmortem_lint.core import lazy
from postmortem_lint.io.resources import TEMPLATES, data_path, templates_fingerprint
from postmortem_lint.packs.templates.runtime import FORMAT, TemplateError, TemplatePack, from_data

FOLDER = TEMPLATES
COMPILED = f"{FOLDER}/compiled.json"
DEFAULT = "seed"


def _files() -> list[Path]:
    return sorted(data_path(FOLDER).glob("*.yaml"))


def names() -> tuple[str, ...]:
    """Every preset's name, the default first."""
    found = [p.stem for p in _files()]
    return tuple(sorted(found, key=lambda n: (n != DEFAULT, n)))


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the preset YAML files (`resources.templates_fingerprint`, also the cache's) and the compiled format."""
    return hashlib.sha256(f"{FORMAT}|{templates_fingerprint()}".encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    try:
        data = json.loads(data_path(COMPILED).read_text(encoding="utf-8"))
    except (OSError, ValueError, FileNotFoundError):
        return {}
    return data if isinstance(data, dict) and data.get("fingerprint") == fingerprint() else {}


def fresh() -> bool:
    """True when the compiled presets match the YAML as it is now."""
    return bool(_compiled())


@functools.lru_cache(maxsize=16)
def preset(name: str) -> TemplatePack:
    """The preset ``name``; `TemplateError` naming the presets when there is none."""
    if name not in names():
        raise TemplateError(f"no template preset `{name}`; the presets are {', '.join(names())}")
    compiled = _compiled().get("packs", {}).get(name)
    if compiled is not None:
        return from_data(compiled)
    return from_data(compile_file(data_path(f"{FOLDER}/{name}.yaml"), f"{FOLDER}/{name}.yaml"))


def compile_file(path: Path, origin: str) -> dict[str, Any]:
    """Validate one YAML pack file and return its compiled data (loads ruamel.yaml and pydantic)."""
    yamlio = lazy.load("postmortem_lint.io.yamlio")
    try:
        raw = yamlio.load_yaml(path, round_trip=True)
    except yamlio.YamlError as exc:
        raise TemplateError(str(exc).replace(str(path), origin, 1)) from None
    compiled: dict[str, Any] = lazy.load("postmortem_lint.packs.templates.schema").compile_data(raw, origin, raw)
    return compiled


def compiled_text() -> str:
    """What `rules/templates/compiled.json` should hold: every preset YAML file, validated and compiled
    (`python -m postmortem_lint.generate` writes it)."""
    packs = {path.stem: compile_file(path, f"{FOLDER}/{path.name}") for path in _files()}
    payload = {"fingerprint": fingerprint(), "format": FORMAT, "packs": packs}
    return json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
