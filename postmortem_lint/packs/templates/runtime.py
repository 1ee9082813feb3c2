"""The runtime template pack: frozen dataclasses built from compiled data, with no pydantic import.

A pack is validated once (`schema.py`) and compiled to plain JSON-able data
(`compile_data`'s output, stored in `rules/templates/compiled.json` for the presets and
in the project's cache folder for a team's pack). `from_data` turns that data into a
`TemplatePack`; `to_data` is its inverse. Everything a rule asks of a pack — which
fields, which sections, which table columns, which vocabulary value a text means — is
answered here or in `reader.py`, so a one-file check imports neither pydantic nor
ruamel.yaml.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal, get_args

from postmortem_lint.core.memo import by_identity
from postmortem_lint.core.text import heading_key, strip_inline
from postmortem_lint.packs.loader import PackError

FORMAT = 1
"""Version of the compiled data layout: compiled data of another version is recompiled."""

FieldForm = Literal["bold-line", "key-line", "heading", "section", "front-matter", "summary-table"]
FieldType = Literal["text", "date", "clock-range", "duration", "incident-number", "people", "vocabulary"]
ColumnType = Literal["text", "timestamp", "when", "date", "people", "vocabulary", "id"]
Content = Literal["any", "text", "list", "table", "none"]
Role = Literal[
    "summary",
    "impact",
    "timeline",
    "root-cause",
    "trigger",
    "detection",
    "response",
    "resolution",
    "lessons",
    "actions",
    "prevention",
    "related-incidents",
    "sign-off",
    "attendees",
    "metrics",
]
"""The closed vocabularies of the pack format, declared once: the schema validates against them."""

FIELD_FORMS: tuple[str, ...] = get_args(FieldForm)
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
COLUMN_TYPES: tuple[str, ...] = get_args(ColumnType)
CONTENT_KINDS: tuple[str, ...] = get_args(Content)
SECTION_ROLES: tuple[str, ...] = get_args(Role)
TABLE_ROLES = {
    "timeline": ("time", "event", "actor"),
    "actions": ("id", "action", "owner", "priority", "due", "status", "type", "reference"),
    "sign-off": ("role", "name", "date", "reviewed"),
    "metrics": ("metric", "value"),
}
ACTION_FORMS = ("table", "bullets", "tasks")
OWNER_FORMS = ("bracket", "mention", "owner-label", "parenthesis")
DUE_FORMS = ("due-label", "parenthesis")
NEED = ("required", "if-any", "optional")
DATE_FORMATS = ("iso", "iso-in-text", "month-name", "day.month.year", "month/day/year")
MEASURES = ("time-to-detect", "time-to-mitigate", "time-to-resolve")
HEADER_AREAS = ("preamble", "until-first-section")


class TemplateError(PackError):
    """A template pack that cannot be used: ``file:line: key: problem`` in plain words (a `PackError`, as for every pack)."""


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary and the other ways teams write it."""

    value: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A closed set of values (severity, status, priority, action status, or a team's own).

    ``suffix``: a description may follow a value, in parentheses or after ``-``, ``–`` or
    ``:`` (``SEV-2 (Major - significant degradation)``). ``drafts`` and ``final`` classify
    document statuses; ``finished`` classifies action statuses (every other value is open).
    """

    name: str
    terms: tuple[Term, ...]
    suffix: bool = False
    drafts: tuple[str, ...] = ()
    final: tuple[str, ...] = ()
    finished: tuple[str, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(t.value for t in self.terms)

    def canonical(self, text: str) -> str | None:
        """The vocabulary value ``text`` means (case, emphasis, emoji and aliases tolerated), or None."""
        return _canonical(self, text)

    def is_open(self, value: str | None) -> bool:
        """For action statuses: anything not finished (an unknown value counts as open)."""
        return value not in self.finished


def fold_value(text: str) -> str:
    """A value as vocabularies compare it: plain text, one space, straight quote, casefolded."""
    return " ".join(strip_inline(text).replace("’", "'").split()).casefold()


@by_identity(4096)
def _canonical(vocabulary: Vocabulary, text: str) -> str | None:
    """Kept by the vocabulary's identity: an lru_cache would hash every term of the frozen dataclass on each call."""
    folded = fold_value(text)
    if not folded:
        return None
    names = [(fold_value(name), term.value) for term in vocabulary.terms for name in (term.value, *term.aliases)]
    exact = next((value for name, value in names if name == folded), None)
    if exact is not None or not vocabulary.suffix:
        return exact
    for name, value in sorted(names, key=lambda pair: -len(pair[0])):
        if folded.startswith(name) and _is_suffix(folded[len(name) :]):
            return value
    return None


def _is_suffix(rest: str) -> bool:
    """A description after a value: ``(Major - degraded)``, `` - degraded``, ``: degraded`` (as the seed's SEVERITY reads)."""
    rest = rest.lstrip()
    return (rest.startswith("(") and rest.endswith(")")) or rest[:1] in ("-", "–", ":")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A header field: how it is named, where it may be written, what its value must be."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    where: tuple[str, ...] = ("bold-line",)
    type: str = "text"
    vocabulary: str | None = None
    pattern: str | None = None
    date_formats: tuple[str, ...] = ("iso",)
    hint: str = ""
    section: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The normalised labels that name this field (its name first)."""
        return _labels(self.name, self.aliases)


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section of the template, matched against headings by name, alias or pattern.

    ``levels`` empty means any heading level (except the document title). ``as_field``: the
    section may instead be written as a bold paragraph ``**Name**: text``.
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    pattern: str | None = None
    levels: tuple[int, ...] = (2,)
    required: bool = True
    ordered: bool = True
    content: str = "any"
    role: str | None = None
    as_field: bool = False
    checklist: bool = False
    whys: int = 0
    sentences: tuple[int, int] | None = None
    quantified: str | None = None
    subsections: tuple[SectionSpec, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return _labels(self.name, self.aliases)

    def matches(self, key: str, level: int | None = None) -> bool:
        """True when a heading with normalised text ``key`` at ``level`` is this section."""
        if level is not None and self.levels and level not in self.levels:
            return False
        return key in self.labels or (self.pattern is not None and _regex(self.pattern, True).match(key) is not None)

    def walk(self) -> Iterator[SectionSpec]:
        """This section and every subsection below it, depth first."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A table column by role (``owner``), with the header names that mean it."""

    role: str
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    filled: bool = False
    type: str = "text"
    vocabulary: str | None = None
    pattern: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return _labels(self.name, self.aliases)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A table of a known role in a section of the template.

    ``header``: ``exact`` (the header is these columns, in order), ``prefix`` (it starts
    with them) or ``roles`` (every required role has a column, in any order).
    """

    role: str
    section: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    header: str = "roles"
    min_rows: int = 0

    def column(self, role: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.role == role), None)

    def layout(self, header: tuple[str, ...]) -> dict[str, int]:
        """Column index by role for a table header: each role at the first column named for it (any order)."""
        keys = [heading_key(cell) for cell in header]
        found: dict[str, int] = {}
        for column in self.columns:
            labels = column.labels  # a property: asked once per column, not once per header cell
            index = next((i for i, key in enumerate(keys) if key in labels), None)
            if index is not None:
                found[column.role] = index
        return found

    def complete(self, layout: dict[str, int]) -> bool:
        """True when every required column has been found."""
        return all(c.role in layout for c in self.columns if c.required)

    def header_ok(self, header: tuple[str, ...]) -> bool:
        """True when the header is as strict as ``header`` asks (exact, prefix, roles)."""
        if self.header == "roles":
            return self.complete(self.layout(header))
        keys = [heading_key(cell) for cell in header]
        wanted = [c.labels for c in self.columns]
        if len(keys) < len(wanted) or (self.header == "exact" and len(keys) != len(wanted)):
            return False
        return all(key in labels for key, labels in zip(keys, wanted, strict=False))

    @property
    def shape(self) -> str:
        """The header as the template writes it: ``Time | Event | Actor``."""
        return " | ".join(c.name for c in self.columns if c.required or self.header != "roles")


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """Where action items are and which forms count: a table, bullet items, task-list items.

    ``owner``/``due``: ``required`` (every item), ``if-any`` (every item once one item of
    the document has one), ``optional``. A ticked task box means ``done_status``, an
    unticked one ``open_status`` (values of the ``action-status`` vocabulary).
    """

    section: str | None
    forms: tuple[str, ...] = ("table",)
    id_pattern: str | None = None
    owner: str = "required"
    due: str = "required"
    owner_forms: tuple[str, ...] = ()
    due_forms: tuple[str, ...] = ()
    done_status: str = "Done"
    open_status: str = "Open"


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """Where a document states a duration such as time to detect: labels, in which sections."""

    name: str
    labels: tuple[str, ...]
    sections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateSource:
    """One place the incident date may be read from: a field, a front-matter key, the file name."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class TitleSpec:
    """The H1 title: a pattern whose group ``title`` is the title proper."""

    pattern: str = r"(?P<title>.+)"
    required: bool = True
    single: bool = True
    example: str = "# <title>"


@functools.lru_cache(maxsize=4096)
def _labels(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """A section's names, normalised and without repeats (asked for every heading of every document)."""
    return tuple(dict.fromkeys(heading_key(label) for label in (name, *aliases)))


@dataclass(frozen=True, slots=True)
class TemplatePack:
    """A whole template: every rule, `new`, `track`, `commit-msg`, `actions` and `report` read one."""

    name: str
    description: str = ""
    title: TitleSpec = TitleSpec()
    header_area: str = "preamble"
    fields: tuple[FieldSpec, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    actions: ActionSpec | None = None
    vocabularies: tuple[Vocabulary, ...] = ()
    placeholders: tuple[str, ...] = ()
    placeholder_prefilter: tuple[str, ...] = ()
    examples: tuple[tuple[str, tuple[str, ...]], ...] = ()
    measures: tuple[MeasureSpec, ...] = ()
    dates: tuple[DateSource, ...] = ()
    source: str = ""

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    def vocabulary(self, name: str | None) -> Vocabulary | None:
        return next((v for v in self.vocabularies if v.name == name), None)

    def table(self, role: str) -> TableSpec | None:
        return next((t for t in self.tables if t.role == role), None)

    def measure(self, name: str) -> MeasureSpec | None:
        return next((m for m in self.measures if m.name == name), None)

    def all_sections(self) -> tuple[SectionSpec, ...]:
        """Every section and subsection, depth first in template order (worked out once per pack)."""
        return _all_sections(self)

    def section(self, ref: str) -> SectionSpec | None:
        """A section by role, else by id or any of its names (normalised)."""
        return next((s for s in self.all_sections() if s.role == ref), None) or next(
            (s for s in self.all_sections() if s.id == ref or heading_key(ref) in s.labels), None
        )

    @property
    def placeholder_regex(self) -> re.Pattern[str] | None:
        return _placeholder_regex(self.placeholders) if self.placeholders else None

    @property
    def required_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.required)


@by_identity(64)
def _all_sections(pack: TemplatePack) -> tuple[SectionSpec, ...]:
    return tuple(s for section in pack.sections for s in section.walk())


@functools.lru_cache(maxsize=64)
def _placeholder_regex(placeholders: tuple[str, ...]) -> re.Pattern[str]:
    """The pack's slot tokens as one pattern (asked for every field and cell a rule reads)."""
    return _regex("|".join(f"(?:{p})" for p in placeholders), False)


@functools.lru_cache(maxsize=512)
def _regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.I if ignore_case else 0)


def regex(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """The compiled, cached form of a pattern from a pack.

    Section and title patterns ignore case; value patterns (incident numbers, ids,
    placeholders) are case-sensitive, as the seed template's are.
    """
    return _regex(pattern, ignore_case)


# -- compiled data <-> pack --------------------------------------------------------------


def to_data(pack: TemplatePack) -> dict[str, Any]:
    """The pack as plain JSON-able data (`from_data`'s input)."""
    data = _plain(pack)
    data["format"] = FORMAT
    return data  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def from_data(data: dict[str, Any]) -> TemplatePack:
    """A pack from compiled data; raises `TemplateError` when the data is of another format."""
    if data.get("format") != FORMAT:
        raise TemplateError(f"{data.get('source') or 'template pack'}: compiled with format {data.get('format')}, expected {FORMAT}")
    try:
        return TemplatePack(
            name=data["name"],
            description=data["description"],
            title=TitleSpec(**data["title"]),
            header_area=data["header_area"],
            fields=tuple(_field(f) for f in data["fields"]),
            sections=tuple(_section(s) for s in data["sections"]),
            tables=tuple(_table(t) for t in data["tables"]),
            actions=_actions(data["actions"]) if data["actions"] else None,
            vocabularies=tuple(_vocabulary(v) for v in data["vocabularies"]),
            placeholders=tuple(data["placeholders"]),
            placeholder_prefilter=tuple(data["placeholder_prefilter"]),
            examples=tuple((group, tuple(phrases)) for group, phrases in data["examples"]),
            measures=tuple(MeasureSpec(m["name"], tuple(m["labels"]), tuple(m["sections"])) for m in data["measures"]),
            dates=tuple(DateSource(d["kind"], d["value"]) for d in data["dates"]),
            source=data["source"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"{data.get('source') or 'template pack'}: compiled data is damaged ({exc})") from None


def _tuples(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: tuple(v) if k in names and v is not None else v for k, v in data.items()}


def _field(data: dict[str, Any]) -> FieldSpec:
    return FieldSpec(**_tuples(data, "aliases", "where", "date_formats"))


def _section(data: dict[str, Any]) -> SectionSpec:
    values = _tuples(data, "aliases", "levels", "sentences")
    values["subsections"] = tuple(_section(s) for s in data["subsections"])
    return SectionSpec(**values)


def _table(data: dict[str, Any]) -> TableSpec:
    values = dict(data)
    values["columns"] = tuple(ColumnSpec(**_tuples(c, "aliases")) for c in data["columns"])
    return TableSpec(**values)


def _actions(data: dict[str, Any]) -> ActionSpec:
    return ActionSpec(**_tuples(data, "forms", "owner_forms", "due_forms"))


def _vocabulary(data: dict[str, Any]) -> Vocabulary:
    terms = tuple(Term(t["value"], tuple(t["aliases"])) for t in data["terms"])
    return Vocabulary(data["name"], terms, data["suffix"], tuple(data["drafts"]), tuple(data["final"]), tuple(data["finished"]))


# -- values ----------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS: dict[str, tuple[re.Pattern[str], ...]] = {
    "iso": (re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\s*$"),),
    "iso-in-text": (re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),),
    "month-name": (
        re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
        re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    ),
    "day.month.year": (re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),),
    "month/day/year": (re.compile(r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})(?!\d)"),),
}


def parse_date(text: str, formats: tuple[str, ...] = ("iso",)) -> dt.date | None:
    """The first real date in ``text`` written in one of ``formats`` (`DATE_FORMATS`), or None."""
    plain = strip_inline(text)
    for name in formats:
        for pattern in _DATE_FORMS[name]:
            for match in pattern.finditer(plain):
                found = _date_of(match)
                if found is not None:
                    return found
    return None


def _date_of(match: re.Match[str]) -> dt.date | None:
    month = match["month"]
    number = int(month) if month.isdigit() else _MONTHS[month.casefold().rstrip(".")]
    try:
        return dt.date(int(match["year"]), number, int(match["day"]))
    except ValueError:
        return None


_NAME_SPLIT = re.compile(r"(?<!\s)\s*(?:,|;|&|/|\band\b)\s*")
NO_PERSON = frozenset({"", "tbd", "tba", "?", "-", "n/a", "na", "none", "unassigned", "nobody", "todo"})


def people(value: str) -> tuple[str, ...]:
    """The names in a people value (``Dana Cho, @sam and Lee``), placeholders and TBD dropped."""
    names = []
    for part in _NAME_SPLIT.split(strip_inline(value)):
        name = re.sub(r"(?<!\s)\s*\([^()]*\)", "", part).strip(" .")
        if name and "[" not in name and name.casefold() not in NO_PERSON and len(name) < 60:
            names.append(name)
    return tuple(names)
