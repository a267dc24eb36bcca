#!/usr/bin/env python3
"""Whole-build benchmark: a book of two hours or more, built from a fresh cache, against its floor.

Run from the repository root::

    .venv/bin/python bench/build_bench.py [--hours 2] [--jobs N] [--keep]

In one run it

1. writes a long book into a temporary directory: the seed stories (``seeds/*.txt``) copied until
   the words give at least ``--hours`` of audio, one chapter file per copy of each seed. Every copy
   is rewritten by a deterministic, copy-specific word substitution (same word count, words of
   about the same length, names, pronouns and speech verbs kept, so quotes keep their speech tags
   and attribution still finds several speakers). The substitution is a cyclic shift inside groups
   of at least ``copies`` words, so any segment with one replaceable word differs between every
   pair of copies, and the build's (voice, text) cache cannot reuse anything;
2. runs ``audiobook build BOOK -o OUT --cache FRESH --jobs N --quiet`` as a subprocess, timing it
   and sampling every ~50 ms, from ``/proc``, the resident memory of its whole process tree, and
   the CPU time each role of process (main, speech workers, chapter encoders, mux) consumes;
3. measures the floor of the same work: raw eSpeak NG (the ``espeak-ng`` command if installed,
   else the library from ``espeakng-loader`` through ctypes) speaking the same segments with the
   same voice settings in ``--jobs`` processes, then one ffmpeg AAC encode of all that PCM with
   the build's encoder options (``audiobook.assemble.FORMATS["m4b"].chapter_args``);
4. prints a table with the targets (build/floor <= 1.5, peak memory < 400 MB) and writes the
   numbers to ``bench/out/last.json``.

This is a benchmark, not a test: it takes minutes and uses both cores. Standard library only,
plus the project's own dependencies (espeakng-loader, imageio-ffmpeg) and the package itself.
Each step has its module next to this one: ``book_maker.py`` (1), ``sampler.py`` (2),
``floor.py`` (3), ``report.py`` (4); this file runs them in order.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from book_maker import make_book
from floor import measure_floor, utterances
from report import hms, report
from sampler import run_build

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
OUT_JSON = REPO / "bench" / "out" / "last.json"


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, build, measure the floor, report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--hours", type=float, default=2.0, help="minimum audio length of the book (default 2)"
    )
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="build --jobs and floor processes"
    )
    ap.add_argument(
        "--keep", action="store_true", help="keep the temporary directory and print its path"
    )
    args = ap.parse_args(argv)
    if args.jobs < 1:
        ap.error("--jobs must be 1 or more")
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seed stories in {SEEDS}")
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    try:
        book = make_book(seeds, args.hours, work / "book")
        print(
            f"book: {book.chapters} chapters ({book.copies} copies of {len(seeds)} seeds), {book.words:,} words, "
            f"{book.quotes} quotes, estimated {hms(book.estimated_s)} of audio, in {book.directory}"
        )
        print(
            f"build: audiobook build ... --jobs {args.jobs} --quiet (fresh cache) ...", flush=True
        )
        run = run_build(work / "book", work / "out", work / "cache", args.jobs)
        r = run.report
        audio_s = r.duration_ms / 1000
        print(
            f"  {r.segments} segments: {r.synthesized} synthesized, {r.reused} reused; "
            f"{len(r.speakers)} speakers; audio {hms(audio_s)} ({audio_s:,.1f} s, from build.json)"
        )
        if audio_s < args.hours * 3600:
            print(
                f"  WARNING: shorter than the {args.hours} h asked for (the words-per-second estimate is off)"
            )
        items = utterances(run.outdir)
        print(
            f"floor: {len(items)} segments, raw eSpeak NG in {args.jobs} processes, then one AAC encode ...",
            flush=True,
        )
        floor = measure_floor(items, args.jobs, work)
        print(
            f"  {floor.backend}: {floor.synth_s:.1f} s wall, {floor.synth_cpu_s:.1f} s CPU, "
            f"{floor.audio_s:,.1f} s of audio; encode {floor.encode_s:.1f} s "
            f"(ffmpeg {' '.join(floor.encode_args)})\n"
        )
        result = report(book, run, floor)
        OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
        OUT_JSON.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"\nnumbers written to {OUT_JSON.relative_to(REPO)}")
        if args.keep:
            print(f"kept {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
