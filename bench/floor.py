"""The floor: the least the same work can take. Raw eSpeak NG speaks the build's segments with
the same voice settings in ``--jobs`` processes (the ``espeak-ng`` command if installed, else the
library from ``espeakng-loader`` through ctypes), then one ffmpeg encode of all that PCM with the
build's own encoder options (``audiobook.assemble.FORMATS["m4b"].chapter_args``).
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiobook.engines import DEFAULT_ENGINE, engine_sample_rate
from audiobook.report import BuildReport

SAMPLE_RATE = engine_sample_rate(DEFAULT_ENGINE)
"""The rate the build encodes at; eSpeak NG must speak at it too."""


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
    report = BuildReport.from_json(next(outdir.glob("*.build.json")).read_text(encoding="utf-8"))
    out: list[Utterance] = []
    for ch in script["chapters"]:
        for seg in ch["segments"]:
            spoken = speakable(seg["text"])
            if not spoken:
                continue
            v = report.voices.get(seg["speaker"]) or report.voices["narrator"]
            base = v.base.split("/")[-1]
            name = f"{base}+{v.variant}" if v.variant else base
            out.append(Utterance(spoken, name, v.rate, v.pitch, v.range, v.volume))
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
    from audiobook.assemble import FORMATS, ffmpeg_base

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
        *ffmpeg_base(),
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
