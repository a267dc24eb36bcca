#!/usr/bin/env python3
"""Voice bench: how well each palette voice can be understood, by an ear-proxy (issues 10, 12).

Run from the repository root (``make bench-voices`` installs the ``bench`` extra first)::

    .venv/bin/python bench/voices.py [--voices Narrator,Ada,...] [--sentences 20] [-j 2]
                                     [--voice-map MAP.toml] [--preview Joe] [--json FILE]

Every voice of the palette (``voices/default.toml`` with ``--voice-map`` applied, the way a
build loads it; Piper voices when the ``piper`` extra is installed) reads the first
``--sentences`` Harvard sentences (IEEE 1969, public domain; lists 1 and 2 are below) through
the real engine, with the voice's own base, variant, pitch, range and rate: the
:class:`~audiobook.engines.base.Engine` a build uses, one sentence per call. Each sentence is
resampled to 16 kHz mono 16-bit with the bundled ffmpeg and transcribed by pocketsphinx (its
bundled en-us model; a bench extra, never a runtime dependency). Per voice it prints

- word error: (substitutions + deletions + insertions) / reference words, summed over the
  sentences, from a minimum-edit word alignment of each transcript against its sentence;
- median pitch (Hz) of the voiced frames, by autocorrelation;
- rate: reference words per minute of speech (leading and trailing silence trimmed);
- real-time factor of the engine on this machine (synthesis seconds / audio seconds).

Then the targets of issue 10 (narrator <= 70%, every automatically cast voice <= 85%, their
mean <= 78%) and of issue 12 (every Piper voice <= 0.6 x the eSpeak narrator's word error),
each marked ok or FAIL; the exit status is 1 when a target is missed (``--no-check`` reports
only). pocketsphinx is a weak recogniser with a general-English language model, so these are
relative figures (which voice is easier to follow), not what a listener would get wrong.

``--preview NAME`` also measures voice NAME the way a user hears it: the sentences written as
a story (one paragraph each, all narration), ``audiobook preview`` run on it with a voice map
``[narrator] voice = "NAME"``, and the preview's audio split at its pauses and transcribed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

HARVARD = (
    # List 1
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.",
    "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.",
    "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.",
    "A large size in stockings is hard to sell.",
    # List 2
    "The boy was there when the sun rose.",
    "A rod is used to catch pink salmon.",
    "The source of the huge river is the clear spring.",
    "Kick the ball straight and follow through.",
    "Help the woman get back to her feet.",
    "A pot of tea helps to pass the evening.",
    "Smoky fires lack flame and heat.",
    "The soft cushion broke the man's fall.",
    "The salt breeze came across from the sea.",
    "The girl at the booth sold fifty bonds.",
)

ASR_RATE = 16000
"""pocketsphinx's en-us model wants 16 kHz mono 16-bit."""

TARGETS = {"narrator": 0.70, "auto_max": 0.85, "auto_mean": 0.78, "piper_ratio": 0.6}


# --- word error ---------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped except an apostrophe inside a word."""
    out = []
    for raw in text.lower().replace("\u2019", "'").split():
        w = "".join(c for c in raw if c.isalnum() or c == "'").strip("'")
        if w:
            out.append(w)
    return out


@dataclass(frozen=True)
class Errors:
    """Word errors of one or more transcripts against their references."""

    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    reference_words: int = 0

    @property
    def edits(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        """Word error rate (may exceed 1 when the transcript has many extra words)."""
        return self.edits / self.reference_words if self.reference_words else 0.0

    def __add__(self, other: Errors) -> Errors:
        return Errors(
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
            self.reference_words + other.reference_words,
        )


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> Errors:
    """Minimum-edit alignment of two word lists (Levenshtein over words, unit costs); among
    alignments with the fewest edits, the counts of the one a backtrace prefers (match or
    substitution, then deletion, then insertion)."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = reference[i - 1] == hypothesis[j - 1]
            cost[i][j] = min(
                cost[i - 1][j - 1] + (0 if same else 1), cost[i - 1][j] + 1, cost[i][j - 1] + 1
            )
    sub = dele = ins = 0
    i, j = n, m
    while i or j:
        if i and j:
            same = reference[i - 1] == hypothesis[j - 1]
            if cost[i][j] == cost[i - 1][j - 1] + (0 if same else 1):
                sub += 0 if same else 1
                i, j = i - 1, j - 1
                continue
        if i and cost[i][j] == cost[i - 1][j] + 1:
            dele += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    return Errors(sub, dele, ins, n)


def word_errors(reference: str, hypothesis: str) -> Errors:
    """:func:`align` on the words of two texts."""
    return align(words(reference), words(hypothesis))


# --- audio measures -----------------------------------------------------------------------


def resample_16k(pcm: bytes, rate: int) -> bytes:
    """16-bit mono PCM at ``rate`` -> 16 kHz, with the bundled ffmpeg (warnings are errors)."""
    if rate == ASR_RATE:
        return pcm
    from audiobook.assemble import ffmpeg_exe

    cmd = [ffmpeg_exe(), "-nostdin", "-loglevel", "warning", "-f", "s16le", "-ar", str(rate)]
    cmd += ["-ch_layout", "mono", "-i", "-", "-f", "s16le", "-ar", str(ASR_RATE), "-ac", "1", "-"]
    done = subprocess.run(cmd, input=pcm, capture_output=True, check=False)
    if done.returncode or done.stderr.strip():
        raise RuntimeError(f"ffmpeg resampling failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def _samples(pcm: bytes) -> Any:
    import numpy as np

    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def speech_span(pcm: bytes, rate: int) -> tuple[int, int]:
    """(first, last) sample of speech: leading and trailing audio below -40 dB of the
    loudest 10 ms frame is silence."""
    import numpy as np

    x = _samples(pcm)
    hop = max(1, rate // 100)
    frames = len(x) // hop
    if not frames:
        return 0, len(x)
    rms = np.sqrt((x[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    loud = np.nonzero(rms > rms.max() / 100)[0]
    if not len(loud):
        return 0, 0
    return int(loud[0]) * hop, (int(loud[-1]) + 1) * hop


def pitches(pcm: bytes, rate: int) -> list[float]:
    """Fundamental frequency (Hz) of each voiced 40 ms frame, by normalised autocorrelation
    over 60..400 Hz; a frame is voiced when it is within 25 dB of the loudest and its
    autocorrelation peak is at least 0.5. The period is the shortest lag whose peak is within
    90% of the best (so a period two samples apart is not taken for its double)."""
    import numpy as np

    x = _samples(pcm)
    win = int(rate * 0.04)
    lo, hi = rate // 400, rate // 60
    starts = range(0, len(x) - win - hi, win // 2)
    energies = [float((x[s : s + win] ** 2).sum()) for s in starts]
    if not energies:
        return []
    floor = max(energies) / 10**2.5
    found = []
    for s, e in zip(starts, energies, strict=True):
        if e < floor or e == 0:
            continue
        frame = x[s : s + win + hi]
        head = frame[:win]
        corr = np.array([float(head @ frame[k : k + win]) for k in range(lo, hi)])
        tails = np.array([float((frame[k : k + win] ** 2).sum()) for k in range(lo, hi)])
        norm = corr / np.sqrt(e * np.maximum(tails, 1.0))
        best = float(norm.max())
        if best < 0.5:
            continue
        # the shortest period whose peak is nearly the best (not a multiple of it)
        k = next(
            i
            for i in range(len(norm))
            if norm[i] >= 0.9 * best
            and norm[i] >= norm[max(i - 1, 0)]
            and norm[i] >= norm[min(i + 1, len(norm) - 1)]
        )
        found.append(rate / (lo + k))
    return found


class Transcriber:
    """pocketsphinx with its bundled en-us model; one utterance per call, decoded whole."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._decoder = Decoder(samprate=ASR_RATE, loglevel="FATAL")

    def __call__(self, pcm16k: bytes) -> str:
        d = self._decoder
        d.start_utt()
        d.process_raw(pcm16k, full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        return str(hyp.hypstr) if hyp is not None else ""


# --- one voice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One voice's measures."""

    voice: str
    gender: str
    engine: str
    settings: str
    role: str
    """"narrator", "auto" (cast automatically) or "named" (chosen by name only)."""
    wer: float
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int
    pitch_hz: float
    wpm: float
    rtf: float
    audio_s: float
    transcripts: tuple[str, ...]


def score(
    name: str, sentences: Sequence[str], clips: Sequence[tuple[bytes, int]], asr: Transcriber
) -> tuple[Errors, float, float, float, list[str]]:
    """(errors, median pitch, words per minute of speech, audio seconds, transcripts) of
    ``clips`` (PCM, rate), one per sentence."""
    total = Errors()
    f0: list[float] = []
    speech_s = audio_s = 0.0
    hyps = []
    for text, (pcm, rate) in zip(sentences, clips, strict=True):
        pcm16 = resample_16k(pcm, rate)
        hyp = asr(pcm16)
        hyps.append(hyp)
        total = total + word_errors(text, hyp)
        a, b = speech_span(pcm16, ASR_RATE)
        speech_s += (b - a) / ASR_RATE
        audio_s += len(pcm) / 2 / rate
        f0 += pitches(pcm16[2 * a : 2 * b], ASR_RATE)
    n_words = sum(len(words(s)) for s in sentences)
    wpm = n_words * 60 / speech_s if speech_s else 0.0
    return total, statistics.median(f0) if f0 else 0.0, wpm, audio_s, hyps


_ENGINES: dict[str, Any] = {}
_ASR: list[Transcriber] = []


def measure(job: tuple[str, Any, str, Sequence[str]]) -> Row:
    """Speak the sentences with one palette voice through its engine, and measure them."""
    from audiobook.engines import create_engine

    name, voice, role, sentences = job
    settings = voice.settings
    engine_name = settings.engine or "pyttsx3"
    if engine_name not in _ENGINES:
        _ENGINES[engine_name] = create_engine(engine_name)
    engine = _ENGINES[engine_name]
    if not _ASR:
        _ASR.append(Transcriber())
    clips = []
    t0 = time.perf_counter()
    for text in sentences:
        audio = engine.synthesize(text, settings)
        clips.append((audio.pcm, audio.sample_rate))
    synth_s = time.perf_counter() - t0
    errs, f0, wpm, audio_s, hyps = score(name, sentences, clips, _ASR[0])
    return Row(
        voice=name,
        gender=voice.gender,
        engine=engine_name,
        settings=settings.describe(),
        role=role,
        wer=errs.rate,
        substitutions=errs.substitutions,
        deletions=errs.deletions,
        insertions=errs.insertions,
        reference_words=errs.reference_words,
        pitch_hz=f0,
        wpm=wpm,
        rtf=synth_s / audio_s if audio_s else 0.0,
        audio_s=audio_s,
        transcripts=tuple(hyps),
    )


# --- via `audiobook preview` --------------------------------------------------------------


def split_at_pauses(pcm: bytes, rate: int, pause_s: float = 0.25) -> list[bytes]:
    """Pieces of speech separated by at least ``pause_s`` of silence (-40 dB of the loudest
    10 ms frame)."""
    import numpy as np

    x = _samples(pcm)
    hop = rate // 100
    frames = len(x) // hop
    if not frames:
        return []
    rms = np.sqrt((x[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    loud = rms > rms.max() / 100
    pieces: list[bytes] = []
    start: int | None = None
    quiet = 0
    need = max(1, round(pause_s * 100))
    for i, on in enumerate(loud):
        if on:
            start = i if start is None else start
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= need:
                pieces.append(pcm[2 * start * hop : 2 * (i - quiet + 1) * hop])
                start, quiet = None, 0
    if start is not None:
        pieces.append(pcm[2 * start * hop : 2 * frames * hop])
    return pieces


def via_preview(voice: str, sentences: Sequence[str]) -> tuple[Errors, str]:
    """Word errors of ``audiobook preview`` reading the sentences as narration in ``voice``
    (a voice map ``[narrator] voice = ...``): its audio split at pauses, each piece
    transcribed, the joined transcript aligned with the joined sentences."""
    with tempfile.TemporaryDirectory(prefix="vbench-") as tmp:
        story = Path(tmp) / "harvard.txt"
        story.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        vmap = Path(tmp) / "map.toml"
        vmap.write_text(f'[narrator]\nvoice = "{voice}"\n', encoding="utf-8")
        wav = Path(tmp) / "preview.wav"
        exe = Path(sys.executable).with_name("audiobook")
        cmd = [str(exe), "preview", str(story), "--voices", str(vmap), "-o", str(wav)]
        cmd += ["--cache", str(Path(tmp) / "cache")]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"audiobook preview failed: {done.stderr.strip()}")
        import wave

        with wave.open(str(wav), "rb") as w:
            rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    asr = Transcriber()
    hyp = " ".join(asr(p) for p in split_at_pauses(resample_16k(pcm, rate), ASR_RATE))
    return word_errors(" ".join(sentences), hyp), hyp


# --- the whole bench ----------------------------------------------------------------------


def jobs_for(vm: Any, names: Sequence[str], sentences: Sequence[str]) -> list[tuple[Any, ...]]:
    """One job per voice: the narrator first, then the palette's order."""
    order = [vm.narrator] + [n for n in vm.voices if n != vm.narrator]
    chosen = [n for n in order if not names or n in names]
    jobs = []
    for n in chosen:
        v = vm.voices[n]
        role = "narrator" if n == vm.narrator else ("auto" if v.auto else "named")
        jobs.append((n, v, role, tuple(sentences)))
    return jobs


def verdicts(rows: Sequence[Row]) -> list[tuple[str, float, float, bool]]:
    """(target, measured, limit, met) for every target the rows allow judging."""
    out = []
    narrator = [r for r in rows if r.role == "narrator"]
    auto = [r for r in rows if r.role == "auto"]
    if narrator:
        out.append(("narrator word error", narrator[0].wer, TARGETS["narrator"], False))
    if auto:
        worst = max(auto, key=lambda r: r.wer)
        out.append((f"worst auto voice ({worst.voice})", worst.wer, TARGETS["auto_max"], False))
        mean = statistics.fmean(r.wer for r in auto)
        out.append((f"mean of {len(auto)} auto voices", mean, TARGETS["auto_mean"], False))
    if narrator and narrator[0].engine == "pyttsx3":
        for r in rows:
            if r.engine == "piper":
                ratio = r.wer / narrator[0].wer if narrator[0].wer else 0.0
                limit = TARGETS["piper_ratio"]
                out.append((f"{r.voice} / eSpeak narrator word error", ratio, limit, False))
    return [(what, got, limit, got <= limit) for what, got, limit, _ in out]


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    head = "| voice | role | gender | engine: settings | word error | median pitch | rate | RTF |"
    lines = [head, "|---|---|---|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r.voice} | {r.role} | {r.gender} | {r.engine}: {r.settings} | "
            f"{r.wer:.1%} | {r.pitch_hz:.0f} Hz | {r.wpm:.0f} wpm | {r.rtf:.3f} |"
        )
    return "\n".join(lines)


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--voices", default="", help="comma-separated voice names (default: all)")
    p.add_argument("--sentences", type=int, default=20, help="how many (1..20, default 20)")
    p.add_argument("--voice-map", type=Path, help="a voice map applied to the palette")
    p.add_argument("--preview", default="", help="also measure this voice via audiobook preview")
    p.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--json", type=Path, help="write every measure (and transcripts) here")
    p.add_argument("--no-check", action="store_true", help="report targets, exit 0 regardless")
    a = p.parse_args(argv)
    if not 1 <= a.sentences <= len(HARVARD):
        p.error(f"--sentences must be 1..{len(HARVARD)}")
    return a


def run(argv: Sequence[str] | None = None) -> int:
    """The bench; returns the exit status."""
    from audiobook.casting import load_voice_map
    from audiobook.engines import engine_catalog

    a = _args(argv)
    vm = load_voice_map(a.voice_map, engine_catalog("pyttsx3"))
    names = [n.strip() for n in a.voices.split(",") if n.strip()]
    unknown = [n for n in names if n not in vm.voices]
    if unknown:
        print(f"error: no palette voice {', '.join(unknown)}", file=sys.stderr)
        return 2
    sentences = HARVARD[: a.sentences]
    jobs = jobs_for(vm, names, sentences)
    rows: list[Row] = []
    with get_context("spawn").Pool(max(1, a.jobs)) as pool:
        for row in pool.imap(measure, jobs):
            rows.append(row)
            print(f"  {row.voice:<10} {row.wer:6.1%}  ({len(rows)}/{len(jobs)})", file=sys.stderr)
    print(f"{len(sentences)} Harvard sentences per voice, pocketsphinx {_ps_version()}\n")
    print(table(rows))
    checks = verdicts(rows)
    preview: dict[str, Any] = {}
    if a.preview:
        errs, hyp = via_preview(a.preview, sentences)
        preview = {"voice": a.preview, "wer": errs.rate, "transcript": hyp}
        print(
            f"\nvia `audiobook preview` ([narrator] voice = {a.preview!r}): word error "
            f"{errs.rate:.1%} ({errs.edits}/{errs.reference_words})"
        )
    print()
    for what, got, limit, met in checks:
        print(f"{'ok  ' if met else 'FAIL'} {what}: {got:.1%} (at most {limit:.0%})")
    if a.json:
        data = {"rows": [asdict(r) for r in rows], "checks": checks, "preview": preview}
        a.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0 if a.no_check or all(c[3] for c in checks) else 1


def _ps_version() -> str:
    from importlib.metadata import version

    return version("pocketsphinx")


if __name__ == "__main__":
    sys.exit(run())
