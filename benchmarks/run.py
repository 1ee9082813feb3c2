"""Time ``pmlint check`` against markdownlint-cli2, pymarkdown and rumdl on one corpus.

    python benchmarks/run.py --files 1000 --runs 5 [--big 10000] [--skip-slow]

Generates the corpus (``benchmarks/.work/corpus-N``), installs the peers into
``benchmarks/.work`` (see peers.py), then measures, in one run and on the same files:

* batch wall time (median/min/max of ``--runs`` runs after one untimed warm-up):
  ``pmlint check --no-cache`` (cold), ``pmlint check`` with its cache filled (warm),
  markdownlint-cli2, pymarkdown, ``rumdl check --no-cache`` and ``rumdl check`` cached;
* single-file latency (median of ``--single-runs`` runs): what a pre-commit hook waits for;
* peak memory: the largest process's max RSS of each run (``os.wait4``, which includes the
  children the tool reaped), and for pmlint the process tree's peak PSS sampled from /proc
  (worker processes added up);
* with ``--big N``: pmlint (and rumdl) on N files, and the per-file cost ratio N vs --files.

Linter exit code 1 means "found problems" and is expected; anything else (pmlint's 2, a
signal) is a failure and its stderr is printed. Every tool runs with its default rules.
Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import peers  # noqa: E402

WORK = HERE / ".work"
OK_CODES = (0, 1)  # 1 = "found problems", which every linter here does on this corpus
GROWTH_LIMIT = 1.25  # per-file cost at --big may exceed the --files cost by at most this
MEMORY_LIMIT_MB = 250.0


class ToolError(RuntimeError):
    """A tool crashed or exited with a code other than 0 or 1."""


# ---------------------------------------------------------------- running one command


@dataclass(frozen=True)
class Sample:
    """One timed run."""

    wall: float  # seconds
    maxrss_mb: float  # largest single process (the tool or a child it reaped)
    code: int
    cpu: float = 0.0  # user + system seconds of the tool and the children it reaped


def _log_files(label: str) -> tuple[Path, Path]:
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() else "-" for c in label)
    return logs / f"{safe}.out", logs / f"{safe}.err"


def _crashed(err_path: Path) -> bool:
    """Exit code 1 is "problems found", unless it is Python dying with a traceback."""
    with err_path.open("rb") as err:
        err.seek(max(0, err_path.stat().st_size - 65536))
        tail = err.read()
    return b"Traceback (most recent call last)" in tail or b"No module named" in tail


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str], label: str) -> Sample:
    """Run ``cmd`` once with output to log files; time it and read its rusage."""
    out_path, err_path = _log_files(label)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code not in OK_CODES or (code == 1 and _crashed(err_path)):
        raise ToolError(f"{label}: `{shlex.join(cmd)}` exited with {code}\n--- stderr (tail) ---\n{_tail(err_path)}")
    return Sample(wall=wall, maxrss_mb=usage.ru_maxrss / 1024, code=code, cpu=usage.ru_utime + usage.ru_stime)


# ---------------------------------------------------------------- process-tree memory


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(k) for k in (task / "children").read_text().split()]
    except OSError:
        pass
    return kids


def _rss_pss_kb(pid: int) -> tuple[int, int]:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {}
    for line in text.splitlines():
        if line.startswith(("Rss:", "Pss:")):
            values[line[:3]] = int(line.split()[1])
    return values.get("Rss", 0), values.get("Pss", 0)


def tree_memory_mb(root: int) -> tuple[float, float]:
    """RSS sum (upper bound: shared pages counted in every process) and PSS sum (shared
    pages split between the processes) over ``root`` and all its descendants."""
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        r, p = _rss_pss_kb(pid)
        rss, pss = rss + r, pss + p
        todo += _children(pid)
    return rss / 1024, pss / 1024


def peak_tree_memory(cmd: Sequence[str], cwd: Path, env: dict[str, str], label: str, interval: float = 0.02) -> tuple[float, float]:
    """Run ``cmd`` once, sampling its process tree; peak (RSS sum, PSS sum) in MB."""
    out_path, err_path = _log_files(label)
    peak_rss = peak_pss = 0.0
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_rss, peak_pss
            while not done.wait(interval):
                rss, pss = tree_memory_mb(proc.pid)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    if code not in OK_CODES:
        raise ToolError(f"{label}: exited with {code}\n{_tail(err_path)}")
    return peak_rss, peak_pss


# ---------------------------------------------------------------- measurements


@dataclass
class Result:
    """Runs of one command on one corpus."""

    label: str
    command: str
    files: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    estimate: float | None = None  # extrapolated median (pymarkdown on a subset)
    tree_peak_mb: tuple[float, float] | None = None  # (RSS sum, PSS sum)
    baseline: str = "pmlint-cold"  # the pmlint result this one is compared with
    error: str = ""

    @property
    def median(self) -> float:
        if self.estimate is not None:
            return self.estimate
        return statistics.median(s.wall for s in self.samples) if self.samples else float("nan")

    @property
    def min(self) -> float:
        return min((s.wall for s in self.samples), default=float("nan"))

    @property
    def max(self) -> float:
        return max((s.wall for s in self.samples), default=float("nan"))

    @property
    def cores(self) -> float:
        """CPU time over wall time, summed over the runs: how many cores were kept busy."""
        wall = sum(s.wall for s in self.samples)
        return sum(s.cpu for s in self.samples) / wall if wall else float("nan")

    @property
    def maxrss_mb(self) -> float:
        return max((s.maxrss_mb for s in self.samples), default=float("nan"))

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.samples)


@dataclass
class Job:
    """A command to time ``runs`` times after ``warmup`` untimed runs (``prepare`` first)."""

    key: str
    result: Result
    cmd: list[str]
    runs: int
    warmup: int = 1
    prepare: Callable[[], None] | None = None


@dataclass
class Bench:
    """Shared settings of a benchmark session."""

    env: dict[str, str]
    verbose: bool = True

    def measure(
        self, result: Result, cmd: Sequence[str], cwd: Path, runs: int, warmup: int = 1, prepare: Callable[[], None] | None = None
    ) -> Result:
        """Fill ``result`` with ``runs`` timed runs of ``cmd`` after ``warmup`` untimed ones."""
        return self.measure_all([Job("one", result, list(cmd), runs, warmup, prepare)], cwd)["one"]

    def measure_all(self, jobs: list[Job], cwd: Path) -> dict[str, Result]:
        """Warm every job up, then time them round-robin: on a shared machine a change of
        load then hits every tool alike instead of whichever happened to run at the time."""
        for job in jobs:
            self._start(job, cwd)
        for round_no in range(max((j.runs for j in jobs), default=0)):
            for job in jobs:
                if not job.result.error and round_no < job.runs:
                    self._time(job, cwd, round_no)
        return {j.key: j.result for j in jobs}

    def _start(self, job: Job, cwd: Path) -> None:
        job.result.command = job.result.command or shlex.join(job.cmd)
        self.say(f"{job.result.label}: {job.result.command}  ({job.warmup} warm-up + {job.runs} runs)")
        try:
            if job.prepare is not None:
                job.prepare()
            for _ in range(job.warmup):
                run_once(job.cmd, cwd, self.env, job.result.label)
        except ToolError as exc:
            self._fail(job, exc)

    def _time(self, job: Job, cwd: Path, round_no: int) -> None:
        try:
            sample = run_once(job.cmd, cwd, self.env, job.result.label)
        except ToolError as exc:
            self._fail(job, exc)
            return
        job.result.samples.append(sample)
        self.say(
            f"  {job.result.label} run {round_no + 1}/{job.runs}: {sample.wall:.3f} s, "
            f"max RSS {sample.maxrss_mb:.0f} MB, exit {sample.code}"
        )

    @staticmethod
    def _fail(job: Job, exc: ToolError) -> None:
        job.result.error = str(exc)
        print(f"ERROR {exc}", file=sys.stderr, flush=True)

    def say(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the tools


@dataclass(frozen=True)
class Commands:
    """How each tool is invoked on a corpus (run with cwd = the corpus root)."""

    pmlint: list[str]
    paths: peers.Peers

    def pmlint_cold(self, target: str = "tasks") -> list[str]:
        return [*self.pmlint, "check", "--no-cache", target]

    def pmlint_warm(self, target: str = "tasks") -> list[str]:
        return [*self.pmlint, "check", target]

    def markdownlint(self, target: str = "tasks/*.md") -> list[str]:
        return [str(self.paths.markdownlint_cli2), target]

    def pymarkdown(self, files: Sequence[str]) -> list[str]:
        return [str(self.paths.pymarkdown), "scan", *files]

    def rumdl_cold(self, target: str = "tasks") -> list[str]:
        return [str(self.paths.rumdl), "check", "--no-config", "--no-cache", target]

    def rumdl_cached(self, target: str = "tasks") -> list[str]:
        return [str(self.paths.rumdl), "check", "--no-config", target]


def resolve_pmlint(option: str | None) -> list[str]:
    """``--pmlint CMD``, else ``pmlint`` on PATH, else the repository's ``.venv/bin/pmlint``,
    else ``python -m postmortem_lint`` with this interpreter."""
    if option:
        return shlex.split(option)
    found = shutil.which("pmlint")
    local = HERE.parent / ".venv" / "bin" / "pmlint"
    if found:
        return [found]
    return [str(local)] if local.exists() else [sys.executable, "-m", "postmortem_lint"]


def interpreter_of(cmd: list[str]) -> str:
    """The Python that runs a pmlint command (its script's shebang), else this one."""
    try:
        first = Path(cmd[0]).read_bytes()[:200].split(b"\n", 1)[0].decode()
    except (OSError, IndexError, UnicodeDecodeError):
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].strip().split()[0]
    return cmd[0] if "python" in Path(cmd[0]).name else sys.executable


def git_out(*args: str) -> str:
    """Output of a git command in this repository ('' when git fails)."""
    done = subprocess.run(["git", "-C", str(HERE.parent), *args], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def snapshot_pmlint(rev: str, python: str) -> tuple[list[str], str]:
    """Export pmlint at ``rev`` into benchmarks/.work and run it from there.

    An editable install follows the working tree, which may change while a benchmark
    runs; a snapshot measures one known commit. Its dependencies come from ``python``'s
    environment. It is byte-compiled, as ``pip install`` does, so that no run pays for
    compiling pmlint's modules (an environment with PYTHONDONTWRITEBYTECODE=1 would
    otherwise recompile them in every run).
    """
    sha = git_out("rev-parse", "--verify", f"{rev}^{{commit}}")
    if not sha:
        raise SystemExit(f"run.py: --pmlint-rev: unknown revision {rev!r}")
    dest = WORK / f"pmlint-{sha[:12]}"
    if not (dest / ".complete").exists():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", sha], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        subprocess.run([python, "-m", "compileall", "-q", str(dest / "postmortem_lint")], check=True)
        (dest / ".complete").write_text(sha + "\n")
    return ["env", f"PYTHONPATH={dest}", python, "-m", "postmortem_lint"], sha


def pmlint_revision(opts: Options) -> str:
    """Which pmlint source was measured, for the report."""
    if opts.pmlint_sha:
        return f"commit {opts.pmlint_sha[:12]} (snapshot via --pmlint-rev)"
    head = git_out("rev-parse", "--short=12", "HEAD") or "?"
    dirty = " + uncommitted changes" if git_out("status", "--porcelain", "--untracked-files=no") else ""
    return f"working tree at {head}{dirty} (if pmlint is an editable install of this checkout)"


def clear_cache(corpus: Path, name: str) -> Callable[[], None]:
    """A ``prepare`` step removing a tool's cache folder so the warm-up refills it."""

    def prepare() -> None:
        shutil.rmtree(corpus / name, ignore_errors=True)

    return prepare


# ---------------------------------------------------------------- corpus


def ensure_corpus(count: int, seed: int) -> Path:
    """``benchmarks/.work/corpus-COUNT``, generated unless already there for this seed."""
    out = WORK / f"corpus-{count}"
    stamp = out / ".generated"
    wanted = f"count={count} seed={seed} generator={_generator_digest()}\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return out
    began = time.perf_counter()
    generate.generate(out, count, seed)
    stamp.write_text(wanted)
    print(f"generated {count} files in {out} ({time.perf_counter() - began:.1f} s)", file=sys.stderr)
    return out


def _generator_digest() -> str:

    return hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:12]


def corpus_files(corpus: Path) -> list[str]:
    """The corpus's post-mortems, relative to its root, sorted."""
    return sorted(f"tasks/{p.name}" for p in (corpus / "tasks").glob("post-mortem-*.md"))


def pick_single(files: list[str], corpus: Path) -> str:
    """A file of median size: the one a hook user is most likely to commit."""
    sized = sorted(files, key=lambda f: ((corpus / f).stat().st_size, f))
    return sized[len(sized) // 2]


def tool_env(corpus: Path) -> dict[str, str]:
    """Environment for the tools: git must not climb out of the corpus into this repo."""
    env = dict(os.environ)
    env["GIT_CEILING_DIRECTORIES"] = str(corpus.parent)
    env.pop("PMLINT_CONFIG", None)
    env["NO_COLOR"] = "1"
    return env


# ---------------------------------------------------------------- the benchmark steps


@dataclass
class Options:
    """Parsed command line."""

    files: int
    runs: int
    single_runs: int
    big: int
    big_runs: int
    seed: int
    skip_slow: bool
    pymarkdown_files: int
    pymarkdown_runs: int
    markdownlint_runs: int
    pmlint: list[str]
    output: Path | None
    no_verify: bool
    pmlint_sha: str = ""


def sanity_check(cmds: Commands, corpus: Path, bench: Bench, files: int) -> tuple[bool, str]:
    """Run ``pmlint check --format json`` once: did it really check every file?

    Timing a pmlint that is not installed (``No module named ...`` also exits 1) or that
    silently skips files would give meaningless, flattering numbers.
    """
    cmd = [*cmds.pmlint, "check", "--no-cache", "--format", "json", "tasks"]
    label = f"pmlint-json-{files}"
    try:
        run_once(cmd, corpus, bench.env, label)
        data = json.loads(_log_files(label)[0].read_text())
        checked, diagnostics = int(data["files_checked"]), list(data["diagnostics"])
    except ToolError as exc:
        return False, f"pmlint sanity run failed: {exc}"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        err = _tail(_log_files(label)[1], 10)
        return False, f"`{shlex.join(cmd)}` gave no pmlint JSON report ({exc}); stderr:\n{err}"
    codes: dict[str, int] = {}
    for diag in diagnostics:
        codes[str(diag.get("code"))] = codes.get(str(diag.get("code")), 0) + 1
    top = ", ".join(f"{c} {n}" for c, n in sorted(codes.items(), key=lambda x: (-x[1], x[0]))[:10])
    message = f"pmlint checked {checked} of {files} files: {len(diagnostics)} findings (most frequent: {top})"
    return checked == files, message


def batch_results(opts: Options, cmds: Commands, corpus: Path, bench: Bench, files: list[str], include_slow: bool) -> dict[str, Result]:
    """The batch timings on one corpus, interleaved."""
    n = len(files)
    jobs = [
        Job("pmlint-cold", Result("pmlint cold (--no-cache)", "", n), cmds.pmlint_cold(), opts.runs),
        Job(
            "pmlint-warm",
            Result("pmlint warm (cache filled)", "", n),
            cmds.pmlint_warm(),
            opts.runs,
            prepare=clear_cache(corpus, ".pmlint_cache"),
        ),
        Job("rumdl-cold", Result("rumdl --no-cache", "", n), cmds.rumdl_cold(), opts.runs),
        Job(
            "rumdl-cached",
            Result("rumdl cached", "", n, baseline="pmlint-warm"),
            cmds.rumdl_cached(),
            opts.runs,
            prepare=clear_cache(corpus, ".rumdl_cache"),
        ),
    ]
    if include_slow:
        jobs.append(Job("markdownlint", Result("markdownlint-cli2", "", n), cmds.markdownlint(), opts.markdownlint_runs, warmup=0))
        jobs += pymarkdown_jobs(opts, cmds, files)
    res = bench.measure_all(jobs, corpus)
    if "pymarkdown" in res:
        subset = n if opts.pymarkdown_files <= 0 else min(opts.pymarkdown_files, n)
        extrapolate_pymarkdown(res["pymarkdown"], res.pop("pymarkdown-1"), subset, n)
    for key in ("pmlint-cold", "pmlint-warm"):
        if res[key].ok:
            cmd = cmds.pmlint_cold() if key == "pmlint-cold" else cmds.pmlint_warm()
            res[key].tree_peak_mb = peak_tree_memory(cmd, corpus, bench.env, f"{key}-mem-{n}")
    return res


def pymarkdown_jobs(opts: Options, cmds: Commands, files: list[str]) -> list[Job]:
    """pymarkdown on the corpus, or on a subset plus one file to extrapolate from (it is very slow)."""
    subset = files if opts.pymarkdown_files <= 0 else files[: opts.pymarkdown_files]
    result = Result(f"pymarkdown ({len(subset)} files)", f"pymarkdown scan <{len(subset)} files>", len(files))
    jobs = [Job("pymarkdown", result, cmds.pymarkdown(subset), opts.pymarkdown_runs, warmup=0)]
    jobs.append(Job("pymarkdown-1", Result("pymarkdown (1 file)", "", 1), cmds.pymarkdown(subset[:1]), 3, warmup=0))
    return jobs


def extrapolate_pymarkdown(result: Result, one: Result, subset: int, total: int) -> None:
    """Estimate the full-corpus time from the subset and one-file times: t1 + (tK - t1)(N - 1)/(K - 1)."""
    if not (result.ok and one.ok) or subset >= total:
        return
    subset_median = result.median
    per_file = (subset_median - one.median) / max(subset - 1, 1)
    result.estimate = one.median + per_file * (total - 1)
    result.note = (
        f"pymarkdown extrapolated: {subset} files took {subset_median:.2f} s "
        f"(median of {len(result.samples)}), 1 file {one.median:.2f} s; estimate for "
        f"{total} = t1 + (t{subset} - t1) x {total - 1}/{subset - 1}"
    )


def single_results(opts: Options, cmds: Commands, corpus: Path, bench: Bench, one: str) -> dict[str, Result]:
    """One-file latency of each tool (default invocation; pmlint also without cache)."""
    runs = opts.single_runs
    jobs = {
        "pmlint": cmds.pmlint_warm(one),
        "pmlint-nocache": cmds.pmlint_cold(one),
        "markdownlint": cmds.markdownlint(one),
        "pymarkdown": cmds.pymarkdown([one]),
        "rumdl": cmds.rumdl_cached(one),
    }
    labels = {
        "pmlint": "pmlint check FILE",
        "pmlint-nocache": "pmlint check --no-cache FILE",
        "markdownlint": "markdownlint-cli2 FILE",
        "pymarkdown": "pymarkdown scan FILE",
        "rumdl": "rumdl check FILE",
    }
    return bench.measure_all([Job(key, Result(labels[key], "", 1), cmd, runs) for key, cmd in jobs.items()], corpus)


def big_results(opts: Options, cmds: Commands, bench: Bench) -> dict[str, Result]:
    """pmlint and rumdl on the big corpus."""
    corpus = ensure_corpus(opts.big, opts.seed)
    files = corpus_files(corpus)
    bench.env = tool_env(corpus)
    big = Options(**{**opts.__dict__, "runs": opts.big_runs})
    return batch_results(big, cmds, corpus, bench, files, include_slow=False)


# ---------------------------------------------------------------- report


def ratio(num: Result | None, den: Result | None) -> float | None:
    if num is None or den is None or not (num.ok or num.estimate) or not den.ok:
        return None
    return num.median / den.median if den.median > 0 else None


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def fmt_s(value: float) -> str:
    return "n/a" if math.isnan(value) else (f"{value:.3f}" if value < 10 else f"{value:.1f}")


def result_rows(results: dict[str, Result]) -> list[str]:
    rows = [
        "| tool | runs | median s | min s | max s | tool / pmlint (same mode) | cores busy | max RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in results.items():
        if r.error:
            rows.append(f"| {r.label} | failed | | | | | | |")
            continue
        rel = "—" if key.startswith("pmlint") else fmt_ratio(ratio(r, results.get(r.baseline)))
        median = fmt_s(r.median) + (" (est.)" if r.estimate is not None else "")
        rss = f"{r.maxrss_mb:.0f}"
        if r.tree_peak_mb:
            rss += f" (tree: RSS {r.tree_peak_mb[0]:.0f}, PSS {r.tree_peak_mb[1]:.0f})"
        low, high = ("—", "—") if r.estimate is not None else (fmt_s(r.min), fmt_s(r.max))
        rows.append(f"| {r.label} | {len(r.samples)} | {median} | {low} | {high} | {rel} | {r.cores:.2f} | {rss} |")
    return rows


def single_rows(results: dict[str, Result]) -> list[str]:
    base = results.get("pmlint")
    rows = ["| tool | runs | median ms | min ms | max ms | pmlint / tool |", "|---|---:|---:|---:|---:|---:|"]
    for key, r in results.items():
        if r.error:
            rows.append(f"| {r.label} | failed | | | | |")
            continue
        rel = "—" if key.startswith("pmlint") else fmt_ratio(ratio(base, r))
        rows.append(f"| {r.label} | {len(r.samples)} | {r.median * 1000:.0f} | {r.min * 1000:.0f} | {r.max * 1000:.0f} | {rel} |")
    return rows


@dataclass
class Check:
    """One target of issue 6 and whether the measurement meets it."""

    name: str
    value: float | None
    limit: float
    higher_is_better: bool

    def row(self) -> str:
        if self.value is None:
            verdict, shown = "not measured", "n/a"
        else:
            good = self.value >= self.limit if self.higher_is_better else self.value <= self.limit
            verdict, shown = ("PASS" if good else "FAIL"), f"{self.value:.2f}"
        sign = "≥" if self.higher_is_better else "≤"
        return f"| {self.name} | {shown} | {sign} {self.limit:g} | {verdict} |"


def target_checks(batch: dict[str, Result], single: dict[str, Result], big: dict[str, Result], files: int, big_files: int) -> list[Check]:
    cold = batch.get("pmlint-cold")
    checks = [
        Check(f"markdownlint-cli2 / pmlint cold, {files} files", ratio(batch.get("markdownlint"), cold), 6, True),
        Check(f"pymarkdown / pmlint cold, {files} files", ratio(batch.get("pymarkdown"), cold), 50, True),
        Check("pmlint warm / rumdl cached", ratio(batch.get("pmlint-warm"), batch.get("rumdl-cached")), 2, False),
        Check("pmlint FILE / markdownlint-cli2 FILE", ratio(single.get("pmlint"), single.get("markdownlint")), 0.4, False),
    ]
    big_cold = big.get("pmlint-cold")
    if big_cold is None:
        return checks
    growth = ratio(big_cold, cold)
    checks.append(
        Check(
            f"per-file cost {big_files} / {files} files (cold)", None if growth is None else growth * files / big_files, GROWTH_LIMIT, False
        )
    )
    peak = max(big_cold.maxrss_mb, big_cold.tree_peak_mb[0]) if big_cold.ok and big_cold.tree_peak_mb else None
    checks.append(
        Check(
            f"pmlint cold peak memory at {big_files} files, MB (larger of max RSS and process-tree RSS sum)", peak, MEMORY_LIMIT_MB, False
        )
    )
    return checks


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews timings."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:"))
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "?"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores (nproc)": str(os.cpu_count()),
        "CPU": model,
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
    }


def render_report(
    opts: Options,
    info: dict[str, str],
    versions: dict[str, str],
    batch: dict[str, Result],
    single: dict[str, Result],
    big: dict[str, Result],
    notes: list[str],
) -> str:
    lines = [
        "## Machine",
        "",
        *(f"- **{k}:** {v}" for k, v in info.items()),
        f"- **pmlint command:** `{shlex.join(opts.pmlint).replace(str(WORK) + '/', '.work/')}`",
        f"- **pmlint source:** {pmlint_revision(opts)}",
        "- **peers:** " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "All tools run with their default rules (rumdl with `--no-config`; no markdownlint",
        "configuration file in the corpus), output to a file, cwd = the corpus root.",
        "Cold = no tool cache (the OS page cache is warm: every timed series follows at",
        "least one earlier read of the files). Ratios use medians. Cores busy = CPU time",
        "(user + system, children included) / wall time, summed over the runs.",
        "",
        f"## Batch: {opts.files} files ({generate.__name__}.py --seed {opts.seed})",
        "",
        *result_rows(batch),
        "",
    ]
    single_file = single.get("pmlint")
    lines += [
        (f"## Single file (in the {opts.files}-file corpus{': ' + single_file.command.split()[-1] if single_file else ''})"),
        "",
        *single_rows(single),
        "",
    ]
    if big:
        lines += [f"## Batch: {opts.big} files", "", *result_rows(big), ""]
    lines += [
        "## Targets (issue 6)",
        "",
        *(
            [f"The targets are set for a 1,000-file corpus; at {opts.files} files fixed costs weigh differently.", ""]
            if opts.files != 1000
            else []
        ),
        "| target | measured | wanted | verdict |",
        "|---|---:|---:|---|",
        *(c.row() for c in target_checks(batch, single, big, opts.files, opts.big)),
        "",
    ]
    lines += ["## Commands (cwd = corpus root)", "", *command_lines([*batch.values(), *single.values()]), ""]
    if notes:
        lines += ["## Notes", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


def command_lines(results: list[Result]) -> list[str]:
    """The commands timed, with the peers' install prefix shortened."""
    prefix = str(WORK) + "/"
    return [f"- {r.label}: `{r.command.replace(prefix, '.work/')}`" for r in results]


def corpus_summary(corpus: Path, files: list[str]) -> str:
    size = sum((corpus / f).stat().st_size for f in files)
    return (
        f"corpus: {len(files)} files, {size / len(files) / 1024:.1f} KB average, "
        f"{size / 1024 / 1024:.1f} MB in total ({corpus.relative_to(HERE.parent)})"
    )


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> Options:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=1000, help="corpus size (default 1000)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per batch measurement")
    p.add_argument("--single-runs", type=int, default=15, help="timed single-file runs")
    p.add_argument("--big", type=int, default=0, help="also time pmlint/rumdl on N files")
    p.add_argument("--big-runs", type=int, default=0, help="runs at --big (default --runs)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--skip-slow", action="store_true", help="skip the batch runs of markdownlint-cli2 and pymarkdown")
    p.add_argument("--pymarkdown-files", type=int, default=100, help="time pymarkdown on this many files and extrapolate (0 = all)")
    p.add_argument("--pymarkdown-runs", type=int, default=3, help="runs for pymarkdown")
    p.add_argument("--markdownlint-runs", type=int, default=0, help="runs for markdownlint-cli2 (default --runs)")
    p.add_argument("--pmlint", help="pmlint command (default: pmlint on PATH, else python -m postmortem_lint)")
    p.add_argument(
        "--pmlint-rev", help="time pmlint as committed at this git revision (exported to benchmarks/.work), not the working tree"
    )
    p.add_argument("--output", type=Path, help="also write the Markdown report here")
    p.add_argument("--no-verify", action="store_true", help="time pmlint even if its JSON report does not cover every file")
    a = p.parse_args(argv)
    if a.files < 2 or a.runs < 1 or a.single_runs < 1:
        p.error("--files must be at least 2, --runs and --single-runs at least 1")
    opts = Options(
        files=a.files,
        runs=a.runs,
        single_runs=a.single_runs,
        big=a.big,
        big_runs=a.big_runs or a.runs,
        seed=a.seed,
        skip_slow=a.skip_slow,
        pymarkdown_files=a.pymarkdown_files,
        pymarkdown_runs=a.pymarkdown_runs,
        markdownlint_runs=a.markdownlint_runs or a.runs,
        pmlint=resolve_pmlint(a.pmlint),
        output=a.output,
        no_verify=a.no_verify,
    )
    if a.pmlint_rev:
        opts.pmlint, opts.pmlint_sha = snapshot_pmlint(a.pmlint_rev, interpreter_of(opts.pmlint))
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    load_before = load_average()
    paths = peers.install()
    versions = peers.versions()
    cmds = Commands(pmlint=opts.pmlint, paths=paths)
    corpus = ensure_corpus(opts.files, opts.seed)
    files = corpus_files(corpus)
    bench = Bench(env=tool_env(corpus))
    sane, finding = sanity_check(cmds, corpus, bench, len(files))
    if not sane and not opts.no_verify:
        print(f"ERROR {finding}\n(use --no-verify to time this command anyway)", file=sys.stderr)
        return 2
    notes = [corpus_summary(corpus, files), finding]
    batch = batch_results(opts, cmds, corpus, bench, files, include_slow=not opts.skip_slow)
    single = single_results(opts, cmds, corpus, bench, pick_single(files, corpus))
    big = big_results(opts, cmds, bench) if opts.big else {}
    notes += [r.note for r in batch.values() if r.note]
    if opts.skip_slow:
        notes.append("--skip-slow: markdownlint-cli2 and pymarkdown batch runs skipped")
    if opts.big:
        notes.append(
            f"markdownlint-cli2 and pymarkdown are not run on {opts.big} files (minutes to an hour per run); ratios are taken at --files"
        )
    info = {**machine(), "load average (1/5/15 min) before / after": f"{load_before}  /  {load_average()}"}
    report = render_report(opts, info, versions, batch, single, big, notes)
    print(report)
    if opts.output:
        opts.output.write_text(report + "\n", encoding="utf-8")
    failed = [r for group in (batch, single, big) for r in group.values() if r.error]
    return 2 if any(r.label.startswith("pmlint") for r in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
