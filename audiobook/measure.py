"""Measuring an audio file the way a distributor's checker does: format, loudness, silences,
chapter marks, and the loudness of each speaker.

Everything comes from reading the file itself: one ffmpeg pass (the bundled ffmpeg has no
ffprobe) gives the stream's codec, rate and channels from its log, ``astats`` the RMS level,
sample peak and noise floor, ``ebur128=peak=true`` the integrated loudness and true peak, and
``silencedetect`` the silence at the head and tail. MP3 frame headers are walked to tell a
constant bit rate from a variable one; chapter marks are read from the MP4 boxes
(:mod:`.mp4atoms`) or the ID3 tag. When the book's subtitles (``<name>.vtt``, one voice span
per cue) lie beside the file, a second pass reads ebur128's momentary loudness every 100 ms
and gates it per speaker as BS.1770 gates a whole programme.

Library code: raises :class:`~audiobook.errors.InputError` for a file it cannot measure.
"""

from __future__ import annotations

import importlib
import math
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assemble import ffmpeg_exe
from .errors import InputError
from .mp4atoms import read_chapters

AUDIO_SUFFIXES = (".mp3", ".m4b", ".m4a", ".mp4", ".aac", ".wav", ".flac", ".ogg", ".opus")
"""File types ``audiobook check`` measures when given a directory."""
SILENCE_DB = -50.0
"""Below this level (dBFS) audio counts as silence or room tone at the head and tail."""
NOISE_WINDOW_S = 0.5
"""The noise floor is the RMS of the quietest window of this length (as ACX Check measures it)."""


@dataclass(frozen=True)
class Chapters:
    """The chapter marks a file carries."""

    kind: str
    """``"mp4"`` (QuickTime track and Nero list) or ``"id3"`` (CHAP and CTOC frames)."""
    quicktime: int = 0
    """Chapters in the QuickTime text track that the audio track's ``tref/chap`` names."""
    nero: int = 0
    """Chapters in the Nero ``chpl`` list."""
    id3_chap: int = 0
    """ID3 ``CHAP`` frames."""
    id3_toc: int = 0
    """Chapters listed by the ID3 ``CTOC`` frames (0 when there is no CTOC)."""
    problems: tuple[str, ...] = ()
    """What is wrong with the QuickTime track (a dangling reference, a bad track)."""
    titles: tuple[str, ...] = ()
    """Chapter titles in order (QuickTime's, else Nero's, else ID3's)."""


@dataclass(frozen=True)
class Measurement:
    """What one audio file measures (levels in dB relative to full scale; ``-inf``: silence)."""

    path: Path
    """The file measured."""
    codec: str
    """ffmpeg's name of the audio codec (``mp3``, ``aac``, ``pcm_s16le``...)."""
    sample_rate: int
    """Samples per second."""
    channels: int
    """Audio channels."""
    duration_s: float
    """Decoded length in seconds."""
    bitrate_kbps: int | None
    """The stream's nominal bit rate (None when the container does not say)."""
    mp3_bitrates: tuple[int, ...]
    """Every distinct bit rate (kbit/s) among an MP3's frames; one value means constant."""
    lufs: float
    """Integrated loudness (EBU R128 / BS.1770), LUFS."""
    true_peak_db: float
    """True peak (4x oversampled), dBTP."""
    peak_db: float
    """Sample peak, dBFS."""
    rms_db: float
    """RMS level of the whole file, dBFS."""
    noise_floor_db: float
    """RMS of the quietest 0.5 s window, dBFS (``-inf`` when some window is digital silence)."""
    head_silence_s: float
    """Silence (below :data:`SILENCE_DB`) before the first sound."""
    tail_silence_s: float
    """Silence after the last sound."""
    chapters: Chapters | None = None
    """Chapter marks (None for formats without them)."""
    speakers: dict[str, float] = field(default_factory=dict)
    """Speaker name -> integrated loudness (LUFS) of their cues, from the ``.vtt`` beside."""
    subtitles: Path | None = None
    """The ``.vtt`` the speaker loudness came from."""

    @property
    def cbr(self) -> bool | None:
        """True for an MP3 at one bit rate throughout; None when not an MP3."""
        return len(self.mp3_bitrates) == 1 if self.mp3_bitrates else None


def audio_files(inputs: Sequence[Path]) -> list[Path]:
    """The audio files named by ``inputs`` (files, or directories searched one level deep)."""
    found: list[Path] = []
    for p in inputs:
        if p.is_dir():
            inside = sorted(
                f
                for f in p.iterdir()
                if f.suffix.lower() in AUDIO_SUFFIXES and f.is_file() and f.name[0] != "."
            )
            if not inside:
                raise InputError(f"{p}: no audio files in this folder (.mp3, .m4b, .wav, ...)")
            found += inside
        elif p.is_file():
            found.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return found


def measure(path: Path) -> Measurement:
    """Measure one audio file (see the module docstring for how)."""
    log = _ffmpeg_log(
        path,
        f"astats=length={NOISE_WINDOW_S}:measure_perchannel=none,"
        f"ebur128=peak=true:framelog=quiet,silencedetect=n={SILENCE_DB}dB:d=0.05",
    )
    stream = _stream(path, log)
    astats = _astats(log)
    samples = int(astats.get("Number of samples", 0))
    duration = samples / stream["rate"] if stream["rate"] else 0.0
    head, tail = _edges(log, duration)
    vtt = path.with_suffix(".vtt")
    is_mp3 = stream["codec"] == "mp3"
    return Measurement(
        path=path,
        codec=stream["codec"],
        sample_rate=stream["rate"],
        channels=stream["channels"],
        duration_s=round(duration, 3),
        bitrate_kbps=stream["kbps"],
        mp3_bitrates=mp3_bitrates(path) if is_mp3 else (),
        lufs=_summary(log, "I:"),
        true_peak_db=_summary(log, "Peak:"),
        peak_db=astats.get("Peak level dB", -math.inf),
        rms_db=astats.get("RMS level dB", -math.inf),
        noise_floor_db=astats.get("RMS trough dB", -math.inf),
        head_silence_s=round(head, 3),
        tail_silence_s=round(tail, 3),
        chapters=chapter_marks(path, stream["codec"]),
        speakers=speaker_loudness(path, vtt) if vtt.is_file() else {},
        subtitles=vtt if vtt.is_file() else None,
    )


def _ffmpeg_log(path: Path, filters: str) -> str:
    """ffmpeg's info-level log of decoding the first audio stream of ``path`` through
    ``filters``."""
    args = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"]
    args += ["-i", str(path), "-map", "0:a:0", "-af", filters, "-f", "null", "-"]
    try:
        proc = subprocess.run(args, capture_output=True, check=False)
    except OSError as exc:
        raise InputError(f"cannot run ffmpeg to measure {path} ({exc.strerror})") from None
    log = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        last = log.strip().splitlines()[-1:] or ["no message"]
        raise InputError(f"{path}: not an audio file ffmpeg can read ({last[0].strip()})")
    return log


_STREAM = re.compile(
    r"Stream #\d+:\d+\S*: Audio: (\w+)[^,]*, (\d+) Hz, ([^,]+), [^,\n]+(?:, (\d+) kb/s)?"
)


def _stream(path: Path, log: str) -> dict[str, Any]:
    m = _STREAM.search(log)
    if m is None:
        raise InputError(f"{path}: no audio stream found; give an audio file")
    layout = m.group(3).strip()
    named = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}
    n = re.match(r"(\d+) channels", layout)
    channels = int(n.group(1)) if n else named.get(layout.split("(")[0], 0)
    kbps = int(m.group(4)) if m.group(4) else None
    return {"codec": m.group(1), "rate": int(m.group(2)), "channels": channels, "kbps": kbps}


def _number(text: str) -> float:
    text = text.strip().split()[0]
    return -math.inf if text == "-inf" else math.inf if text == "inf" else float(text)


def _astats(log: str) -> dict[str, float]:
    """astats' Overall section: ``RMS level dB`` -> value, ... (its "through" spelled trough)."""
    out: dict[str, float] = {}
    for line in log.splitlines():
        m = re.match(r"\[Parsed_astats_\d+ @ [^\]]+\] ([^:]+): (\S+)", line)
        if m:
            with_fix = m.group(1).replace("RMS through", "RMS trough")
            try:
                out[with_fix] = _number(m.group(2))
            except ValueError:
                continue
    return out


def _summary(log: str, label: str) -> float:
    """A value from ebur128's summary (``I:`` integrated loudness, ``Peak:`` true peak)."""
    part = log.rpartition("Summary:")[2]
    m = re.search(rf"^\s*{re.escape(label)}\s+(\S+)", part, re.MULTILINE)
    return _number(m.group(1)) if m else -math.inf


def _edges(log: str, duration: float) -> tuple[float, float]:
    """Head and tail silence from silencedetect's log lines."""
    spans: list[list[float]] = []
    for m in re.finditer(r"silence_(start|end): (-?[\d.]+)", log):
        t = float(m.group(2))
        if m.group(1) == "start":
            spans.append([max(0.0, t), duration])
        elif spans:
            spans[-1][1] = min(t, duration)
    if not spans:
        return 0.0, 0.0
    if len(spans) == 1 and spans[0][0] <= 0.01 and spans[0][1] >= duration - 0.01:
        return duration, duration  # nothing but silence
    head = spans[0][1] if spans[0][0] <= 0.01 else 0.0
    tail = duration - spans[-1][0] if spans[-1][1] >= duration - 0.01 else 0.0
    return head, max(0.0, tail)


_MP3_KBPS = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_HZ = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_bitrates(path: Path) -> tuple[int, ...]:
    """The distinct bit rates (kbit/s) of an MP3's audio frames, walking every frame header.

    Stops at the first bytes that are not a frame (an ID3v1 or APE tag at the end).
    """
    data = path.read_bytes()
    i, n = 0, len(data)
    if data[:3] == b"ID3" and n >= 10:
        i = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    seen: set[int] = set()
    while i + 4 <= n:
        b1, b2 = data[i + 1], data[i + 2]
        version = (b1 >> 3) & 0x03
        if data[i] != 0xFF or (b1 & 0xE0) != 0xE0 or version == 1 or (b2 >> 2) & 3 == 3:
            break
        kbps = _MP3_KBPS[3 if version == 3 else 2][b2 >> 4]
        if kbps == 0:  # "free format": no fixed frame length to walk by
            break
        rate = _MP3_HZ[version][(b2 >> 2) & 0x03]
        seen.add(kbps)
        i += (144 if version == 3 else 72) * kbps * 1000 // rate + ((b2 >> 1) & 1)
    return tuple(sorted(seen))


def chapter_marks(path: Path, codec: str) -> Chapters | None:
    """The chapter lists of an MP4/M4B (both) or an MP3 (ID3); None for other formats."""
    if path.suffix.lower() in (".m4b", ".m4a", ".mp4"):
        found = read_chapters(path)
        titles = [m.title for m in found.quicktime or found.nero]
        return Chapters(
            "mp4",
            quicktime=len(found.quicktime),
            nero=len(found.nero),
            problems=found.problems,
            titles=tuple(titles),
        )
    if codec != "mp3":
        return None
    id3: Any = importlib.import_module("mutagen.id3")  # untyped library
    try:
        tags = id3.ID3(path)
    except id3.ID3NoHeaderError:
        return Chapters("id3")
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    listed = [e for toc in tags.getall("CTOC") for e in toc.child_element_ids if e in chaps]
    titles = []
    for eid in listed or sorted(chaps, key=lambda e: chaps[e].start_time):
        tit2 = chaps[eid].sub_frames.get("TIT2")
        titles.append(str(tit2.text[0]) if tit2 else "")
    return Chapters("id3", id3_chap=len(chaps), id3_toc=len(listed), titles=tuple(titles))


# --- loudness per speaker -----------------------------------------------------------------

_CUE = re.compile(
    r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})[^\n]*\n<v(?:\.[^ >]*)? ([^>]+)>"
)


def vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    """(start s, end s, speaker) of every cue of a WebVTT file that names its speaker."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the subtitles ({exc})") from None
    cues = []
    for m in _CUE.finditer(text):
        g = [int(x) for x in m.groups()[:8]]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        who = m.group(9).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append((start, end, who.strip()))
    return cues


def speaker_loudness(path: Path, vtt: Path) -> dict[str, float]:
    """Speaker -> integrated loudness (LUFS) of the audio under their cues.

    ebur128's momentary loudness (400 ms blocks) is read every 100 ms; each block lying wholly
    inside one of a speaker's cues counts for that speaker, and the blocks are gated (absolute
    -70 LUFS, relative -10 LU) and averaged as BS.1770 does for a whole programme. A speaker
    whose cues are all shorter than 400 ms has no value.
    """
    cues = sorted(vtt_cues(vtt))
    if not cues:
        return {}
    log = _ffmpeg_log(
        path,
        "aresample=48000,asetnsamples=n=4800:p=0,ebur128=metadata=1:framelog=quiet,"
        "ametadata=mode=print:key=lavfi.r128.M",
    )
    blocks: dict[str, list[float]] = {}
    t = 0.0
    j = 0
    for line in log.splitlines():
        pts = re.search(r"pts_time:(\S+)", line)
        if pts:
            t = float(pts.group(1))
            continue
        m = re.search(r"lavfi\.r128\.M=(\S+)", line)
        if m is None:
            continue
        end = t + 0.1
        start = end - 0.4
        while j < len(cues) and cues[j][1] < end:
            j += 1
        if j < len(cues) and cues[j][0] <= start + 1e-6:
            blocks.setdefault(cues[j][2], []).append(float(m.group(1)))
    return {who: v for who, ms in blocks.items() if (v := gated_loudness(ms)) > -math.inf}


def gated_loudness(momentary: Sequence[float]) -> float:
    """BS.1770 integrated loudness of 400 ms blocks given as momentary loudness values."""
    powers = [10 ** ((m + 0.691) / 10) for m in momentary if m > -70]
    if not powers:
        return -math.inf
    relative = -0.691 + 10 * math.log10(sum(powers) / len(powers)) - 10
    kept = [p for p, m in zip(powers, (m for m in momentary if m > -70)) if m > relative]
    if not kept:
        return -math.inf
    return round(-0.691 + 10 * math.log10(sum(kept) / len(kept)), 2)
