"""Rule data packs (`rules/*.yaml`): loaded, validated and compiled.

The shipped YAML is the source of truth. `rules/compiled.json` holds the same data
pre-parsed, with a fingerprint of the YAML it came from, so that a one-file run
needs neither ruamel.yaml nor pydantic (about 180 ms of imports, NOTES.md). When
the fingerprint does not match (the YAML was edited), the YAML is read and
validated instead; `python -m postmortem_lint.packs` rewrites the compiled file
and a test fails when it is stale. A team's own pack always goes through
validation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_lint.resources import data_fingerprint, data_path
from postmortem_lint.text import heading_key

COMPILED = "rules/compiled.json"


class PackError(Exception):
    """A rule pack that cannot be used: the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class RequiredSection:
    name: str
    key: str
    subsections: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SectionPack:
    name: str
    sections: tuple[RequiredSection, ...]

    def index(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self.sections) if s.key == key), None)


def fresh() -> bool:
    """True when `rules/compiled.json` was compiled from the YAML as it is now."""
    return _compiled().get("fingerprint") == data_fingerprint()


def shipped(filename: str) -> Any:
    """The parsed content of a shipped ``rules/<filename>`` (compiled when fresh)."""
    compiled = _compiled()
    if compiled.get("fingerprint") == data_fingerprint():
        return compiled["files"][filename]
    return read_yaml(data_path(f"rules/{filename}"))


@functools.lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    try:
        return json.loads(data_path(COMPILED).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {}


def read_yaml(path: Path) -> Any:
    """Safely load a small YAML file; syntax errors name the file and line."""
    from postmortem_lint.yamlio import load_yaml

    return load_yaml(path)


@functools.lru_cache(maxsize=4)
def sections(path: str | None = None) -> SectionPack:
    """The required-sections pack: the shipped default, or a team's file."""
    data = read_yaml(Path(path)) if path else shipped("sections.yaml")
    if path or _compiled().get("fingerprint") != data_fingerprint():
        _validate_sections(data, path or "rules/sections.yaml")
    return _section_pack(data)


def _section_pack(data: dict[str, Any]) -> SectionPack:
    required = tuple(
        RequiredSection(
            entry["name"],
            heading_key(entry["name"]),
            tuple((sub, heading_key(sub)) for sub in entry.get("subsections", ())),
        )
        for entry in data["sections"]
    )
    return SectionPack(data.get("name", "custom"), required)


def _validate_sections(data: Any, origin: str) -> None:
    from pydantic import BaseModel, ConfigDict, ValidationError

    class Entry(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str
        subsections: list[str] = []

    class Pack(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str = "custom"
        sections: list[Entry]

    try:
        Pack.model_validate(data)
    except ValidationError as exc:
        from postmortem_lint import config_errors
        from postmortem_lint.config import shown_path

        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        model = Entry if len(first["loc"]) > 2 else Pack
        problem = config_errors.problem(first, list(model.model_fields))
        raise PackError(f"{shown_path(Path(origin))}: {where}: {problem}") from None


def compile_all() -> Path:
    """Rewrite `rules/compiled.json` from the YAML files (validating them)."""
    folder = data_path("rules")
    files = {p.name: read_yaml(p) for p in sorted(folder.glob("*.yaml"))}
    _validate_sections(files["sections.yaml"], "rules/sections.yaml")
    from postmortem_lint import blame, report

    blame.parse_pack(files["blame.yaml"], "rules/blame.yaml")
    report.parse_pack(files["root-causes.yaml"], "rules/root-causes.yaml")
    target = folder / "compiled.json"
    payload = {"fingerprint": data_fingerprint(), "files": files}
    target.write_text(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(compile_all())
