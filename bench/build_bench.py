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
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import multiprocessing
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
OUT_JSON = REPO / "bench" / "out" / "last.json"

SECONDS_PER_WORD = 11.5 * 60 / 1885
"""Audio per word of the seeds (11.5 minutes for their 1,885 words, pauses included)."""
SAMPLE_RATE = 22050
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 400.0
SAMPLE_INTERVAL_S = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")

# --- 1. the book -------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_QUOTE = re.compile(r"([\"“])([^\"“”\n]+)([\"”])")

_KEEP_WORDS = """
    a an i me my mine myself we us our ours you your yours yourself he him his himself she her
    hers herself it its itself they them their theirs themselves this that who whom
    said says say asked asks replied replies answered whispered shouted exclaimed muttered
    murmured cried called added continued told tells began laughed smiled nodded sighed
    suggested explained insisted agreed declared admitted responded remarked announced
    wondered teased joked grinned chuckled greeted
    man woman men women boy girl lady gentleman young old mr mrs miss madame monsieur
"""
_KEEP = frozenset(_KEEP_WORDS.split())
"""Words never substituted: pronouns, speech verbs, person nouns (what attribution reads)."""


def _attribution_words() -> frozenset[str]:
    """The package's own attribution cue words, if it has them (else only :data:`_KEEP`)."""
    # The package is being edited by others: the benchmark must not depend on this module.
    try:
        from audiobook.attribute import lexicon
    except ImportError:
        return _KEEP
    words: set[str] = set(_KEEP)
    for name in ("SPEECH_VERBS", "HONORIFICS", "PERSON_NOUNS"):
        words.update(str(w).lower() for w in getattr(lexicon, name, ()))
    return frozenset(words)


def _names(texts: Iterable[str]) -> set[str]:
    """Capitalised words seen in mid-sentence: proper nouns, kept as they are."""
    names: set[str] = set()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group(0)
            if not word[:1].isupper():
                continue
            before = text[: m.start()].rstrip(" \t\"“”'‘’")
            if before and before[-1] not in ".!?\n:;—–-(":
                names.add(word)
    return names


@dataclass(frozen=True)
class Substitution:
    """Copy-specific word maps: copy ``k`` shifts each word ``k`` places in its group."""

    groups: dict[str, tuple[list[str], int]]
    """word -> (its group, its index in the group)."""
    names: frozenset[str]
    fillers: tuple[str, ...]
    """Copy-specific words put in front of a quote that has nothing to substitute."""

    @classmethod
    def from_texts(cls, texts: Sequence[str], copies: int, seed: int = 1234) -> Substitution:
        """Groups of words of about the same length, each at least ``copies`` long."""
        keep = _attribution_words()
        names = _names(texts)
        vocab: set[str] = set()
        for text in texts:
            for m in _WORD.finditer(text):
                w = m.group(0)
                low = w.lower()
                if len(low) < 2 or low in keep or not low.isalpha() or not low.isascii():
                    continue
                if w in names or low.capitalize() in names:
                    continue
                vocab.add(low)
        ordered = sorted(vocab, key=lambda w: (len(w), w))
        size = max(copies, 2)
        chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        if len(chunks) > 1 and len(chunks[-1]) < size:
            chunks[-2].extend(chunks.pop())
        rng = random.Random(seed)
        groups: dict[str, tuple[list[str], int]] = {}
        for chunk in chunks:
            rng.shuffle(chunk)
            for i, w in enumerate(chunk):
                groups[w] = (chunk, i)
        return cls(groups, frozenset(names), tuple(ordered))

    def rewrite(self, text: str, copy: int) -> str:
        """``text`` with every replaceable word swapped for its copy-``copy`` partner."""
        if copy == 0:
            return text

        def swap(m: re.Match[str]) -> str:
            word = m.group(0)
            entry = self.groups.get(word.lower())
            if entry is None or word in self.names:
                return word
            group, i = entry
            new = group[(i + copy) % len(group)]
            if word.isupper() and len(word) > 1:
                return new.upper()
            if word[:1].isupper():
                return new.capitalize()
            return new

        def vary_quote(m: re.Match[str]) -> str:
            inner = m.group(2)
            if any(
                w.group(0).lower() in self.groups and w.group(0) not in self.names
                for w in _WORD.finditer(inner)
            ):
                return _WORD.sub(swap, m.group(0))
            # nothing to substitute (e.g. "I'm Léa Roux."): one copy-specific word in front instead
            filler = self.fillers[copy % len(self.fillers)].capitalize()
            return f"{m.group(1)}{filler}, {inner}{m.group(3)}"

        parts: list[str] = []
        last = 0
        for m in _QUOTE.finditer(text):
            parts.append(_WORD.sub(swap, text[last : m.start()]))
            parts.append(vary_quote(m))
            last = m.end()
        parts.append(_WORD.sub(swap, text[last:]))
        return "".join(parts)


@dataclass
class BookInfo:
    """What was generated."""

    directory: str
    copies: int
    chapters: int
    words: int
    estimated_s: float
    quotes: int
    substitutable_words: int


def make_book(seeds: Sequence[Path], hours: float, dest: Path) -> BookInfo:
    """Write ``copies`` rewritten copies of every seed into ``dest``, one chapter file each."""
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    seed_words = sum(len(t.split()) for t in texts)
    copies = max(1, math.ceil(hours * 3600 / (seed_words * SECONDS_PER_WORD)))
    sub = Substitution.from_texts(texts, copies)
    dest.mkdir(parents=True, exist_ok=True)
    words = quotes = 0
    for copy in range(copies):
        for n, (path, text) in enumerate(zip(seeds, texts, strict=True)):
            new = sub.rewrite(text, copy)
            (dest / f"{copy + 1:03d}-{n + 1}_{path.stem}.txt").write_text(new, encoding="utf-8")
            words += len(new.split())
            quotes += len(re.findall(r"[\"“][^\"“”]+[\"”]", new))
    return BookInfo(
        directory=str(dest),
        copies=copies,
        chapters=copies * len(seeds),
        words=words,
        estimated_s=round(words * SECONDS_PER_WORD, 1),
        quotes=quotes,
        substitutable_words=len(sub.groups),
    )


# --- 2. the build, watched through /proc ---------------------------------------------------------


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
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            st = _read_stat(int(name))
            if st is None:
                continue
            ppid, cpu, rss = st
            children.setdefault(ppid, []).append(int(name))
            info[int(name)] = (cpu, rss)
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
    report: dict[str, Any]
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
    report = json.loads(reports[0].read_text(encoding="utf-8"))
    return BuildRun(
        cmd, wall, report, tree, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, outdir
    )


# --- 3. the floor ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Utterance:
    """One segment to speak, with the eSpeak settings the build used for it."""

    text: str
    voice: str
    rate: int
    pitch: int
    range: int
    volume: float


def utterances(outdir: Path) -> list[Utterance]:
    """The segments the build spoke (from its script.json), with their voices (build.json)."""
    from audiobook.text import speakable

    script = json.loads(next(outdir.glob("*.script.json")).read_text(encoding="utf-8"))
    report = json.loads(next(outdir.glob("*.build.json")).read_text(encoding="utf-8"))
    voices: dict[str, dict[str, Any]] = report["voices"]
    out: list[Utterance] = []
    for ch in script["chapters"]:
        for seg in ch["segments"]:
            spoken = speakable(seg["text"])
            if not spoken:
                continue
            v = voices.get(seg["speaker"]) or voices["narrator"]
            base = str(v["base"]).split("/")[-1]
            name = f"{base}+{v['variant']}" if v.get("variant") else base
            out.append(
                Utterance(
                    spoken,
                    name,
                    int(v["rate"]),
                    int(v["pitch"]),
                    int(v["range"]),
                    float(v["volume"]),
                )
            )
    return out


def split_even(items: Sequence[Utterance], parts: int) -> list[list[Utterance]]:
    """Contiguous runs of ``items`` with about the same number of words each."""
    total = sum(len(u.text.split()) for u in items)
    out: list[list[Utterance]] = [[] for _ in range(parts)]
    done = 0
    for u in items:
        i = min(parts - 1, done * parts // max(total, 1))
        out[i].append(u)
        done += len(u.text.split())
    return out


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4


def _synth_library(items: Sequence[Utterance], pcm_path: str) -> float:
    """Speak ``items`` with libespeak-ng (ctypes) into raw PCM at ``pcm_path``; CPU seconds used."""
    import espeakng_loader

    data = espeakng_loader.get_data_path()
    os.environ["ESPEAK_DATA_PATH"] = data
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 1000, data.encode(), 0)
    if rate != SAMPLE_RATE:
        raise RuntimeError(f"eSpeak NG initialised at {rate} Hz, expected {SAMPLE_RATE}")
    with open(pcm_path, "wb") as out:

        def collect(wav: Any, n: int, _events: Any) -> int:
            if n > 0:
                out.write(ctypes.string_at(wav, n * 2))
            return 0

        callback = _SynthCallback(collect)
        lib.espeak_SetSynthCallback(callback)
        current = ""
        for u in items:
            if u.voice != current:
                if lib.espeak_SetVoiceByName(u.voice.encode()) != 0:
                    raise RuntimeError(f"eSpeak NG has no voice {u.voice!r}")
                current = u.voice
            lib.espeak_SetParameter(_RATE, u.rate, 0)
            lib.espeak_SetParameter(_PITCH, u.pitch, 0)
            lib.espeak_SetParameter(_RANGE, u.range, 0)
            lib.espeak_SetParameter(_VOLUME, round(u.volume * 100), 0)
            text = u.text.encode("utf-8") + b"\0"
            buf = ctypes.create_string_buffer(text, len(text))
            lib.espeak_Synth(buf, len(text), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
    lib.espeak_Terminate()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _synth_command(exe: str, items: Sequence[Utterance], pcm_path: str) -> float:
    """Speak ``items`` with the ``espeak-ng`` command, one call per run of equal settings."""
    with open(pcm_path, "wb") as out:
        i = 0
        while i < len(items):
            j = i
            while (
                j < len(items)
                and items[j].voice == items[i].voice
                and items[j].rate == items[i].rate
            ):
                j += 1
            u = items[i]
            text = "\n\n".join(x.text for x in items[i:j])
            wav = subprocess.run(
                [
                    exe,
                    "--stdout",
                    "-v",
                    u.voice,
                    "-s",
                    str(u.rate),
                    "-p",
                    str(u.pitch),
                    "-a",
                    str(round(u.volume * 100)),
                    text,
                ],
                capture_output=True,
                check=True,
            ).stdout
            out.write(wav[44:])  # canonical 44-byte WAV header
            i = j
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _floor_worker(args: tuple[list[Utterance], str]) -> float:
    items, pcm_path = args
    exe = shutil.which("espeak-ng")
    return _synth_command(exe, items, pcm_path) if exe else _synth_library(items, pcm_path)


@dataclass
class Floor:
    """The floor: parallel raw synthesis, then one encode."""

    backend: str
    processes: int
    utterances: int
    words: int
    synth_s: float
    synth_cpu_s: float
    audio_s: float
    encode_s: float
    encode_args: list[str]

    @property
    def total_s(self) -> float:
        """Synthesis then encoding, one after the other."""
        return self.synth_s + self.encode_s


def measure_floor(items: Sequence[Utterance], jobs: int, work: Path) -> Floor:
    """Time raw eSpeak NG on ``items`` in ``jobs`` processes, then one ffmpeg AAC encode."""
    from audiobook.assemble import FORMATS, ffmpeg_exe

    parts = [p for p in split_even(items, max(1, jobs)) if p]
    paths = [str(work / f"floor-{i}.pcm") for i in range(len(parts))]
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    with ctx.Pool(len(parts)) as pool:
        cpu = pool.map(_floor_worker, list(zip(parts, paths, strict=True)), chunksize=1)
    synth_s = time.perf_counter() - t0
    size = sum(os.path.getsize(p) for p in paths)
    encode_args = list(FORMATS["m4b"].chapter_args)
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "s16le",
        "-ar",
        str(SAMPLE_RATE),
        "-ac",
        "1",
        "-i",
        "pipe:0",
        *encode_args,
        str(work / "floor.aac"),
    ]
    t0 = time.perf_counter()
    enc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert enc.stdin is not None
    for p in paths:
        with open(p, "rb") as f:
            shutil.copyfileobj(f, enc.stdin, 1 << 20)
    enc.stdin.close()
    if enc.wait() != 0:
        raise SystemExit("the floor's ffmpeg encode failed")
    encode_s = time.perf_counter() - t0
    return Floor(
        backend="espeak-ng command"
        if shutil.which("espeak-ng")
        else "libespeak-ng (espeakng-loader, ctypes)",
        processes=len(parts),
        utterances=len(items),
        words=sum(len(u.text.split()) for u in items),
        synth_s=synth_s,
        synth_cpu_s=sum(cpu),
        audio_s=size / 2 / SAMPLE_RATE,
        encode_s=encode_s,
        encode_args=encode_args,
    )


# --- 4. report ------------------------------------------------------------------------------------


def _hms(seconds: float) -> str:
    h, rem = divmod(round(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}"


def report(book: BookInfo, run: BuildRun, floor: Floor) -> dict[str, Any]:
    """Print the results table and return them as a dict."""
    audio_s = run.report["duration_ms"] / 1000
    ratio = run.wall_s / floor.total_s
    mem_ok = run.tree.peak_tree_rss_mb < MEMORY_TARGET_MB
    rows: list[tuple[str, str, str]] = [
        ("audio duration", f"{audio_s:,.1f} s ({_hms(audio_s)})", ""),
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
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": run.command,
        "jobs": run.report.get("jobs"),
        "book": asdict(book),
        "audio_s": round(audio_s, 3),
        "build": {
            "wall_s": round(run.wall_s, 3),
            "internal_wall_s": run.report.get("wall_s"),
            "rtf": round(audio_s / run.wall_s, 2),
            "segments": run.report.get("segments"),
            "synthesized": run.report.get("synthesized"),
            "reused": run.report.get("reused"),
            "chapters_encoded": run.report.get("chapters_encoded"),
            "speakers": len(run.report.get("speakers", [])),
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
            "memory_pass": mem_ok,
        },
    }


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
            f"{book.quotes} quotes, estimated {_hms(book.estimated_s)} of audio, in {book.directory}"
        )
        print(
            f"build: audiobook build ... --jobs {args.jobs} --quiet (fresh cache) ...", flush=True
        )
        run = run_build(work / "book", work / "out", work / "cache", args.jobs)
        r = run.report
        audio_s = r["duration_ms"] / 1000
        print(
            f"  {r['segments']} segments: {r['synthesized']} synthesized, {r['reused']} reused; "
            f"{len(r.get('speakers', []))} speakers; audio {_hms(audio_s)} ({audio_s:,.1f} s, from build.json)"
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
