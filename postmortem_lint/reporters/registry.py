"""The one registry of output formats: for each subject (`check`, `actions`, `report`, `config`), its formats and modules.

Every reporter module has one function, ``render(data, out)`` (`Reporter`): the
subject's record (`reporters.subjects`, or `insights.Report`) written to a text
stream. A run loads only the module of the format it prints (`core.lazy`).
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from postmortem_lint.core import lazy

FORMATS: dict[str, dict[str, str]] = {
    "check": {
        "text": "text",
        "full": "full",
        "grouped": "grouped",
        "json": "json_",
        "sarif": "sarif",
        "github": "github",
        "gitlab": "gitlab",
        "junit": "junit",
    },
    "actions": {"text": "text", "markdown": "markdown", "json": "json_", "csv": "csv_"},
    "report": {"markdown": "markdown", "json": "json_", "html": "html"},
    "config": {"text": "text", "json": "json_"},
}
"""subject -> format name -> module of `postmortem_lint.reporters.<subject>`, in the order `--help` lists them."""


class Reporter(Protocol):
    """What every reporter module's ``render`` is."""

    def __call__(self, data: Any, out: TextIO) -> None: ...


def formats(subject: str) -> tuple[str, ...]:
    """The format names of ``subject``."""
    return tuple(FORMATS[subject])


def reporter(subject: str, name: str) -> Reporter:
    """The ``render`` of the format ``name`` of ``subject``."""
    render: Reporter = lazy.load(f"{__package__}.{subject}.{FORMATS[subject][name]}").render
    return render


def render(subject: str, name: str, data: Any, out: TextIO) -> None:
    """Write ``data`` to ``out`` in the format ``name`` of ``subject``."""
    reporter(subject, name)(data, out)
