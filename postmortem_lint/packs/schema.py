"""The schema of every data pack, and the one way a pack is validated (imported only to validate: pydantic).

`problem(kind, data, origin)` checks ``data`` against the model of the pack
``kind`` and says what is wrong with it, in one line and in the configuration's
plain words: ``origin: where: what``. Entries of the blame pack are named by
their id (``phrase #2 ('bad-regex')``), the others by their place (``sections.0.name``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postmortem_lint.config import errors
from postmortem_lint.config.settings import shown_path
from postmortem_lint.core.dialect import checked_regex
from postmortem_lint.packs.phrases import CATEGORIES
from postmortem_lint.packs.root_causes import UNKNOWN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SectionEntry(_Strict):
    name: str
    subsections: list[str] = []


class SectionsPack(_Strict):
    """`rules/sections.yaml`, or a team's `sections` pack: the required `##` sections and their `###` subsections, in order."""

    name: str = "custom"
    sections: list[SectionEntry]


class PhraseEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    pattern: str = Field(min_length=1)
    category: str
    keywords: list[Annotated[str, Field(pattern="^[a-z]+$")]] = Field(min_length=1)
    message: str = Field(min_length=1)
    suggestion: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return checked_regex(value)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; expected one of {', '.join(CATEGORIES)}")
        return value


class BlamePack(_Strict):
    """`rules/blame.yaml`: the blame phrases of PM601, each with its keywords, message and blameless suggestion."""

    phrases: list[PhraseEntry] = Field(min_length=1)

    @field_validator("phrases")
    @classmethod
    def _unique_ids(cls, value: list[PhraseEntry]) -> list[PhraseEntry]:
        ids = [p.id for p in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate phrase id(s): {', '.join(duplicates)}")
        return value


class CategoryEntry(_Strict):
    name: str
    label: str | None = None
    keywords: list[str]
    note: str = ""


class RootCausesPack(_Strict):
    """`rules/root-causes.yaml`: the report's root-cause categories and the words its themes skip."""

    categories: list[CategoryEntry] = Field(min_length=1)
    theme_stopwords: list[str] = Field(default_factory=list, alias="theme-stopwords")

    @field_validator("categories")
    @classmethod
    def _has_unknown(cls, value: list[CategoryEntry]) -> list[CategoryEntry]:
        if UNKNOWN not in {c.name for c in value}:
            raise ValueError(f"categories must include `{UNKNOWN}`")
        return value


class TemplateExamplesPack(_Strict):
    """`rules/template-examples.yaml`: the template's illustrative example text (PM407), by group."""

    phrases: dict[str, list[str]]


MODELS: dict[str, type[BaseModel]] = {
    "sections": SectionsPack,
    "blame": BlamePack,
    "root-causes": RootCausesPack,
    "template-examples": TemplateExamplesPack,
}


ENTRIES: dict[str, type[BaseModel]] = {"sections": SectionEntry, "blame": PhraseEntry, "root-causes": CategoryEntry}
"""The model of one entry of each pack's list: where an unknown key below the top level belongs."""


def problem(kind: str, data: Any, origin: str) -> str | None:
    """What is wrong with ``data`` as a pack of ``kind``: its first problem, on one line, in plain words (`config.errors`)."""
    try:
        MODELS[kind].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        owner = ENTRIES.get(kind, MODELS[kind]) if len(first["loc"]) > 2 else MODELS[kind]
        allowed = [info.alias or name for name, info in owner.model_fields.items()]
        return f"{shown_path(Path(origin))}: {_where(kind, first['loc'], data)}: {_say(first, allowed)}"
    return None


def _say(error: Any, allowed: list[str]) -> str:
    """The configuration's plain words for the errors it words (`config.errors`), else pydantic's own message."""
    return errors.problem(error, allowed) if errors.worded(error["type"]) else str(error["msg"])


def _where(kind: str, loc: tuple[int | str, ...], data: Any) -> str:
    if kind == "blame" and len(loc) >= 2 and loc[0] == "phrases" and isinstance(loc[1], int):
        return f"phrase {_phrase_name(data, loc[1])}" + "".join(f".{p}" for p in loc[2:])
    return ".".join(str(part) for part in loc) or "(top)"


def _phrase_name(data: Any, index: int) -> str:
    try:
        entry_id = data["phrases"][index]["id"]
    except (KeyError, IndexError, TypeError):
        entry_id = None
    return f"#{index + 1} ({entry_id!r})" if isinstance(entry_id, str) else f"#{index + 1}"
