"""`pmlint config`: the effective settings, each with where it came from, and the configuration's JSON Schema.

The formats are `reporters.config`; `commands.config` is the click command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from postmortem_lint.config.load import load as load_settings
from postmortem_lint.config.paths import written_paths
from postmortem_lint.config.settings import ConfigError, Settings, shown_path
from postmortem_lint.core import codes, lazy
from postmortem_lint.core.errors import Problem
from postmortem_lint.io import discover
from postmortem_lint.lint import providers

DEFAULT = "default"


class Entry(NamedTuple):
    """One setting: its key as written in a file (nested ones dotted), its value, and where it came from."""

    key: str
    value: Any
    source: str


class Effective(NamedTuple):
    """The settings of the project around the current folder, each key's value and source, and the files ignored."""

    settings: Settings
    entries: list[Entry]
    ignored: list[str]


def here(config_file: Path | None, select: str | None, ignore: str | None) -> Effective:
    """The effective settings for the current folder, as `pmlint check` with ``--select``/``--ignore`` would use them."""
    cwd = Path.cwd()
    root = discover.project_root(cwd)
    try:
        settings = load_settings(root, config_file, cwd=cwd)
    except ConfigError as exc:
        raise Problem(str(exc)) from None
    providers.check_template(settings)
    entries = effective(settings, _cli_codes("--select", select), _cli_codes("--ignore", ignore))
    ignored = [] if config_file else [shown_path(p) for p in discover.find_configs(cwd, root)[1:]]
    return Effective(settings, entries, ignored)


def schema_text() -> str:
    """The JSON Schema as shipped: two-space indent, a final newline (loads pydantic)."""
    return json.dumps(lazy.load("postmortem_lint.config.schema").schema(), indent=2, ensure_ascii=False) + "\n"


def _cli_codes(option: str, value: str | None) -> tuple[str, ...] | None:

    if value is None:
        return None
    given = tuple(c.strip() for c in value.split(",") if c.strip())
    for code in codes.unknown(given):
        raise Problem(f"{option}: {codes.problem(code)}")
    return tuple(c.upper() for c in given)


def effective(settings: Settings, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] | None = None) -> list[Entry]:
    """Every key with its effective value and source, in the order of docs/configuration.md."""
    paths = written_paths(settings)

    def entry(key: str, value: Any) -> Entry:
        return Entry(key, value, settings.origin(key) if key in settings.origins else DEFAULT)

    entries = [
        entry("include", list(settings.include)),
        entry("folder", paths["folder"]),
        entry("exclude", list(settings.exclude)),
        entry("tracker", paths["tracker"]),
        _codes_entry(entry("select", list(settings.select)), select, replaces=True),
        _codes_entry(entry("ignore", list(settings.ignore)), ignore, replaces=False),
        entry("fixable", list(settings.fixable)),
        entry("unfixable", list(settings.unfixable)),
        entry("severity", dict(settings.severity)),
        entry("per-file-ignores", {k: list(v) for k, v in settings.per_file_ignores.items()}),
        entry("incident-number-width", settings.incident_number_width),
        entry("numbers-tolerance", settings.numbers_tolerance),
        entry("timeline-gap", settings.timeline_gap),
        entry("blame.extra-phrases", [_extra_phrase(p) for p in settings.blame_extra_phrases]),
        entry("blame.allow", list(settings.blame_allow)),
        entry("owners", paths.get("owners", settings.owners)),
        entry("since", settings.since),
        entry("sections", paths.get("sections")),
        entry("template", paths.get("template", settings.template)),
        entry("timezone", settings.timezone),
    ]
    if entries[1].source == DEFAULT:
        entries[1] = Entry("folder", entries[1].value, "default (the folder of the first include glob)")
    return entries


def _codes_entry(found: Entry, given: tuple[str, ...] | None, replaces: bool) -> Entry:
    """``--select`` replaces the configured selection; ``--ignore`` adds to the configured one."""
    if given is None or (not replaces and not given):
        return found
    option = f"--{found.key}"
    if replaces:
        return Entry(found.key, list(given), option)
    source = option if found.source == DEFAULT else f"{found.source} + {option}"
    return Entry(found.key, [*found.value, *given], source)


def _extra_phrase(item: str | tuple[str, str]) -> str | dict[str, str]:
    """A ``blame.extra-phrases`` item as the file writes it: a phrase, or its table with the replacement."""
    return item if isinstance(item, str) else {"phrase": item[0], "replace": item[1]}
