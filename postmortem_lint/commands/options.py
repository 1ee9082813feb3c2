"""Command-line options declared once, as plain data: click is built from them (`commands.click_options`),
and `pmlint check`'s click-free fast path (`cli`) reads its on/off flags from the same declaration.
Named tuples rather than dataclasses: cheaper to make on the one-file path.

Options several commands share are declared here once; a command that words one
differently takes it with `Option.but(help=...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Option(NamedTuple):
    """One option: its flags (``("--quiet", "-q")``, or ``("--color/--no-color",)`` for a pair), where click stores it, its help."""

    decls: tuple[str, ...]
    dest: str
    help: str
    flag: bool = False
    """An on/off option: False unless given."""
    kind: str = "text"
    """How the value is read: ``text``, ``path`` (a `Path`), ``date`` (``YYYY-MM-DD``) or ``jobs`` (0-256)."""
    choices: tuple[str, ...] = ()
    default: Any = None
    metavar: str | None = None
    show_default: bool = False
    multiple: bool = False
    case_sensitive: bool = True

    def but(self, **changes: Any) -> Option:
        """This option with some of its declaration changed (a command's own help text)."""
        return self._replace(**changes)


class Argument(NamedTuple):
    name: str
    nargs: int = 1
    kind: str = "text"
    required: bool = True


def flags(options: Iterable[Option]) -> dict[str, str]:
    """Each flag of the plain on/off options (not a ``--x/--no-x`` pair) -> where its value goes."""
    return {decl: o.dest for o in options if o.flag and "/" not in o.decls[0] for decl in o.decls}


CONFIG = Option(("--config",), "config_file", "Configuration file (overrides discovery).", kind="path")
JOBS = Option(("--jobs", "-j"), "jobs", "Worker processes (0: one per core).", kind="jobs", default=0)
NO_CACHE = Option(("--no-cache",), "no_cache", "Do not read or write the result cache.", flag=True)
TODAY = Option(("--today",), "today", "Date to judge overdue items against (default: today).", kind="date", metavar="YYYY-MM-DD")
OUTPUT = Option(("--output-file", "-o"), "output", "Write to a file instead of stdout.", kind="path")
PATHS = Argument("paths", nargs=-1, kind="path")


def format_option(names: Iterable[str], default: str) -> Option:
    """``--format`` with the formats of a subject (`reporters.registry`)."""
    return Option(("--format",), "format_", "Output format.", choices=tuple(names), default=default, show_default=True)
