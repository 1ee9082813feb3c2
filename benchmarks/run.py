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
import contextlib
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
import generate_dfds  # noqa: E402
import peers  # noqa: E402

WORK = HERE / ".work"
OK_CODES = (0, 1)  # 1 = "found problems", which every linter here does on this corpus
GROWTH_LIMIT = 1.25  # per-file cost at --big may exceed the --files cost by at most this
MEMORY_LIMIT_MB = 250.0
RACY_S = 2.2  # pmlint records a report for replay only when every input is 2 s older than the run (lint.replay.RACY_NS)


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
    cwd: Path | None = None  # default: the folder measure_all is given
    before_each: Callable[[], None] | None = None  # untimed, before every run (warm-ups included)


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
                if job.before_each is not None:
                    job.before_each()
                run_once(job.cmd, job.cwd or cwd, self.env_of(job), job.result.label)
        except ToolError as exc:
            self._fail(job, exc)

    def env_of(self, job: Job) -> dict[str, str]:
        """The tools' environment for a job: git must not climb out of the job's corpus."""
        if job.cwd is None:
            return self.env
        return {**self.env, "GIT_CEILING_DIRECTORIES": str(job.cwd.parent)}

    def _time(self, job: Job, cwd: Path, round_no: int) -> None:
        try:
            if job.before_each is not None:
                job.before_each()
            sample = run_once(job.cmd, job.cwd or cwd, self.env_of(job), job.result.label)
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
    # A user's installed pmlint is byte-compiled (pip does it); with this set, every run of a
    # working tree (or of a Python peer) would compile its modules from source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


# ---------------------------------------------------------------- helpers kept from issue 6


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


# ---------------------------------------------------------------- the benchmark steps


@dataclass
class Options:
    """Parsed command line."""

    sizes: list[int]
    runs: int
    single_runs: int
    big: int
    big_runs: int
    seed: int
    skip_slow: bool
    preset: str
    preset_files: int
    precommit_files: int
    precommit_runs: int
    server_runs: int
    markdownlint_runs: int
    pymarkdown: bool
    pymarkdown_files: int
    pymarkdown_runs: int
    pmlint: list[str]
    output: Path | None
    record: bool
    no_verify: bool
    argv: list[str] = field(default_factory=list)
    pmlint_sha: str = ""

    @property
    def files(self) -> int:
        """The largest size: the single-file runs use its corpus."""
        return max(self.sizes)


def settle(folder: Path) -> None:
    """Wait until every file of ``folder`` is older than pmlint's racy window (2 s, `lint.replay.RACY_NS`).

    A warm run records its report for the next identical run only when every input
    is that old; a corpus generated a moment ago would otherwise time the
    recording runs instead of the replays.
    """
    newest = 0.0
    for path in (folder, *folder.rglob("*")):
        with contextlib.suppress(OSError):
            st = path.stat()
            newest = max(newest, st.st_mtime, st.st_ctime)
    wait = newest + RACY_S - time.time()
    if wait > 0:
        time.sleep(wait)


def copy_corpus(source: Path, name: str) -> Path:
    """A copy of a corpus for the jobs that edit files (the warm runs of the original must see it unchanged)."""
    dest = WORK / name
    stamp = dest / ".copied"
    wanted = (source / ".generated").read_text() if (source / ".generated").exists() else str(source)
    if stamp.exists() and stamp.read_text() == wanted:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".pmlint_cache", ".rumdl_cache", ".generated"))
    stamp.write_text(wanted)
    return dest


class Editor:
    """Changes one file before each run (a new line at its end, different every time), as a commit would."""

    def __init__(self, folder: Path, rel: str, stage: bool = False) -> None:
        self.folder = folder
        self.path = folder / rel
        self.original = self.path.read_bytes()
        self.stage = stage
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"\nEdited for benchmark run {self.count}.\n".encode())
        if self.stage:
            subprocess.run(["git", "add", "--", str(self.path)], cwd=self.folder, env=GIT_ENV, check=True)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def precommit_repo(source: Path, pmlint: list[str]) -> Path:
    """A git repository holding a copy of ``source``, committed, with pmlint's hook as a local `pre-commit` hook."""
    dest = WORK / f"precommit-{source.name}"
    hook = HOOK_CONFIG.format(entry=shlex.join([*pmlint, "check", "--force-exclude"]))
    stamp = dest / ".copied"
    wanted = ((source / ".generated").read_text() if (source / ".generated").exists() else "") + hook
    if stamp.exists() and stamp.read_text() == wanted:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".pmlint_cache", ".rumdl_cache", ".generated"))
    (dest / ".pre-commit-config.yaml").write_text(hook)
    (dest / ".gitignore").write_text(".copied\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "archive"]):
        subprocess.run(["git", *args], cwd=dest, env=GIT_ENV, check=True, capture_output=True)
    stamp.write_text(wanted)
    return dest


HOOK_CONFIG = """\
# The pmlint hook of .pre-commit-hooks.yaml, run with the pmlint being measured.
repos:
  - repo: local
    hooks:
      - id: pmlint
        name: pmlint (post-mortems)
        entry: {entry}
        language: system
        files: (^|/)(post-mortem-[^/]*\\.md|tasks/[^/]*\\.(md|markdown))$
        exclude: (?i)(^|/)(readme(\\.[^/]*)?|post_mortem_tracking\\.md)$
        require_serial: true
"""


def batch_jobs(opts: Options, cmds: Commands, corpus: Path, tag: str, slow: bool) -> list[Job]:
    """The batch timings of one corpus (keys ``tag:name``): pmlint cold, warm and with one file changed; the peers."""
    files = corpus_files(corpus)
    n = len(files)
    edited = copy_corpus(corpus, f"{corpus.name}-edited")
    editor = Editor(edited, pick_single(files, corpus))
    jobs = [
        Job(f"{tag}:pmlint-cold", Result("pmlint cold (--no-cache)", "", n), cmds.pmlint_cold(), opts.runs, cwd=corpus),
        Job(
            f"{tag}:pmlint-warm",
            Result("pmlint warm (nothing changed)", "", n),
            cmds.pmlint_warm(),
            opts.runs,
            prepare=clear_cache(corpus, ".pmlint_cache"),
            cwd=corpus,
        ),
        Job(
            f"{tag}:pmlint-edited",
            Result("pmlint warm, one file changed", "", n, baseline="pmlint-warm"),
            cmds.pmlint_warm(),
            opts.runs,
            cwd=edited,
            before_each=editor,
        ),
        Job(f"{tag}:rumdl-cold", Result("rumdl --no-cache", "", n), cmds.rumdl_cold(), opts.runs, cwd=corpus),
        Job(
            f"{tag}:rumdl-cached",
            Result("rumdl cached", "", n, baseline="pmlint-warm"),
            cmds.rumdl_cached(),
            opts.runs,
            prepare=clear_cache(corpus, ".rumdl_cache"),
            cwd=corpus,
        ),
    ]
    if slow:
        jobs.append(
            Job(
                f"{tag}:markdownlint", Result("markdownlint-cli2", "", n), cmds.markdownlint(), opts.markdownlint_runs, warmup=0, cwd=corpus
            )
        )
    if slow and opts.pymarkdown:
        for job in pymarkdown_jobs(opts, cmds, files):
            job.key, job.cwd = f"{tag}:{job.key}", corpus
            jobs.append(job)
    return jobs


def single_jobs(opts: Options, cmds: Commands, corpus: Path, one: str) -> list[Job]:
    """One-file latency of each tool (default invocation; pmlint also without its cache)."""
    runs = opts.single_runs
    jobs = {
        "pmlint": ("pmlint check FILE", cmds.pmlint_warm(one)),
        "pmlint-nocache": ("pmlint check --no-cache FILE", cmds.pmlint_cold(one)),
        "markdownlint": ("markdownlint-cli2 FILE", cmds.markdownlint(one)),
        "rumdl": ("rumdl check FILE", cmds.rumdl_cached(one)),
    }
    if opts.pymarkdown:
        jobs["pymarkdown"] = ("pymarkdown scan FILE", cmds.pymarkdown([one]))
    return [Job(f"single:{key}", Result(label, "", 1), cmd, runs, cwd=corpus) for key, (label, cmd) in jobs.items()]


def precommit_jobs(opts: Options, cmds: Commands, corpus: Path) -> tuple[list[Job], list[Editor]]:
    """Per commit: one post-mortem edited and staged, then the hook's command on it, and `pre-commit run` of the hook."""
    repo = precommit_repo(corpus, cmds.pmlint)
    one = pick_single(corpus_files(repo), repo)
    editor = Editor(repo, one, stage=True)
    n = len(corpus_files(repo))
    jobs = [
        Job(
            "precommit:hook",
            Result(f"hook command (`pmlint check --force-exclude FILE`), {n}-file repository", "", n),
            [*cmds.pmlint, "check", "--force-exclude", one],
            opts.precommit_runs,
            cwd=repo,
            before_each=editor,
        )
    ]
    runner = shutil.which("pre-commit") or str(Path(interpreter_of(cmds.pmlint)).with_name("pre-commit"))
    if Path(runner).exists() or shutil.which(runner):
        jobs.append(
            Job(
                "precommit:pre-commit",
                Result(f"`pre-commit run pmlint --files FILE`, {n}-file repository", "", n),
                [runner, "run", "pmlint", "--files", one],
                opts.precommit_runs,
                cwd=repo,
                before_each=editor,
            )
        )
    return jobs, [editor]


def split(results: dict[str, Result]) -> dict[str, dict[str, Result]]:
    """``tag:name`` keys -> {tag: {name: result}}."""
    groups: dict[str, dict[str, Result]] = {}
    for key, result in results.items():
        tag, name = key.split(":", 1)
        groups.setdefault(tag, {})[name] = result
    return groups


def add_tree_memory(group: dict[str, Result], cmds: Commands, corpus: Path, bench: Bench, tag: str) -> None:
    """The process tree's peak memory of pmlint's cold and warm runs (workers added up)."""
    for key, cmd in (("pmlint-cold", cmds.pmlint_cold()), ("pmlint-warm", cmds.pmlint_warm())):
        if key in group and group[key].ok:
            group[key].tree_peak_mb = peak_tree_memory(cmd, corpus, bench.env, f"{key}-mem-{tag}")


def big_results(opts: Options, cmds: Commands, bench: Bench) -> dict[str, Result]:
    """pmlint and rumdl on the big corpus (cold and warm), with pmlint's peak memory."""
    corpus = ensure_corpus(opts.big, opts.seed)
    settle(corpus)
    n = opts.big
    jobs = [
        Job("pmlint-cold", Result("pmlint cold (--no-cache)", "", n), cmds.pmlint_cold(), opts.big_runs, cwd=corpus),
        Job(
            "pmlint-warm",
            Result("pmlint warm (nothing changed)", "", n),
            cmds.pmlint_warm(),
            opts.big_runs,
            prepare=clear_cache(corpus, ".pmlint_cache"),
            cwd=corpus,
        ),
        Job("rumdl-cold", Result("rumdl --no-cache", "", n), cmds.rumdl_cold(), opts.big_runs, cwd=corpus),
        Job(
            "rumdl-cached",
            Result("rumdl cached", "", n, baseline="pmlint-warm"),
            cmds.rumdl_cached(),
            opts.big_runs,
            prepare=clear_cache(corpus, ".rumdl_cache"),
            cwd=corpus,
        ),
    ]
    results = bench.measure_all(jobs, corpus)
    add_tree_memory(results, cmds, corpus, bench, str(n))
    return results


def server_latency(opts: Options) -> str:
    """`server_latency.py`'s table (the language server's diagnostics latency), run with the measured pmlint's interpreter."""
    python = interpreter_of(opts.pmlint)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if opts.pmlint_sha:
        env["PYTHONPATH"] = str(WORK / f"pmlint-{opts.pmlint_sha[:12]}")
    cmd = [python, str(HERE / "server_latency.py"), "--files", "200", "--runs", str(opts.server_runs), "--cli-runs", "0"]
    print(f"server latency: {shlex.join(cmd)}", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-3:])
        return f"Not measured: `server_latency.py` exited {done.returncode}:\n\n```\n{tail}\n```"
    return done.stdout.strip()


def wanted_cold_ratio(files: int) -> float:
    """Issue 19: markdownlint-cli2 at least 6× slower than pmlint cold at 300 files, 8× at 1,000."""
    return 8.0 if files >= 1000 else 6.0


def target_checks(
    opts: Options, batch: dict[str, dict[str, Result]], single: dict[str, Result], hook: dict[str, Result], big: dict[str, Result]
) -> list[Check]:
    checks = []
    for n in opts.sizes:
        group = batch.get(str(n), {})
        checks.append(
            Check(f"pmlint warm / rumdl cached, {n} files", ratio(group.get("pmlint-warm"), group.get("rumdl-cached")), 1.0, False)
        )
        checks.append(
            Check(
                f"markdownlint-cli2 / pmlint cold, {n} files",
                ratio(group.get("markdownlint"), group.get("pmlint-cold")),
                wanted_cold_ratio(n),
                True,
            )
        )
    checks.append(Check("pmlint FILE / markdownlint-cli2 FILE", ratio(single.get("pmlint"), single.get("markdownlint")), 0.3, False))
    commit = hook.get("hook")
    checks.append(
        Check(
            f"pre-commit hook per commit, {opts.precommit_files} files, s",
            commit.median if commit is not None and commit.ok else None,
            0.3,
            False,
        )
    )
    base = batch.get(str(opts.files), {}).get("pmlint-cold")
    big_cold = big.get("pmlint-cold")
    if big_cold is not None:
        growth = ratio(big_cold, base)
        per_file = None if growth is None else growth * opts.files / opts.big
        checks.append(Check(f"per-file cost {opts.big} / {opts.files} files (cold)", per_file, GROWTH_LIMIT, False))
        peak = max(big_cold.maxrss_mb, big_cold.tree_peak_mb[0]) if big_cold.ok and big_cold.tree_peak_mb else None
        checks.append(
            Check(
                f"pmlint cold peak memory at {opts.big} files, MB (larger of max RSS and process-tree RSS sum)",
                peak,
                MEMORY_LIMIT_MB,
                False,
            )
        )
    return checks


def render_report(
    opts: Options,
    info: dict[str, str],
    versions: dict[str, str],
    batch: dict[str, dict[str, Result]],
    single: dict[str, Result],
    hook: dict[str, Result],
    big: dict[str, Result],
    server: str,
    notes: list[str],
) -> str:
    lines = [
        "### Machine",
        "",
        *(f"- **{k}:** {v}" for k, v in info.items()),
        f"- **pmlint command:** `{shlex.join(opts.pmlint).replace(str(WORK) + '/', '.work/')}`",
        f"- **pmlint source:** {pmlint_revision(opts)}",
        "- **peers:** " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "All tools run with their default rules (rumdl with `--no-config`; no markdownlint",
        "configuration file in the corpus), output to a file, cwd = the corpus root. Every",
        "measurement below ran in one interleaved series: each repetition runs every tool once,",
        "in turn, so a change of load hits all alike. Cold = no tool cache (the OS page cache is",
        "warm). Warm = nothing changed since the last run (pmlint replays its stored report);",
        '"one file changed" edits one file before each run (pmlint re-lints it, the rest comes',
        "from its result cache). Ratios use medians. Cores busy = CPU time (user + system,",
        "children included) / wall time, summed over the runs.",
        "",
    ]
    for tag, group in batch.items():
        title = (
            f"{tag} files (`generate.py --seed {opts.seed}`)"
            if tag.isdigit()
            else f"{opts.preset_files} files of the {tag} family, `template: {tag}` (`generate_{tag}.py --seed {opts.seed}`)"
        )
        lines += [f"### Batch: {title}", "", *result_rows(group), ""]
    single_file = single.get("pmlint")
    lines += [
        f"### Single file (in the {opts.files}-file corpus{': ' + single_file.command.split()[-1] if single_file else ''})",
        "",
        *single_rows(single),
        "",
    ]
    if hook:
        lines += [
            f"### Pre-commit, per commit ({opts.precommit_files}-file git repository, one post-mortem edited and staged before each run)",
            "",
            *single_rows({f"pmlint-{k}": v for k, v in hook.items()}),
            "",
        ]
    if big:
        lines += [f"### Batch: {opts.big} files", "", *result_rows(big), ""]
    if server:
        lines += ["### Language server: diagnostics latency (`server_latency.py --files 200`)", "", server, ""]
    lines += [
        "### Targets (issue 19)",
        "",
        "| target | measured | wanted | verdict |",
        "|---|---:|---:|---|",
        *(c.row() for c in target_checks(opts, batch, single, hook, big)),
        "",
    ]
    every = [r for group in batch.values() for r in group.values()] + list(single.values()) + list(hook.values())
    lines += ["### Commands (cwd = corpus root)", "", *command_lines(every), ""]
    if notes:
        lines += ["### Notes", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


def record(report: str, opts: Options, info: dict[str, str]) -> Path:
    """Put the report at the top of RESULTS.md (newest first) under a heading with the date and commit."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    head, _, rest = text.partition("\n")
    commit = opts.pmlint_sha[:12] if opts.pmlint_sha else (git_out("rev-parse", "--short=12", "HEAD") or "?")
    section = "\n".join(
        [
            f"## Issue 19 benchmark: {info['date']}, commit `{commit}`",
            "",
            "```sh",
            "python benchmarks/run.py " + shlex.join(opts.argv),
            "```",
            "",
            f"Machine: {info['cores (nproc)']} cores, {info['CPU']}, {info['memory']}; load average before / after: "
            f"{info['load average (1/5/15 min) before / after']}. "
            "Timings from a shared or busy machine are for relative comparison only.",
            "",
            report.strip(),
            "",
        ]
    )
    path.write_text(f"{head}\n\n{section}\n{rest.lstrip(chr(10))}", encoding="utf-8")
    return path


def sizes_of(value: str) -> list[int]:
    sizes = sorted({int(v) for v in value.split(",") if v.strip()})
    if not sizes or sizes[0] < 2:
        raise argparse.ArgumentTypeError("sizes must be numbers of files, at least 2")
    return sizes


def parse_args(argv: list[str] | None) -> Options:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=sizes_of, default=[300, 1000], help="corpus sizes, comma-separated (default 300,1000)")
    p.add_argument("--files", type=int, help="one corpus size (the same as --sizes N)")
    p.add_argument("--runs", type=int, default=7, help="timed runs per batch measurement (default 7)")
    p.add_argument("--single-runs", type=int, default=15, help="timed single-file runs (default 15)")
    p.add_argument("--big", type=int, default=0, help="also time pmlint/rumdl on N files (10000 for issue 19)")
    p.add_argument("--big-runs", type=int, default=0, help="runs at --big (default 3)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--skip-slow", action="store_true", help="skip markdownlint-cli2's batch runs")
    p.add_argument("--preset", default="dfds", help="also time an archive of this preset's family ('' skips; only dfds is generated)")
    p.add_argument("--preset-files", type=int, default=300, help="files in the preset's archive (default 300)")
    p.add_argument("--precommit-files", type=int, default=1000, help="files in the pre-commit repository (default 1000; 0 skips)")
    p.add_argument("--precommit-runs", type=int, default=0, help="commits timed (default --single-runs)")
    p.add_argument("--server-runs", type=int, default=30, help="server_latency.py --runs (default 30; 0 skips)")
    p.add_argument("--pymarkdown", action="store_true", help="also time pymarkdown (slow: ~0.2 s per file)")
    p.add_argument("--pymarkdown-files", type=int, default=100, help="time pymarkdown on this many files and extrapolate (0 = all)")
    p.add_argument("--pymarkdown-runs", type=int, default=3, help="runs for pymarkdown")
    p.add_argument("--markdownlint-runs", type=int, default=0, help="runs for markdownlint-cli2 (default --runs)")
    p.add_argument("--pmlint", help="pmlint command (default: pmlint on PATH, else python -m postmortem_lint)")
    p.add_argument(
        "--pmlint-rev", help="time pmlint as committed at this git revision (exported to benchmarks/.work), not the working tree"
    )
    p.add_argument("--output", type=Path, help="also write the Markdown report here")
    p.add_argument("--record", action="store_true", help="put the report, with the date, commit and machine, at the top of RESULTS.md")
    p.add_argument("--no-verify", action="store_true", help="time pmlint even if its JSON report does not cover every file")
    raw = list(sys.argv[1:] if argv is None else argv)
    a = p.parse_args(raw)
    if a.runs < 1 or a.single_runs < 1:
        p.error("--runs and --single-runs must be at least 1")
    if a.preset and a.preset != "dfds":
        p.error("--preset: only `dfds` archives are generated (generate_dfds.py)")
    opts = Options(
        sizes=[a.files] if a.files else a.sizes,
        runs=a.runs,
        single_runs=a.single_runs,
        big=a.big,
        big_runs=a.big_runs or 3,
        seed=a.seed,
        skip_slow=a.skip_slow,
        preset=a.preset,
        preset_files=a.preset_files,
        precommit_files=a.precommit_files,
        precommit_runs=a.precommit_runs or a.single_runs,
        server_runs=a.server_runs,
        markdownlint_runs=a.markdownlint_runs or a.runs,
        pymarkdown=a.pymarkdown,
        pymarkdown_files=a.pymarkdown_files,
        pymarkdown_runs=a.pymarkdown_runs,
        pmlint=resolve_pmlint(a.pmlint),
        output=a.output,
        record=a.record,
        no_verify=a.no_verify,
        argv=raw,
    )
    if a.pmlint_rev:
        opts.pmlint, opts.pmlint_sha = snapshot_pmlint(a.pmlint_rev, interpreter_of(opts.pmlint))
    return opts


def ensure_preset_corpus(opts: Options) -> Path:
    """``benchmarks/.work/dfds-N``: a generated archive of the dfds family, with ``template: dfds``."""
    out = WORK / f"{opts.preset}-{opts.preset_files}"
    stamp = out / ".generated"
    digest = hashlib.sha256(Path(generate_dfds.__file__).read_bytes()).hexdigest()[:12]
    wanted = f"count={opts.preset_files} seed={opts.seed} generator={digest}\n"
    if not (stamp.exists() and stamp.read_text() == wanted):
        generate_dfds.generate(out, opts.preset_files, opts.seed)
        stamp.write_text(wanted)
    return out


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    load_before = load_average()
    paths = peers.install()
    versions = peers.versions()
    cmds = Commands(pmlint=opts.pmlint, paths=paths)
    corpora = {str(n): ensure_corpus(n, opts.seed) for n in opts.sizes}
    if opts.preset:
        corpora[opts.preset] = ensure_preset_corpus(opts)
    bench = Bench(env={**tool_env(WORK / "corpus"), "PRE_COMMIT_HOME": str(WORK / "pre-commit-home")})
    notes = []
    for corpus in corpora.values():
        files = corpus_files(corpus)
        sane, finding = sanity_check(cmds, corpus, bench, len(files))
        if not sane and not opts.no_verify:
            print(f"ERROR {finding}\n(use --no-verify to time this command anyway)", file=sys.stderr)
            return 2
        notes += [corpus_summary(corpus, files), finding]
    jobs: list[Job] = []
    for tag, corpus in corpora.items():
        jobs += batch_jobs(opts, cmds, corpus, tag, slow=not opts.skip_slow)
    largest = corpora[str(opts.files)]
    jobs += single_jobs(opts, cmds, largest, pick_single(corpus_files(largest), largest))
    editors: list[Editor] = []
    if opts.precommit_files:
        hook_jobs, editors = precommit_jobs(opts, cmds, ensure_corpus(opts.precommit_files, opts.seed))
        jobs += hook_jobs
    for folder in {job.cwd for job in jobs if job.cwd is not None}:
        settle(folder)
    try:
        groups = split(bench.measure_all(jobs, largest))
    finally:
        for editor in editors:
            editor.restore()
    single, hook = groups.pop("single", {}), groups.pop("precommit", {})
    batch = groups
    for tag, group in batch.items():
        add_tree_memory(group, cmds, corpora[tag], bench, tag)
        for key in list(group):
            if key.startswith("pymarkdown") and key != "pymarkdown-1" and "pymarkdown-1" in group:
                n = group[key].files
                subset = n if opts.pymarkdown_files <= 0 else min(opts.pymarkdown_files, n)
                extrapolate_pymarkdown(group[key], group.pop("pymarkdown-1"), subset, n)
    big = big_results(opts, cmds, bench) if opts.big else {}
    server = server_latency(opts) if opts.server_runs else ""
    notes += [r.note for group in batch.values() for r in group.values() if r.note]
    if opts.skip_slow:
        notes.append("--skip-slow: markdownlint-cli2 batch runs skipped")
    if opts.big:
        notes.append(f"markdownlint-cli2 is not run on {opts.big} files (minutes per run); its ratios are taken at the sizes above")
    info = {**machine(), "load average (1/5/15 min) before / after": f"{load_before}  /  {load_average()}"}
    report = render_report(opts, info, versions, batch, single, hook, big, server, notes)
    print(report)
    if opts.output:
        opts.output.write_text(report + "\n", encoding="utf-8")
    if opts.record:
        print(f"recorded in {record(report, opts, info)}", file=sys.stderr)
    failed = [r for group in (*batch.values(), single, hook, big) for r in group.values() if r.error]
    return 2 if any(r.label.startswith(("pmlint", "hook")) for r in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
