"""What the servers need before they start: their extra installed, and stdin/stdout as byte streams."""

from __future__ import annotations

import importlib
import sys

import click


def require(command: str, extra: str, modules: tuple[str, ...]) -> None:
    """A usage error (exit 2) naming the extra when one of ``modules`` cannot be imported,
    or when stdin and stdout, which the server talks over, are not byte streams (an embedding that replaced them)."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise click.ClickException(f"{command} needs the {extra} extra: pip install 'pmlint[{extra}]'") from None
    if not (hasattr(sys.stdin, "buffer") and hasattr(sys.stdout, "buffer")):
        raise click.ClickException(f"{command} talks over stdin and stdout, and here they are not byte streams")
