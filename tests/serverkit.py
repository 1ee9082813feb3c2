"""A small archive in a real git repository, for the language-server and MCP end-to-end tests.

Two post-mortems that lint clean (the fixture, and an earlier one it lists under
Related Incidents, sharing `checkout-api`), an owners roster with one person
the documents do not name, and a tracker in sync, all committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lintkit import CLEAN_PATH, clean_text
from repokit import ENV, commit, make_repo, pmlint, write

EARLIER_PATH = "tasks/post-mortem-2026-01-09-search-index-outage.md"
EARLIER_INCIDENT = "INC-2026-01-09-002"
ROSTER = ("Elena Petrova", "Daniel Okafor", "Marcus Lee", "Priya Raman", "Sam Rivera @srivera")
SERVER = (sys.executable, "-m", "postmortem_lint")


def earlier_text() -> str:
    text = clean_text()
    for old, new in (
        ("INC-2026-03-14-001", EARLIER_INCIDENT),
        ("**Date:** 2026-03-14", "**Date:** 2026-01-09"),
        (
            "**Systems Affected:** checkout-api, pricing-service, tax-client library, external tax provider integration",
            "**Systems Affected:** search-indexer, checkout-api",
        ),
    ):
        assert old in text
        text = text.replace(old, new)
    lines = text.split("\n")
    lines[0] = "# Post-Mortem: Search index outage after a rollout"
    return "\n".join(lines)


def build_archive(root: Path) -> Path:
    """The archive at ``root``: committed, its tracker in sync, `pmlint check` clean."""
    make_repo(root)
    write(root, CLEAN_PATH, clean_text())
    write(root, EARLIER_PATH, earlier_text())
    write(root, "owners.txt", "\n".join(ROSTER) + "\n")
    write(root, ".pmlint.yaml", "owners: owners.txt\n")
    done = pmlint(root, "track", env=ENV)
    assert done.returncode in (0, 1), done.stderr
    commit(root, "archive")
    checked = pmlint(root, "check", "--today", "2026-03-20", env=ENV)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return root
