"""`pmlint new`: the seed's five clarifying questions, and a Draft post-mortem from the answers.

The draft is `scaffolds/post-mortem.md` filled in with string.Template. Whatever
the answers, it has zero errors under `pmlint check` (only warnings: a Draft's
placeholders), it is written blamelessly (a "human error" answer becomes a
manual step the tooling allowed), it never overwrites a file, it never lands
outside the project (a title is reduced to a safe slug; a `tasks/` symlinked out
of the root is refused) and it gets the next free incident number of its date
and a tracker row.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from postmortem_lint.config.scope import checked_globs, excluded
from postmortem_lint.config.settings import Settings
from postmortem_lint.features import drafting, tracker
from postmortem_lint.io import discover, gitrepo
from postmortem_lint.io.fsutil import atomic_write, ensure_inside
from postmortem_lint.io.resources import data_path
from postmortem_lint.lint import providers
from postmortem_lint.lint.providers import tracker_path
from postmortem_lint.packs.templates.runtime import TemplatePack

SLUG_LIMIT = 50
FALLBACK_SLUG = "incident"
DEFAULT_TITLE = "Untitled incident"
TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Choice:
    """One lettered answer: its value (the flag's), the seed's label, and what the draft says."""

    value: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    prompt: str
    choices: tuple[Choice, ...]
    default: str

    def letter(self, value: str) -> str:
        return chr(ord("A") + [c.value for c in self.choices].index(value))

    def parse(self, answer: str) -> str:
        """A letter (``B``) or a value (``SEV-2``), any case -> the value; ValueError otherwise."""
        wanted = answer.strip().lower()
        for index, choice in enumerate(self.choices):
            if wanted in (chr(ord("a") + index), choice.value.lower()):
                return choice.value
        letters = f"A-{chr(ord('A') + len(self.choices) - 1)}"
        raise ValueError(f"{answer!r} is not one of {letters} or {', '.join(self.values)}")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def text(self, value: str) -> str:
        return next(c.text for c in self.choices if c.value == value)


# One line per choice: it reads as the seed's question sheet.
# fmt: off
QUESTIONS = (
    Question("severity", "What was the severity of the incident?", (
        Choice("SEV-1", "SEV-1 (Critical - full outage)", "SEV-1"),
        Choice("SEV-2", "SEV-2 (Major - significant degradation)", "SEV-2"),
        Choice("SEV-3", "SEV-3 (Minor - limited impact)", "SEV-3"),
        Choice("SEV-4", "SEV-4 (Low - minimal impact)", "SEV-4"),
    ), "SEV-3"),
    Question("impact", "What was the primary impact?", (
        Choice("outage", "Complete service outage", "The incident caused a complete service outage."),
        Choice("data-loss", "Data loss/corruption", "The incident caused data loss or corruption."),
        Choice("security", "Security breach", "The incident was a security breach."),
        Choice("performance", "Performance degradation", "The incident degraded performance."),
        Choice("partial", "Partial feature failure", "The incident caused a partial feature failure."),
        Choice("other", "Other (specify in the draft)", "The primary impact is still to be described."),
    ), "other"),
    Question("duration", "How long did the incident last?", (
        Choice("lt-5m", "< 5 minutes", "less than 5 minutes"),
        Choice("5-30m", "5-30 minutes", "between 5 and 30 minutes"),
        Choice("30m-2h", "30 minutes - 2 hours", "between 30 minutes and 2 hours"),
        Choice("2-24h", "2-24 hours", "between 2 and 24 hours"),
        Choice("gt-24h", "> 24 hours", "more than 24 hours"),
    ), "30m-2h"),
    Question("detection", "How was the incident detected?", (
        Choice("monitoring", "Monitoring alert", "Monitoring alert"),
        Choice("customer", "Customer report", "Customer report"),
        Choice("internal", "Internal discovery", "Internal discovery"),
        Choice("automated", "Automated system", "Automated system"),
        Choice("other", "Other (specify in the draft)", "[How it was detected]"),
    ), "other"),
    Question("root_cause", "What was the root cause category?", (
        Choice("code", "Code bug", "a code defect"),
        Choice("config", "Configuration error", "a configuration error"),
        Choice("infrastructure", "Infrastructure failure", "an infrastructure failure"),
        Choice("third-party", "Third-party service", "a third-party service failure"),
        Choice("human", "Human error", "a manual step in the change process that the tooling allowed to go unchecked"),
        Choice("process", "Process failure", "a gap in the process"),
        Choice("unknown", "Unknown/Under investigation", "unknown, under investigation"),
    ), "unknown"),
)
# fmt: on
"""The seed's clarifying questions, in its order, with its lettered choices. Defaults apply to `--no-input`."""

BY_KEY = {q.key: q for q in QUESTIONS}

CATEGORY_FIELD = {
    "code": "Code bug",
    "config": "Configuration error",
    "infrastructure": "Infrastructure failure",
    "third-party": "Third-party service",
    "human": "Human or process",
    "process": "Process failure",
    "unknown": "Unknown (under investigation)",
}
"""The `**Category:**` line of `### Root Cause` per root-cause answer: the seed's label, but
"Human error" (blame, PM601) is written as the report's "Human or process"."""


@dataclass(frozen=True, slots=True)
class Answers:
    title: str
    date: dt.date
    severity: str
    impact: str
    duration: str
    detection: str
    root_cause: str
    author: str


def clean_title(title: str | None) -> str:
    """One line of printable text, at most TITLE_LIMIT characters (the default when empty)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in title or "")
    text = " ".join(text.split())[:TITLE_LIMIT].strip()
    return text or DEFAULT_TITLE


def slugify(title: str, limit: int = SLUG_LIMIT) -> str:
    """ASCII-folded kebab-case of ``title``, whole words up to ``limit`` characters.

    Only `[a-z0-9-]` survive, so a slug never holds a separator or a dot
    (`../../x` -> `x`); a title with no ASCII letters or digits gives `incident`.
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = ""
    for word in re.findall(r"[a-z0-9]+", folded.lower()):
        longer = f"{slug}-{word}" if slug else word[:limit]
        if len(longer) > limit:
            break
        slug = longer
    return slug or FALLBACK_SLUG


def today_in(zone: str) -> dt.date:
    """Today's date in the IANA timezone ``zone`` (the local date when it is unknown)."""
    try:
        return dt.datetime.now(ZoneInfo(zone)).date()
    except (KeyError, ValueError):
        return dt.date.today()


def next_incident(settings: Settings, date: dt.date) -> str:
    """``INC-<date>-NNN``: one more than the highest number of that date in the tree or any branch."""
    return _reserved(settings, date)[0]


def _reserved(settings: Settings, date: dt.date) -> tuple[str, frozenset[str]]:
    """The next free incident number of ``date``, and the file names its post-mortems have in other branches."""
    prefix = f"INC-{date.isoformat()}-"
    field = re.compile(r"Incident (?:Number|ID)\W*" + re.escape(prefix) + r"(\d+)", re.I)
    hits = [*_tree_lines(settings), *_git_lines(settings, prefix)]
    used = [int(m.group(1)) for _name, line in hits for m in [field.search(line)] if m]
    number = f"{prefix}{max(used, default=0) + 1:0{settings.incident_number_width}d}"
    return number, frozenset(name for name, _line in hits)


def _tree_lines(settings: Settings) -> list[tuple[str, str]]:
    """(file name, line) of the head of every file `pmlint check` checks in the working tree (a misnamed one too)."""
    hits: list[tuple[str, str]] = []
    for path in discover.glob_project(settings.root, checked_globs(settings)):
        if excluded(discover.relative(path, settings.root), settings):
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace").split("\n")[:60]
        except OSError:
            continue
        hits.extend((path.name, line) for line in head)
    return hits


def _git_lines(settings: Settings, prefix: str) -> list[tuple[str, str]]:
    """(file name, line) of header lines naming ``prefix`` incidents in every local and remote branch (one `git grep`)."""
    pattern = f"Incident (Number|ID).*{prefix}[0-9]+"
    return [(PurePosixPath(path).name, text) for path, text in gitrepo.branch_lines(settings.root, pattern, checked_globs(settings))]


def git_author(root: Path) -> str:
    """`git config user.name`, or '' when unset."""
    return gitrepo.user_name(root)


def template_pack(settings: Settings) -> TemplatePack | None:
    """The run's template pack when it is not the seed (whose scaffold `new` keeps); a bad pack raises `PackError`."""
    if settings.template is None:
        return None
    pack: TemplatePack = providers.packdata().template_pack(settings.template, settings.root)
    return None if pack.name == "seed" else pack


def questions(settings: Settings) -> tuple[Question, ...]:
    """The questions `new` asks: the seed's, with the severity choices from the pack's severity vocabulary."""
    pack = template_pack(settings)
    values = drafting.severity_values(pack) if pack is not None else ()
    if not values:
        return QUESTIONS
    severity = Question("severity", BY_KEY["severity"].prompt, tuple(Choice(v, v, v) for v in values), values[min(2, len(values) - 1)])
    return tuple(severity if q.key == "severity" else q for q in QUESTIONS)


def render(answers: Answers, incident: str, settings: Settings) -> str:
    """The draft's text: the scaffold with its variables comment removed and its slots filled (or, for a pack
    other than the seed, the draft `drafting.render` generates from the pack)."""
    pack = template_pack(settings)
    if pack is not None:
        author = clean_title(answers.author) if answers.author.strip() else ""
        duration = BY_KEY["duration"].text(answers.duration)
        given = {"title": answers.title, "incident_number": incident, "severity": answers.severity, "author": author, "duration": duration}
        return drafting.render(pack, given, answers.date)
    scaffold = data_path("scaffolds/post-mortem.md").read_text(encoding="utf-8")
    body = re.sub(r"\A<!-- variables:.*?-->\n", "", scaffold, count=1, flags=re.S)
    author = clean_title(answers.author).replace("|", "/") if answers.author.strip() else "[Name]"
    return string.Template(body).substitute(
        title=answers.title,
        incident_number=incident,
        date=answers.date.isoformat(),
        timezone=settings.timezone,
        duration_bucket=BY_KEY["duration"].text(answers.duration),
        severity=answers.severity,
        author=author,
        status="Draft",
        impact_summary=BY_KEY["impact"].text(answers.impact),
        detection_method=BY_KEY["detection"].text(answers.detection),
        root_cause_category_text=BY_KEY["root_cause"].text(answers.root_cause),
        root_cause_category=CATEGORY_FIELD[answers.root_cause],
    )


def create(settings: Settings, answers: Answers) -> Path:
    """Write the new post-mortem and its tracker row; the new file's path.

    Raises `tracking.TrackerError` (nothing written) when the tracker cannot be
    parsed, and `fsutil.UnsafePathError` when the folder leads out of the root.
    """
    root = settings.root
    tracker_file = tracker_path(settings)
    with tracker.lock(root, tracker_file):
        providers.read_tracker(tracker_file, settings.tracker)
        incident, elsewhere = _reserved(settings, answers.date)
        path = _write_new(settings, answers, render(answers, incident, settings), elsewhere)
        found = tracker.plan(settings)
        if found is not None and found.changed:
            tracker.apply(found, root)
    return path


def _write_new(settings: Settings, answers: Answers, text: str, taken: frozenset[str]) -> Path:
    """Write ``text`` under a free name: `<slug>.md`, else `<slug>-2.md`, `<slug>-3.md` …

    A name in ``taken`` (used in another branch) is skipped, so that merging never collides.
    """
    folder = settings.root / settings.folder
    ensure_inside(folder, settings.root)
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = _name(settings, f"{answers.date.isoformat()}-{slugify(answers.title)}")
    for attempt in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}")
        if path.name in taken:
            continue
        try:
            atomic_write(path, text, exclusive=True, root=settings.root)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder}: no free name for {stem}{suffix}")


def _name(settings: Settings, dated_slug: str) -> tuple[str, str]:
    """The new file's stem and suffix: `post-mortem-<date>-<slug>.md` when `include` matches it, else the name of the
    first `include` glob of the folder with its `*` filled in (`tasks/PM*.md` -> `PM<date>-<slug>.md`)."""
    default = f"post-mortem-{dated_slug}"
    folder = PurePosixPath(settings.folder)
    if any((folder / f"{default}.md").match(glob) for glob in settings.include):
        return default, ".md"
    for glob in settings.include:
        pattern = PurePosixPath(glob)
        name = pattern.name
        if pattern.parent == folder and name.count("*") == 1 and not any(ch in name for ch in "?[]"):
            head, tail = name.split("*")
            stem = PurePosixPath(f"{head}{dated_slug}{tail}")
            return stem.stem, stem.suffix or ".md"
    return default, ".md"
