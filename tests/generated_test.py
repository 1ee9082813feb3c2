"""Every generated file is what `python -m postmortem_lint.generate` makes from its one source.

`checks/catalog.py` from the rule modules' decorators and docstrings,
`rules/compiled.json` from `rules/*.yaml`, `docs/rules.md` from the catalog, the compiled patterns
of the blame pack for the Python running the tests.
``PMLINT_UPDATE_GOLDEN=1`` rewrites them instead of failing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from postmortem_lint import generate

OUTPUTS = generate.outputs()


@pytest.mark.parametrize("path", list(OUTPUTS), ids=lambda p: p.name)
def test_the_committed_file_is_what_generate_makes(path: Path) -> None:
    if os.environ.get("PMLINT_UPDATE_GOLDEN") == "1":
        generate.main()
    assert generate.holds(path, OUTPUTS[path]), f"{path.name} is stale: run `python -m postmortem_lint.generate`"


def test_reading_the_catalog_imports_no_rule_module() -> None:
    code = (
        "import sys; from postmortem_lint.checks.registry import catalog; rules = catalog(); "
        "print(len(rules), sorted(m for m in sys.modules if m.startswith('postmortem_lint.checks.pm')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split(" ", 1) == [str(len(generate.rule_infos())), "[]\n"]
