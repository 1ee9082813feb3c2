"""The generated files, each from its one source: the rule catalog, the compiled packs, the docs and schemas.

    python -m postmortem_lint.generate      # rewrite every one that is stale

- `core/catalog.py`: every rule's metadata (code, name, severity, fix safety,
  scope, module, doc), from the `@rule` decorators and docstrings of the rule
  modules, so that the engine, `pmlint rules`, SARIF and the docs read it without
  importing a rule module;
- `rules/compiled.json`: the shipped packs pre-parsed, so that a run needs
  neither ruamel.yaml nor pydantic (`packs.loader`);
- `docs/rules.md`: the rule catalog and every rule's doc, as `pmlint rule CODE` prints it;
- `rules/templates/compiled.json`: the template presets pre-compiled (`packs.templates.presets`);
- `docs/pmlint.schema.json` and `docs/template-pack.schema.json`: the JSON Schemas of the
  configuration file and of a template pack, from their pydantic models;
- `rules/regexes-cpython-311.bin` (this Python's name and version): the shipped blame pack's
  patterns compiled (`core.regexes.table`), so that no run compiles them (`lint.packdata`);
- `rules/startup-regexes-cpython-311.bin`: the patterns a cold run compiles through `re`'s cache (the modules',
  the parser's), compiled, for `commands.startup` to put in that cache first (`core.regexes.seed`).

tests/generated_test.py fails when a committed file differs from what this module generates.
"""

from __future__ import annotations

import inspect
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from postmortem_lint import checks
from postmortem_lint.checks import registry
from postmortem_lint.commands import startup
from postmortem_lint.core import lazy, regexes
from postmortem_lint.core.rule_info import RuleInfo, section_of
from postmortem_lint.features import configuration
from postmortem_lint.io.fsutil import atomic_write
from postmortem_lint.io.resources import data_path
from postmortem_lint.lint import packdata
from postmortem_lint.packs import loader
from postmortem_lint.packs.templates import presets
from postmortem_lint.packs.templates import schema as template_schema

PACKAGE = Path(__file__).resolve().parent
CATALOG = PACKAGE / "core" / "catalog.py"
DOCS = PACKAGE.parent / "docs"
RULES_MD = DOCS / "rules.md"


# ---------------------------------------------------------------- core/catalog.py


def rule_infos() -> dict[str, RuleInfo]:
    """Every rule's metadata as its module declares it (imports every rule module)."""
    for module in pkgutil.iter_modules(checks.__path__):
        if module.name.startswith("pm"):
            lazy.load(f"postmortem_lint.checks.{module.name}")
    return {code: r.info._replace(doc=inspect.cleandoc(r.info.doc)) for code, r in sorted(registry.RULES.items())}


def catalog_source(infos: dict[str, RuleInfo] | None = None) -> str:
    """The text of `core/catalog.py` (from the rule modules as they are, or from ``infos``)."""
    entries = "".join(_entry(info) for info in (infos or rule_infos()).values())
    return (
        '"""The rule catalog: every rule\'s metadata, generated from the rule modules by '
        '`python -m postmortem_lint.generate`; do not edit."""\n\n'
        "from __future__ import annotations\n\n"
        "from postmortem_lint.core.rule_info import RuleInfo\n\n"
        f"CATALOG: dict[str, RuleInfo] = {{\n{entries}}}\n"
    )


def _entry(info: RuleInfo) -> str:
    doc = "".join(f"            {_literal(line)}\n" for line in info.doc.splitlines(keepends=True))
    return (
        f"    {_literal(info.code)}: RuleInfo(\n"
        f"        code={_literal(info.code)},\n"
        f"        name={_literal(info.name)},\n"
        f"        severity={_literal(info.severity)},\n"
        f"        fix={_literal(info.fix)},\n"
        f"        scope={_literal(info.scope)},\n"
        f"        module={_literal(info.module)},\n"
        f"        doc=(\n{doc}        ),\n"
        "    ),\n"
    )


def _literal(text: str) -> str:
    """A Python string literal as ruff format writes it: double quotes, unless single ones need fewer escapes."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    if text.count('"') > text.count("'"):
        return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"
    return f'"{body}"'


# ---------------------------------------------------------------- rules/compiled.json


def compiled_json() -> str:
    """The text of `rules/compiled.json` (validates every shipped pack)."""
    return json.dumps(loader.compiled_payload(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- docs/rules.md


def rules_md(infos: dict[str, RuleInfo] | None = None) -> str:
    """The whole of docs/rules.md (from the rule modules as they are, or from ``infos``)."""
    rules = list((infos or rule_infos()).values())
    head = [
        "# pmlint rules",
        "",
        "<!-- Generated from the rule docstrings by `python -m postmortem_lint.generate`; do not edit by hand. -->",
        "",
        "Completeness rules are warnings on a `Draft` and errors once the `**Status:**` is",
        "`Under Review`, `Final` or `Closed` (or missing or invalid). `pmlint rule CODE` prints one rule.",
        "",
        "| Code | Name | Default | Fixable | Summary |",
        "|------|------|---------|---------|---------|",
        *(_row(rule) for rule in rules),
    ]
    return "\n".join(head) + "\n" + "".join(_section(rule) for rule in rules)


def _row(rule: RuleInfo) -> str:
    summary = first_sentence(section_of(rule.doc, "What it does")).replace("|", "\\|")
    return f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` | {rule.severity_label} | {rule.fix_label} | {summary} |"


def first_sentence(text: str) -> str:
    """The first sentence of a docstring part, on one line."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z`(])", " ".join(text.split()), maxsplit=1)[0]


def _section(rule: RuleInfo) -> str:
    body = re.sub(r"^## ", "### ", rule.doc.strip(), flags=re.M)
    meta = f"Default severity: {rule.severity_label}. Fixable: {rule.fix_label}."
    return f"\n## {rule.code} {rule.name}\n\n{meta}\n\n{body}\n"


# ---------------------------------------------------------------- rules/regexes-*.bin


def shipped_regexes() -> bytes:
    """The compiled patterns of the shipped blame pack for the Python running this (`core.regexes.table`)."""
    return regexes.table(packdata.blame_pack().patterns())


RECORDER = """
import contextlib, io, json, re, sys
from postmortem_lint import cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    cli._main(["check", "--no-cache", "."])
print(json.dumps([[pattern, flags] for kind, pattern, flags in list(re._cache) if kind is str]))
"""
"""What `startup_regexes` runs in a fresh interpreter: a cold check of the shipped examples (`examples/`, with its
configuration file, so that validating one is in it too) in one process (``PMLINT_NO_PRELUDE``), through `cli._main`,
which seeds nothing (`commands.startup`); then it prints the (pattern, flags) of `re`'s cache."""


def startup_regexes() -> bytes:
    """The patterns a cold run compiles through `re`'s cache, compiled (`core.regexes.table`), for `commands.startup`
    to seed that cache with: those that two runs under different ``PYTHONHASHSEED`` compile alike (not tokenize's,
    built from a set's order)."""
    runs = [_recorded(seed) for seed in ("1", "2")]
    return regexes.table(runs[0] & runs[1])


def _recorded(hash_seed: str) -> set[tuple[str, int]]:
    """`RECORDER`'s patterns under one ``PYTHONHASHSEED`` (but any naming the temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "examples"
        shutil.copytree(PACKAGE.parent / "examples", project)
        env = {**os.environ, "PMLINT_NO_PRELUDE": "1", "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(PACKAGE.parent)}
        done = subprocess.run([sys.executable, "-c", RECORDER], cwd=project, env=env, check=True, capture_output=True, text=True)
    return {(pattern, flags) for pattern, flags in json.loads(done.stdout) if tmp not in pattern}


# ---------------------------------------------------------------- all of them


def outputs() -> dict[Path, str | bytes]:
    """Each generated file and what it should hold (text, or bytes for a binary file)."""
    infos = rule_infos()
    return {
        CATALOG: catalog_source(infos),
        data_path(loader.COMPILED): compiled_json(),
        RULES_MD: rules_md(infos),
        data_path(presets.COMPILED): presets.compiled_text(),
        DOCS / "pmlint.schema.json": configuration.schema_text(),
        DOCS / "template-pack.schema.json": template_schema.json_schema_text(),
        data_path("rules") / Path(packdata.SHIPPED_REGEXES).name: shipped_regexes(),
        data_path("rules") / Path(startup.STARTUP_REGEXES).name: startup_regexes(),
    }


def holds(path: Path, content: str | bytes) -> bool:
    """Whether ``path`` holds exactly ``content``."""
    if not path.exists():
        return False
    return path.read_bytes() == content if isinstance(content, bytes) else path.read_text(encoding="utf-8") == content


def main() -> int:
    """Rewrite every generated file that differs from what it should hold."""
    for path, content in outputs().items():
        if not holds(path, content):
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, content)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
