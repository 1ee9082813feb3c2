"""The arguments and options of `pmlint check`, declared once: click is built from them, and `cli`'s fast path reads `FLAGS`."""

from __future__ import annotations

from postmortem_lint.commands import options as opts
from postmortem_lint.reporters import registry

ARGUMENTS = (opts.PATHS,)
OPTIONS = (
    opts.format_option(registry.formats("check"), "text"),
    opts.Option(("--select",), "select", "Comma-separated codes or prefixes to enable (replaces the configured selection)."),
    opts.Option(("--ignore",), "ignore", "Comma-separated codes or prefixes to disable."),
    opts.Option(("--strict",), "strict", "Warnings also fail (exit 1).", flag=True),
    opts.Option(("--exit-zero",), "exit_zero", "Exit 0 even when findings fail (usage and configuration errors are still 2).", flag=True),
    opts.Option(("--staged",), "staged", "Check only staged post-mortems, as staged (read from the git index).", flag=True),
    opts.Option(("--changed-since",), "changed_since", "Check only post-mortems changed since REF.", metavar="REF"),
    opts.Option(("--against",), "against", "Also compare incident numbers with the tree at REF (e.g. origin/main).", metavar="REF"),
    opts.TODAY.but(help="Date to judge overdue items against (YYYY-MM-DD).", metavar=None),
    opts.CONFIG,
    opts.NO_CACHE,
    opts.JOBS,
    opts.Option(("--statistics",), "statistics", "Print a count per rule instead of each finding.", flag=True),
    opts.Option(("--quiet", "-q"), "quiet", "Print findings only, no summary or progress.", flag=True),
    opts.Option(("--fix",), "fix", "Apply the safe fixes (and sync the tracker); still exit 1 when findings remain.", flag=True),
    opts.Option(("--unsafe-fixes",), "unsafe_fixes", "Also apply the unsafe fixes (review them); implies --fix.", flag=True),
    opts.Option(("--diff",), "diff", "Print the fixes as a unified diff and write nothing; exit 1 when something would change.", flag=True),
    opts.Option(
        ("--exit-non-zero-on-fix",), "exit_non_zero_on_fix", "Exit 1 when a fix changed a file, even if nothing remains (hooks).", flag=True
    ),
    opts.Option(("--fix-only",), "fix_only", "Apply the fixes and report nothing of what remains; exit 0 unless an error.", flag=True),
    opts.Option(("--baseline",), "baseline", "Do not report findings recorded in this baseline file.", kind="path"),
    opts.Option(("--write-baseline",), "write_baseline", "Record the current findings as the baseline and exit 0.", kind="path"),
    opts.Option(("--color/--no-color",), "colour", "Force colour on or off (default: on a TTY unless NO_COLOR)."),
    opts.OUTPUT.but(help="Write the report to a file instead of stdout."),
    opts.Option(
        ("--stdin-filename",),
        "stdin_filename",
        "Read the document from stdin (give `-` as the path) and lint it as if it were at PATH, with the repository around it.",
        kind="path",
        metavar="PATH",
    ),
    opts.Option(
        ("--force-exclude",),
        "force_exclude",
        "Skip named files the configuration would not check (README, the tracker, `exclude`, other Markdown); for pre-commit.",
        flag=True,
    ),
)
FLAGS = opts.flags(OPTIONS)
"""The on/off options of `check`: given alone, with PATHs, they need no parsing (`cli`'s fast path)."""
