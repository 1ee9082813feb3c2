"""The rule catalog: each module of this package registers its rules when imported.

The table below is the catalog, in one screen: every rule module and the codes
it registers (a test holds it to the registrations). `registry.catalog` imports
them all; a run that needs only some rules (`engine.finish` over cached results)
imports only their modules (`load`). Rule metadata sits beside each rule's
function; `pmlint rules`, `pmlint rule CODE` and docs/rules.md are generated
from the docstrings.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

CATALOG: dict[str, tuple[str, ...]] = {
    "pm000_parse_error": ("PM000",),
    "pm1xx_filename": ("PM101", "PM102", "PM103"),
    "pm2xx_header": ("PM201", "PM202", "PM203", "PM204", "PM205", "PM206", "PM207", "PM208"),
    "pm209_future_date": ("PM209",),
    "pm3xx_sections": ("PM301", "PM302", "PM303", "PM304"),
    "pm401_placeholder": ("PM401",),
    "pm402_timeline": ("PM402", "PM403"),
    "pm404_content": ("PM404", "PM405", "PM406"),
    "pm407_template_example": ("PM407",),
    "pm408_secret_leak": ("PM408",),
    "pm50x_actions": ("PM501", "PM502", "PM503", "PM504", "PM505", "PM506", "PM507"),
    "pm508_owner_unknown": ("PM508",),
    "pm6xx_blame": ("PM601", "PM602"),
    "pm7xx_repo": ("PM701", "PM702"),
    "pm703_tracker": ("PM703",),
    "pm801_sign_off": ("PM801",),
    "pm901_unused_suppression": ("PM901",),
    "pm902_unknown_suppression_code": ("PM902",),
}
REPOSITORY = ("PM209", "PM507", "PM701", "PM702", "PM703")
"""The repository rules (`registry.repo_rule`): they run over the index on every check."""

_CODES = frozenset(code for codes in CATALOG.values() for code in codes)


def load(codes: Iterable[str] | None = None) -> None:
    """Register the rules ``codes`` by importing the modules that hold them (every module when None or unknown)."""
    wanted = None if codes is None else set(codes)
    if wanted is not None and not wanted <= _CODES:
        wanted = None
    for module, held in CATALOG.items():
        if wanted is None or not wanted.isdisjoint(held):
            importlib.import_module(f"{__name__}.{module}")
