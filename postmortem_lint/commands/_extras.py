"""Optional dependencies: a command that needs an extra says how to install it, in one line."""

from __future__ import annotations

import importlib

import click


def require(command: str, extra: str, modules: tuple[str, ...]) -> None:
    """A usage error (exit 2) naming the extra when one of ``modules`` cannot be imported."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise click.ClickException(f"{command} needs the {extra} extra: pip install 'pmlint[{extra}]'") from None
