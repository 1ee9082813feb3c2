"""The pydantic model of a configuration file (imported only when one exists).

Every field has a description: `pmlint config --schema` publishes them as the
JSON Schema (docs/pmlint.schema.json) and docs/configuration.md explains each key.
Validators raise ``ValueError`` with a plain sentence; `config.errors` turns pydantic's
other errors into plain words too. The defaults are `config.settings.DEFAULTS`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from postmortem_lint.config.errors import describe
from postmortem_lint.config.settings import DEFAULTS
from postmortem_lint.core import codes
from postmortem_lint.core.days import parse_day
from postmortem_lint.core.dialect import check_extra_phrase, checked_replacement

CODE_PATTERN = "^([Aa][Ll][Ll]|[Pp][Mm][0-9]{0,3})$"
"""A rule code or prefix as the JSON Schema spells it (which codes exist is checked by pmlint)."""


def _known_code(value: str) -> str:
    if not codes.is_known(value):
        raise ValueError(codes.problem(value))
    return value


RuleCode = Annotated[
    str,
    AfterValidator(_known_code),
    WithJsonSchema({"type": "string", "pattern": CODE_PATTERN, "description": "A rule code (PM502), a prefix (PM5) or ALL."}),
]


def _real_date(value: Any) -> Any:
    """A date, or ``YYYY-MM-DD`` text naming a real day (YAML and TOML may give either)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} is a date and time; write the date alone, YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date written YYYY-MM-DD, found {describe(value)}")
    return parse_day(value)


def _zone(value: str) -> str:
    """An IANA time zone name that this machine's zone database knows."""
    try:
        ZoneInfo(value)
    except (KeyError, ValueError, OSError):
        raise ValueError(f"{value!r} is not a time zone name such as UTC or Europe/Paris") from None
    return value


def _path(value: str) -> str:
    """A relative path (whether it stays inside the project is checked once the root is known)."""
    if not value.strip():
        raise ValueError("an empty path names no file")
    if "\x00" in value:
        raise ValueError("a path cannot hold a NUL character")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"{value} is an absolute path; write a relative path inside the project")
    return value


PathText = Annotated[str, AfterValidator(_path)]
Day = Annotated[dt.date, BeforeValidator(_real_date)]


def _extra_phrase(value: Any) -> Any:
    """A `blame.extra-phrases` item: a phrase, or a table ``{phrase, replace}`` as a ``(phrase, replace)`` pair."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"expected a phrase, or a table with `phrase` and `replace`, found {describe(value)}")
    unknown = sorted(str(k) for k in value if k not in ("phrase", "replace"))
    if unknown:
        raise ValueError(f"a phrase table has the keys `phrase` and `replace`, not `{unknown[0]}`")
    for key in ("phrase", "replace"):
        if key not in value:
            raise ValueError(f"a phrase table needs `{key}` (and `{'replace' if key == 'phrase' else 'phrase'}`)")
        if not isinstance(value[key], str):
            raise ValueError(f"a phrase table's `{key}` must be text, found {describe(value.get(key))}")
    return (value["phrase"], value["replace"])


ExtraPhrase = Annotated[
    Any,
    BeforeValidator(_extra_phrase),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "description": "A phrase (plain text, matched as words), or a Python regex after `re:`."},
                {
                    "type": "object",
                    "properties": {
                        "phrase": {"type": "string", "description": "The phrase, as a plain item is written."},
                        "replace": {"type": "string", "description": "The plain wording PM601's unsafe fix puts in its place."},
                    },
                    "required": ["phrase", "replace"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
"""A `blame.extra-phrases` item (`_extra_phrase`)."""


def _empty_list() -> list[Any]:
    """A field's empty default: a Python function, not the builtin ``list``: pydantic reads a factory's signature,
    and a builtin's is parsed from its text with `tokenize`, which first compiles its ~2 ms pattern (one that
    `commands.startup` cannot ship, built from a set's order)."""
    return []


def _empty_dict() -> dict[str, Any]:
    """`_empty_list`'s ``dict``."""
    return {}


class BlameConfig(BaseModel):
    """Tuning of the blame-language rules (PM601, PM602)."""

    model_config = ConfigDict(extra="forbid")
    extra_phrases: list[ExtraPhrase] = Field(
        default_factory=_empty_list,
        alias="extra-phrases",
        description=(
            "More phrases PM601 flags: plain text (matched as words), or a Python regex after `re:`; "
            "or {phrase, replace} to give the wording PM601's fix puts in its place."
        ),
    )
    allow: list[str] = Field(
        default_factory=_empty_list,
        description="Phrase ids of rules/blame.yaml (e.g. human-error), or exact phrases, that PM601 does not flag.",
    )

    @field_validator("extra_phrases")
    @classmethod
    def _phrases_compile(cls, value: list[str | tuple[str, str]]) -> list[str | tuple[str, str]]:
        for item in value:
            check_extra_phrase(item if isinstance(item, str) else item[0])
            if isinstance(item, tuple):
                checked_replacement(item[1])
        return value


Severity = Literal["error", "warning", "info", "off"]


class ConfigFile(BaseModel):
    """pmlint configuration: `.pmlint.yaml`, or `[tool.pmlint]` in pyproject.toml. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", title="pmlint configuration")

    include: list[str] = Field(
        default_factory=lambda: list(DEFAULTS.include),
        min_length=1,
        description="Globs, relative to the project root, of the post-mortems `pmlint check` lints when no PATH is given.",
    )
    exclude: list[str] = Field(
        default_factory=_empty_list,
        description="Globs, relative to the project root, of Markdown files in the post-mortem folder that are not post-mortems "
        "(besides a README and the tracker, which are always skipped).",
    )
    folder: PathText | None = Field(
        None,
        description="Folder (relative to the project root) where post-mortems live and `pmlint new` writes; "
        "default: the folder of the first `include` glob.",
    )
    tracker: PathText = Field(
        DEFAULTS.tracker,
        description="The tracker file `pmlint track` keeps in sync, relative to the project root.",
    )
    select: list[RuleCode] = Field(
        default_factory=_empty_list,
        description="Rule codes or prefixes to enable (default: every rule); `--select` replaces it.",
    )
    ignore: list[RuleCode] = Field(
        default_factory=_empty_list,
        description="Rule codes or prefixes to disable; `--ignore` adds to it. The most specific prefix of select and ignore wins.",
    )
    fixable: list[RuleCode] = Field(
        default_factory=lambda: ["ALL"],
        description="Rule codes or prefixes whose fixes `--fix` (and editors) may apply; default: all of them.",
    )
    unfixable: list[RuleCode] = Field(
        default_factory=_empty_list,
        description="Rule codes or prefixes whose fixes are never offered or applied (the most specific of fixable and unfixable wins).",
    )
    severity: dict[RuleCode, Severity] = Field(
        default_factory=_empty_dict,
        description="Severity per rule code or prefix (the most specific wins): error, warning, info or off.",
    )
    per_file_ignores: dict[str, list[RuleCode]] = Field(
        default_factory=_empty_dict,
        alias="per-file-ignores",
        description="Glob (relative to the project root) -> rule codes or prefixes not reported on matching files.",
    )
    incident_number_width: int = Field(
        DEFAULTS.incident_number_width,
        ge=1,
        le=6,
        alias="incident-number-width",
        description="Digits of the sequence number in INC-YYYY-MM-DD-NNN (1 to 6).",
    )
    numbers_tolerance: int = Field(
        DEFAULTS.numbers_tolerance,
        ge=0,
        le=1440,
        alias="numbers-tolerance",
        description="Minutes a stated duration (Duration, TTD, TTM, time to resolve) may differ from the one computed (PM410).",
    )
    timeline_gap: int = Field(
        DEFAULTS.timeline_gap,
        ge=1,
        le=10080,
        alias="timeline-gap",
        description="Minutes without a timeline event inside the impact window before PM412 warns (1 to 10080).",
    )
    blame: BlameConfig = Field(default_factory=BlameConfig, description="Tuning of the blame-language rules (PM601, PM602).")
    owners: PathText | None = Field(
        DEFAULTS.owners,
        description="Roster of who may own an action item (PM508): a file relative to this configuration file, or CODEOWNERS.",
    )
    since: Day | None = Field(
        DEFAULTS.since,
        description="A date YYYY-MM-DD: post-mortems dated before it are checked only by the 1xx (file name) and 7xx (repository) rules.",
    )
    sections: PathText | None = Field(
        DEFAULTS.sections,
        description="A sections rule pack (YAML) replacing the required sections, relative to this configuration file.",
    )
    template: PathText | None = Field(
        DEFAULTS.template,
        description=(
            "The post-mortem template the rules read: a preset name (seed, google-sre, google-api-infra, dfds, mentimeter,"
            " bdougie, pagerduty, atlassian, elastic, azure), a template pack (YAML) or a Markdown template relative to"
            " this configuration file. Default: seed."
        ),
    )
    timezone: str = Field(
        DEFAULTS.timezone,
        description="IANA time zone name (e.g. Europe/Paris) in which `pmlint new` takes today's date.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _zone(value)

    @field_validator("include", "exclude")
    @classmethod
    def _relative_globs(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern.strip():
                raise ValueError("an empty glob matches no file")
            if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", pattern) or ".." in re.split(r"[/\\]", pattern):
                raise ValueError(f"`{pattern}` must be a glob relative to the project root, without '..'")
        return value


def keys() -> list[str]:
    """Every configuration key as written in a file, nested ones dotted (``blame.allow``)."""
    found: list[str] = []
    for name, info in ConfigFile.model_fields.items():
        key = info.alias or name
        found.append(key)
        if name == "blame":
            found.extend(f"blame.{info.alias or sub}" for sub, info in BlameConfig.model_fields.items())
    return found


SCHEMA_ID = "https://raw.githubusercontent.com/pmlint/pmlint/main/docs/pmlint.schema.json"


def schema() -> dict[str, Any]:
    """The configuration's JSON Schema (draft 2020-12), as shipped in docs/pmlint.schema.json."""
    generated = ConfigFile.model_json_schema(by_alias=True)
    properties = generated["properties"]
    properties["blame"] = {"$ref": "#/$defs/BlameConfig", "description": ConfigFile.model_fields["blame"].description}
    severity = properties["severity"]
    values = next(iter(severity.pop("patternProperties").values()))
    severity.update(propertyNames={"pattern": CODE_PATTERN}, additionalProperties=values)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **generated}
