"""The required-sections pack (PM301–PM304): the shipped `rules/sections.yaml`, or a team's file (`sections`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from postmortem_lint.core.text import heading_key
from postmortem_lint.packs import loader


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


@functools.lru_cache(maxsize=4)
def sections(path: str | None = None) -> SectionPack:
    """The required-sections pack: the shipped default, or a team's file (read and validated once per process)."""
    return _section_pack(loader.load("sections", path))


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
