"""One file -> its raw `FileResult`: decode, build the document, run the document rules, summarize.

Pure per-file work, run in the parent or in worker processes (`lint.pool`). The
engine loads this module only for files the cache does not answer for
(`core.lazy`): it imports the document model, the builder and the rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from dataclasses import replace
from pathlib import Path

from postmortem_lint.checks import registry
from postmortem_lint.config.settings import DEFAULTS, Settings
from postmortem_lint.core.diagnostics import Finding
from postmortem_lint.document import source as source_mod
from postmortem_lint.document.build import build
from postmortem_lint.document.summarize import header_summary
from postmortem_lint.document.summary import Summary
from postmortem_lint.io import files
from postmortem_lint.lint import providers
from postmortem_lint.lint.cache import digest_of
from postmortem_lint.lint.policy import selected
from postmortem_lint.lint.results import FileResult, Target
from postmortem_lint.packs.templates.summarize import header_readable, summarize

Work = tuple[Target, Settings, dt.date, bool]
"""What a worker is given per file: the target, the settings, the date and whether to hash the bytes linted."""


def lint_bytes(rel: str, data: bytes | None, path: Path | None, settings: Settings, today: dt.date) -> FileResult:
    """Check one file's content (read from ``path`` when ``data`` is None)."""
    decoded = source_mod.decode(data) if data is not None else _source_at(path or Path(rel))
    if isinstance(decoded, source_mod.SourceError):
        return FileResult(rel, [Finding(decoded.line, decoded.message, code="PM000")])
    doc = build(rel, decoded)
    ctx = providers.context(settings, today)
    found: list[Finding] = []
    for code, check in document_rules(settings.select, settings.ignore):
        found.extend(replace(f, code=code) for f in check(doc, ctx))
    return FileResult(rel, found, summarize(doc, ctx.packs.template()), doc.suppressions)


@functools.lru_cache(maxsize=16)
def document_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[tuple[str, registry.Check], ...]:
    """The enabled document rules for a selection, worked out once per process, not per file."""
    codes = [code for code, info in registry.catalog().items() if info.scope == "document" and selected(code, select, ignore)]
    return tuple(registry.checks(codes).items())


def warm_up() -> None:
    """Load the default rules and the shipped packs they read, as the first document would (`engine.warm_up`)."""
    document_rules(DEFAULTS.select, DEFAULTS.ignore)
    packs = providers.packdata()
    packs.blame_pack()
    packs.sections_pack(None)
    packs.example_phrases()


def lint_target(work: Work) -> tuple[bytes, FileResult]:
    """Lint one target; with ``hashed``, also the sha256 of exactly the bytes linted (b"" when unreadable)."""
    target, settings, today, hashed = work
    data = target.content() if hashed else target.data
    digest = digest_of(data) if hashed and data is not None else b""
    return digest, lint_bytes(target.rel, data, target.path, settings, today)


def _source_at(path: Path) -> source_mod.Source | source_mod.SourceError:
    """Read and decode ``path``; I/O problems become a `SourceError` (PM000)."""
    data = files.read_capped(path, source_mod.MAX_BYTES)
    return source_mod.SourceError(data.message) if isinstance(data, files.Unreadable) else source_mod.decode(data)


def header_of(rel: str, data: bytes | None, settings: Settings | None = None) -> Summary | None:
    """The header summary of a file not reported on (only the bytes before the first ``## `` are decoded).

    When the run's template pack writes the incident number or date elsewhere (`header_readable`),
    the whole file is built and summarized instead.
    """
    pack = providers.packdata().template_pack(settings.template, settings.root) if settings and settings.template else None
    if pack is not None and not header_readable(pack):
        decoded = source_mod.decode(data) if data is not None else None
        if decoded is None or isinstance(decoded, source_mod.SourceError):
            return None
        return summarize(build(rel, decoded), pack)
    if data is not None:
        end = data.find(b"\n## ")
        data = data[: end + 1] if end >= 0 else data
    decoded = source_mod.decode(data) if data is not None else None
    if decoded is None or isinstance(decoded, source_mod.SourceError):
        return None
    return header_summary(rel, decoded)


GC_YOUNG = 5000
"""The cyclic collector's first threshold while files are linted (Python's default is 700).

Linting a file leaves no cyclic garbage (`document.parse` cuts the parser's one cycle), so
collections only walk live objects: a tenth of them costs nothing and saves ~5 % of a run."""


def collect_less() -> tuple[int, ...]:
    """Raise the collector's first threshold to `GC_YOUNG`; the thresholds before."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_YOUNG), *before[1:])
    return before
