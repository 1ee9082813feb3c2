"""docs/editors.md: its snippets parse, name the server as `pmlint` starts it, and that command serves.

The commands are taken from the snippets themselves: the Helix and VS Code ones are
started and answer an LSP `initialize` with the capabilities the page describes; the
`mcpServers` one is started (with its root replaced) and lists the seven tools.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from lintkit import REPO
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from readme_test import FENCE
from repokit import clean_env, make_repo
from serverkit import SERVER

PAGE = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
SNIPPETS = [(m.group(2), m.group(3)) for m in FENCE.finditer(PAGE)]


def _of(lang: str) -> list[str]:
    return [text for kind, text in SNIPPETS if kind == lang]


def _json(key: str) -> dict[str, Any]:
    found = [json.loads(text) for text in _of("json") if key in text]
    assert len(found) == 1, key
    return found[0]  # type: ignore[no-any-return]


def _toml(key: str) -> dict[str, Any]:
    found = [tomllib.loads(text) for text in _of("toml") if key in text]
    assert len(found) == 1, key
    return found[0]


def test_every_snippet_parses() -> None:
    assert {kind for kind, _ in SNIPPETS} == {"sh", "json", "lua", "toml", "rust"}
    for text in _of("json"):
        json.loads(text)
    for text in _of("toml"):
        tomllib.loads(text)
    for text in _of("lua"):
        assert text.count("(") == text.count(")") and text.count("{") == text.count("}")
        assert "{ 'pmlint', 'server' }" in text
    (rust,) = _of("rust")
    assert 'args: vec!["server".into()]' in rust and 'which("pmlint")' in rust


def test_each_editor_starts_pmlint_server() -> None:
    helix = _toml("[language-server.pmlint]")["language-server"]["pmlint"]
    assert [helix["command"], *helix["args"]] == ["pmlint", "server"]
    assert "pmlint" in _toml("[[language]]")["language"][0]["language-servers"]
    code = _json("glspc.server.command")
    assert [code["glspc.server.command"], *code["glspc.server.commandArguments"]] == ["pmlint", "server"]
    assert code["glspc.server.languageId"] == ["markdown"]
    zed = _toml("[language_servers.pmlint]")
    assert zed["language_servers"]["pmlint"]["language"] == "Markdown"
    assert _toml("zed_extension_api")["lib"]["crate-type"] == ["cdylib"]
    assert _json('"languages"')["languages"]["Markdown"]["language_servers"][0] == "pmlint"


def _message(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _responses(raw: bytes) -> list[dict[str, Any]]:
    found, at = [], 0
    while (head := raw.find(b"\r\n\r\n", at)) >= 0:
        length = int(re.search(rb"Content-Length: (\d+)", raw[at:head]).group(1))  # type: ignore[union-attr]
        found.append(json.loads(raw[head + 4 : head + 4 + length]))
        at = head + 4 + length
    return found


def test_the_documented_server_command_answers_initialize(tmp_path: Path) -> None:
    make_repo(tmp_path)
    helix = _toml("[language-server.pmlint]")["language-server"]["pmlint"]
    options = _json("glspc.server.command")["glspc.server.initializationOptions"]
    init = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}, "initializationOptions": options}
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    command = [*SERVER, *helix["args"]]
    done = subprocess.run(
        command, input=b"".join(map(_message, messages)), cwd=tmp_path, env=clean_env(), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    replies = {r["id"]: r for r in _responses(done.stdout) if "id" in r}
    capabilities = replies[1]["result"]["capabilities"]
    assert replies[1]["result"]["serverInfo"]["name"] == "pmlint"
    for feature in ("hoverProvider", "codeActionProvider", "completionProvider", "documentSymbolProvider"):
        assert capabilities.get(feature), feature
    assert capabilities["textDocumentSync"]["save"] is not None
    assert replies[2]["result"] is None


@pytest.mark.asyncio
async def test_the_documented_mcp_registration_serves_the_tools(tmp_path: Path) -> None:
    make_repo(tmp_path)
    server = _json("mcpServers")["mcpServers"]["pmlint"]
    assert server["command"] == "pmlint" and server["args"][0] == "mcp"
    args = [str(tmp_path) if a == "/path/to/your/incidents-repo" else a for a in server["args"]]
    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], *args], env=clean_env())
    with open("/dev/null", "w") as quiet:
        async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name for t in (await session.list_tools()).tools}
    assert tools == {"questions", "scaffold", "lint", "explain", "fix", "actions", "related_incidents"}
