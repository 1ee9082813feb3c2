"""Print how the current PM601/PM602 rules do on `tests/data/blame_v2.yaml`, both halves.

    python benchmarks/blame_eval.py            # Markdown tables
    python benchmarks/blame_eval.py --json     # the raw `evaluate` results
    python benchmarks/blame_eval.py --errors   # also list the tuning half's misses and false alarms

Rates are recall for a blameful kind and the false-alarm rate for a trap kind. The
evaluation itself is `tests/blame_eval.py`; see its docstring for how each sentence
is checked. The held-out half's sentences are never listed: tune on the tuning half.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

EVAL = Path(__file__).resolve().parent.parent / "tests" / "blame_eval.py"


def _evaluation() -> ModuleType:
    """tests/blame_eval.py, loaded by path (this file has the same module name)."""
    spec = importlib.util.spec_from_file_location("pmlint_tests_blame_eval", EVAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def table(results: dict[str, dict[str, Any]], kinds: tuple[str, ...], halves: tuple[str, ...]) -> list[str]:
    head = "| kind | label | " + " | ".join(f"{h} n | {h} flagged | {h} rate" for h in halves) + " |"
    rule = "|---|---|" + "---:|---:|---:|" * len(halves)
    lines = [head, rule]
    for kind in kinds:
        first = results[halves[0]]["kinds"][kind]
        label = "blameful (recall)" if first["blame"] else "trap (false alarms)"
        cells = []
        for half in halves:
            entry = results[half]["kinds"][kind]
            cells.append(f"{entry['n']} | {entry['flagged']} | {entry['rate']:.2f}")
        lines.append(f"| {kind} | {label} | " + " | ".join(cells) + " |")
    return lines


def summary(results: dict[str, dict[str, Any]], halves: tuple[str, ...]) -> list[str]:
    lines = ["| half | n | TP | FP | FN | TN | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for half in halves:
        r = results[half]
        counts = " | ".join(str(r[key]) for key in ("n", "tp", "fp", "fn", "tn"))
        lines.append(f"| {half} | {counts} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the evaluate() results as JSON")
    parser.add_argument("--errors", action="store_true", help="list the tuning half's misses and false alarms")
    args = parser.parse_args(argv)
    ev = _evaluation()
    halves: tuple[str, ...] = ev.HALVES
    results = {half: ev.evaluate(half, details=args.errors and half == "tuning") for half in halves}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("\n".join([*table(results, ev.BLAMEFUL_KINDS + ev.TRAP_KINDS, halves), "", *summary(results, halves)]))
    if args.errors:
        for title, key in (("Misses", "misses"), ("False alarms", "false_alarms")):
            print(f"\n{title} (tuning half):")
            for kind, text in results["tuning"][key]:
                print(f"- [{kind}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
