"""lint.engine.warm_up: what the prelude's parent loads while the child works out the settings and files."""

from __future__ import annotations

import subprocess
import sys

CODE = (
    "import sys; from postmortem_lint.lint import engine; engine.warm_up(); "
    "print(engine._cores() > 1, 'postmortem_lint.lint.pool' in sys.modules, 'postmortem_lint.document.parse' in sys.modules)"
)


def test_the_warm_up_loads_the_pool_where_there_are_cores_for_it() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    several, pool, parser = done.stdout.split()
    assert pool == several and parser == "True"
