"""`pmlint init [FOLDER]`: fit every preset to the existing archive, write `.pmlint.yaml`, print the pre-commit snippet.

`--no-input` takes the best fit; `--preset NAME` forces one; an existing
`.pmlint.yaml` is kept unless `--force` (exit 2). The work is `features.initialize`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from postmortem_lint.commands import options as opts
from postmortem_lint.commands.click_options import option
from postmortem_lint.config.settings import shown_path
from postmortem_lint.core.errors import Problem
from postmortem_lint.features import initialize
from postmortem_lint.io import discover
from postmortem_lint.packs.templates import presets


@click.command("init")
@click.argument("folder", required=False, default="tasks", type=click.Path(file_okay=False, path_type=Path))
@click.option("--preset", metavar="NAME", help=f"Use this preset whatever the fit ({', '.join(presets.names())}).")
@click.option("--no-input", is_flag=True, help="Never prompt: take the best fit (or --preset).")
@click.option("--force", is_flag=True, help="Replace an existing .pmlint.yaml.")
@option(opts.TODAY.but(help="The date written in the configuration's comment and used for the baseline (default: today)."))
def init_command(folder: Path, preset: str | None, no_input: bool, force: bool, today: dt.date | None) -> int:
    """Learn the archive under FOLDER (default tasks/): print each preset's fit, write .pmlint.yaml."""
    cwd = Path.cwd()
    root = discover.project_root(cwd)
    where = (cwd / folder).resolve()
    if not where.is_relative_to(root.resolve()):
        raise Problem(f"{folder}: is outside the project ({root}); run `pmlint init` from the project")
    config = root / initialize.CONFIG_NAME
    if config.exists() and not force:
        raise Problem(f"{shown_path(config)}: already exists; pass --force to replace it")
    found = initialize.survey(root, where.relative_to(root.resolve()).as_posix())
    _print_ranking(found)
    if preset is None and not no_input:
        preset = _ask(found)
    chosen = initialize.plan(found, preset)
    day = today or dt.date.today()
    written = initialize.write(chosen, day, force)
    for note in chosen.notes:
        click.echo(f"pmlint: note: {note}", err=True)
    for path in written:
        click.echo(f"pmlint: wrote {shown_path(path)}", err=True)
    click.echo("\nAdd to .pre-commit-config.yaml:\n")
    click.echo(initialize.precommit_snippet(chosen), nl=False)
    return 0


def _print_ranking(found: initialize.Survey) -> None:
    total = len(found.files)
    click.echo(f"{total} Markdown file(s) under {found.folder or '.'}; fit of each preset (files that fit, mean match, mean coverage):")
    for fitted in found.ranking:
        click.echo(
            f"  {fitted.name:<18} {fitted.fitting:>4}/{total:<4} {fitted.fit:>6.0%}   match {fitted.mean_match:>4.0%}"
            f"   coverage {fitted.mean_coverage:>4.0%}"
        )


def _ask(found: initialize.Survey) -> str:
    names = [f.name for f in found.ranking]
    for number, name in enumerate(names, 1):
        click.echo(f"  {number}) {name}", err=True)

    def convert(text: str) -> str:
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(names):
            return names[int(text) - 1]
        if text in names:
            return text
        raise click.BadParameter(f"{text!r} is none of the presets; give a number 1-{len(names)} or a name")

    value: str = click.prompt("Preset", default=names[0], value_proc=convert, err=True)
    return value
