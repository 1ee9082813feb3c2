"""`pmlint rules` and `pmlint rule CODE`: the catalog, from the generated rule metadata (no rule module is imported)."""

from __future__ import annotations

import click

from postmortem_lint.checks.registry import catalog
from postmortem_lint.core import codes


def catalog_table() -> str:
    rows = [f"{'code':<6}  {'name':<28}  {'default':<25}  fix"]
    for rule in catalog().values():
        rows.append(f"{rule.code:<6}  {rule.name:<28}  {rule.severity_label:<25}  {rule.fix_label}")
    return "\n".join(rows)


def explain(code: str) -> str:
    rule = catalog().get(code.upper())
    if rule is None:
        if codes.is_known(code):
            raise click.ClickException(f"{code} names several rules; `pmlint rule` explains one code (`pmlint rules` lists them)")
        raise click.ClickException(codes.problem(code))
    head = f"{rule.code} {rule.name}\nDefault severity: {rule.severity_label}. Fixable: {rule.fix_label}.\n"
    return head + "\n" + rule.doc.rstrip() + "\n"


@click.command("rules")
def rules_command() -> int:
    """List every rule: code, name, default severity, fix safety."""
    click.echo(catalog_table())
    return 0


@click.command("rule")
@click.argument("code")
def rule_command(code: str) -> int:
    """Explain rule CODE with a bad and a good example."""
    click.echo(explain(code), nl=False)
    return 0
