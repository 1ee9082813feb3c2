"""The template pack format: pydantic models (imported only to validate a pack), errors as ``file:line: key: problem``.

Every key is described here and the descriptions go into the JSON Schema
(`json_schema()`, shipped as docs/template-pack.schema.json). `compile_data` validates
raw YAML data and returns the compiled, JSON-able form that `runtime.from_data` reads.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from postmortem_lint.core.text import heading_key
from postmortem_lint.packs.templates import runtime
from postmortem_lint.packs.templates.runtime import ColumnType, Content, FieldForm, FieldType, Role, TemplateError

Need = Literal["required", "if-any", "optional"]
DateFormat = Literal["iso", "iso-in-text", "month-name", "day.month.year", "month/day/year"]

DEFAULT_INCIDENT_PATTERN = r"INC-(?P<date>\d{4}-\d{2}-\d{2})-(?P<seq>\d+)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _named(value: Any, key: str) -> Any:
    """Shorthand: a bare string stands for ``{key: string}``."""
    return {key: value} if isinstance(value, str) else value


class TitleModel(_Model):
    """The document title: the first heading, an H1."""

    pattern: str = Field(
        r"(?P<title>.+)",
        description="Regular expression the H1 text must match (case-insensitive); its group `title` is the title proper. "
        "The seed: `post[- ]?mortem\\s*:\\s*(?P<title>.*)`.",
    )
    required: bool = Field(True, description="Whether the document must start with an H1 title.")
    single: bool = Field(True, description="Whether a second H1 is a problem (it splits the document's outline).")
    example: str = Field("# <title>", description="How the title should read, shown in messages: `# Post-Mortem: <title>`.")


class FieldModel(_Model):
    """A header field such as Severity: its names, where it may be written, the type of its value."""

    name: str = Field(description="The label as the template writes it: `Incident Number`.", min_length=1)
    key: str | None = Field(
        None,
        description="The canonical key rules use (`incident_number`, `date`, `time`, `duration`, `severity`, `author`, `status`, "
        "or a team's own); default: the name in lower case with `_` for spaces.",
    )
    aliases: list[str] = Field(default_factory=list, description="Other labels that mean this field: `Incident ID`, `Authors`.")
    required: bool = Field(True, description="Whether a document must state the field (PM202).")
    where: list[FieldForm] = Field(
        default=["bold-line"],
        min_length=1,
        description="Where the field may be written: `bold-line` (`**Key:** v` or `**Key**: v`, also as a list item), `key-line` "
        "(`Key: v` on its own line), both in the header area; `heading` (`## Key: v`); `section` (a heading `## Key` whose first "
        "line of content is the value); `front-matter` (a YAML front-matter key); `summary-table` (a key/value table row "
        "`| Key | v |`). When it is written in several places, the first in the document wins.",
    )
    type: FieldType = Field(
        "text",
        description="What the value must be: `date` (see `date-formats`), `clock-range` (`HH:MM - HH:MM TZ`), `duration` "
        "(`2 hours 30 minutes`, `2h 30m`, `45 min`), `incident-number` (see `pattern`), `people` (names separated by commas, "
        "`and`, `&`), `vocabulary` (one value of `vocabulary`), `text` (anything).",
    )
    vocabulary: str | None = Field(None, description="For `type: vocabulary`: the name of a vocabulary under `vocabularies`.")
    pattern: str | None = Field(
        None,
        description="For `type: incident-number`: a regular expression the whole value must match; a group `date` "
        "(YYYY-MM-DD) is compared with the incident date, a group `seq` with `incident-number-width`. "
        f"Default `{DEFAULT_INCIDENT_PATTERN}`.",
    )
    date_formats: list[DateFormat] = Field(
        default=["iso"],
        alias="date-formats",
        min_length=1,
        description="For `type: date`: the accepted forms, tried in order: `iso` (the value is `YYYY-MM-DD`), `iso-in-text` "
        "(a `YYYY-MM-DD` anywhere in it), `month-name` (`October 9, 2025`, `9 Oct 2025`, `Monday 3. February 2020`), "
        "`day.month.year` (`3.4.2020`), `month/day/year` (`01/16/2024`).",
    )
    hint: str = Field("", description="How a good value reads, shown in messages: `INC-YYYY-MM-DD-NNN`, `SEV-1..SEV-4`.")
    section: str | None = Field(
        None,
        description="Read the `bold-line` and `key-line` forms inside this section (a role or name) instead of the header "
        "area, as with dfds' `- Category: Kubernetes` under `## Stats`.",
    )


class SectionModel(_Model):
    """A section of the template, matched against headings (case, punctuation, emoji and a parenthesised suffix ignored)."""

    name: str = Field(description="The heading as the template writes it: `Root Cause Analysis`.", min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other headings that mean this section: `Root Causes`.")
    pattern: str | None = Field(
        None,
        description="A regular expression matched at the start of the normalised heading (lower case, punctuation as spaces), "
        "for headings that carry more text: `timeline\\b` matches `Timeline (all times PST) 01/16/2024 - 01/17/2024`.",
    )
    level: int | Literal["any"] | list[int] | None = Field(
        None,
        description="Heading level(s) the section is written at: 2, 3, 4, a list such as [2, 3], or `any` (any level but the "
        "title). Default: 2 for a section, one below its parent for a subsection.",
    )
    required: bool = Field(True, description="Whether a document must have the section (PM301); optional sections are still known.")
    ordered: bool = Field(True, description="Whether the section's place in the template order is checked (PM302).")
    content: Content = Field(
        "any",
        description="What counts as content (PM303): `any` (any block but headings and HTML comments, in the section or its "
        "subsections), `text` (a paragraph or list with words that are not placeholders), `list`, `table` (with a row), "
        "`none` (may stay empty).",
    )
    role: Role | None = Field(
        None,
        description="What the section is for, so rules and reports find it whatever it is called: `summary`, `impact`, "
        "`timeline`, `root-cause`, `trigger`, `detection`, `response`, `resolution`, `lessons`, `actions`, `prevention`, "
        "`related-incidents`, `sign-off`, `attendees`, `metrics`.",
    )
    as_field: bool = Field(
        False,
        alias="as-field",
        description="The section may instead be a bold paragraph `**Name**: text` (as in the SRE book's example, where "
        "Summary to Action Items are paragraphs); it then runs to the next such paragraph or heading.",
    )
    checklist: bool = Field(False, description="Every task box in the section must be ticked on a final document (PM801).")
    whys: int = Field(0, ge=0, le=20, description="At least this many `Why …? → Because …` items in an ordered list (PM404); 0: no check.")
    sentences: list[int] | None = Field(
        None, min_length=2, max_length=2, description="`[min, max]` sentences of prose (PM405), e.g. `[2, 3]`."
    )
    quantified: str | bool | None = Field(
        None,
        description="The impact must be a number or percentage (PM406): a label (`Affected Users`) whose value must hold one, "
        "or `true` for anywhere in the section's text.",
    )
    subsections: list[SectionModel] = Field(default_factory=list, description="Sections below this one, in template order.")

    _short = field_validator("subsections", mode="before")(lambda v: [_named(s, "name") for s in v] if isinstance(v, list) else v)

    @field_validator("level")
    @classmethod
    def _levels(cls, value: Any) -> Any:
        levels = value if isinstance(value, list) else [value] if isinstance(value, int) else []
        if any(not 1 <= level <= 6 for level in levels):
            raise ValueError("a heading level is 1 to 6, or `any`")
        return value


class ColumnModel(_Model):
    """A table column by role, with the header names that mean it."""

    role: str = Field(
        description="The column's role in its table: timeline `time`, `event`, `actor`; actions `id`, `action`, `owner`, "
        "`priority`, `due`, `status`, `type`, `reference`; sign-off `role`, `name`, `date`, `reviewed`; metrics `metric`, `value`."
    )
    name: str = Field(description="The header as the template writes it: `Due Date`.", min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other headers that mean the column: `Who`, `Assignee`.")
    required: bool = Field(True, description="Whether the table must have this column.")
    filled: bool = Field(False, description="Whether every row must have a value in it.")
    type: ColumnType = Field(
        "text",
        description="What a cell must be: `timestamp` (`HH:MM` or `YYYY-MM-DD HH:MM`), `when` (a timestamp, a day alone "
        "such as `2021-12-10` or `Dec 16`, or a timestamp range; `~` for an approximation), `date` (`YYYY-MM-DD`), `people`, "
        "`vocabulary`, `id` (see `pattern`), `text`.",
    )
    vocabulary: str | None = Field(None, description="For `type: vocabulary`: a vocabulary under `vocabularies`.")
    pattern: str | None = Field(None, description="For `type: id`: the regular expression an id must match: `AI-\\d{3,}`.")


class TableModel(_Model):
    """A table of a known role (the key under `tables`) in one section."""

    section: str = Field(description="The section holding the table: a section role (`timeline`) or name (`Action Items`).")
    required: bool = Field(True, description="Whether the section must have the table (PM402, PM501).")
    header: Literal["exact", "prefix", "roles"] = Field(
        "roles",
        description="How strictly the header is compared: `exact` (these columns in this order, nothing else), `prefix` "
        "(it starts with them), `roles` (each required column is there, in any order, under its name or an alias).",
    )
    min_rows: int = Field(0, ge=0, alias="min-rows", description="At least this many rows (PM501 asks for 1).")
    columns: list[ColumnModel] = Field(min_length=1, description="The columns, in template order.")


class ActionsModel(_Model):
    """Action items: where they are and which written forms count."""

    section: str = Field(description="The section holding the action items: a role (`actions`) or a section name.")
    forms: list[Literal["table", "bullets", "tasks"]] = Field(
        default=["table"],
        min_length=1,
        description="Which forms are action items: `table` (rows of the `actions` table), `bullets` (list items, numbered or "
        "not), `tasks` (`- [ ]` / `- [x]` items).",
    )
    id_pattern: str | None = Field(
        None, alias="id-pattern", description="Ids must match this (PM503): `AI-\\d{3,}`; none: ids not checked."
    )
    owner: Need = Field(
        "required",
        description="Whether items need an owner (PM502): `required`, `if-any` (once any item of the document names one), `optional`.",
    )
    due: Need = Field("required", description="Whether items need a due date (PM505), as for `owner`.")
    owner_forms: list[Literal["bracket", "mention", "owner-label", "parenthesis"]] = Field(
        default_factory=list,
        alias="owner-forms",
        description="How a list item names its owner: `bracket` (`… [Dana]` at the end), `mention` (`@dana`), `owner-label` "
        "(`Owner: Dana`, `— Owner: Dana`, `**Owner:** Dana`), `parenthesis` (`(Dana, due 2026-04-01)` at the end).",
    )
    due_forms: list[Literal["due-label", "parenthesis"]] = Field(
        default_factory=list,
        alias="due-forms",
        description="How a list item states its due date: `due-label` (`due 2026-04-01`, `Due: 2026-04-01`, `by 2026-04-01`), "
        "`parenthesis` (`(@dana, due 2026-04-01)`).",
    )
    done_status: str = Field("Done", alias="done-status", description="The action status a ticked task box means.")
    open_status: str = Field("Open", alias="open-status", description="The action status an unticked box or a bare bullet means.")


class TermModel(_Model):
    """One value of a vocabulary."""

    value: str = Field(description="The value as the template writes it: `SEV-1`.", min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other spellings that mean it and are mapped to it: `P1`, `Critical`.")


class VocabularyModel(_Model):
    """A closed set of values. The names `severity`, `status`, `priority` and `action-status` have meaning to the rules."""

    values: list[TermModel] = Field(min_length=1, description="The values, in order (a bare string is a value without aliases).")
    suffix: bool = Field(
        False, description="A description may follow a value in parentheses or after `-`, `–`, `:`: `SEV-2 (Major - degraded)`."
    )
    drafts: list[str] = Field(default_factory=list, description="For `status`: the values that mark a draft (completeness rules warn).")
    final: list[str] = Field(default_factory=list, description="For `status`: the values that claim the review is done (PM801).")
    finished: list[str] = Field(
        default_factory=list, description="For `action-status`: the values that close an item; every other value is open."
    )

    _short = field_validator("values", mode="before")(lambda v: [_named(t, "value") for t in v] if isinstance(v, list) else v)


class PlaceholdersModel(_Model):
    """The template's fill-in tokens (PM401)."""

    patterns: list[str] = Field(default_factory=list, description="Regular expressions of fill-in tokens: `\\[[^\\]]+\\]`, `HH:MM`.")
    prefilter: list[str] = Field(
        default_factory=list, description="Plain strings one of which is in every match (a speed-only prefilter; empty: none)."
    )


class MeasureModel(_Model):
    """Where a document states a duration such as time to detect."""

    labels: list[str] = Field(min_length=1, description="Labels of `**Label:** value` lines, `Label: value` bullets or table rows.")
    sections: list[str] = Field(default_factory=list, description="Sections (roles or names) to look in; empty: the whole document.")


class DateSourceModel(_Model):
    """One place to read the incident date from; exactly one key."""

    field: str | None = Field(None, description="A header field's key: `date`.")
    front_matter: str | None = Field(None, alias="front-matter", description="A YAML front-matter key: `start_time`.")
    file_name: str | None = Field(
        None, alias="file-name", description="A regular expression on the file name; its group `date` (or the whole match) is the date."
    )
    timeline: bool | None = Field(None, description="`true`: the first dated row of the timeline table (`2021-12-10 15:40`).")


class TemplatePackModel(_Model):
    """A template pack: everything pmlint needs to know about a team's post-mortem template."""

    name: str = Field(description="The pack's name, shown by `pmlint init` and in messages.", min_length=1)
    description: str = Field("", description="Where the template comes from, in a sentence.")
    title: TitleModel = Field(TitleModel.model_validate({}), description="The H1 title (PM201).")
    header_area: Literal["preamble", "until-first-section"] = Field(
        "preamble",
        alias="header-area",
        description="Where `bold-line` and `key-line` fields are read: `preamble` (before the first `##` heading) or "
        "`until-first-section` (before the first heading that is a section of the pack).",
    )
    fields: list[FieldModel] = Field(default_factory=list, description="The header fields, in template order (PM202–PM208).")
    sections: list[SectionModel] = Field(default_factory=list, description="The sections, in template order (PM301–PM304).")
    tables: dict[Literal["timeline", "actions", "sign-off", "metrics"], TableModel] = Field(
        default_factory=dict, description="Tables by role: `timeline` (PM402/403), `actions` (PM501–PM508), `sign-off` (PM801), `metrics`."
    )
    actions: ActionsModel | None = Field(None, description="Where action items are and which forms count.")
    vocabularies: dict[str, VocabularyModel] = Field(
        default_factory=dict, description="Closed value sets by name: `severity`, `status`, `priority`, `action-status`, or a team's own."
    )
    placeholders: PlaceholdersModel = Field(default_factory=PlaceholdersModel, description="Fill-in tokens (PM401).")
    examples: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The template's illustrative example text by group (PM407): phrases that, found in a document, were copied "
        "from the template rather than written about the incident.",
    )
    measures: dict[Literal["time-to-detect", "time-to-mitigate", "time-to-resolve"], MeasureModel] = Field(
        default_factory=dict, description="Where durations the report averages are stated."
    )
    incident_date: list[DateSourceModel] = Field(
        default_factory=list,
        alias="incident-date",
        description="Where the incident date is read from, in order (for `since`, PM206 and the report): `{field: date}`, "
        "`{front-matter: start_time}`, `{file-name: '(?P<date>\\d{4}-\\d{2}-\\d{2})'}`, `{timeline: true}`.",
    )

    _short = field_validator("sections", mode="before")(lambda v: [_named(s, "name") for s in v] if isinstance(v, list) else v)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a template pack (by the YAML key names)."""
    schema = TemplatePackModel.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmlint template pack"
    return schema


# -- validation --------------------------------------------------------------------------


def compile_data(raw: Any, origin: str, lines: Any = None) -> dict[str, Any]:
    """Validate raw pack data (as YAML loads it) and return its compiled form.

    ``lines`` is the round-trip YAML document (ruamel's, with line numbers) the data came
    from, or None; errors then carry the line. Raises `TemplateError`.
    """
    if not isinstance(raw, dict):
        raise TemplateError(f"{origin}:1: the template pack must be a mapping of keys")
    try:
        model = TemplatePackModel.model_validate(_plain(raw))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise TemplateError(_located(origin, lines, tuple(error["loc"]), _plain_words(error))) from None
    for loc, problem in _cross_checks(model):
        raise TemplateError(_located(origin, lines, loc, problem))
    return _compile(model, origin)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _children() -> dict[type[BaseModel], dict[str, tuple[type[BaseModel], bool]]]:
    """For each model, its keys that hold other models: key -> (model, held in a list or mapping)."""
    return {
        TemplatePackModel: {
            "title": (TitleModel, False),
            "fields": (FieldModel, True),
            "sections": (SectionModel, True),
            "tables": (TableModel, True),
            "actions": (ActionsModel, False),
            "vocabularies": (VocabularyModel, True),
            "placeholders": (PlaceholdersModel, False),
            "measures": (MeasureModel, True),
            "incident-date": (DateSourceModel, True),
        },
        SectionModel: {"subsections": (SectionModel, True)},
        TableModel: {"columns": (ColumnModel, True)},
        VocabularyModel: {"values": (TermModel, True)},
    }


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at ``loc`` may have (YAML spelling)."""
    model: type[BaseModel] = TemplatePackModel
    parts = list(loc)
    while parts:
        child = _children().get(model, {}).get(str(parts.pop(0)))
        if child is None:
            return []
        model, contained = child
        if contained and parts:
            parts.pop(0)
    return [f.alias or name for name, f in model.model_fields.items()]


def _plain_words(error: Any) -> str:
    """A pydantic error as a sentence a template author understands."""
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden":
        keys = _keys_at(tuple(loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), keys, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"the keys here are {', '.join(f'`{k}`' for k in keys)}"
        return f"unknown key; {hint}" if keys else "unknown key"
    if kind == "missing":
        return "is required but missing"
    if kind in ("literal_error", "enum"):
        return f"`{got}` is not one of {ctx.get('expected', '').replace(chr(39), '`')}"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    return str(_TYPE_WORDS.get(kind, error["msg"])).format(got=got, **ctx)


_TYPE_WORDS = {
    "string_type": "must be text, not `{got}`",
    "bool_type": "must be true or false, not `{got}`",
    "bool_parsing": "must be true or false, not `{got}`",
    "int_type": "must be a whole number, not `{got}`",
    "int_parsing": "must be a whole number, not `{got}`",
    "int_from_float": "must be a whole number, not `{got}`",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys",
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)",
    "string_too_short": "must not be empty",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
}


_UNION_TAG = re.compile(r"^(?:str|int|bool|none|\[key\]|(?:list|dict|literal|function-\w+)\[.*\])$")
"""Parts pydantic adds to an error location for a union member or a mapping key, not keys of the YAML."""


def _located(origin: str, lines: Any, loc: tuple[Any, ...], problem: str) -> str:
    loc = tuple(part for part in loc if not (isinstance(part, str) and _UNION_TAG.match(part)))
    key = ".".join(str(part) for part in loc) or "(top)"
    return f"{origin}:{_line_of(lines, loc)}: {key}: {problem}"


def _line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest part of ``loc`` that the round-trip YAML knows (1 when none)."""
    line = 1
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                line = lc.key(part)[0] + 1 if lc is not None else line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lc.item(part)[0] + 1 if lc is not None else line
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


# -- checks across keys --------------------------------------------------------------------

Loc = tuple[Any, ...]


def _cross_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    yield from _pattern_checks(model)
    yield from _field_checks(model)
    yield from _section_checks(model.sections, ("sections",), set())
    yield from _table_checks(model)
    yield from _vocabulary_checks(model)
    yield from _reference_checks(model)


def _bad_regex(pattern: str | None) -> str | None:
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"`{pattern}` is not a valid regular expression: {exc}"
    return None


def _pattern_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    candidates: list[tuple[Loc, str | None]] = [(("title", "pattern"), model.title.pattern)]
    candidates += [(("fields", i, "pattern"), f.pattern) for i, f in enumerate(model.fields)]
    candidates += [(("placeholders", "patterns", i), p) for i, p in enumerate(model.placeholders.patterns)]
    candidates += [(("incident-date", i, "file-name"), d.file_name) for i, d in enumerate(model.incident_date)]
    if model.actions is not None:
        candidates.append((("actions", "id-pattern"), model.actions.id_pattern))
    for role, table in model.tables.items():
        candidates += [(("tables", role, "columns", i, "pattern"), c.pattern) for i, c in enumerate(table.columns)]
    for loc, pattern in candidates:
        problem = _bad_regex(pattern)
        if problem:
            yield loc, problem
    yield from _section_patterns(model.sections, ("sections",))


def _section_patterns(sections: list[SectionModel], at: Loc) -> Iterator[tuple[Loc, str]]:
    for i, section in enumerate(sections):
        problem = _bad_regex(section.pattern)
        if problem:
            yield (*at, i, "pattern"), problem
        yield from _section_patterns(section.subsections, (*at, i, "subsections"))


def field_key(field: FieldModel) -> str:
    return field.key or heading_key(field.name).replace(" ", "_")


def _field_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    keys: dict[str, int] = {}
    labels: dict[str, int] = {}
    for i, field in enumerate(model.fields):
        key = field_key(field)
        if key in keys:
            yield ("fields", i, "name"), f"field `{key}` is already defined (fields.{keys[key]})"
        keys.setdefault(key, i)
        for label in (field.name, *field.aliases):
            folded = heading_key(label)
            if folded in labels and labels[folded] != i:
                yield ("fields", i, "aliases"), f"label `{label}` already names fields.{labels[folded]}"
            labels.setdefault(folded, i)
        if field.type == "vocabulary" and field.vocabulary is None:
            yield ("fields", i, "vocabulary"), "a field of type `vocabulary` names its vocabulary"
        if field.vocabulary is not None and field.vocabulary not in model.vocabularies:
            yield ("fields", i, "vocabulary"), f"no vocabulary `{field.vocabulary}` under `vocabularies`"


def _section_checks(sections: list[SectionModel], at: Loc, roles: set[str]) -> Iterator[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    for i, section in enumerate(sections):
        for label in (section.name, *section.aliases):
            folded = heading_key(label)
            if not folded:
                yield (*at, i, "name"), f"`{label}` has no letters or digits to match a heading by"
            elif folded in seen and seen[folded] != i:
                yield (*at, i, "name"), f"`{label}` already names {'.'.join(map(str, at))}.{seen[folded]}"
            seen.setdefault(folded, i)
        if section.role is not None:
            if section.role in roles:
                yield (*at, i, "role"), f"role `{section.role}` is given to two sections"
            roles.add(section.role)
        if section.sentences is not None and not 1 <= section.sentences[0] <= section.sentences[1]:
            yield (*at, i, "sentences"), "must be `[min, max]` with 1 ≤ min ≤ max"
        yield from _section_checks(section.subsections, (*at, i, "subsections"), roles)


def _table_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    for role, table in model.tables.items():
        allowed = runtime.TABLE_ROLES[role]
        seen: set[str] = set()
        for i, column in enumerate(table.columns):
            at = ("tables", role, "columns", i)
            if column.role not in allowed:
                yield (*at, "role"), f"`{column.role}` is not a column role of the {role} table ({', '.join(allowed)})"
            if column.role in seen:
                yield (*at, "role"), f"two columns have the role `{column.role}`"
            seen.add(column.role)
            if column.type == "vocabulary" and column.vocabulary not in model.vocabularies:
                yield (*at, "vocabulary"), f"no vocabulary `{column.vocabulary}` under `vocabularies`"


def _vocabulary_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    for name, vocabulary in model.vocabularies.items():
        values = {t.value for t in vocabulary.values}
        for key in ("drafts", "final", "finished"):
            for i, value in enumerate(getattr(vocabulary, key)):
                if value not in values:
                    yield ("vocabularies", name, key, i), f"`{value}` is not one of the values ({', '.join(sorted(values))})"
    statuses = model.vocabularies.get("action-status")
    if model.actions is not None and statuses is not None:
        values = {t.value for t in statuses.values}
        for key in ("done_status", "open_status"):
            value = getattr(model.actions, key)
            if value not in values:
                yield ("actions", key.replace("_", "-")), f"`{value}` is not a value of the `action-status` vocabulary"


def _section_refs(model: TemplatePackModel) -> set[str]:
    refs: set[str] = set()
    pending = list(model.sections)
    while pending:
        section = pending.pop()
        refs.update(heading_key(label) for label in (section.name, *section.aliases))
        if section.role:
            refs.add(section.role)
        pending.extend(section.subsections)
    return refs


def _reference_checks(model: TemplatePackModel) -> Iterator[tuple[Loc, str]]:
    refs = _section_refs(model)

    def known(ref: str) -> bool:
        return ref in refs or heading_key(ref) in refs

    for role, table in model.tables.items():
        if not known(table.section):
            yield ("tables", role, "section"), f"no section `{table.section}` (by role or name) in `sections`"
    if model.actions is not None and not known(model.actions.section):
        yield ("actions", "section"), f"no section `{model.actions.section}` (by role or name) in `sections`"
    for i, field in enumerate(model.fields):
        if field.section is not None and not known(field.section):
            yield ("fields", i, "section"), f"no section `{field.section}` (by role or name) in `sections`"
    for name, measure in model.measures.items():
        for i, ref in enumerate(measure.sections):
            if not known(ref):
                yield ("measures", name, "sections", i), f"no section `{ref}` (by role or name) in `sections`"
    keys = {field_key(f) for f in model.fields}
    for i, source in enumerate(model.incident_date):
        given = [v for v in (source.field, source.front_matter, source.file_name, source.timeline or None) if v is not None]
        if len(given) != 1:
            yield ("incident-date", i), "give exactly one of `field`, `front-matter`, `file-name`, `timeline: true`"
        elif source.field is not None and source.field not in keys:
            yield ("incident-date", i, "field"), f"no field with key `{source.field}` in `fields`"


# -- compile ----------------------------------------------------------------------------------


def _compile(model: TemplatePackModel, origin: str) -> dict[str, Any]:
    """The validated model as `runtime.from_data` reads it: defaults filled, ids and levels resolved."""
    data = {
        "format": runtime.FORMAT,
        "name": model.name,
        "description": model.description,
        "title": model.title.model_dump(),
        "header_area": model.header_area,
        "fields": [_compile_field(f) for f in model.fields],
        "sections": [_compile_section(s, None) for s in model.sections],
        "tables": [_compile_table(role, t) for role, t in model.tables.items()],
        "actions": model.actions.model_dump() if model.actions else None,
        "vocabularies": [_compile_vocabulary(name, v) for name, v in model.vocabularies.items()],
        "placeholders": list(model.placeholders.patterns),
        "placeholder_prefilter": list(model.placeholders.prefilter),
        "examples": [[group, list(phrases)] for group, phrases in model.examples.items()],
        "measures": [{"name": name, "labels": m.labels, "sections": m.sections} for name, m in model.measures.items()],
        "dates": [_compile_date(d) for d in model.incident_date],
        "source": origin,
    }
    runtime.from_data(data)
    return data


def _compile_field(field: FieldModel) -> dict[str, Any]:
    pattern = field.pattern or (DEFAULT_INCIDENT_PATTERN if field.type == "incident-number" else None)
    return {
        "key": field_key(field),
        "name": field.name,
        "aliases": field.aliases,
        "required": field.required,
        "where": list(dict.fromkeys(field.where)),
        "type": field.type,
        "vocabulary": field.vocabulary,
        "pattern": pattern,
        "date_formats": field.date_formats,
        "hint": field.hint,
        "section": field.section,
    }


def _levels(level: int | str | list[int] | None, parent: list[int] | None) -> list[int]:
    if level == "any":
        return []
    if isinstance(level, int):
        return [level]
    if isinstance(level, list):
        return sorted(set(level))
    if parent is None:
        return [2]
    return [min(n + 1, 6) for n in parent] if parent else []


def _compile_section(section: SectionModel, parent: list[int] | None) -> dict[str, Any]:
    levels = _levels(section.level, parent)
    return {
        "id": heading_key(section.name),
        "name": section.name,
        "aliases": section.aliases,
        "pattern": section.pattern,
        "levels": levels,
        "required": section.required,
        "ordered": section.ordered,
        "content": section.content,
        "role": section.role,
        "as_field": section.as_field,
        "checklist": section.checklist,
        "whys": section.whys,
        "sentences": section.sentences,
        "quantified": "" if section.quantified is True else (section.quantified or None),
        "subsections": [_compile_section(s, levels) for s in section.subsections],
    }


def _compile_table(role: str, table: TableModel) -> dict[str, Any]:
    return {
        "role": role,
        "section": table.section,
        "columns": [c.model_dump() for c in table.columns],
        "required": table.required,
        "header": table.header,
        "min_rows": table.min_rows,
    }


def _compile_vocabulary(name: str, vocabulary: VocabularyModel) -> dict[str, Any]:
    return {
        "name": name,
        "terms": [t.model_dump() for t in vocabulary.values],
        "suffix": vocabulary.suffix,
        "drafts": vocabulary.drafts,
        "final": vocabulary.final,
        "finished": vocabulary.finished,
    }


def _compile_date(source: DateSourceModel) -> dict[str, str]:
    if source.field is not None:
        return {"kind": "field", "value": source.field}
    if source.front_matter is not None:
        return {"kind": "front-matter", "value": source.front_matter}
    if source.timeline:
        return {"kind": "timeline", "value": ""}
    return {"kind": "file-name", "value": source.file_name or ""}


def json_schema_text() -> str:
    """docs/template-pack.schema.json as shipped (`python -m postmortem_lint.generate` writes it)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
