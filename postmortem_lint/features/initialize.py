"""`pmlint init [FOLDER]`: read an existing archive, rank the presets by fit, write `.pmlint.yaml`.

`survey` reads every Markdown file under the folder (README files and the tracker
left out) and scores each shipped preset (`packs.templates.fit`); `plan` picks the
preset (the best fit unless one is forced) and works out the configuration: the
preset as `template:`, an `include` glob derived from the team's own file names,
a `since` for the older files that predate the template when some fit and the
oldest do not, and the tracker path. When no preset fits more than `POOR_FIT` of
the files the closest is written anyway, with a baseline of today's findings so
that only new problems are reported (`write`). Every write is atomic.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from postmortem_lint.config.load import load as load_settings
from postmortem_lint.config.settings import DEFAULTS, ConfigError, shown_path
from postmortem_lint.core.errors import Problem
from postmortem_lint.core.facts import FILENAME
from postmortem_lint.document import source as source_mod
from postmortem_lint.document import tracking
from postmortem_lint.document.build import build
from postmortem_lint.document.model import PostMortem
from postmortem_lint.features import baseline
from postmortem_lint.io import files as io_files
from postmortem_lint.io.fsutil import atomic_write
from postmortem_lint.lint import archive, engine
from postmortem_lint.packs.templates import fit, presets
from postmortem_lint.packs.templates.reader import incident_date

CONFIG_NAME = ".pmlint.yaml"
BASELINE_NAME = ".pmlint-baseline.json"
POOR_FIT = 1 / 8
"""When no preset fits more than this share of the files, the closest is written with a baseline."""
MARKDOWN = (".md", ".markdown")
_SKIPPED = re.compile(r"^(?:readme|changelog|license|contributing|index)(?:\.[a-z]+)?$", re.I)
MAX_GLOBS = 4
"""More folders than this and `include` is one recursive glob under FOLDER."""


@dataclass(frozen=True)
class Survey:
    """What `init` read: the project root, the folder (relative to it), the files and every preset's fit, best first."""

    root: Path
    folder: str
    files: tuple[str, ...]
    docs: tuple[PostMortem, ...]
    ranking: tuple[fit.PresetFit, ...]

    def fit_of(self, name: str) -> fit.PresetFit:
        return next(f for f in self.ranking if f.name == name)


@dataclass(frozen=True)
class Plan:
    """The configuration `init` writes."""

    survey: Survey
    preset: str
    include: tuple[str, ...]
    folder: str
    tracker: str
    since: dt.date | None = None
    baseline: str | None = None
    notes: tuple[str, ...] = field(default=())
    own_names: bool = False
    """Most files are not named `post-mortem-YYYY-MM-DD-<slug>.md` (PM101 is switched off)."""
    exclude: tuple[str, ...] = ()
    """The archive's blank templates (a file with `template` in its name): not post-mortems."""


def survey(root: Path, folder: str) -> Survey:
    """Read every Markdown file under ``root / folder`` and rank the shipped presets on them (`Problem` when there is none)."""
    base = root / folder
    if not base.is_dir():
        raise Problem(f"{shown_path(base)}: no such folder; name the folder that holds the post-mortems (`pmlint init FOLDER`)")
    found: list[tuple[str, PostMortem]] = []
    for path in sorted(_markdown(base)):
        rel = PurePosixPath(path.relative_to(root).as_posix()).as_posix()
        data = io_files.read_capped(path, source_mod.MAX_BYTES)
        decoded = source_mod.decode(data) if isinstance(data, bytes) else None
        if decoded is None or isinstance(decoded, source_mod.SourceError):
            continue
        found.append((rel, build(rel, decoded)))
    if not found:
        raise Problem(f"{shown_path(base)}: no Markdown files to learn from; name the folder that holds the post-mortems")
    docs = tuple(doc for _rel, doc in found)
    ranking = tuple(fit.rank(list(docs)))
    return Survey(root, folder, tuple(rel for rel, _doc in found), docs, ranking)


def _markdown(base: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "venv", "__pycache__"))
        for name in names:
            path = Path(folder) / name
            wanted = path.suffix.lower() in MARKDOWN and not _SKIPPED.match(name) and name != PurePosixPath(DEFAULTS.tracker).name
            if wanted and path.is_file() and not _is_tracker(path):
                found.append(path)
    return found


def _is_tracker(path: Path) -> bool:
    data = io_files.read_capped(path, 1 << 20)
    return isinstance(data, bytes) and tracking.START.encode() in data


def plan(found: Survey, preset: str | None = None) -> Plan:
    """The configuration for ``found``: ``preset`` when given (`Problem` when unknown), else the best fit."""
    names = presets.names()
    if preset is not None and preset not in names:
        raise Problem(f"--preset: unknown preset {preset!r}; the presets are {', '.join(names)}")
    chosen = found.fit_of(preset) if preset else found.ranking[0]
    pack = presets.preset(chosen.name)
    notes: list[str] = []
    poor = max(f.fit for f in found.ranking) <= POOR_FIT
    since = None if poor else _since(found, chosen, pack)
    if poor:
        notes.append(
            f"no preset fits more than an eighth ({POOR_FIT:.1%}) of the files; {chosen.name} is the closest, and a baseline "
            "records today's findings so that only new ones are reported"
        )
    if since is not None:
        older = sum(1 for d in found.docs if (day := incident_date(d, pack)) is not None and day < since)
        notes.append(f"{older} older file(s) before {since.isoformat()} do not follow the template: `since` leaves them out")
    return Plan(
        found,
        chosen.name,
        include_globs(found.files, found.folder),
        found.folder,
        _tracker(found),
        since,
        BASELINE_NAME if poor else None,
        tuple(notes),
        own_names=sum(bool(FILENAME.match(PurePosixPath(rel).name)) for rel in found.files) * 2 < len(found.files),
        exclude=tuple(rel for rel in found.files if "template" in PurePosixPath(rel).stem.casefold()),
    )


def _since(found: Survey, chosen: fit.PresetFit, pack: presets.TemplatePack) -> dt.date | None:
    """The date of the oldest file that fits, when every dated file before it does not (the archive predates the template)."""
    dated = sorted((day, f.fits) for doc, f in zip(found.docs, chosen.files, strict=True) if (day := incident_date(doc, pack)) is not None)
    first = next((index for index, (_day, fits) in enumerate(dated) if fits), None)
    if not first:
        return None
    return dated[first][0]


def include_globs(paths: Sequence[str], folder: str) -> tuple[str, ...]:
    """Globs that match the team's file names: per folder, the common name prefix (to its first digit) and extension."""
    by_folder: dict[str, list[str]] = {}
    for rel in paths:
        path = PurePosixPath(rel)
        by_folder.setdefault(path.parent.as_posix(), []).append(path.name)
    if len(by_folder) > MAX_GLOBS:
        base = "" if folder in ("", ".") else f"{PurePosixPath(folder).as_posix()}/"
        return (f"{base}**/*{_suffix([n for names in by_folder.values() for n in names])}",)
    globs = []
    for parent, names in sorted(by_folder.items()):
        stems = [PurePosixPath(n).stem for n in names]
        prefix = os.path.commonprefix(stems)  # noqa: RUF071 - a common start of names, not of paths
        prefix = re.split(r"\d", prefix, maxsplit=1)[0]
        if prefix in stems or not re.match(r"[A-Za-z]", prefix):
            prefix = ""
        prefix = "".join(ch for ch in prefix if ch not in "*?[]\\")
        base = "" if parent in ("", ".") else f"{parent}/"
        globs.append(f"{base}{prefix}*{_suffix(names)}")
    return tuple(globs)


def _suffix(names: Sequence[str]) -> str:
    suffixes = {PurePosixPath(n).suffix for n in names}
    return suffixes.pop() if len(suffixes) == 1 else ".*"


def _tracker(found: Survey) -> str:
    """An existing tracker (a Markdown file with pmlint's markers) under the root, else the default path."""
    for path in sorted(found.root.glob("*.md")) + sorted((found.root / found.folder).glob("*.md")):
        if path.is_file() and _is_tracker(path):
            return path.relative_to(found.root).as_posix()
    return DEFAULTS.tracker


def config_text(chosen: Plan, today: dt.date) -> str:
    """The `.pmlint.yaml` `init` writes, with a comment saying where each value comes from."""
    fitted = chosen.survey.fit_of(chosen.preset)
    total = len(chosen.survey.files)
    lines = [
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/pmlint/pmlint/main/docs/pmlint.schema.json",
        f"# Written by `pmlint init` on {today.isoformat()}: {fitted.fitting} of {total} file(s) fit the {chosen.preset} preset.",
        f"template: {chosen.preset}",
        "include:",
        *(f"  - {_quoted(glob)}" for glob in chosen.include),
    ]
    if chosen.exclude:
        lines.append("# The archive's blank templates are not post-mortems.")
        lines.append("exclude:")
        lines.extend(f"  - {_quoted(_literal(rel))}" for rel in chosen.exclude)
    if chosen.folder not in ("", ".") and chosen.folder != DEFAULTS.folder:
        lines.append(f"folder: {_quoted(chosen.folder)}")
    lines.append(f"tracker: {_quoted(chosen.tracker)}")
    if chosen.own_names:
        lines.append("# The team's own file names, not post-mortem-YYYY-MM-DD-<slug>.md: the file-name rule is off.")
        lines.append("ignore: [PM101]")
    if chosen.since is not None:
        lines.append("# Files dated before this predate the template; pmlint leaves them alone.")
        lines.append(f"since: {chosen.since.isoformat()}")
    return "\n".join(lines) + "\n"


def _literal(path: str) -> str:
    """A glob that matches exactly ``path`` (its `*`, `?` and `[` bracketed)."""
    return re.sub(r"([*?\[])", r"[\1]", path)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (globs start with `*` or hold `:`, which plain YAML would misread)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def precommit_snippet(chosen: Plan) -> str:
    """The `.pre-commit-config.yaml` lines to add (with the baseline's argument when one was written)."""
    args = f"\n        args: [--baseline, {chosen.baseline}]" if chosen.baseline else ""
    return (
        "repos:\n"
        "  - repo: https://github.com/pmlint/pmlint\n"
        "    rev: main  # then run `pre-commit autoupdate`\n"
        "    hooks:\n"
        "      - id: pmlint-track\n"
        f"      - id: pmlint{args}\n"
        "      - id: pmlint-commit-msg\n"
    )


def write(chosen: Plan, today: dt.date, force: bool = False) -> list[Path]:
    """Write `.pmlint.yaml` (and the baseline when the fit is poor); the paths written.

    An existing `.pmlint.yaml` is a `Problem` unless ``force``: the exclusive write means that
    one created meanwhile is never overwritten either.
    """
    root = chosen.survey.root
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise Problem(f"{shown_path(config)}: already exists; pass --force to replace it")
    try:
        atomic_write(config, config_text(chosen, today), exclusive=not force, root=root)
    except FileExistsError:
        raise Problem(f"{shown_path(config)}: already exists; pass --force to replace it") from None
    except OSError as exc:
        raise Problem(f"{shown_path(config)}: cannot be written: {exc.strerror or exc}") from None
    written = [config]
    if chosen.baseline:
        written.append(_write_baseline(root, config, chosen.baseline, today))
    return written


def _write_baseline(root: Path, config: Path, name: str, today: dt.date) -> Path:
    """Record today's findings under the new configuration (`features.baseline`)."""
    try:
        settings = load_settings(root, config, cwd=root, remember=False)
    except ConfigError as exc:
        raise Problem(str(exc)) from None
    result = engine.check(archive.project_targets(settings), settings, today)
    path = root / name
    try:
        baseline.write(path, result.diagnostics)
    except baseline.BaselineError as exc:
        raise Problem(str(exc)) from None
    return path
