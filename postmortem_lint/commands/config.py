"""`pmlint config [--schema]`: the effective settings, each with where it came from (default, file:line or the command line).

`--schema` prints the JSON Schema of the configuration file, generated from the
pydantic model (`config.schema`); docs/pmlint.schema.json is that output, and a
test fails when it is stale.
"""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import declared
from postmortem_lint.commands.output import rendered
from postmortem_lint.features import configuration

OPTIONS = (
    opts.Option(("--schema",), "schema", "Print the configuration's JSON Schema instead (docs/pmlint.schema.json).", flag=True),
    opts.format_option(("text", "json"), "text"),
    opts.CONFIG,
    opts.Option(("--select",), "select", "As `pmlint check --select`: show the selection it makes."),
    opts.Option(("--ignore",), "ignore", "As `pmlint check --ignore`: show the selection it makes."),
)


@click.command("config")
@declared((), OPTIONS)
def config_command(schema: bool, format_: str, config_file: Path | None, select: str | None, ignore: str | None) -> int:
    """Show the effective settings and where each comes from (default, file:line or the command line)."""
    if schema:
        click.echo(configuration.schema_text(), nl=False)
        return 0
    click.echo(rendered("config", format_, configuration.here(config_file, select, ignore)), nl=False)
    return 0
