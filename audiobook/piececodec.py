"""How a spoken piece is stored in the audio cache: raw PCM, or Opus (the default).

Raw 16-bit PCM at 22 050 Hz is 158 MB per hour of speech; FLAC only halves it. Every piece is
re-encoded anyway (to AAC or MP3, at 64 kbit/s) when its chapter is made, so the cache keeps it
in Opus at 32 kbit/s (14.4 MB per hour), which is near-transparent for speech at that bandwidth
(measured in ``bench/library_bench.py``: loudness, duration and ASR word error of the book).

A lossy cache must not make a rebuild differ from a fresh build, so chapters are always made
from the *decoded* cached piece, never from the engine's output directly: a fresh build writes
the piece, reads it back, and joins what it read, exactly as a rebuild does. The decoded piece
keeps the synthesized length exactly (trimmed or padded to the stored frame count), so chapter
timing does not depend on the codec.
"""

from __future__ import annotations

import os
import subprocess

from .assemble import ffmpeg_base, ffmpeg_warnings
from .engines import Audio
from .errors import EncodeError

CODECS = ("opus", "pcm")
"""Piece codecs the cache knows; the first is the default."""
OPUS_BITRATE = "32k"
"""Opus bitrate for cached pieces (mono speech; the chapters themselves are 64 kbit/s)."""
OPUS_COMPLEXITY = "5"
"""libopus complexity: 5 encodes 120 s of speech in 0.31 s of CPU where the default 10 takes
1.24 s (4x the chapter's AAC encode), at the same size with constrained VBR."""


def label(codec: str) -> str:
    """The codec with its settings, for chapter keys (chapters are made from decoded pieces,
    so pieces stored differently make different chapters)."""
    return codec if codec == "pcm" else f"{codec}-{OPUS_BITRATE}-c{OPUS_COMPLEXITY}"


def default_codec() -> str:
    """``$AUDIOBOOK_PIECE_CODEC`` (``opus`` or ``pcm``), else ``opus``."""
    codec = os.environ.get("AUDIOBOOK_PIECE_CODEC", CODECS[0]).strip().lower()
    if codec not in CODECS:
        raise EncodeError(
            f"AUDIOBOOK_PIECE_CODEC={codec!r} is not a piece codec; use one of: {', '.join(CODECS)}"
        )
    return codec


def _ffmpeg(args: list[str], data: bytes, what: str) -> bytes:
    try:
        proc = subprocess.run([*ffmpeg_base(), *args], input=data, capture_output=True, check=False)
    except OSError as exc:
        raise EncodeError(f"cannot run ffmpeg to {what} ({exc.strerror})") from None
    warned = ffmpeg_warnings(proc.stderr)
    if proc.returncode != 0 or warned:
        tail = warned or proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise EncodeError(f"ffmpeg failed to {what}: {tail[0] if tail else 'no message'}")
    return proc.stdout


def encode(codec: str, audio: Audio) -> bytes:
    """The stored form of ``audio`` in ``codec``."""
    if codec == "pcm":
        return audio.pcm
    args = f"-f s16le -ar {audio.sample_rate} -ch_layout mono -i pipe:0 -c:a libopus"
    args += f" -b:a {OPUS_BITRATE} -vbr constrained -compression_level {OPUS_COMPLEXITY}"
    args += " -application audio -ar 24000 -map_metadata -1 -fflags +bitexact -flags:a +bitexact"
    return _ffmpeg(
        [*args.split(), "-f", "ogg", "pipe:1"],
        audio.pcm,
        "encode a cached piece",
    )


def decode(codec: str, data: bytes, frames: int, sample_rate: int) -> Audio:
    """The audio stored as ``data``: exactly ``frames`` frames at ``sample_rate``."""
    if codec == "pcm":
        return Audio(pcm=data, sample_rate=sample_rate)
    pcm = _ffmpeg(
        f"-f ogg -i pipe:0 -f s16le -ar {sample_rate} -ac 1 pipe:1".split(),
        data,
        "decode a cached piece",
    )
    want = frames * 2
    pcm = pcm[:want] + bytes(max(0, want - len(pcm)))
    return Audio(pcm=pcm, sample_rate=sample_rate)
