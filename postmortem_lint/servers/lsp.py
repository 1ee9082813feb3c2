"""`pmlint server`: a Language Server on stdio (pygls).

Diagnostics when a document opens, after it changes (debounced: `DEBOUNCE_MS`,
or ``initializationOptions.debounce_ms``) and when it is saved; a save also
refreshes the repository index, so that the cross-file rules (PM701, PM702,
PM703) of every open post-mortem see it. Hover on a finding shows `pmlint rule
CODE`; code actions apply the finding's fix (when it carries one) or disable its
code for the line; completion offers what the template still wants; document
symbols are the section outline. Each document is linted as `pmlint check PATH`
would lint it: the project root and configuration file are found from its folder.
Only files `pmlint check` would check get diagnostics (not the README, not the tracker).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from postmortem_lint import __version__
from postmortem_lint.io.discover import CONFIG_NAMES
from postmortem_lint.servers import complete, fixes, outline, session, suppress
from postmortem_lint.servers.fixes import Edit, Fix
from postmortem_lint.servers.positions import Lines, Point
from postmortem_lint.servers.session import Problem, Project, ProjectError

DEBOUNCE_MS = 150
SOURCE = "pmlint"
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning, "info": lsp.DiagnosticSeverity.Information}
KINDS = {
    "section": lsp.CompletionItemKind.Module,
    "field": lsp.CompletionItemKind.Field,
    "value": lsp.CompletionItemKind.EnumMember,
    "person": lsp.CompletionItemKind.Text,
    "incident": lsp.CompletionItemKind.Reference,
}
TRIGGERS = [" ", "*", "|", "#"]
log = logging.getLogger("pmlint.server")


@dataclass
class Linted:
    """What was last published for a document: its version, text and problems."""

    version: int | None
    text: str
    problems: list[Problem]


class PmlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pmlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.debounce = DEBOUNCE_MS / 1000
        self.today: dt.date | None = None
        """``initializationOptions.today`` (YYYY-MM-DD): the date overdue action items are judged against, for reproducible runs."""
        self.projects: dict[tuple[Path, Path | None], Project] = {}
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.shown: set[str] = set()

    # ------------------------------------------------------------ documents and projects

    def fs_path(self, uri: str) -> Path | None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return Path(path) if path else None

    def project(self, path: Path) -> Project | None:
        """The project of the file at ``path`` (None, and the reason shown once, when its configuration is bad)."""
        try:
            key = Project.key(path.parent)
            if key not in self.projects:
                self.projects[key] = Project.around(path.parent, self._workspace_folder(path))
            return self.projects[key]
        except ProjectError as exc:
            self._show(str(exc))
            return None

    def _workspace_folder(self, path: Path) -> Path | None:
        folders = [Path(p) for f in self.workspace.folders.values() if (p := to_fs_path(f.uri))]
        root = self.workspace.root_path
        folders += [Path(root)] if root else []
        return next((f for f in folders if f == path or f in path.parents), None)

    def _show(self, message: str) -> None:
        if message not in self.shown:
            self.shown.add(message)
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"pmlint: {message}"))

    # ------------------------------------------------------------ diagnostics

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` after the debounce delay (a later change restarts the wait)."""
        self.cancel(uri)
        if self.debounce <= 0:
            self.lint(uri)
            return
        self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self.lint, uri)

    def cancel(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def lint(self, uri: str) -> None:
        """Lint the document as the editor holds it and publish the diagnostics."""
        self.pending.pop(uri, None)
        document = self.workspace.get_text_document(uri)
        text = document.source
        problems = self._problems(uri, text)
        self.linted[uri] = Linted(document.version, text, problems)
        lines = Lines.of(text)
        diagnostics = [self.diagnostic(lines, p) for p in problems]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version))

    def _problems(self, uri: str, text: str) -> list[Problem]:
        path = self.fs_path(uri)
        project = self.project(path) if path is not None else None
        if path is None or project is None:
            return []
        rel = project.rel(path)
        if not project.checks(rel):
            return []
        try:
            return project.lint(rel, text.encode("utf-8", "replace"), self.today)
        except ProjectError as exc:
            self._show(str(exc))
            return []

    def diagnostic(self, lines: Lines, problem: Problem) -> lsp.Diagnostic:
        d = problem.diagnostic
        start, end = lines.span(d.line, d.column, d.end_line, d.end_column)
        data: dict[str, Any] | None = {"fix": problem.fix.to_dict()} if problem.fix is not None else None
        return lsp.Diagnostic(
            range=self.range(lines, start, end),
            message=d.message,
            severity=SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Warning),
            code=d.code,
            code_description=lsp.CodeDescription(href=session.rule_url(d.code, d.name)),
            source=SOURCE,
            data=data,
        )

    @property
    def encoding(self) -> str:
        """The position encoding agreed at initialize ("utf-16" unless the client preferred another)."""
        chosen = self.workspace.position_encoding
        return str(getattr(chosen, "value", chosen) or "utf-16")

    def range(self, lines: Lines, start: Point, end: Point) -> lsp.Range:
        encoding = self.encoding
        (l0, c0), (l1, c1) = lines.to_client(start, encoding), lines.to_client(end, encoding)
        return lsp.Range(start=lsp.Position(line=l0, character=c0), end=lsp.Position(line=l1, character=c1))

    def point(self, lines: Lines, position: lsp.Position) -> Point:
        return lines.from_client(position.line, position.character, self.encoding)

    def refresh(self, path: Path | None) -> None:
        """After a save: a configuration file drops every project; a post-mortem refreshes its project's index.
        Every open document of the affected projects is linted again (cross-file findings may change)."""
        if path is not None and (path.name in CONFIG_NAMES or path.suffix in (".yaml", ".yml") or path.name == "CODEOWNERS"):
            self.projects.clear()
            self.shown.clear()
        else:
            for project in self.projects.values():
                project.refresh()
        for uri in list(self.linted):
            self.cancel(uri)
            self.lint(uri)

    # ------------------------------------------------------------ the document's structure

    def document(self, uri: str) -> tuple[str, Lines, Project | None, str]:
        """The document's text, its lines, its project and its project-relative name."""
        text = self.workspace.get_text_document(uri).source
        path = self.fs_path(uri)
        project = self.project(path) if path is not None else None
        rel = project.rel(path) if project is not None and path is not None else Path(uri).name
        return text, Lines.of(text), project, rel


def create() -> PmlintServer:
    """The server with its features registered."""
    server = PmlintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: PmlintServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        debounce = options.get("debounce_ms")
        if isinstance(debounce, int | float) and debounce >= 0:
            ls.debounce = debounce / 1000
        today = options.get("today")
        if isinstance(today, str):
            try:
                ls.today = dt.date.fromisoformat(today)
            except ValueError:
                ls.window_log_message(
                    lsp.LogMessageParams(type=lsp.MessageType.Warning, message=f"pmlint: today `{today}` is not YYYY-MM-DD")
                )

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PmlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PmlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: PmlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.refresh(ls.fs_path(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PmlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: PmlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        changed = [ls.fs_path(c.uri) for c in params.changes]
        ls.refresh(next((p for p in changed if p is not None and p.suffix not in (".md", ".markdown")), None))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: PmlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return _hover(ls, params)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: PmlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return _code_actions(ls, params)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(ls: PmlintServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        return lsp.CompletionList(is_incomplete=False, items=_completions(ls, params))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: PmlintServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        text, lines, _project, rel = ls.document(params.text_document.uri)
        return [_symbol(ls, lines, node) for node in outline.outline(session.document(rel, text))]

    return server


def _hover(ls: PmlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    linted = ls.linted.get(params.text_document.uri)
    if linted is None:
        return None
    lines = Lines.of(linted.text)
    at = ls.point(lines, params.position)
    hits = [p for p in linted.problems if _covers(lines, p, at)]
    if not hits:
        return None
    parts = []
    for code in dict.fromkeys(p.diagnostic.code for p in hits):
        messages = "\n".join(f"- {p.diagnostic.message}" for p in hits if p.diagnostic.code == code)
        parts.append(f"{messages}\n\n{session.rule_text(code) or code}")
    first = hits[0].diagnostic
    start, end = lines.span(first.line, first.column, first.end_line, first.end_column)
    content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    return lsp.Hover(contents=content, range=ls.range(lines, start, end))


def _covers(lines: Lines, problem: Problem, at: Point) -> bool:
    d = problem.diagnostic
    start, end = lines.span(d.line, d.column, d.end_line, d.end_column)
    return start <= at <= end


def _code_actions(ls: PmlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    text, lines, _project, rel = ls.document(uri)
    ours = [d for d in params.context.diagnostics if d.source == SOURCE and isinstance(d.code, str)]
    if not ours:
        return []
    doc = session.document(rel, text)
    actions: list[lsp.CodeAction] = []
    for diagnostic in ours:
        fix = _fix_in(diagnostic.data)
        if fix is not None and fix.edits:
            title = fix.message or f"Fix {diagnostic.code}"
            label = title if fix.safety == "safe" else f"{title} (unsafe fix)"
            actions.append(_action(ls, uri, lines, label, fix.edits, diagnostic, preferred=fix.safety == "safe"))
        found = suppress.disable(doc, diagnostic.range.start.line + 1, str(diagnostic.code))
        if found is not None:
            actions.append(_action(ls, uri, lines, found.title, found.edits, diagnostic, preferred=False))
    return actions


def _fix_in(data: Any) -> Fix | None:
    """The fix a published diagnostic carries in ``data`` (SPEC §7's shape), None when none or malformed."""
    raw = data.get("fix") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        return None
    try:
        return fixes.parse(raw)
    except (TypeError, ValueError):
        return None


def _action(
    ls: PmlintServer, uri: str, lines: Lines, title: str, edits: tuple[Edit, ...], diagnostic: lsp.Diagnostic, preferred: bool
) -> lsp.CodeAction:
    changes = [lsp.TextEdit(range=_edit_range(ls, lines, e), new_text=e.replacement) for e in edits]
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=lsp.WorkspaceEdit(changes={uri: changes}),
        is_preferred=preferred or None,
    )


def _edit_range(ls: PmlintServer, lines: Lines, edit: Edit) -> lsp.Range:
    """An edit's range (pmlint's 1-based columns, end exclusive) in the client's units."""
    return ls.range(lines, lines.point(edit.line, max(1, edit.column)), lines.point(edit.end_line, max(1, edit.end_column)))


def _completions(ls: PmlintServer, params: lsp.CompletionParams) -> list[lsp.CompletionItem]:
    text, lines, project, rel = ls.document(params.text_document.uri)
    if project is None:
        return []
    row, column = ls.point(lines, params.position)
    before = lines.line(row)[:column]
    doc = session.document(rel, text)
    today = ls.today or dt.date.today()
    known = complete.Known(
        sections=project.required_sections(),
        fields=session.header_fields(),
        values=session.vocabulary(),
        owners=project.owner_names(),
        next_incident=lambda day: project.next_incident(day, rel),
        date=session.incident_date(doc),
        today=today,
    )
    items = []
    for candidate in complete.candidates(before, row + 1, doc, known):
        edit_range = ls.range(lines, (row, candidate.start), (row, column))
        items.append(
            lsp.CompletionItem(
                label=candidate.label,
                kind=KINDS.get(candidate.kind),
                detail=candidate.detail,
                sort_text=f"{candidate.order:04d}",
                filter_text=candidate.label,
                text_edit=lsp.TextEdit(range=edit_range, new_text=candidate.insert),
            )
        )
    return items


def _symbol(ls: PmlintServer, lines: Lines, node: outline.Node) -> lsp.DocumentSymbol:
    first = node.heading.line
    whole = ls.range(lines, (first - 1, 0), lines.point(node.end_line, 0))
    title = ls.range(lines, (first - 1, 0), lines.point(first, 0))
    kind = lsp.SymbolKind.Module if node.heading.level == 1 else lsp.SymbolKind.Namespace
    children = [_symbol(ls, lines, child) for child in node.children]
    return lsp.DocumentSymbol(name=node.name, kind=kind, range=whole, selection_range=title, children=children or None)


def main() -> int:
    """Serve on stdio until the client says exit."""
    create().start_io()
    return 0
