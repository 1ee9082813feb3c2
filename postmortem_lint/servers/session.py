"""The servers' one way into the linter: a project, and a document linted as if it were at a path.

Everything `pmlint server` and `pmlint mcp` ask of pmlint goes through here —
settings found as the CLI finds them, the repository index for the cross-file
rules, one document linted against it, rule texts, the scaffold's questions and
drafts, action items, the archive's summaries — so that the rest of the package
depends on this module's small surface and plain values, not on the engine.

A `Project` keeps the header summaries of every post-mortem (what PM701/PM702/PM703
need) between lints, so that linting a changed document costs one parse plus the
repository rules; `refresh` drops them (a save, a new file).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from postmortem_lint.checks.pm2xx_header import REQUIRED_FIELDS
from postmortem_lint.checks.registry import catalog
from postmortem_lint.config.load import load as load_settings
from postmortem_lint.config.scope import wanted
from postmortem_lint.config.settings import ConfigError, Settings
from postmortem_lint.core import codes
from postmortem_lint.core.days import parse_day
from postmortem_lint.core.diagnostics import Diagnostic, Fix
from postmortem_lint.core.facts import filename_date, parse_date, parse_incident
from postmortem_lint.core.vocab import DOCUMENT_STATUSES
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.document.source import MAX_BYTES, from_text
from postmortem_lint.document.summary import Summary
from postmortem_lint.document.tracking import TrackerError
from postmortem_lint.features import actions, scaffold, tracker
from postmortem_lint.io import discover, files
from postmortem_lint.io.fsutil import UnsafePathError
from postmortem_lint.io.yamlio import YamlError, load_yaml
from postmortem_lint.lint import archive, fixing, linter
from postmortem_lint.lint import files as project_files
from postmortem_lint.lint.engine import compiled_patterns, finish, lint_all
from postmortem_lint.lint.results import FileResult, Target
from postmortem_lint.packs import roster
from postmortem_lint.packs.loader import PackError
from postmortem_lint.packs.root_causes import category_of, root_cause_pack
from postmortem_lint.packs.sections import RequiredSection, sections
from postmortem_lint.reporters.actions import json_ as actions_json
from postmortem_lint.reporters.subjects import ActionList

DOCS_URL = "https://github.com/pmlint/pmlint/blob/main/docs/rules.md"


class ProjectError(Exception):
    """What the servers cannot work with: a bad configuration, roster or sections pack, a path outside the project."""


class Problem(NamedTuple):
    """A diagnostic as the engine stamped it, and its fix when it has one."""

    diagnostic: Diagnostic
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as `--format json` gives it, with ``fix`` (SPEC §7: null or safety, message, edits)."""
        found = self.diagnostic.to_dict()
        found["fix"] = self.fix.to_dict() if self.fix is not None else None
        return found


def fix_of(diagnostic: Diagnostic) -> Fix | None:
    """The diagnostic's fix, as the rule attached it (None when it has none)."""
    return diagnostic.fix


class Fixed(NamedTuple):
    """What `Project.fix` did: the text afterwards, each fix applied, and what is left."""

    text: str
    fixed: tuple[dict[str, Any], ...]
    remaining: tuple[Problem, ...]


class Project:
    """The project around a folder, as `pmlint check` finds it (project root, configuration file)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._index: dict[str, FileResult] | None = None
        self._archive: list[Summary] | None = None

    @classmethod
    def around(cls, folder: Path, fallback: Path | None = None) -> Project:
        """The project of a file in ``folder``; ``fallback`` is the root when neither git nor a config file says one."""
        folder = existing(folder)
        root = discover.project_root(folder)
        if root != folder and root not in folder.parents:
            root = fallback.resolve() if fallback is not None else folder
        try:
            settings = load_settings(root, None, cwd=folder)
        except ConfigError as exc:
            raise ProjectError(str(exc)) from None
        _check_data(settings)
        return cls(settings)

    @staticmethod
    def key(folder: Path) -> tuple[Path, Path | None]:
        """What makes two folders one project: the same root and the same configuration file."""
        folder = existing(folder)
        root = discover.project_root(folder)
        found = discover.find_configs(folder, root)
        return root, found[0] if found else None

    @property
    def root(self) -> Path:
        return self.settings.root

    # ------------------------------------------------------------ paths

    def resolve(self, path: str | Path) -> tuple[Path, str]:
        """``path`` (relative to the project root, or absolute) and its root-relative name; outside the root is refused."""
        given = Path(path)
        resolved = (given if given.is_absolute() else self.root / given).resolve()
        top = self.root.resolve()
        if resolved != top and top not in resolved.parents:
            raise ProjectError(f"{path}: outside the project root {top}; pmlint reads and writes only inside it")
        return resolved, resolved.relative_to(top).as_posix()

    def rel(self, path: Path) -> str:
        return discover.relative(path, self.root)

    def checks(self, rel: str) -> bool:
        """Would `pmlint check` check this file when it is named (with --force-exclude, as an editor names files)?"""
        return wanted(rel, self.settings)

    # ------------------------------------------------------------ linting

    def index(self) -> dict[str, FileResult]:
        """Header summaries of every file `pmlint check` checks (from the header cache when unchanged)."""
        if self._index is None:
            compiled_patterns(self.root)  # the blame patterns a `pmlint check` of the project kept: the first diagnostics come sooner
            rels = project_files.checked_files(self.settings)
            targets = [Target(self.root / rel, rel) for rel in rels]
            light = frozenset(rels)
            self._index = {r.rel: r for r in lint_all(targets, self.settings, dt.date.today(), cache=True, light=light)}
        return self._index

    def refresh(self) -> None:
        """Forget the repository index and the archive: files were saved, added or removed."""
        self._index = None
        self._archive = None

    def lint(self, rel: str, data: bytes | None = None, today: dt.date | None = None) -> list[Problem]:
        """Diagnostics of ``data`` (the file's content on disk when None) as if it were at ``rel``, cross-file rules included."""
        today = today or dt.date.today()
        mine = linter.lint_bytes(rel, data, self.root / rel, self.settings, today)
        results = {**self.index(), rel: mine}
        return [Problem(d, fix_of(d)) for d in finish(results, {rel}, self.settings, today)]

    def fix(self, rel: str, text: str | None, unsafe: bool = False, today: dt.date | None = None) -> Fixed:
        """Apply the fixes of ``text`` (the file on disk when None) until none applies; the document is never written.

        The tracker (PM703) is brought in sync when the document is the file on
        disk, as `pmlint check --fix` does; with a ``text`` it is not, the file on
        disk not being what was fixed.
        """
        original = text if text is not None else read_text(self.root / rel)
        done = fixing.fix_text(
            original, lambda current: [p.diagnostic for p in self.lint(rel, current.encode("utf-8", "replace"), today)], unsafe
        )
        fixed, problems = list(done.applied), [Problem(d, d.fix) for d in done.remaining]
        if text is None and any(p.diagnostic.code == "PM703" for p in problems):
            fixed.append(self._sync_tracker())
            problems = self.lint(rel, done.text.encode("utf-8", "replace"), today)
        return Fixed(done.text if fixed else original, tuple(fixed), tuple(problems))

    def _sync_tracker(self) -> dict[str, Any]:
        try:
            tracker.sync(self.settings)
        except (TrackerError, UnsafePathError, OSError) as exc:
            raise ProjectError(str(exc)) from None
        self.refresh()
        return {"code": "PM703", "message": f"brought {self.settings.tracker} in sync with the post-mortems", "safety": "safe"}

    # ------------------------------------------------------------ what completion needs

    def required_sections(self) -> tuple[RequiredSection, ...]:
        return sections(self.settings.sections).sections

    def owner_names(self) -> list[str]:
        """The people on the owners roster as written (a name, else the first handle); empty without a roster."""
        try:
            path = roster.roster_path(self.settings)
            text = path.read_text(encoding="utf-8") if path is not None else ""
        except (roster.RosterError, OSError, UnicodeDecodeError):
            return []
        if path is None:
            return []
        if self.settings.owners == roster.CODEOWNERS:
            return sorted({w for line in text.split("\n") for w in line.split("#", 1)[0].split()[1:] if "@" in w})
        entries = _yaml_list(path) if path.suffix in (".yaml", ".yml") else [line.split("#", 1)[0] for line in text.split("\n")]
        return sorted({_shown_name(entry) for entry in entries if entry.strip()})

    def next_incident(self, date: dt.date, rel: str) -> str:
        """The next free ``INC-<date>-NNN`` among the project's other post-mortems."""
        prefix = f"INC-{date.isoformat()}-"
        used = [
            int(s.incident.rsplit("-", 1)[1])
            for other, result in self.index().items()
            if other != rel and (s := result.summary) is not None and s.incident.startswith(prefix) and parse_incident(s.incident)
        ]
        return f"{prefix}{max(used, default=0) + 1:0{self.settings.incident_number_width}d}"

    # ------------------------------------------------------------ the archive (actions, related incidents)

    def archive(self) -> list[Summary]:
        """A full summary of every post-mortem of the archive (systems, root cause, actions), kept until `refresh`."""
        if self._archive is None:
            self._archive = archive.summaries(archive.project_targets(self.settings), self.settings).summaries
        return self._archive

    def summary(self, rel: str, data: bytes | None) -> Summary | None:
        """The summary of one document (``data``, else the file on disk), no rule run."""
        quiet = replace(self.settings, select=archive.NO_RULES)
        return linter.lint_bytes(rel, data, self.root / rel, quiet, dt.date.today()).summary

    def actions(self, overdue_only: bool = False, owner: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
        """Open (or only overdue) action items, as `pmlint actions --open --format json` prints them."""
        today = today or dt.date.today()
        owners: tuple[str, ...] = ()
        if owner:
            try:
                found = roster.load(self.settings)
            except roster.RosterError as exc:
                raise ProjectError(str(exc)) from None
            owners = tuple(sorted(found.aliases_of(owner))) if found is not None else (owner,)
        keep = actions.ActionFilter(open_only=True, overdue_only=overdue_only, owners=owners)
        listed = actions.select(actions.collect(self.archive(), today), keep)
        buffer = io.StringIO()
        actions_json.render(ActionList(listed, today), buffer)
        return json.loads(buffer.getvalue())  # type: ignore[no-any-return]

    def categorizer(self) -> Callable[[Summary], str]:
        """An incident's root-cause category, as `pmlint report` counts it (stated, else from the primary cause)."""
        pack = root_cause_pack()
        return lambda summary: category_of(summary, pack)[0]

    def stopwords(self) -> frozenset[str]:
        return root_cause_pack().stopwords

    # ------------------------------------------------------------ pmlint new

    def scaffold(
        self, answers: dict[str, str | None], title: str | None, date: str | None, author: str | None, dry: bool
    ) -> dict[str, str]:
        """A Draft from the five answers (letters or values), as `pmlint new --no-input` writes it; with ``dry`` only its text."""
        chosen = scaffold.Answers(
            title=scaffold.clean_title(title),
            date=_day(date) if date else scaffold.today_in(self.settings.timezone),
            author=author if author is not None else scaffold.git_author(self.root),
            **{q.key: _answer(q, answers.get(q.key)) for q in scaffold.QUESTIONS},
        )
        if dry:
            incident = scaffold.next_incident(self.settings, chosen.date)
            name = f"{self.settings.folder.strip('/')}/post-mortem-{chosen.date.isoformat()}-{scaffold.slugify(chosen.title)}.md"
            return {"path": name, "incident": incident, "text": scaffold.render(chosen, incident, self.settings)}
        try:
            path = scaffold.create(self.settings, chosen)
        except (TrackerError, UnsafePathError, FileExistsError) as exc:
            raise ProjectError(str(exc)) from None
        except OSError as exc:
            raise ProjectError(f"{self.root / self.settings.folder}: cannot write the post-mortem: {exc.strerror or exc}") from None
        self.refresh()
        rel = self.rel(path)
        written = self.summary(rel, None)
        return {"path": rel, "incident": written.incident if written else ""}


# ---------------------------------------------------------------- what does not need a project


def document(rel: str, text: str) -> PostMortem:
    """The built document model of ``text`` (sections, fields, blocks), for the outline, completion and code actions."""
    return build(rel, from_text(text))


def rule_text(code: str) -> str | None:
    """What `pmlint rule CODE` prints (None for an unknown code)."""
    rule = catalog().get(code.upper())
    if rule is None:
        return None
    head = f"{rule.code} {rule.name}\nDefault severity: {rule.severity_label}. Fixable: {rule.fix_label}.\n"
    return head + "\n" + rule.doc.rstrip() + "\n"


def unknown_code(code: str) -> str:
    """Why ``code`` names no one rule (with the closest code, when there is one)."""
    if codes.is_known(code):
        return f"{code} names several rules; explain one code (`pmlint rules` lists them)"
    return codes.problem(code)


def rule_url(code: str, name: str) -> str:
    """The rule's section of docs/rules.md (anchors are GitHub's: `#pm502-action-owner`)."""
    return f"{DOCS_URL}#{code.lower()}-{name}"


def header_fields() -> dict[str, str]:
    """The header fields every post-mortem has, key -> label, in the template's order."""
    return dict(REQUIRED_FIELDS)


def vocabulary() -> dict[str, tuple[tuple[str, str], ...]]:
    """The values a header field takes, with what each means: field key -> ((value, detail), …)."""
    severities = tuple((c.value, c.label.split(" ", 1)[1].strip("()")) for c in scaffold.BY_KEY["severity"].choices)
    strictness = {"Draft": "completeness rules warn"}
    statuses = tuple((s, strictness.get(s, "completeness rules are errors")) for s in DOCUMENT_STATUSES)
    return {"severity": severities, "status": statuses}


def questions() -> list[dict[str, Any]]:
    """The template's clarifying questions, in order, with their lettered choices (what `pmlint new` asks)."""
    return [
        {
            "key": q.key,
            "question": q.prompt,
            "default": q.default,
            "choices": [{"letter": chr(ord("A") + i), "value": c.value, "label": c.label} for i, c in enumerate(q.choices)],
        }
        for q in scaffold.QUESTIONS
    ]


def incident_date(doc: PostMortem) -> dt.date | None:
    """The document's date: its ``**Date:**`` field, else the date in its file name."""
    field = doc.fields.get("date")
    return (parse_date(field.value) if field else None) or filename_date(PurePosixPath(doc.path).name)


def read_text(path: Path) -> str:
    """A post-mortem's text, or `ProjectError` saying why it cannot be read."""
    data = files.read_capped(path, MAX_BYTES)
    if isinstance(data, files.Unreadable):
        raise ProjectError(f"{path}: {data.message}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"{path}: not valid UTF-8; save it as UTF-8") from None


def existing(path: Path) -> Path:
    """The nearest folder at or above ``path`` that exists, resolved (a new document's folder may not exist yet)."""
    path = path.absolute()
    for folder in (path, *path.parents):
        if folder.is_dir():
            return folder.resolve()
    return Path.cwd().resolve()


def _check_data(settings: Settings) -> None:
    """The roster and the sections pack are read up front, as `pmlint check` does: a bad one is the project's problem."""
    try:
        if settings.owners:
            roster.roster(settings)
        if settings.sections is not None:
            sections(settings.sections)
    except (roster.RosterError, PackError, YamlError) as exc:
        raise ProjectError(str(exc)) from None


def _yaml_list(path: Path) -> list[str]:
    try:
        data = load_yaml(path)
    except YamlError:
        return []
    return [e for e in data if isinstance(e, str)] if isinstance(data, list) else []


def _shown_name(entry: str) -> str:
    words = entry.split()
    name = " ".join(w for w in words if "@" not in w)
    return name or next(w for w in words if "@" in w)


def _answer(question: Any, given: str | None) -> str:
    if given is None or not given.strip():
        return str(question.default)
    try:
        return str(question.parse(given))
    except ValueError as exc:
        raise ProjectError(f"{question.key}: {exc}") from None


def _day(text: str) -> dt.date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise ProjectError(f"date: {exc}") from None
