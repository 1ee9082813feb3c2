"""`pmlint server` with a client that prefers UTF-8 positions (Neovim 0.11 does): ranges, hover and completion in bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lintkit import clean_text, line_of, replace_line
from lsp_server_test import _client, only, open_doc, uri_of
from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from repokit import clean_env
from serverkit import SERVER, build_archive

pytestmark = pytest.mark.asyncio


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "archive")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*SERVER, "server"], client_factory=_client, server_env=clean_env()))
async def client(lsp_client: LanguageClient, repo: Path) -> Any:
    capabilities = client_capabilities("neovim@v0.11.0")
    assert capabilities.general is not None and capabilities.general.position_encodings
    assert capabilities.general.position_encodings[0] == lsp.PositionEncodingKind.Utf8
    params = lsp.InitializeParams(
        capabilities=capabilities, root_uri=from_fs_path(str(repo)), initialization_options={"today": "2026-03-20"}
    )
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


async def test_positions_are_utf8_bytes_when_the_client_prefers_them(client: LanguageClient, repo: Path) -> None:
    prose = "Zoë's 🔥 checkout failed because of human error."
    text = replace_line(clean_text(), "On 2026-03-14 from 14:05 to 15:35 UTC", prose)
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-bytes.md")
    found = only(await open_doc(client, uri, text), "PM601")
    before = prose[: prose.index("human error")]
    assert found.range.start.character == len(before.encode("utf-8")) == len(before) + 1 + 3
    assert found.range.end.character == len((before + "human error").encode("utf-8"))
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri=uri), found.range.end))
    assert hover is not None and "PM601" in str(hover.contents)
    row = line_of(text, "**Author:** Daniel Okafor") - 1
    typed = replace_line(text, "**Author:** Daniel Okafor", "**Author:** Zoë ")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2), [lsp.TextDocumentContentChangeWholeDocument(text=typed)]
        )
    )
    at = lsp.Position(line=row, character=len("**Author:** Zoë ".encode()))
    found_items = await client.text_document_completion_async(lsp.CompletionParams(lsp.TextDocumentIdentifier(uri=uri), at))
    items = found_items.items if isinstance(found_items, lsp.CompletionList) else list(found_items or [])
    assert items, "no author candidates"
    edit = items[0].text_edit
    assert isinstance(edit, lsp.TextEdit)
    assert edit.range.start.character == len("**Author:** ") and edit.range.end.character == at.character
