"""`pmlint mcp`: the Model Context Protocol server on stdio (needs the ``mcp`` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_lint.commands._extras import server_module


@click.command("mcp")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder of the project to serve (default: the current folder); paths outside its project root are refused.",
)
def mcp_command(root: Path | None) -> int:
    """Give an AI assistant pmlint's questions, scaffold, lint, explain, fix, actions and related incidents (MCP on stdio)."""
    mcp_server = server_module("mcp_server", "pmlint mcp", "mcp", ("mcp",))
    return int(mcp_server.main(root or Path.cwd()))
