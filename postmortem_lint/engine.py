"""check(targets, settings) -> diagnostics: the one pipeline every command uses.

file -> decode -> parse/build -> document rules -> (all files) repository rules ->
severity, selection, suppressions -> sorted diagnostics. Per-file work is pure
and runs in worker processes for large runs; the repository rules run once in
the parent over small summaries.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmortem_lint import cache as cache_mod
from postmortem_lint import source as source_mod
from postmortem_lint.codes import is_known
from postmortem_lint.config import Settings
from postmortem_lint.diagnostics import Diagnostic, Finding
from postmortem_lint.index import RepoIndex, Summary, header_summary, summarize
from postmortem_lint.registry import COMPLETENESS, RULES, Context, Rule, catalog

if TYPE_CHECKING:
    from postmortem_lint.model import Suppression

PARALLEL_THRESHOLD = 48
ALWAYS = ("PM1", "PM7", "PM000")
"""Rule prefixes that still apply to post-mortems dated before `since`."""


@dataclass(frozen=True)
class Target:
    """A file to check: where it is, how to show it, and optionally its content."""

    path: Path
    rel: str
    data: bytes | None = None


@dataclass
class FileResult:
    """Raw per-file outcome, before selection and suppression."""

    rel: str
    findings: list[Finding] = field(default_factory=list)
    summary: Summary | None = None
    suppressions: tuple[Suppression, ...] = ()


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    results: dict[str, FileResult] = field(default_factory=dict)


Linted = tuple[bytes, FileResult, tuple[Any, ...] | None]
"""A linted file: the sha256 of its bytes (b"" when not hashed), its result, and that result encoded when at hand."""


def lint_bytes(rel: str, data: bytes | None, path: Path | None, settings: Settings, today: dt.date) -> FileResult:
    """Check one file's content (read from ``path`` when ``data`` is None)."""
    from postmortem_lint.build import build

    decoded = source_mod.decode(data) if data is not None else source_mod.read(path or Path(rel))
    if isinstance(decoded, source_mod.SourceError):
        return FileResult(rel, [Finding(decoded.line, decoded.message, code="PM000")])
    doc = build(rel, decoded)
    ctx = Context(settings, today)
    findings: list[Finding] = []
    for rule in _document_rules(settings.select, settings.ignore):
        findings.extend(replace(f, code=rule.code) for f in rule.check(doc, ctx))
    return FileResult(rel, findings, summarize(doc), doc.suppressions)


def document_rules(settings: Settings) -> list[Rule]:
    return list(_document_rules(settings.select, settings.ignore))


@functools.lru_cache(maxsize=16)
def _document_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    """The enabled document rules for a selection, worked out once per process, not per file."""
    chosen = Settings(select=select, ignore=ignore)
    return tuple(r for r in catalog().values() if r.scope == "document" and enabled(r.code, chosen))


def enabled(code: str, settings: Settings) -> bool:
    """Selection as in ruff: the most specific matching prefix of select/ignore wins (ignore on a tie)."""
    chosen = _longest(code, settings.select) if settings.select else 0
    if chosen < 0:
        return False
    ignored = _longest(code, settings.ignore) if settings.ignore else -1
    return ignored < 0 or ignored < chosen


def _longest(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix matching ``code`` (ALL = 0), -1 if none."""
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


def _lint_target(args: tuple[Target, Settings, dt.date, bool]) -> tuple[bytes, FileResult]:
    """Lint one target; with ``hashed``, also the sha256 of exactly the bytes linted (b"" when unreadable)."""
    target, settings, today, hashed = args
    data = target.data
    if hashed and data is None:
        data = _read(target.path)
    digest = cache_mod.digest_of(data) if hashed and data is not None else b""
    return digest, lint_bytes(target.rel, data, target.path, settings, today)


def _read(path: Path) -> bytes | None:
    """Capped, non-blocking read (a FIFO named like a post-mortem must not hang the run); None when unreadable."""
    data = source_mod.read_bytes(path)
    return None if isinstance(data, source_mod.SourceError) else data


def lint_all(
    targets: Sequence[Target],
    settings: Settings,
    today: dt.date,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    light: frozenset[str] = frozenset(),
) -> Iterator[FileResult]:
    """Per-file results, in parallel when there are many files.

    With ``cache``, files whose bytes are unchanged since a run with the same
    run key come from the result cache (`cache.py`), without parsing; only the
    others are linted (in parallel when there are many), then stored. Files in
    ``light`` get only a header summary (`index.header_summary`): they are not
    reported on and feed only the cross-file rules. With ``cache`` those come
    from the header cache when the file's stat is unchanged, and their result
    cache entries are kept for the runs that check them.
    """
    store = cache_mod.ResultCache.open(settings) if cache else None
    headers = cache_mod.HeaderCache.open(settings.root) if cache and light else None
    pending: list[Target] = []
    done = 0
    for target in targets:
        if target.rel in light:
            hit: FileResult | None = _header_only(target, headers)
            if store is not None:
                store.retain(target.rel)
        else:
            if headers is not None:
                headers.retain(target.rel)
            hit = _lookup(store, target) if store is not None else None
        if hit is None:
            pending.append(target)
            continue
        done += 1
        if progress:
            progress(done, len(targets))
        yield hit
    for digest, result, plain in _lint_many(pending, settings, today, jobs, store is not None):
        if store is not None and digest:
            store.put(result.rel, digest, result, plain)
        done += 1
        if progress:
            progress(done, len(targets))
        yield result
    if store is not None:
        store.save()
    if headers is not None:
        headers.save()


def _header_only(target: Target, headers: cache_mod.HeaderCache | None = None) -> FileResult:
    """A result holding only the summary the cross-file rules need (no parse, no rules).

    Only the bytes before the first ``## `` heading are decoded: the header block.
    With ``headers``, a file whose stat is unchanged is not read at all; the stat
    is taken before the read, so that what is stored is never older than it.
    """
    stamp = headers.stamp(target.path) if headers is not None and target.data is None else None
    cached = headers.get(target.rel, stamp) if headers is not None and stamp is not None else None
    if cached is not None:
        return FileResult(target.rel, summary=cached)
    data = target.data if target.data is not None else _read(target.path)
    if data is not None:
        end = data.find(b"\n## ")
        data = data[: end + 1] if end >= 0 else data
    decoded = source_mod.decode(data) if data is not None else None
    if decoded is None or isinstance(decoded, source_mod.SourceError):
        return FileResult(target.rel)
    summary = header_summary(target.rel, decoded)
    if headers is not None and stamp is not None:
        headers.put(target.rel, stamp, summary)
    return FileResult(target.rel, summary=summary)


def _lookup(store: cache_mod.ResultCache, target: Target) -> FileResult | None:
    data = target.data if target.data is not None else _read(target.path)
    return store.get(target.rel, cache_mod.digest_of(data)) if data is not None else None


def _lint_many(targets: list[Target], settings: Settings, today: dt.date, jobs: int, hashed: bool) -> Iterator[Linted]:
    """(digest, result, result as plain tuples or None) of each target, in parallel when there are many."""
    workers = jobs or (os.cpu_count() or 1)
    work = [(t, settings, today, hashed) for t in targets]
    if workers <= 1 or len(work) < PARALLEL_THRESHOLD:
        return ((digest, result, None) for digest, result in map(_lint_target, work))
    return _parallel(work, workers)


def _lint_encoded(args: tuple[Target, Settings, dt.date, bool]) -> tuple[bytes, str, tuple[Any, ...]]:
    """`_lint_target` in a worker: the result as plain tuples, much cheaper to send back than pickled objects."""
    digest, result = _lint_target(args)
    return digest, result.rel, cache_mod.encode(result)


def _parallel(work: list[tuple[Target, Settings, dt.date, bool]], workers: int) -> Iterator[Linted]:
    """Lint in worker processes, forked after the parser and the rules are loaded so none imports them again.

    Chunks of at most 16 files (~0.2 s of work): few enough round trips, and a short tail
    when one worker finishes its last chunk alone.
    """
    import gc
    from concurrent.futures import ProcessPoolExecutor

    import postmortem_lint.parse  # noqa: F401

    catalog()
    gc.freeze()
    chunk = max(1, min(16, len(work) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for digest, rel, plain in pool.map(_lint_encoded, work, chunksize=chunk):
                yield digest, cache_mod.decode(rel, plain), plain
    finally:
        gc.unfreeze()


def finish(
    results: dict[str, FileResult],
    report: set[str] | None,
    settings: Settings,
    today: dt.date,
    index: RepoIndex | None = None,
) -> list[Diagnostic]:
    """Repository rules, severities, selection and suppressions -> sorted diagnostics."""
    index = index or RepoIndex.of(r.summary for r in results.values() if r.summary)
    rules = _rules_needed(results, report, settings)
    repo_rules = [r for r in rules.values() if r.scope == "repo" and enabled(r.code, settings)]
    ctx = Context(settings, today)
    out: list[Diagnostic] = []
    for rel, result in results.items():
        if report is not None and rel not in report:
            continue
        findings = list(result.findings)
        if result.summary is not None:
            findings.extend(_repo_findings(result.summary, index, ctx, repo_rules))
        out.extend(_file_diagnostics(result, findings, rules, settings))
    return sorted(out, key=lambda d: d.sort_key)


def _rules_needed(results: dict[str, FileResult], report: set[str] | None, settings: Settings) -> dict[str, Rule]:
    """The registered rules, once those this report needs are: the enabled repository rules,
    those of the reported findings, and PM901 where there are suppressions.

    Only their modules are imported (`checks.load`): over cached results, a
    one-file run imports a few rule modules, not all of them.
    """
    from postmortem_lint import checks

    codes = {code for code in checks.REPOSITORY if enabled(code, settings)}
    for rel, result in results.items():
        if report is None or rel in report:
            codes.update(f.code for f in result.findings)
            if result.suppressions:
                codes.add("PM901")
    checks.load(codes)
    return dict(sorted(RULES.items()))


def _repo_findings(summary: Summary, index: RepoIndex, ctx: Context, repo_rules: list[Rule]) -> Iterator[Finding]:
    for rule in repo_rules:
        yield from (replace(f, code=rule.code) for f in rule.check(summary, index, ctx))


def _file_diagnostics(result: FileResult, findings: list[Finding], rules: dict[str, Rule], settings: Settings) -> list[Diagnostic]:
    status = result.summary.status if result.summary else None
    old = _before_since(result.summary, settings)
    kept: list[Diagnostic] = []
    for finding in findings:
        if not _applies(finding.code, result.rel, settings, old):
            continue
        severity = _severity(rules[finding.code], status, settings)
        if severity != "off":
            kept.append(_stamp(result.rel, finding, rules[finding.code], severity))
    return _suppress(kept, result, rules, settings)


def _applies(code: str, rel: str, settings: Settings, old: bool) -> bool:
    if not enabled(code, settings) or (old and not code.startswith(ALWAYS)):
        return False
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(rel, pattern) and any(code.startswith(c) or c == "ALL" for c in codes):
            return False
    return True


def _before_since(summary: Summary | None, settings: Settings) -> bool:
    if settings.since is None or summary is None:
        return False
    date = summary.incident_date
    return date is not None and date < settings.since


def _severity(rule: Rule, status: str | None, settings: Settings) -> str:
    """Configured, else by status for completeness rules (a missing or invalid status counts as Final), else the rule's own."""
    configured = configured_severity(rule.code, settings)
    if configured:
        return configured
    if rule.severity == COMPLETENESS:
        return "warning" if status == "Draft" else "error"
    return rule.severity


def configured_severity(code: str, settings: Settings) -> str | None:
    """The `severity` setting for ``code``: its own entry, else that of its longest configured prefix (ALL the shortest)."""
    if not settings.severity:
        return None
    if code in settings.severity:
        return settings.severity[code]
    best = max(settings.severity, key=lambda prefix: _longest(code, (prefix,)))
    return settings.severity[best] if _longest(code, (best,)) >= 0 else None


def _stamp(rel: str, finding: Finding, rule: Rule, severity: str) -> Diagnostic:
    line = max(1, finding.line)
    return Diagnostic(
        path=rel,
        line=line,
        column=max(0, finding.column),
        end_line=max(line, finding.end_line),
        end_column=max(0, finding.end_column),
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=finding.message,
        fixable=rule.fixable,
        text=finding.text,
    )


def _suppress(diagnostics: list[Diagnostic], result: FileResult, rules: dict[str, Rule], settings: Settings) -> list[Diagnostic]:
    """Drop the suppressed diagnostics; add PM901 for each suppression that dropped none.

    A suppression naming an unknown code is PM902's (reported by the rule), not PM901's.
    """
    if not result.suppressions:
        return diagnostics
    used: set[int] = set()
    kept = []
    for diagnostic in diagnostics:
        hit = next((i for i, s in enumerate(result.suppressions) if _covers(s, diagnostic)), None)
        if hit is None:
            kept.append(diagnostic)
        else:
            used.add(hit)
    if _applies("PM901", result.rel, settings, _before_since(result.summary, settings)) and configured_severity("PM901", settings) != "off":
        for i, supp in enumerate(result.suppressions):
            if i not in used and all(enabled(c, settings) and is_known(c) for c in supp.codes):
                kept.append(_unused(result.rel, supp, rules["PM901"], settings))
    return kept


def _covers(supp: Suppression, diagnostic: Diagnostic) -> bool:
    return supp.covers(diagnostic.code, diagnostic.line)


def _unused(rel: str, supp: Suppression, rule: Rule, settings: Settings) -> Diagnostic:
    codes = ",".join(supp.codes) or "all codes"
    finding = Finding(
        supp.line,
        f"`pmlint-disable{'-' + supp.kind if supp.kind != 'range' else ''}` for {codes} suppresses nothing",
        supp.column,
        text=f"{supp.kind}:{codes}",
    )
    return _stamp(rel, finding, rule, configured_severity("PM901", settings) or rule.severity)


def check(
    targets: Sequence[Target],
    settings: Settings,
    today: dt.date,
    report: set[str] | None = None,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
    against: dict[str, Summary] | None = None,
    against_ref: str | None = None,
    cache: bool = False,
) -> RunResult:
    """Check ``targets``; report only those in ``report`` (None: all of them).

    ``against`` holds the summaries of post-mortems at ``against_ref`` (``--against``).
    ``cache`` reads and writes the result cache (`cache.py`).
    """
    light = frozenset(t.rel for t in targets) - report if report is not None else frozenset()
    results = {r.rel: r for r in lint_all(targets, settings, today, jobs, progress, cache, light)}
    index = RepoIndex.of(r.summary for r in results.values() if r.summary)
    index.against, index.against_ref = against or {}, against_ref
    diagnostics = finish(results, report, settings, today, index)
    checked = len(results) if report is None else len(report & results.keys())
    return RunResult(diagnostics, checked, results)
