"""The owners roster (config key `owners`): who may own an action item.

`owners` is either a path to a roster file or the literal `CODEOWNERS`.

* A roster file (plain text): one person per line, `#` starts a comment. A line
  holds a name, an `@handle`, an email, or several of them for the same person:
  `Elena Petrova @epetrova elena@example.com`. A file ending in `.yaml`/`.yml` is
  a YAML list of such strings instead.
* `CODEOWNERS`: the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`
  under the project root (GitHub's order); every `@handle`, `@org/team` and email
  named on a rule line is on the roster.

An owner matches case-insensitively, accents folded, with or without its `@`.
Rosters are read once per process and re-read when the file changes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from postmortem_lint.config.settings import Settings
from postmortem_lint.core import lazy
from postmortem_lint.core.text import fold

CODEOWNERS = "CODEOWNERS"
CODEOWNERS_PLACES = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_SEPARATORS = re.compile(r"(?<!\s)\s*(?:,|;|&|\band\b|\s/\s)\s*")


class RosterError(Exception):
    """A roster that cannot be read; the message names the file (and line)."""


def roster_path(settings: Settings) -> Path | None:
    """The file the configured roster comes from (None when `owners` is not set)."""
    if not settings.owners:
        return None
    if settings.owners != CODEOWNERS:
        path = Path(settings.owners)
        return path if path.is_absolute() else settings.root / path
    for place in CODEOWNERS_PLACES:
        candidate = settings.root / place
        if candidate.is_file():
            return candidate
    raise RosterError(f"{settings.root}: owners = CODEOWNERS, but there is no {', '.join(CODEOWNERS_PLACES)}")


@dataclass(frozen=True, slots=True)
class Roster:
    """The people on a roster, each as the set of their folded aliases (name, handles, emails)."""

    people: tuple[frozenset[str], ...]
    everyone: frozenset[str]

    def aliases_of(self, owner: str) -> frozenset[str]:
        """Every alias of the person ``owner`` names (just ``owner`` when nobody on the roster has it)."""
        wanted = key(owner)
        return frozenset({wanted}.union(*(p for p in self.people if wanted in p)))


def roster(settings: Settings) -> frozenset[str] | None:
    """The folded aliases of everyone on the roster (None when `owners` is not set)."""
    found = load(settings)
    return found.everyone if found is not None else None


def load(settings: Settings) -> Roster | None:
    """The configured roster (None when `owners` is not set), read once per file version."""
    path = roster_path(settings)
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise RosterError(f"{path}: owners roster cannot be read: {exc.strerror or exc}") from None
    return _load(str(path), mtime, settings.owners == CODEOWNERS)


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, codeowners: bool) -> Roster:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: owners roster cannot be read: {exc}") from None
    if codeowners:
        people = [frozenset({owner}) for owner in _codeowners(text)]
    else:
        entries = _yaml_entries(Path(path)) if path.endswith((".yaml", ".yml")) else [line.split("#", 1)[0] for line in text.split("\n")]
        people = [frozenset(aliases(entry)) for entry in entries]
    people = [p for p in people if p]
    return Roster(tuple(people), frozenset().union(*people))


def _codeowners(text: str) -> set[str]:
    found: set[str] = set()
    for line in text.split("\n"):
        parts = line.split("#", 1)[0].split()
        found.update(key(owner) for owner in parts[1:] if "@" in owner)
    return found


def _yaml_entries(path: Path) -> list[str]:
    yamlio = lazy.load("postmortem_lint.io.yamlio")
    try:
        data = yamlio.load_yaml(path)
    except yamlio.YamlError as exc:
        raise RosterError(str(exc)) from None
    if not isinstance(data, list) or not all(isinstance(e, str) for e in data):
        raise RosterError(f"{path}: an owners roster in YAML is a list of strings (names, @handles, emails)")
    return data


def aliases(entry: str) -> set[str]:
    """One roster line -> its keys: the name (words that are not handles or emails) and each handle/email."""
    words = entry.split()
    handles = {key(w) for w in words if "@" in w}
    name = " ".join(w for w in words if "@" not in w)
    return handles | ({key(name)} if name else set())


def key(text: str) -> str:
    """How names and handles are compared: folded, one space, no leading `@`."""
    return " ".join(fold(text).split()).lstrip("@")


def owners_in(cell: str) -> list[str]:
    """The owners named in an Owner cell: `Dana Cho, @ops-team` -> two (a `(team)` suffix dropped)."""
    names = (re.sub(r"(?<!\s)\s*\([^()]*\)", "", part).strip(" .") for part in _SEPARATORS.split(cell))
    return [n for n in names if n]
