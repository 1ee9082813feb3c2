"""`pmlint server`: the Language Server on stdio (needs the ``lsp`` extra: pygls, lsprotocol)."""

from __future__ import annotations

import click

from postmortem_lint.commands._extras import server_module


@click.command("server")
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the only transport; accepted for editors that pass it).")
def server_command(stdio: bool) -> int:
    """Serve diagnostics, hover, code actions, completion and the outline to an editor (LSP on stdio)."""
    lsp = server_module("lsp", "pmlint server", "lsp", ("pygls", "lsprotocol"))
    return int(lsp.main())
