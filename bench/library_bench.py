#!/usr/bin/env python3
"""Library benchmark: many books locally and on a local Dask cluster, and what the cache costs.

Run from the repository root (needs the ``dask`` extra; ``pocketsphinx`` for the ASR check)::

    .venv/bin/python bench/library_bench.py [--books 10] [--jobs 2] [--skip-codec]

In one run it

1. writes a library of ``--books`` books into a temporary directory: every book is one seed
   story (``seeds/*.txt``) rewritten by ``book_maker``'s copy-specific word substitution, so no
   two books share a cached piece;
2. builds it with ``audiobook library`` locally (``--jobs`` processes, fresh cache), then on a
   Dask cluster of ``--jobs`` workers started here (``dask scheduler`` and ``dask worker
   --nworkers 1 --nthreads 1`` on 127.0.0.1, fresh cache), and prints throughput (hours of audio
   per minute of wall time) for both, the Dask overhead (how much longer the cluster took), and
   the cache's bytes per hour of audio;
3. (the piece codec) builds the seeds book twice from fresh caches, with pieces cached as raw
   PCM (``AUDIOBOOK_PIECE_CODEC=pcm``, the old cache) and as Opus (the default), and compares
   what a listener would notice: integrated loudness (EBU R128, ffmpeg's ``ebur128``), duration,
   and the word error rate of an ASR (PocketSphinx, each subtitle cue decoded alone against the
   words the engine was given); and the cache's bytes per hour of audio for each.

Writes the numbers to ``bench/out/library.json``. A benchmark, not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from book_maker import Substitution

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
OUT_JSON = REPO / "bench" / "out" / "library.json"
BIN = Path(sys.executable).parent


def make_library(n: int, dest: Path) -> list[Path]:
    """``n`` books, each a rewritten copy of one seed (copies differ word by word)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    copies = -(-n // len(seeds))
    sub = Substitution.from_texts(texts, copies)
    dest.mkdir(parents=True, exist_ok=True)
    books = []
    for i in range(n):
        copy, k = divmod(i, len(seeds))
        path = dest / f"book{i + 1:02d}.txt"
        path.write_text(sub.rewrite(texts[k], copy), encoding="utf-8")
        books.append(path)
    return books


def cache_bytes(root: Path) -> int:
    """Bytes of every file in the cache."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def run_library(
    books: Sequence[Path], out: Path, cache: Path, extra: Sequence[str], env: dict[str, str]
) -> dict[str, Any]:
    """``audiobook library`` as a subprocess; wall time, hours of audio, cache bytes."""
    cmd = [str(BIN / "audiobook"), "library", *map(str, books), "-o", str(out)]
    cmd += ["--cache", str(cache), "-q", *extra]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"library build failed:\n{proc.stdout}\n{proc.stderr}")
    reports = [json.loads(p.read_text()) for p in out.glob("*/*.build.json")]
    hours = sum(r["duration_ms"] for r in reports) / 3_600_000
    return {
        "books": len(reports),
        "wall_s": round(wall, 1),
        "audio_h": round(hours, 4),
        "h_per_min": round(hours / (wall / 60), 4),
        "cache_bytes": cache_bytes(cache),
        "cache_mb_per_h": round(cache_bytes(cache) / 1e6 / hours, 1),
        "executor": sorted({r["executor"] for r in reports}),
        "workers": sorted({r["workers"] for r in reports}),
    }


class LocalCluster:
    """``dask scheduler`` and ``n`` workers as processes of their own, ended on exit."""

    def __init__(self, n: int, tmp: Path) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        sched = tmp / "scheduler.json"
        self._start(tmp, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", str(sched))  # fmt: skip
        deadline = time.monotonic() + 60
        while not sched.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(sched.read_text())["address"]
        for i in range(n):
            self._start(tmp, "worker", self.address, "--nworkers", "1", "--nthreads", "1",
                        "--no-dashboard", "--host", "127.0.0.1",
                        "--local-directory", str(tmp / f"w{i}"))  # fmt: skip
        from distributed import Client

        with Client(self.address, timeout="30s") as c:
            c.wait_for_workers(n, timeout=120)

    def _start(self, tmp: Path, *args: str) -> None:
        log = (tmp / f"{args[0]}-{len(self.procs)}.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [str(BIN / "dask"), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def close(self) -> None:
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(p.pid, signal.SIGKILL)


# --- the piece codec: what a listener would notice ------------------------------------------


def ffmpeg() -> str:
    from audiobook.assemble import ffmpeg_exe

    return ffmpeg_exe()


def loudness_lufs(path: Path) -> float:
    """Integrated loudness (EBU R128) of an audio file."""
    proc = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path), "-af", "ebur128", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.findall(r"I:\s+(-?[\d.]+) LUFS", proc.stderr)
    return float(found[-1])


def pcm16k(path: Path) -> bytes:
    """The file's audio as 16 kHz mono 16-bit PCM (what PocketSphinx's model takes)."""
    return subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path),
         "-f", "s16le", "-ar", "16000", "-ac", "1", "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def cues(vtt: Path) -> list[tuple[float, float, str]]:
    """(start s, end s, words said) of every subtitle cue."""
    out = []
    blocks = vtt.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        m = re.search(r"(\d+):(\d+):([\d.]+) --> (\d+):(\d+):([\d.]+)\n(.*)", block, re.DOTALL)
        if m:
            h1, m1, s1, h2, m2, s2, text = m.groups()
            start = int(h1) * 3600 + int(m1) * 60 + float(s1)
            end = int(h2) * 3600 + int(m2) * 60 + float(s2)
            out.append((start, end, re.sub(r"<[^>]+>", "", text)))
    return out


ASR_SECONDS = 180.0
"""Speech the ASR check decodes per build (the first cues): PocketSphinx runs at about real
time here, so the whole seeds book twice would take half an hour."""


def word_error_rate(book: Path, vtt: Path) -> float | None:
    """ASR word error rate over the first :data:`ASR_SECONDS` of cues (None without
    pocketsphinx); the same cues for every build of the same book."""
    try:
        from pocketsphinx import Decoder
    except ImportError:
        return None
    decoder = Decoder(samprate=16000, logfn=os.devnull)
    audio = pcm16k(book)
    errors = total = 0
    heard = 0.0
    for start, end, text in cues(vtt):
        if heard >= ASR_SECONDS:
            break
        heard += end - start
        ref = words(text)
        piece = audio[int(start * 16000) * 2 : int(end * 16000) * 2]
        decoder.start_utt()
        decoder.process_raw(piece, full_utt=True)
        decoder.end_utt()
        hyp = words(decoder.hyp().hypstr if decoder.hyp() else "")
        errors += edit_distance(ref, hyp)
        total += len(ref)
    return errors / total if total else None


def codec_check(tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    """The seeds book built with pieces cached as PCM and as Opus: what a listener notices."""
    results: dict[str, Any] = {}
    for codec in ("pcm", "opus"):
        out, cache = tmp / f"seeds-{codec}", tmp / f"cache-{codec}"
        cmd = [str(BIN / "audiobook"), "build", str(SEEDS), "-o", str(out), "--cache", str(cache)]
        started = time.monotonic()
        subprocess.run([*cmd, "-q"], env={**env, "AUDIOBOOK_PIECE_CODEC": codec}, check=True)
        wall = time.monotonic() - started
        report = json.loads(next(out.glob("*.build.json")).read_text())
        book = next(out.glob("*.m4b"))
        hours = report["duration_ms"] / 3_600_000
        pieces = sum(p.stat().st_size for p in cache.glob("??/*") if p.is_file())
        results[codec] = {
            "build_wall_s": round(wall, 1),
            "duration_ms": report["duration_ms"],
            "loudness_lufs": loudness_lufs(book),
            "asr_wer": word_error_rate(book, next(out.glob("*.vtt"))),
            "cache_mb_per_h": round(cache_bytes(cache) / 1e6 / hours, 1),
            "pieces_mb_per_h": round(pieces / 1e6 / hours, 1),
        }
    return results


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--books", type=int, default=10, help="books in the library (default 10)")
    ap.add_argument("--jobs", type=int, default=2, help="local processes and Dask workers")
    ap.add_argument("--skip-codec", action="store_true", help="skip the piece codec check")
    ap.add_argument("--codec-only", action="store_true", help="only the piece codec check")
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDIOBOOK_")}
    results: dict[str, Any] = {"books": args.books, "jobs": args.jobs}
    with tempfile.TemporaryDirectory(prefix="audiobook-library-bench-") as t:
        tmp = Path(t)
        if args.codec_only:
            results["codec"] = codec_check(tmp, env)
            print_codec(results["codec"])
            return 0
        books = make_library(args.books, tmp / "in")
        print(f"library: {len(books)} books (seeds rewritten), --jobs/workers {args.jobs}")
        local = run_library(books, tmp / "local", tmp / "c-local", ["-j", str(args.jobs)], env)
        print(f"local: {json.dumps(local)}", flush=True)
        cluster = LocalCluster(args.jobs, tmp)
        try:
            extra = ["--scheduler", cluster.address]
            dask = run_library(books, tmp / "dask", tmp / "c-dask", extra, env)
            by_value = run_library(
                books,
                tmp / "dask-bv",
                tmp / "c-dask-bv",
                extra,
                {**env, "AUDIOBOOK_SHARED_CACHE": "no"},
            )
        finally:
            cluster.close()
        print(f"dask (shared cache): {json.dumps(dask)}", flush=True)
        print(f"dask (by value): {json.dumps(by_value)}", flush=True)
        results.update(local=local, dask_shared=dask, dask_by_value=by_value)
        if not args.skip_codec:
            results["codec"] = codec_check(tmp, env)
    print_table(results)
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_text(json.dumps(results, indent=1))
    print(f"numbers in {OUT_JSON.relative_to(REPO)}")
    return 0


def print_table(r: dict[str, Any]) -> None:
    local, dask, bv = r["local"], r["dask_shared"], r["dask_by_value"]
    print()
    print(f"{'':28} {'local':>10} {'dask shared':>12} {'dask by value':>14}")
    print(f"{'books':28} {local['books']:>10} {dask['books']:>12} {bv['books']:>14}")
    print(
        f"{'hours of audio':28} {local['audio_h']:>10.3f} {dask['audio_h']:>12.3f} {bv['audio_h']:>14.3f}"
    )
    print(
        f"{'wall time (s)':28} {local['wall_s']:>10.1f} {dask['wall_s']:>12.1f} {bv['wall_s']:>14.1f}"
    )
    print(
        f"{'throughput (h audio / min)':28} {local['h_per_min']:>10.4f} {dask['h_per_min']:>12.4f} {bv['h_per_min']:>14.4f}"
    )
    for name, run in (("dask shared", dask), ("dask by value", bv)):
        overhead = run["wall_s"] / local["wall_s"] - 1
        print(f"Dask overhead ({name}): {100 * overhead:+.0f}% wall time against local")
    print(f"cache bytes per hour of audio (local build): {local['cache_mb_per_h']:.1f} MB")
    if r.get("codec"):
        print_codec(r["codec"])


def print_codec(codec: dict[str, Any]) -> None:
    if codec:
        print()
        print(f"{'seeds book, pieces cached as':28} {'pcm':>10} {'opus':>10}")
        for key in ("duration_ms", "loudness_lufs", "asr_wer", "cache_mb_per_h",
                    "pieces_mb_per_h", "build_wall_s"):  # fmt: skip
            a, b = codec["pcm"][key], codec["opus"][key]
            print(f"{key:28} {_fmt(a):>10} {_fmt(b):>10}")


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


if __name__ == "__main__":
    raise SystemExit(main())
