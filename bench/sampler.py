"""A build run as a subprocess and watched through ``/proc``: wall time, memory, CPU by role.

Every ~50 ms the sampler reads the resident memory and CPU time of the build's whole process
tree, and sorts processes into roles: main, speech workers (synth), chapter encoders (encode,
ffmpeg reading raw PCM) and the final remux (mux).

A child caught between fork and exec (Python starting an ffmpeg: the child still runs the
parent's program, with the parent's pages, shared, not copied) shows the parent's whole
resident set; summing it would count the parent twice, so the tree's memory leaves such clones
out (they are still listed, as ``other``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.report import BuildReport

SAMPLE_INTERVAL_S = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class _Proc:
    role: str
    cpu_s: float = 0.0
    rss: int = 0


@dataclass
class RoleStats:
    """CPU use of one kind of process, from the samples."""

    processes: int = 0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    first_active_s: float | None = None
    last_active_s: float | None = None


@dataclass
class TreeStats:
    """Memory and CPU of a process tree over its life."""

    samples: int = 0
    peak_tree_rss_mb: float = 0.0
    peak_tree_at_s: float = 0.0
    peak_single_rss_mb: float = 0.0
    peak_single_role: str = ""
    peak_processes: int = 0
    roles: dict[str, RoleStats] = field(default_factory=dict)
    timeline: list[dict[str, float]] = field(default_factory=list)
    """Per time slice: CPU cores busy in each role."""


def _read_stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, RSS bytes) of ``pid``, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return None
    fields = raw[raw.rfind(b")") + 2 :].split()
    # fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, rss 24
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE


def _clone(pid: int, ppid: int) -> bool:
    """True if ``pid`` still runs its parent's program with its parent's arguments: forked,
    not yet exec'd, sharing the parent's pages."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f, open(f"/proc/{ppid}/cmdline", "rb") as g:
            return f.read() == g.read() and os.readlink(f"/proc/{pid}/exe") == os.readlink(
                f"/proc/{ppid}/exe"
            )
    except OSError:
        return False


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "main"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return "other"
    exe = os.path.basename(argv[0]).decode(errors="replace")
    if "ffmpeg" in exe:
        return "encode" if b"s16le" in argv else "mux"
    joined = b" ".join(argv)
    if b"resource_tracker" in joined:
        return "other"
    if b"multiprocessing" in joined or b"spawn_main" in joined:
        return "synth"
    return "other"


class TreeSampler(threading.Thread):
    """Samples the RSS and CPU of a process and all its descendants every ``interval`` seconds."""

    def __init__(self, root: int, interval: float = SAMPLE_INTERVAL_S, slices: int = 20) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.slices = slices
        self.stats = TreeStats()
        self._stop_event = threading.Event()
        self._procs: dict[int, _Proc] = {}
        self._t0 = time.perf_counter()
        self._busy: list[tuple[float, str, float]] = []
        """(time, role, CPU seconds since the previous sample) whenever a process used CPU."""

    def stop(self) -> TreeStats:
        """Stop sampling and return the summary."""
        self._stop_event.set()
        self.join()
        self._summarize()
        return self.stats

    def run(self) -> None:
        while not self._stop_event.is_set():
            self._sample()
            self._stop_event.wait(self.interval)

    def _sample(self) -> None:
        now = time.perf_counter() - self._t0
        children: dict[int, list[int]] = {}
        info: dict[int, tuple[float, int]] = {}
        parent: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            st = _read_stat(int(name))
            if st is None:
                continue
            ppid, cpu, rss = st
            children.setdefault(ppid, []).append(int(name))
            info[int(name)] = (cpu, rss)
            parent[int(name)] = ppid
        tree: list[int] = []
        todo = [self.root] if self.root in info else []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        s = self.stats
        s.samples += 1
        total = 0
        for pid in tree:
            cpu, rss = info[pid]
            proc = self._procs.get(pid)
            if proc is None:
                proc = self._procs[pid] = _Proc(_role(pid, self.root))
            elif proc.role == "other":  # seen between fork and exec: look again
                proc.role = _role(pid, self.root)
            s.roles.setdefault(proc.role, RoleStats())
            delta = cpu - proc.cpu_s
            if delta > 0:
                self._busy.append((now, proc.role, delta))
            proc.cpu_s, proc.rss = cpu, rss
            role = s.roles[proc.role]
            role.peak_rss_mb = max(role.peak_rss_mb, rss / 2**20)
            if rss / 2**20 > s.peak_single_rss_mb:
                s.peak_single_rss_mb, s.peak_single_role = rss / 2**20, proc.role
            if pid == self.root or not _clone(pid, parent[pid]):
                total += rss
        if total / 2**20 > s.peak_tree_rss_mb:
            s.peak_tree_rss_mb, s.peak_tree_at_s = total / 2**20, now
        s.peak_processes = max(s.peak_processes, len(tree))

    def _summarize(self) -> None:
        s = self.stats
        for proc in self._procs.values():
            s.roles.setdefault(proc.role, RoleStats()).cpu_s += proc.cpu_s
            s.roles[proc.role].processes += 1
        for t, role, _cpu in self._busy:
            r = s.roles[role]
            r.first_active_s = t if r.first_active_s is None else min(r.first_active_s, t)
            r.last_active_s = t if r.last_active_s is None else max(r.last_active_s, t)
        end = time.perf_counter() - self._t0
        width = end / self.slices if end > 0 else 1.0
        rows = [{"t0": round(i * width, 1)} for i in range(self.slices)]
        for t, role, cpu in self._busy:
            row = rows[min(int(t / width), self.slices - 1)]
            row[role] = row.get(role, 0.0) + cpu / width
        s.timeline = [{k: round(v, 2) for k, v in row.items()} for row in rows]
        for r in s.roles.values():
            r.cpu_s = round(r.cpu_s, 2)
            r.peak_rss_mb = round(r.peak_rss_mb, 1)
            for name in ("first_active_s", "last_active_s"):
                v = getattr(r, name)
                if v is not None:
                    setattr(r, name, round(v, 2))
        s.peak_tree_rss_mb = round(s.peak_tree_rss_mb, 1)
        s.peak_single_rss_mb = round(s.peak_single_rss_mb, 1)
        s.peak_tree_at_s = round(s.peak_tree_at_s, 2)


@dataclass
class BuildRun:
    """One timed build."""

    command: list[str]
    wall_s: float
    report: BuildReport
    tree: TreeStats
    cpu_s: float
    """User + system time of the build and every descendant it waited for (from wait4)."""
    maxrss_mb: float
    """Largest single-process RSS the kernel recorded for the tree (from wait4)."""
    outdir: Path


def audiobook_cli() -> str:
    """The ``audiobook`` command of this venv."""
    local = Path(sys.executable).with_name("audiobook")
    if local.exists():
        return str(local)
    found = shutil.which("audiobook")
    if found is None:
        raise SystemExit("audiobook command not found: install the package (make) first")
    return found


def run_build(book: Path, outdir: Path, cache: Path, jobs: int) -> BuildRun:
    """Build ``book`` from an empty cache and watch it."""
    cmd = [
        audiobook_cli(),
        "build",
        str(book),
        "-o",
        str(outdir),
        "--cache",
        str(cache),
        "--jobs",
        str(jobs),
        "--quiet",
    ]
    err_path = outdir.parent / "build.stderr"
    with err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    tree = sampler.stop()
    if proc.returncode != 0:
        sys.stderr.write(err_path.read_text(errors="replace"))
        raise SystemExit(f"the build failed with exit code {proc.returncode}: {' '.join(cmd)}")
    reports = sorted(outdir.glob("*.build.json"))
    if not reports:
        raise SystemExit(f"the build wrote no build.json into {outdir}")
    report = BuildReport.from_json(reports[0].read_text(encoding="utf-8"))
    return BuildRun(
        cmd, wall, report, tree, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, outdir
    )
