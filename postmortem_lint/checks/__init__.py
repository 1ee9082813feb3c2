"""The rule catalog: importing this package registers every rule.

The list below is the catalog, in one screen. Rule metadata sits beside each
rule's function; `pmlint rules`, `pmlint rule CODE` and docs/rules.md are generated
from the docstrings.
"""

from __future__ import annotations

from postmortem_lint.checks import (  # noqa: F401
    pm000_parse_error,
    pm1xx_filename,
    pm2xx_header,
    pm3xx_sections,
    pm6xx_blame,
    pm7xx_repo,
    pm50x_actions,
    pm401_placeholder,
    pm402_timeline,
    pm404_content,
    pm407_template_example,
    pm408_secret_leak,
    pm508_owner_unknown,
    pm703_tracker,
    pm801_sign_off,
    pm901_unused_suppression,
)
