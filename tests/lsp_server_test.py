"""`pmlint server` end to end: the real server in a subprocess, driven by pytest-lsp's client over stdio.

One server for the module, over one committed archive (`serverkit`); each test
opens its own document (a new file name or a buffer of its own), so the tests
stay independent of one another.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lintkit import CLEAN_PATH, clean_text, line_of, replace_line
from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from repokit import clean_env, write
from serverkit import EARLIER_INCIDENT, EARLIER_PATH, SERVER, build_archive

from postmortem_lint.servers.positions import units

pytestmark = pytest.mark.asyncio(loop_scope="module")
WAIT = 20.0
"""Seconds to wait for a notification before the test fails (a hang, not a timing assertion)."""


def _client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics per URI (with its version) in order."""
    client = LanguageClient()
    client.published = defaultdict(list)  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published[params.uri].append(params)  # type: ignore[attr-defined]

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish})
    return client


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_archive(tmp_path_factory.mktemp("lsp") / "archive")
    write(root, "sub/.pmlint.yaml", "ignore: [PM204]\n")
    write(root, "bad/.pmlint.yaml", "severity:\n  PM204: loud\n")
    return root


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*SERVER, "server"], client_factory=_client, server_env=clean_env()),
)
async def client(lsp_client: LanguageClient, repo: Path) -> Any:
    params = lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=from_fs_path(str(repo)),
        workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(repo)) or "", name="archive")],
        initialization_options={"debounce_ms": 50, "today": "2026-03-20"},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


# ---------------------------------------------------------------- helpers


def uri_of(repo: Path, rel: str) -> str:
    found = from_fs_path(str(repo / rel))
    assert found
    return found


async def published(client: LanguageClient, uri: str, count: int) -> lsp.PublishDiagnosticsParams:
    """The ``count``-th publishDiagnostics for ``uri`` (1-based), waiting for it."""
    seen: list[lsp.PublishDiagnosticsParams] = client.published[uri]  # type: ignore[attr-defined]
    async with asyncio.timeout(WAIT):
        while len(seen) < count:
            await asyncio.sleep(0.01)
    return seen[count - 1]


def sent(client: LanguageClient, uri: str) -> int:
    return len(client.published[uri])  # type: ignore[attr-defined]


async def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> lsp.PublishDiagnosticsParams:
    before = sent(client, uri)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text))
    )
    return await published(client, uri, before + 1)


async def change_doc(client: LanguageClient, uri: str, text: str, version: int) -> lsp.PublishDiagnosticsParams:
    before = sent(client, uri)
    change = lsp.TextDocumentContentChangeWholeDocument(text=text)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
    )
    return await published(client, uri, before + 1)


def codes(params: lsp.PublishDiagnosticsParams) -> list[str]:
    return sorted(str(d.code) for d in params.diagnostics)


def only(params: lsp.PublishDiagnosticsParams, code: str) -> lsp.Diagnostic:
    found = [d for d in params.diagnostics if d.code == code]
    assert len(found) == 1, codes(params)
    return found[0]


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 columns) to ``text``, last first."""
    lines = text.split("\n")

    def offset(position: lsp.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        count, index = 0, 0
        while index < len(line) and count < position.character:
            count += units(line[index])
            index += 1
        return sum(len(before) + 1 for before in lines[: position.line]) + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


# ---------------------------------------------------------------- diagnostics


async def test_diagnostics_on_open_carry_exact_ranges_the_code_and_its_docs(client: LanguageClient, repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-open.md")
    found = only(await open_doc(client, uri, text), "PM204")
    row = line_of(text, "**Severity:** SEV-9") - 1
    assert found.range.start == lsp.Position(line=row, character=len("**Severity:** "))
    assert found.range.end == lsp.Position(line=row, character=len("**Severity:** SEV-9"))
    assert found.source == "pmlint"
    assert found.severity == lsp.DiagnosticSeverity.Error
    assert found.code_description is not None
    assert found.code_description.href.endswith("docs/rules.md#pm204-severity-value")


async def test_columns_are_utf16_code_units(client: LanguageClient, repo: Path) -> None:
    prose = "🔥🔥 Checkout failed because of human error in the deploy."
    text = replace_line(clean_text(), "On 2026-03-14 from 14:05 to 15:35 UTC", prose)
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-emoji.md")
    found = only(await open_doc(client, uri, text.replace("INC-2026-03-14-001", "INC-2026-03-14-008")), "PM601")
    before = prose[: prose.index("human error")]
    assert found.range.start.character == units(before) == len(before) + 2
    assert found.range.end.character == units(before + "human error")


async def test_a_change_is_linted_again_with_its_version(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-edited.md")
    text = clean_text().replace("INC-2026-03-14-001", "INC-2026-03-14-009")
    assert "PM204" not in codes(await open_doc(client, uri, text))
    changed = await change_doc(client, uri, replace_line(text, "**Severity:** SEV-2", "**Severity:** P1"), version=2)
    assert changed.version == 2
    assert "PM204" in codes(changed)
    assert "PM204" not in codes(await change_doc(client, uri, text, version=3))


async def test_cross_file_rules_see_the_repository(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-01-09-copy.md")
    text = clean_text().replace("INC-2026-03-14-001", EARLIER_INCIDENT).replace("**Date:** 2026-03-14", "**Date:** 2026-01-09")
    duplicate = only(await open_doc(client, uri, text), "PM701")
    assert EARLIER_PATH in duplicate.message


async def test_the_tracker_row_is_compared_with_the_buffer(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, CLEAN_PATH)
    assert codes(await open_doc(client, uri, clean_text())) == []
    stale = await change_doc(client, uri, replace_line(clean_text(), "**Status:** Final", "**Status:** Closed"), version=2)
    assert "Status `Final` should be `Closed`" in only(stale, "PM703").message
    await change_doc(client, uri, clean_text(), version=3)


async def test_a_save_refreshes_the_repository_index(client: LanguageClient, repo: Path) -> None:
    rel = "tasks/post-mortem-2026-04-02-saved.md"
    text = clean_text().replace("INC-2026-03-14-001", "INC-2026-04-02-001").replace("**Date:** 2026-03-14", "**Date:** 2026-04-02")
    write(repo, rel, text)
    uri = uri_of(repo, rel)
    assert "PM701" not in codes(await open_doc(client, uri, text))
    write(repo, "tasks/post-mortem-2026-04-02-pulled.md", text)
    before = sent(client, uri)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri=uri)))
    assert "tasks/post-mortem-2026-04-02-pulled.md" in only(await published(client, uri, before + 1), "PM701").message
    (repo / "tasks/post-mortem-2026-04-02-pulled.md").unlink()
    before = sent(client, uri)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri=uri)))
    assert "PM701" not in codes(await published(client, uri, before + 1))
    (repo / rel).unlink()


async def test_configuration_is_found_from_the_document_s_folder(client: LanguageClient, repo: Path) -> None:
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9")
    assert "PM204" not in codes(await open_doc(client, uri_of(repo, "sub/tasks/post-mortem-2026-03-14-sub.md"), text))
    assert "PM204" in codes(await open_doc(client, uri_of(repo, "tasks/post-mortem-2026-03-14-top.md"), text.replace("-001", "-011")))


async def test_a_bad_configuration_is_shown_not_crashed_on(client: LanguageClient, repo: Path) -> None:
    params = await open_doc(client, uri_of(repo, "bad/tasks/post-mortem-2026-03-14-bad.md"), clean_text())
    assert not params.diagnostics
    assert any("bad/.pmlint.yaml" in m.message and m.type == lsp.MessageType.Error for m in client.messages)
    assert "PM204" in codes(
        await open_doc(
            client,
            uri_of(repo, "tasks/post-mortem-2026-03-14-after.md"),
            replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-0"),
        )
    )


async def test_files_check_would_not_check_get_no_diagnostics(client: LanguageClient, repo: Path) -> None:
    assert not (await open_doc(client, uri_of(repo, "README.md"), "# Our incidents\n\nSee tasks/.\n")).diagnostics
    assert not (await open_doc(client, uri_of(repo, "POST_MORTEM_TRACKING.md"), "# Tracking\n")).diagnostics


async def test_closing_a_document_clears_its_diagnostics(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-closed.md")
    assert (await open_doc(client, uri, replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-0"))).diagnostics
    before = sent(client, uri)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri=uri)))
    assert not (await published(client, uri, before + 1)).diagnostics


# ---------------------------------------------------------------- hover


async def test_hover_on_a_finding_explains_its_rule(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-hover.md")
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV-9").replace("-001", "-013")
    found = only(await open_doc(client, uri, text), "PM204")
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri=uri), found.range.start))
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "PM204 severity-value" in hover.contents.value
    assert "## What it does" in hover.contents.value
    assert found.message in hover.contents.value
    elsewhere = lsp.Position(line=1, character=0)
    assert await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri=uri), elsewhere)) is None


# ---------------------------------------------------------------- code actions


async def _actions(client: LanguageClient, uri: str, diagnostic: lsp.Diagnostic) -> list[lsp.CodeAction]:
    context = lsp.CodeActionContext(diagnostics=[diagnostic])
    params = lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri=uri), diagnostic.range, context)
    found = await client.text_document_code_action_async(params)
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


@pytest.mark.parametrize(
    ("name", "needle", "new", "code", "title"),
    [
        ("header", "**Severity:** SEV-2", "**Severity:** SEV-9", "PM204", "Disable PM204 for this line"),
        (
            "prose",
            "The release was rolled back at 15:09 UTC",
            "The rollout was careless. The release was rolled back at 15:09 UTC",
            "PM601",
            "line",
        ),
        ("row", "| AI-004 | Rate-limit", "| AI-4 | Rate-limit", "PM503", "Disable PM503 for this table"),
        (
            "bullet",
            "- **Reputation Impact:** Moderate",
            "- **Reputation Impact:** Moderate; the outage was blamed on human error",
            "PM601",
            "line",
        ),
    ],
)
async def test_disabling_a_code_for_a_line_silences_it_and_nothing_else(
    client: LanguageClient, repo: Path, name: str, needle: str, new: str, code: str, title: str
) -> None:
    uri = uri_of(repo, f"tasks/post-mortem-2026-03-14-disable-{name}.md")
    text = replace_line(clean_text(), needle, new)
    opened = await open_doc(client, uri, text)
    others = [c for c in codes(opened) if c != code]
    actions = [a for a in await _actions(client, uri, only(opened, code)) if a.title.startswith(f"Disable {code}")]
    assert len(actions) == 1 and title in actions[0].title
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    fixed = apply_edits(text, list(actions[0].edit.changes[uri]))
    assert codes(await change_doc(client, uri, fixed, version=2)) == others


async def test_a_fix_carried_by_a_diagnostic_becomes_a_quick_fix(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-fixable.md")
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** sev-2 ").replace("-001", "-031")
    await open_doc(client, uri, text)
    row = line_of(text, "**Severity:** sev-2")
    fix = {
        "safety": "safe",
        "message": "Write the severity as SEV-2",
        "edits": [{"line": row, "column": 15, "end_line": row, "end_column": 21, "replacement": "SEV-2"}],
    }
    fake = lsp.Diagnostic(
        range=lsp.Range(lsp.Position(line=row - 1, character=14), lsp.Position(line=row - 1, character=20)),
        message="severity `sev-2` is not one of SEV-1..SEV-4",
        code="PM204",
        source="pmlint",
        data={"fix": fix},
    )
    actions = await _actions(client, uri, fake)
    quick = [a for a in actions if a.title == "Write the severity as SEV-2"]
    assert len(quick) == 1 and quick[0].is_preferred
    assert quick[0].kind == lsp.CodeActionKind.QuickFix
    assert quick[0].edit is not None and quick[0].edit.changes is not None
    assert apply_edits(text, list(quick[0].edit.changes[uri])) == replace_line(text, "**Severity:** sev-2 ", "**Severity:** SEV-2")
    unsafe = {**fix, "safety": "unsafe"}
    fake.data = {"fix": unsafe}
    assert next(a.title for a in await _actions(client, uri, fake)) == "Write the severity as SEV-2 (unsafe fix)"


# ---------------------------------------------------------------- completion


async def _complete(client: LanguageClient, uri: str, text: str, line: int, character: int | None = None) -> list[lsp.CompletionItem]:
    """Completion at the end of 1-based ``line`` of the document (``text``, as the server holds it), or at ``character``."""
    row = text.split("\n")[line - 1]
    position = lsp.Position(line=line - 1, character=units(row) if character is None else character)
    found = await client.text_document_completion_async(lsp.CompletionParams(lsp.TextDocumentIdentifier(uri=uri), position))
    items = found.items if isinstance(found, lsp.CompletionList) else found or []
    return list(items)


async def test_completion_offers_the_missing_sections(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-sections.md")
    text = clean_text().replace("-001", "-041")
    start, end = line_of(text, "## Lessons Learned"), line_of(text, "## Action Items")
    lines = text.split("\n")
    del lines[start - 1 : end - 1]
    at = line_of("\n".join(lines), "## Action Items")
    lines.insert(at - 1, "## ")
    typed = "\n".join(lines)
    await open_doc(client, uri, typed)
    items = await _complete(client, uri, typed, at)
    assert [i.label for i in items] == ["Lessons Learned"]
    assert items[0].text_edit is not None and items[0].text_edit.new_text == "Lessons Learned"


async def test_completion_offers_the_subsections_of_the_section_at_hand(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-subsections.md")
    text = replace_line(clean_text().replace("-001", "-042"), "### Business Impact", "### Bus")
    await open_doc(client, uri, text)
    items = await _complete(client, uri, text, line_of(text, "### Bus"))
    assert [i.label for i in items] == ["Business Impact"]
    edit = items[0].text_edit
    assert isinstance(edit, lsp.TextEdit) and edit.range.start.character == len("### ")


async def test_completion_offers_header_fields_and_their_values(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-fields.md")
    text = replace_line(clean_text().replace("-001", "-043"), "**Author:** Daniel Okafor", "**")
    await open_doc(client, uri, text)
    fields = await _complete(client, uri, text, line_of(text, "**Duration:**") + 2)
    assert [i.label for i in fields] == ["Author"]
    assert fields[0].text_edit is not None and fields[0].text_edit.new_text == "Author:** "
    severity = replace_line(text, "**Severity:** SEV-2", "**Severity:** ")
    await change_doc(client, uri, severity, version=2)
    assert [i.label for i in await _complete(client, uri, severity, line_of(severity, "**Severity:**"))] == [
        "SEV-1",
        "SEV-2",
        "SEV-3",
        "SEV-4",
    ]
    status = replace_line(text, "**Status:** Final", "**Status:** ")
    await change_doc(client, uri, status, version=3)
    labels = [i.label for i in await _complete(client, uri, status, line_of(status, "**Status:**"))]
    assert labels == ["Draft", "Under Review", "Final", "Closed"]


async def test_completion_offers_the_next_free_incident_number(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-01-09-numbered.md")
    text = clean_text().replace("**Date:** 2026-03-14", "**Date:** 2026-01-09")
    typed = replace_line(text, "**Incident Number:** INC-2026-03-14-001", "**Incident Number:** ")
    await open_doc(client, uri, typed)
    items = await _complete(client, uri, typed, line_of(typed, "**Incident Number:**"))
    assert [i.label for i in items] == ["INC-2026-01-09-003"]


async def test_completion_offers_owners_from_the_roster_and_the_document(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-owners.md")
    text = replace_line(
        clean_text().replace("-001", "-044"),
        "| AI-004 | Rate-limit the staging tax sandbox and load-test 10- and 20-line carts | Marcus Lee |",
        "| AI-004 | Rate-limit the staging tax sandbox | Sa",
    )
    await open_doc(client, uri, text)
    row = line_of(text, "| AI-004 | Rate-limit the staging tax sandbox | Sa")
    labels = [i.label for i in await _complete(client, uri, text, row, len("| AI-004 | Rate-limit the staging tax sandbox | Sa"))]
    assert "Sam Rivera" in labels
    assert "Hannah Schultz" in labels
    assert labels.index("Sam Rivera") < labels.index("Hannah Schultz")
    assert await _complete(client, uri, text, row, len("| AI-004 | Rate")) == []


# ---------------------------------------------------------------- document symbols


async def test_document_symbols_are_the_section_outline(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-outline.md")
    text = clean_text().replace("-001", "-051")
    await open_doc(client, uri, text)
    found = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri=uri)))
    assert found is not None and len(found) == 1
    title = found[0]
    assert isinstance(title, lsp.DocumentSymbol) and title.name.startswith("Post-Mortem:")
    sections = [s.name for s in title.children or []]
    assert sections[:3] == ["Executive Summary", "Impact", "Timeline"]
    assert sections[-1] == "Post-Mortem Quality Checklist"
    impact = (title.children or [])[1]
    assert [s.name for s in impact.children or []] == ["Customer Impact", "Technical Impact", "Business Impact"]
    timeline = (title.children or [])[2]
    assert impact.range.end.line == timeline.range.start.line - 1
    assert impact.selection_range.start.line == line_of(text, "## Impact") - 1


async def test_a_rules_real_fix_is_a_quick_fix_that_clears_the_finding(client: LanguageClient, repo: Path) -> None:
    uri = uri_of(repo, "tasks/post-mortem-2026-03-14-realfix.md")
    text = replace_line(clean_text(), "**Severity:** SEV-2", "**Severity:** SEV 2").replace("-001", "-032")
    opened = await open_doc(client, uri, text)
    found = only(opened, "PM204")
    assert found.data is not None and found.data["fix"]["safety"] == "safe"
    quick = [a for a in await _actions(client, uri, found) if a.kind == lsp.CodeActionKind.QuickFix and a.is_preferred]
    assert len(quick) == 1 and "SEV-2" in quick[0].title
    assert quick[0].edit is not None and quick[0].edit.changes is not None
    fixed = apply_edits(text, list(quick[0].edit.changes[uri]))
    assert fixed == replace_line(text, "**Severity:** SEV 2", "**Severity:** SEV-2")
    assert "PM204" not in codes(await change_doc(client, uri, fixed, version=2))
