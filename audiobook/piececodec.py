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
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .assemble import ffmpeg_base, ffmpeg_warnings
from .engines import Audio
from .errors import EncodeError

CODECS = ("opus", "pcm")
"""Piece codecs the cache knows; the first is the default."""
OPUS_BITRATE = "32k"
"""Opus bitrate for cached pieces (mono speech; the chapters themselves are 64 kbit/s)."""
OPUS_COMPLEXITY = "0"
"""libopus complexity. Encoding 1,200 s of eSpeak speech (then decoding it) took 9.7 s of CPU at
the default 10, 2.5 s (+1.2 s) at 5 and 1.3 s (+0.8 s) at 0 with 60 ms frames, against 3.3 s for
the chapter's own AAC encode; signal-to-noise of the decoded speech 16.9 dB at 5 / 20 ms, 16.7 dB
at 0 / 60 ms, and the file 2 % smaller."""
OPUS_FRAME_MS = "60"
"""Opus frame length: 60 ms frames cost less to encode and decode than the default 20 ms, which
matters only for live speech (latency), never for a cache."""


def label(codec: str) -> str:
    """The codec with its settings, for chapter keys (chapters are made from decoded pieces,
    so pieces stored differently make different chapters)."""
    if codec == "pcm":
        return codec
    return f"{codec}-{OPUS_BITRATE}-c{OPUS_COMPLEXITY}-f{OPUS_FRAME_MS}"


def default_codec() -> str:
    """``$AUDIOBOOK_PIECE_CODEC`` (``opus`` or ``pcm``), else ``opus``."""
    codec = os.environ.get("AUDIOBOOK_PIECE_CODEC", CODECS[0]).strip().lower()
    if codec not in CODECS:
        raise EncodeError(
            f"AUDIOBOOK_PIECE_CODEC={codec!r} is not a piece codec; use one of: {', '.join(CODECS)}"
        )
    return codec


def _ffmpeg(args: list[str], what: str) -> None:
    try:
        proc = subprocess.run([*ffmpeg_base(), *args], capture_output=True, check=False)
    except OSError as exc:
        raise EncodeError(f"cannot run ffmpeg to {what} ({exc.strerror})") from None
    warned = ffmpeg_warnings(proc.stderr)
    if proc.returncode != 0 or warned:
        tail = warned or proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise EncodeError(f"ffmpeg failed to {what}: {tail[0] if tail else 'no message'}")


def encode_many(codec: str, audios: Sequence[Audio]) -> list[bytes]:
    """The stored form of each of ``audios`` in ``codec``: one ffmpeg for them all (an ffmpeg
    per piece costs more in starting than in encoding), each with its own encoder, so a piece
    encodes the same alone or in company."""
    if codec == "pcm" or not audios:
        return [a.pcm for a in audios]
    opts = f"-c:a libopus -b:a {OPUS_BITRATE} -vbr constrained -compression_level "
    opts += f"{OPUS_COMPLEXITY} -frame_duration {OPUS_FRAME_MS} -application audio -ar 24000 -map_metadata -1 -fflags +bitexact"
    opts += " -flags:a +bitexact -f ogg"
    with tempfile.TemporaryDirectory(prefix="audiobook-pieces-") as tmp:
        args: list[str] = []
        for i, audio in enumerate(audios):
            (Path(tmp) / f"{i}.raw").write_bytes(audio.pcm)
            args += f"-f s16le -ar {audio.sample_rate} -ch_layout mono -i".split()
            args.append(str(Path(tmp) / f"{i}.raw"))
        for i in range(len(audios)):
            args += ["-map", f"{i}:a", *opts.split(), str(Path(tmp) / f"{i}.ogg")]
        _ffmpeg(args, "encode cached pieces")
        return [(Path(tmp) / f"{i}.ogg").read_bytes() for i in range(len(audios))]


def decode_many(codec: str, stored: Sequence[tuple[bytes, int, int]]) -> list[Audio]:
    """The audio of each ``(data, frames, sample_rate)``: exactly ``frames`` frames at
    ``sample_rate``; one ffmpeg for them all."""
    if codec == "pcm" or not stored:
        return [Audio(pcm=data, sample_rate=rate) for data, _frames, rate in stored]
    with tempfile.TemporaryDirectory(prefix="audiobook-pieces-") as tmp:
        args: list[str] = []
        for i, (data, _frames, _rate) in enumerate(stored):
            (Path(tmp) / f"{i}.ogg").write_bytes(data)
            args += ["-f", "ogg", "-i", str(Path(tmp) / f"{i}.ogg")]
        for i, (_data, _frames, rate) in enumerate(stored):
            args += ["-map", f"{i}:a", *f"-f s16le -ar {rate} -ac 1".split()]
            args.append(str(Path(tmp) / f"{i}.raw"))
        _ffmpeg(args, "decode cached pieces")
        out = []
        for i, (_data, frames, rate) in enumerate(stored):
            pcm = (Path(tmp) / f"{i}.raw").read_bytes()[: frames * 2]
            out.append(Audio(pcm=pcm + bytes(frames * 2 - len(pcm)), sample_rate=rate))
        return out


def encode(codec: str, audio: Audio) -> bytes:
    """The stored form of ``audio`` in ``codec``."""
    return encode_many(codec, [audio])[0]


def decode(codec: str, data: bytes, frames: int, sample_rate: int) -> Audio:
    """The audio stored as ``data``: exactly ``frames`` frames at ``sample_rate``."""
    return decode_many(codec, [(data, frames, sample_rate)])[0]
