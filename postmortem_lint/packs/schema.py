"""The schema of every data pack, and the one way a pack is validated (imported only to validate: pydantic).

`problem(kind, data, origin)` checks ``data`` against the model of the pack
``kind`` and says what is wrong with it, in one line and in the configuration's
plain words: ``origin: where: what``. Entries of the blame pack are named by
their id (``phrase #2 ('bad-regex')``), the others by their place (``sections.0.name``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from postmortem_lint.config import errors
from postmortem_lint.config.settings import shown_path
from postmortem_lint.core.dialect import bounded, checked_regex, checked_replacement, wording
from postmortem_lint.core.inflection import verb_pattern, word_starts
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


_Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
_Keyword = Annotated[str, Field(pattern="^[a-z]+$")]
_Word = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9'-]*$")]
_Pair = Annotated[str, Field(pattern=r"^[a-z-]+ [a-z-]+$")]


class PhraseEntry(_Strict):
    id: _Id
    pattern: str = Field(min_length=1)
    category: str
    keywords: list[_Keyword] = Field(min_length=1)
    message: str = Field(min_length=1)
    suggestion: str = Field(min_length=1)
    replace: str | dict[str, str] | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return checked_regex(value)

    @field_validator("replace")
    @classmethod
    def _literal(cls, value: str | dict[str, str] | None) -> str | dict[str, str] | None:
        for new in [value] if isinstance(value, str) else (value or {}).values():
            checked_replacement(new)
        return value

    @model_validator(mode="after")
    def _matched(self) -> PhraseEntry:
        """Each wording ``replace:`` keys is one the pattern matches whole, written as the table looks it up."""
        regex = re.compile(bounded(self.pattern), re.IGNORECASE)
        for key in self.replace if isinstance(self.replace, dict) else ():
            if key != wording(key):
                raise ValueError(f"replace: {key!r} is looked up as {wording(key)!r}; write it so")
            if not regex.fullmatch(key):
                raise ValueError(f"replace: {key!r} is not a match of the pattern")
        return self

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; expected one of {', '.join(CATEGORIES)}")
        return value


class Lexicon(_Strict):
    """The words the blame grammar recognises subjects by (see `rules/blame.yaml`)."""

    roles: list[_Word] = Field(min_length=1)
    machine_roles: list[_Word] = Field(default_factory=list, alias="machine-roles")
    machine_words: list[_Word] = Field(default_factory=list, alias="machine-words")
    machine_modifiers: list[_Word] = Field(default_factory=list, alias="machine-modifiers")
    team_compounds: list[_Pair] = Field(default_factory=list, alias="team-compounds")
    role_compounds: list[_Pair] = Field(default_factory=list, alias="role-compounds")
    machine_objects: list[_Word] = Field(default_factory=list, alias="machine-objects")
    teams: list[_Word] = Field(min_length=1)
    team_names: list[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]*$")]] = Field(default_factory=list, alias="team-names")
    someone: list[_Word] = Field(min_length=1)
    systems: list[_Word] = Field(min_length=1)
    benefits: list[_Word] = Field(default_factory=list)


FamilyKind = Literal["failure", "omission", "character", "fault", "counterfactual", "sanction", "idiom", "sarcasm"]
Shape = Literal[
    "active",
    "passive",
    "passive-agent",
    "passive-person",
    "benefit",
    "copula",
    "attributive",
    "possessive",
    "agent",
    "object",
    "condition",
    "without",
    "free",
]


class FamilyEntry(_Strict):
    """One family of blame that needs a subject: its predicates, the shapes they blame in, and what the finding says."""

    id: _Id
    kind: FamilyKind
    shapes: list[Shape] = Field(min_length=1)
    verbs: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    keywords: list[_Keyword] = Field(default_factory=list)
    subjects: list[Literal["named", "role", "team", "someone", "they", "we", "owned"]] = Field(default_factory=list)
    except_: str | None = Field(default=None, alias="except")
    excusable: bool = False
    message: str = Field(min_length=1, pattern=r"\{who\}")
    suggestion: str = Field(min_length=1)

    @field_validator("verbs")
    @classmethod
    def _verbs(cls, value: list[str]) -> list[str]:
        for spec in value:
            head = spec.partition(" ")[0]
            if not re.fullmatch(r"[a-z][a-z'-]*(?:/[a-z][a-z'-]*){0,3}", head):
                raise ValueError(f"{spec!r}: the verb must be base[/past[/participle[/ing]]] in lower-case letters")
            checked_regex(verb_pattern(spec)[0])
        return value

    @field_validator("words")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        for pattern in value:
            checked_regex(pattern)
        return value

    @field_validator("except_")
    @classmethod
    def _except(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"pattern does not compile: {exc}") from None
        return value

    @model_validator(mode="after")
    def _findable(self) -> FamilyEntry:
        if not self.verbs and not self.words:
            raise ValueError("a family needs verbs or words")
        if not self.keywords:
            unfindable = [w for w in self.words if not word_starts(w)]
            if unfindable:
                raise ValueError(f"{unfindable[0]!r} does not start with a plain word or group of words; give the family keywords")
        return self


_PARTS = {"phrases": "phrase", "families": "family"}
"""The blame pack's lists of entries named by id in a problem, and what one entry is called."""


class BlamePack(_Strict):
    """`rules/blame.yaml`: the blame phrases of PM601 (each with its keywords, message and blameless suggestion),
    the families of blame that need a subject (PM601/PM602) and the lexicon their subjects are recognised by."""

    phrases: list[PhraseEntry] = Field(min_length=1)
    lexicon: Lexicon | None = None
    families: list[FamilyEntry] = Field(default_factory=list)

    @field_validator("phrases", "families")
    @classmethod
    def _unique_ids(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        ids = [p.id for p in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate {_PARTS[str(info.field_name)]} id(s): {', '.join(duplicates)}")
        return value

    @model_validator(mode="after")
    def _distinct_ids(self) -> BlamePack:
        """A finding's entry id says which phrase's ``replace:`` applies: no family has the id of a phrase that has one."""
        shared = sorted({p.id for p in self.phrases if p.replace} & {f.id for f in self.families})
        if shared:
            raise ValueError(f"a phrase with replace: shares its id with a family: {', '.join(shared)}")
        return self


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
        owner = _owner(kind, first["loc"])
        allowed = [info.alias or name for name, info in owner.model_fields.items()]
        return f"{shown_path(Path(origin))}: {_where(kind, first['loc'], data)}: {_say(first, allowed)}"
    return None


def _owner(kind: str, loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The model whose keys an error at ``loc`` is about: an entry of the pack's list below the top level."""
    if kind == "blame" and len(loc) >= 2 and loc[0] == "lexicon":
        return Lexicon
    if len(loc) <= 2:
        return MODELS[kind]
    if kind == "blame":
        return FamilyEntry if loc[0] == "families" else PhraseEntry
    return ENTRIES.get(kind, MODELS[kind])


def _say(error: Any, allowed: list[str]) -> str:
    """The configuration's plain words for the errors it words (`config.errors`), else pydantic's own message."""
    return errors.problem(error, allowed) if errors.worded(error["type"]) else str(error["msg"])


def _where(kind: str, loc: tuple[int | str, ...], data: Any) -> str:
    if kind == "blame" and len(loc) >= 2 and loc[0] in _PARTS and isinstance(loc[1], int):
        part = str(loc[0])
        return f"{_PARTS[part]} {_entry_name(data, part, loc[1])}" + "".join(f".{p}" for p in loc[2:])
    return ".".join(str(part) for part in loc) or "(top)"


def _entry_name(data: Any, part: str, index: int) -> str:
    try:
        entry_id = data[part][index]["id"]
    except (KeyError, IndexError, TypeError):
        entry_id = None
    return f"#{index + 1} ({entry_id!r})" if isinstance(entry_id, str) else f"#{index + 1}"
