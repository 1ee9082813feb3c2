"""`pmlint config [--schema]`: the effective settings, each with where it came from.

The text output is itself a valid `.pmlint.yaml` (values in JSON's flow style,
the source of each as a comment), so it can be pasted as a starting point.
`--schema` prints the JSON Schema of the configuration file, generated from the
pydantic model (`config_model.schema`); docs/pmlint.schema.json is that output,
and a test fails when it is stale.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from postmortem_lint import config, discover

DEFAULT = "default"


@dataclass(frozen=True)
class Entry:
    """One setting: its key as written in a file (nested ones dotted), its value, and where it came from."""

    key: str
    value: Any
    source: str


@click.command("config")
@click.option("--schema", is_flag=True, help="Print the configuration's JSON Schema instead (docs/pmlint.schema.json).")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Configuration file (overrides discovery).")
@click.option("--select", help="As `pmlint check --select`: show the selection it makes.")
@click.option("--ignore", help="As `pmlint check --ignore`: show the selection it makes.")
def config_command(schema: bool, format_: str, config_file: Path | None, select: str | None, ignore: str | None) -> int:
    """Show the effective settings and where each comes from (default, file:line or the command line)."""
    if schema:
        click.echo(schema_text(), nl=False)
        return 0
    cwd = Path.cwd()
    root = discover.project_root(cwd)
    try:
        settings = config.load(root, config_file, cwd=cwd)
    except config.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    entries = effective(settings, _cli_codes("--select", select), _cli_codes("--ignore", ignore))
    ignored = [] if config_file else [config.shown_path(p) for p in config.find_configs(cwd, root)[1:]]
    click.echo(render_json(settings, entries, ignored) if format_ == "json" else render_text(settings, entries, ignored), nl=False)
    return 0


def schema_text() -> str:
    """The JSON Schema as shipped: two-space indent, a final newline."""
    from postmortem_lint.config_model import schema

    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def _cli_codes(option: str, value: str | None) -> tuple[str, ...] | None:
    from postmortem_lint import codes

    if value is None:
        return None
    given = tuple(c.strip() for c in value.split(",") if c.strip())
    for code in codes.unknown(given):
        raise click.ClickException(f"{option}: {codes.problem(code)}")
    return tuple(c.upper() for c in given)


def effective(settings: config.Settings, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] | None = None) -> list[Entry]:
    """Every key with its effective value and source, in the order of docs/configuration.md."""
    paths = config.written_paths(settings)

    def entry(key: str, value: Any) -> Entry:
        return Entry(key, value, settings.origin(key) if key in settings.origins else DEFAULT)

    entries = [
        entry("include", list(settings.include)),
        entry("folder", paths["folder"]),
        entry("exclude", list(settings.exclude)),
        entry("tracker", paths["tracker"]),
        _codes_entry(entry("select", list(settings.select)), select, replaces=True),
        _codes_entry(entry("ignore", list(settings.ignore)), ignore, replaces=False),
        entry("severity", dict(settings.severity)),
        entry("per-file-ignores", {k: list(v) for k, v in settings.per_file_ignores.items()}),
        entry("incident-number-width", settings.incident_number_width),
        entry("blame.extra-phrases", list(settings.blame_extra_phrases)),
        entry("blame.allow", list(settings.blame_allow)),
        entry("owners", paths.get("owners", settings.owners)),
        entry("since", settings.since),
        entry("sections", paths.get("sections")),
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


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def render_text(settings: config.Settings, entries: list[Entry], ignored: list[str]) -> str:
    """The settings as a `.pmlint.yaml`, the source of each value as a comment."""
    used = config.shown_path(settings.config_path) if settings.config_path else "none (every setting is the default)"
    head = [f"# project root: {settings.root}", f"# configuration file: {used}"]
    if ignored:
        head.append(f"# ignored: {', '.join(ignored)} (the closest configuration file wins)")
    rows: list[tuple[str, str]] = []
    in_blame = False
    for item in entries:
        name = item.key
        if name.startswith("blame."):
            if not in_blame:
                rows.append(("blame:", ""))
                in_blame = True
            name = "  " + name.removeprefix("blame.")
        rows.append((f"{name}: {json.dumps(_plain(item.value), ensure_ascii=False)}", item.source))
    width = min(60, max(len(text) for text, _ in rows))
    body = [f"{text:<{width}}  # {source}" if source else text for text, source in rows]
    return "\n".join([*head, *body]) + "\n"


def render_json(settings: config.Settings, entries: list[Entry], ignored: list[str]) -> str:
    payload = {
        "root": str(settings.root),
        "config_file": config.shown_path(settings.config_path) if settings.config_path else None,
        "ignored_files": ignored,
        "settings": {item.key: {"value": _plain(item.value), "source": item.source} for item in entries},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
