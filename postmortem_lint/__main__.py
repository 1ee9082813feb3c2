from __future__ import annotations

from postmortem_lint.cli import main

raise SystemExit(main())
