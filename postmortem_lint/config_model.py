"""The pydantic model of a configuration file (imported only when one exists)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_CODE = re.compile(r"^(?:ALL|PM\d{1,3})$", re.I)


def _codes(values: list[str]) -> list[str]:
    for value in values:
        if not _CODE.match(value):
            raise ValueError(f"`{value}` is not a rule code or prefix such as PM502 or PM5")
    return values


class BlameConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    extra_phrases: list[str] = Field(default_factory=list, alias="extra-phrases")
    allow: list[str] = Field(default_factory=list)

    @field_validator("extra_phrases")
    @classmethod
    def _phrases_compile(cls, value: list[str]) -> list[str]:
        for phrase in value:
            try:
                re.compile(phrase[3:] if phrase.startswith("re:") else re.escape(phrase))
            except re.error as exc:
                raise ValueError(f"`{phrase}` does not compile: {exc}") from None
        return value


class ConfigFile(BaseModel):
    """`[tool.pmlint]` / `.pmlint.yaml`: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    include: list[str] = Field(default_factory=lambda: ["tasks/post-mortem-*.md"], min_length=1)
    exclude: list[str] = Field(default_factory=list)
    folder: str | None = None
    tracker: str = "POST_MORTEM_TRACKING.md"
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Literal["error", "warning", "info", "off"]] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    incident_number_width: int = Field(3, ge=1, le=6, alias="incident-number-width")
    blame: BlameConfig = Field(default_factory=BlameConfig)
    owners: str | None = None
    since: dt.date | None = None
    sections: str | None = None
    timezone: str = "UTC"

    _check_select = field_validator("select", "ignore")(_codes)

    @field_validator("include")
    @classmethod
    def _relative_globs(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", pattern) or ".." in pattern.split("/"):
                raise ValueError(f"`{pattern}` must be a glob relative to the project root, without '..'")
        return value

    @field_validator("severity")
    @classmethod
    def _severity_codes(cls, value: dict[str, str]) -> dict[str, str]:
        _codes(list(value))
        return value

    @field_validator("per_file_ignores")
    @classmethod
    def _ignore_codes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for codes in value.values():
            _codes(codes)
        return value
