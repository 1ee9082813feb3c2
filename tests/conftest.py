"""Shared pytest hooks: reports that tests ask to show at the end of every run, with or without ``-s``."""

from __future__ import annotations

import pytest

REPORTS = pytest.StashKey[list[tuple[str, str]]]()
"""(title, text) pairs a test adds with `report`; printed in the terminal summary."""


def report(config: pytest.Config, title: str, text: str) -> None:
    config.stash.setdefault(REPORTS, []).append((title, text))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    for title, text in config.stash.get(REPORTS, []):
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)
