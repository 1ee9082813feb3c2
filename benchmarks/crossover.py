"""Where a worker pool starts to pay: `pmlint check --no-cache` with one process against the pool, by archive size.

    python benchmarks/crossover.py [--sizes 8,16,24,32,48,64,96,128] [--runs 7]

For each size N, the first N files of the generated corpus (`generate.py`, seed 1) are
copied into ``benchmarks/.work/crossover-N``; ``--jobs 1`` (no pool) and ``--jobs C``
(C = the cores this process may use; an explicit ``--jobs`` forks the pool at any size)
are timed interleaved, median of ``--runs``. The engine's automatic choice
(`lint.engine.PARALLEL_THRESHOLD`) should sit at the smallest N from which the pool is
faster. Prints a Markdown table on stdout. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402


def subset(count: int, source: Path) -> Path:
    """``.work/crossover-COUNT``: the first COUNT files of ``source``."""
    out = run.WORK / f"crossover-{count}"
    files = run.corpus_files(source)[:count]
    if not (out / ".complete").exists():
        shutil.rmtree(out, ignore_errors=True)
        (out / "tasks").mkdir(parents=True)
        for rel in files:
            shutil.copy2(source / rel, out / rel)
        (out / ".complete").write_text(f"{count}\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,16,24,32,48,64,96,128", help="archive sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per size and mode (default 7)")
    parser.add_argument("--pmlint", help="pmlint command (default as run.py)")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    pmlint = run.resolve_pmlint(args.pmlint)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    source = run.ensure_corpus(max(sizes), 1)
    bench = run.Bench(env=run.tool_env(source), verbose=False)
    jobs: list[run.Job] = []
    for n in sizes:
        folder = subset(n, source)
        for label, count in (("serial", 1), ("pool", cores)):
            cmd = [*pmlint, "check", "--no-cache", "--jobs", str(count), "tasks"]
            jobs.append(run.Job(f"{label}-{n}", run.Result(f"{label} {n}", "", n), cmd, args.runs, cwd=folder))
    results = bench.measure_all(jobs, source)
    lines = [
        f"Load average before/after: see /proc/loadavg; cores used by the pool: {cores}.",
        "",
        "| files | one process, s | pool, s | pool / one process |",
        "|---:|---:|---:|---:|",
    ]
    pays = None
    for n in sizes:
        serial, pool = results[f"serial-{n}"], results[f"pool-{n}"]
        share = run.ratio(pool, serial)
        if share is not None and share < 1 and pays is None:
            pays = n
        elif share is not None and share >= 1:
            pays = None
        lines.append(f"| {n} | {run.fmt_s(serial.median)} | {run.fmt_s(pool.median)} | {run.fmt_ratio(share)} |")
    lines += ["", f"The pool is faster from {pays} files on." if pays else "The pool was not faster at any size measured."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
