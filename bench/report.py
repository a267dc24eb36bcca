"""The benchmark's results: a table on stdout, and the numbers as a dict for ``last.json``."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from book_maker import BookInfo
from floor import Floor
from sampler import BuildRun

RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 400.0


def hms(seconds: float) -> str:
    """``h:mm:ss``."""
    h, rem = divmod(round(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}"


def report(book: BookInfo, run: BuildRun, floor: Floor) -> dict[str, Any]:
    """Print the results table and where the build's CPU went; return the numbers."""
    print_targets(run, floor)
    print_cpu(run)
    return summary(book, run, floor)


def print_targets(run: BuildRun, floor: Floor) -> None:
    """The measures against their targets (build/floor ratio, peak memory)."""
    audio_s = run.report.duration_ms / 1000
    ratio = run.wall_s / floor.total_s
    mem_ok = run.tree.peak_tree_rss_mb < MEMORY_TARGET_MB
    rows: list[tuple[str, str, str]] = [
        ("audio duration", f"{audio_s:,.1f} s ({hms(audio_s)})", ""),
        ("build wall time", f"{run.wall_s:.1f} s", ""),
        ("build real-time factor", f"{audio_s / run.wall_s:.1f}x", ""),
        (
            "peak memory, process tree",
            f"{run.tree.peak_tree_rss_mb:.1f} MB",
            f"< {MEMORY_TARGET_MB:.0f} MB  {'PASS' if mem_ok else 'FAIL'}",
        ),
        (
            "peak memory, one process",
            f"{run.tree.peak_single_rss_mb:.1f} MB ({run.tree.peak_single_role})",
            "",
        ),
        ("floor audio (raw synth, no pauses)", f"{floor.audio_s:,.1f} s", ""),
        ("floor synthesis", f"{floor.synth_s:.1f} s ({floor.processes} proc)", ""),
        ("floor encode", f"{floor.encode_s:.1f} s", ""),
        ("floor total", f"{floor.total_s:.1f} s", ""),
        (
            "ratio build / floor",
            f"{ratio:.2f}",
            f"<= {RATIO_TARGET}  {'PASS' if ratio <= RATIO_TARGET else 'FAIL'}",
        ),
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    line = "-" * (w0 + w1 + 22)
    print(line)
    print(f"{'measure':<{w0}}  {'value':>{w1}}  target")
    print(line)
    for name, value, target in rows:
        print(f"{name:<{w0}}  {value:>{w1}}  {target}".rstrip())
    print(line)


def print_cpu(run: BuildRun) -> None:
    """CPU and memory by role of process, and cores busy per slice of the build's time."""
    print(
        "\nwhere the build's CPU went (sampled every 50 ms from /proc; times from the build's start):"
    )
    print(
        f"  {'role':<7} {'procs':>5} {'CPU s':>7} {'peak RSS MB':>11} {'active from':>11} {'to':>7}"
    )
    for role, r in sorted(run.tree.roles.items(), key=lambda kv: -kv[1].cpu_s):
        a = "-" if r.first_active_s is None else f"{r.first_active_s:.1f}"
        b = "-" if r.last_active_s is None else f"{r.last_active_s:.1f}"
        print(f"  {role:<7} {r.processes:>5} {r.cpu_s:>7.1f} {r.peak_rss_mb:>11.1f} {a:>11} {b:>7}")
    print(
        f"  total CPU (wait4, tree): {run.cpu_s:.1f} s over {run.wall_s:.1f} s wall "
        f"= {run.cpu_s / run.wall_s:.2f} cores busy on average"
    )
    roles = sorted({k for row in run.tree.timeline for k in row if k != "t0"})
    print("  cores busy per time slice:  " + "  ".join(f"{r:>6}" for r in roles))
    for row in run.tree.timeline:
        print(
            f"    from {row['t0']:>6.1f} s"
            + " " * 13
            + "  ".join(f"{row.get(r, 0.0):>6.2f}" for r in roles)
        )


def summary(book: BookInfo, run: BuildRun, floor: Floor) -> dict[str, Any]:
    """Every number of the run, as written to ``bench/out/last.json``."""
    r = run.report
    audio_s = r.duration_ms / 1000
    ratio = run.wall_s / floor.total_s
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": run.command,
        "jobs": r.jobs,
        "book": asdict(book),
        "audio_s": round(audio_s, 3),
        "build": {
            "wall_s": round(run.wall_s, 3),
            "internal_wall_s": r.wall_s,
            "rtf": round(audio_s / run.wall_s, 2),
            "segments": r.segments,
            "synthesized": r.synthesized,
            "reused": r.reused,
            "chapters_encoded": r.chapters_encoded,
            "speakers": len(r.speakers),
            "cpu_s": round(run.cpu_s, 2),
            "wait4_maxrss_mb": round(run.maxrss_mb, 1),
            "tree": asdict(run.tree),
        },
        "floor": {
            **asdict(floor),
            "total_s": round(floor.total_s, 3),
            "synth_s": round(floor.synth_s, 3),
            "encode_s": round(floor.encode_s, 3),
            "audio_s": round(floor.audio_s, 3),
            "synth_cpu_s": round(floor.synth_cpu_s, 2),
        },
        "ratio": round(ratio, 3),
        "targets": {
            "ratio_max": RATIO_TARGET,
            "ratio_pass": ratio <= RATIO_TARGET,
            "peak_tree_mb_max": MEMORY_TARGET_MB,
            "memory_pass": run.tree.peak_tree_rss_mb < MEMORY_TARGET_MB,
        },
    }
