"""Joining, pauses, loudness, encoding and chapter metadata.

Each chapter is joined in memory (pydub over one ``b"".join`` of raw data, never repeated
``+``), streamed into ffmpeg, and kept as an encoded chapter file in the cache: AAC in ADTS
frames or MP3 frames, both of which can be concatenated byte for byte. The book is then one
``-c copy`` remux of the chapter files with the chapter marks, tags and cover. So memory holds
one chapter at a time, and a rebuild re-encodes only the chapters whose audio changed.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

with (
    warnings.catch_warnings()
):  # pydub warns at import when ffmpeg is not on PATH; ours is set below
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment as AudioSegment  # noqa: PLC0414 - re-exported for preview

from .engines import Audio
from .errors import EncodeError, InputError, OutputError
from .loudness import level_samples
from .mp4atoms import read_chapters


@dataclass(frozen=True)
class Format:
    """An output format: the encoder for chapter files and the final container."""

    name: str
    suffix: str
    chapter_args: tuple[str, ...]
    """ffmpeg output options for one chapter (raw, concatenable frames)."""
    frame_kind: str
    """``"adts"`` or ``"mp3"``: how to count the encoded frames."""
    mux_args: tuple[str, ...]


BITRATE = "64k"
FORMATS: dict[str, Format] = {
    "m4b": Format(
        "m4b",
        ".m4b",
        ("-c:a", "aac", "-aac_coder", "fast", "-b:a", BITRATE, "-f", "adts"),
        "adts",
        ("-c:a", "copy", "-movflags", "+faststart", "-f", "ipod"),
    ),
    "mp3": Format(
        "mp3",
        ".mp3",
        (
            "-c:a",
            "libmp3lame",
            "-b:a",
            BITRATE,
            "-write_xing",
            "0",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
        ),
        "mp3",
        ("-c:a", "copy", "-id3v2_version", "3", "-write_xing", "0", "-f", "mp3"),
    ),
}


def ffmpeg_exe() -> str:
    """ffmpeg from the imageio-ffmpeg wheel, else one on PATH."""
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception:  # noqa: BLE001 - any failure of the wheel: try PATH
        found = shutil.which("ffmpeg")
        if found:
            return found
    raise EncodeError(
        "ffmpeg not found; reinstall with `pip install imageio-ffmpeg` or install ffmpeg"
    )


def ffmpeg_base(loglevel: str = "warning") -> list[str]:
    """ffmpeg, printing only warnings and errors (which we read), never reading the terminal,
    overwriting its output."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", loglevel, "-y"]


_HARMLESS = (
    # Raw ADTS/MP3 frames carry no length; ffmpeg guesses one for the input, which a stream copy
    # never uses (chapter times come from our own frame count).
    "Estimating duration from bitrate",
)


def ffmpeg_warnings(stderr: bytes) -> list[str]:
    """The warnings in ffmpeg's log (run at ``-loglevel warning``) that are not known harmless."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not any(h in ln for h in _HARMLESS)]


def setup_pydub() -> None:
    """Point pydub at our ffmpeg (it would otherwise look on PATH and warn)."""
    AudioSegment.converter = ffmpeg_exe()


# --- joining -----------------------------------------------------------------------------


def silence(ms: int, sample_rate: int) -> bytes:
    """``ms`` of silence as raw 16-bit mono data."""
    seg = AudioSegment.silent(duration=ms, frame_rate=sample_rate)
    return bytes(seg.set_sample_width(2).set_channels(1).raw_data)


def level(audio: Audio) -> Audio:
    """Speech at the book's integrated loudness with its true peak limited
    (:mod:`audiobook.loudness`), so every voice sounds equally loud."""
    return Audio(pcm=level_samples(audio.pcm, audio.sample_rate), sample_rate=audio.sample_rate)


def join_chapter(parts: Iterable[bytes], sample_rate: int) -> AudioSegment:
    """One chapter from raw pieces (speech and silences): a single join, then pydub."""
    return AudioSegment(data=b"".join(parts), sample_width=2, frame_rate=sample_rate, channels=1)


# --- encoding -----------------------------------------------------------------------------


def _run(args: list[str], what: str, stdin: bytes | None = None) -> None:
    """Run ffmpeg; its failure, and any warning it prints about the output, is an EncodeError."""
    try:
        proc = subprocess.run(args, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise EncodeError(f"cannot run ffmpeg for {what} ({exc.strerror})") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        if b"No space left" in proc.stderr:
            raise OutputError(
                f"no space left on the disk while writing {what}; free some space and rerun"
            )
        raise EncodeError(f"ffmpeg failed on {what}: {tail[0]}")
    warned = ffmpeg_warnings(proc.stderr)
    if warned:
        raise EncodeError(
            f"ffmpeg warned while writing {what}: {warned[0]} (a bug in audiobook: please report "
            "it with the book)"
        )


def frame_samples(fmt: Format, sample_rate: int) -> int:
    """Samples per encoded frame: AAC 1024; MP3 1152 (MPEG-1 rates) or 576 (lower rates)."""
    if fmt.frame_kind == "adts":
        return 1024
    return 1152 if sample_rate >= 32000 else 576


class ChapterEncoder:
    """Streams one chapter's PCM into ffmpeg as it is assembled; the file appears only when whole.

    Memory stays at one batch of audio however long the chapter is, and encoding runs while
    later segments are still being synthesized.
    """

    def __init__(self, fmt: Format, dest: Path, sample_rate: int) -> None:
        self.dest = dest
        self._frame = frame_samples(fmt, sample_rate)
        self._written = 0
        self.tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        args = [
            *ffmpeg_base(),
            "-f",
            "s16le",
            "-ar",
            str(sample_rate),
            "-ch_layout",  # said, not guessed (ffmpeg warns when it guesses)
            "mono",
            "-i",
            "pipe:0",
            *fmt.chapter_args,
            str(self.tmp),
        ]
        self._errfile = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the encoder
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=self._errfile)
        except OSError as exc:
            raise EncodeError(f"cannot run ffmpeg ({exc.strerror})") from None

    def write(self, pcm: bytes) -> None:
        """Feed raw 16-bit mono PCM."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(pcm)
        except BrokenPipeError:
            self._fail()
        self._written += len(pcm) // 2

    def finish(self) -> None:
        """Close the stream, wait for ffmpeg, and move the file into place."""
        assert self.proc.stdin is not None
        # End on a whole encoder frame: libmp3lame's wrapper warns (and mis-times its last
        # packet) when the input ends just past a frame boundary.
        self.write(bytes(2 * (-self._written % self._frame)))
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        if self.proc.wait() != 0:
            self._fail()
        self._errfile.seek(0)
        warned = ffmpeg_warnings(self._errfile.read())
        if warned:
            self.abort()
            raise EncodeError(f"ffmpeg warned while encoding a chapter: {warned[0]}")
        self._errfile.close()
        os.replace(self.tmp, self.dest)

    def abort(self) -> None:
        """Stop ffmpeg and remove the partial file (on errors and Ctrl-C)."""
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait()
        self._errfile.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()

    def _fail(self) -> None:
        self.proc.wait()
        self._errfile.seek(0)
        err = self._errfile.read()
        self.abort()
        if b"No space left" in err or b"File too large" in err:
            raise OutputError(
                "no space left for the audio while encoding; free some disk space and rerun"
            )
        msg = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise EncodeError(f"ffmpeg failed to encode a chapter: {msg[0]}")


_MP3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2/2.5 layer III
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_AAC_RATES = (
    96000,
    88200,
    64000,
    48000,
    44100,
    32000,
    24000,
    22050,
    16000,
    12000,
    11025,
    8000,
    7350,
)


def encoded_duration_ms(path: Path, kind: str) -> float:
    """Exact duration of a file of ADTS or MP3 frames, by walking its frame headers."""
    data = path.read_bytes()
    samples = 0
    rate = 0
    i = 0
    n = len(data)
    if kind == "mp3" and data[:3] == b"ID3" and n >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        i = 10 + size
    while i + 7 <= n:
        b0, b1, b2 = data[i], data[i + 1], data[i + 2]
        if kind == "adts":
            if b0 != 0xFF or (b1 & 0xF0) != 0xF0:
                raise EncodeError(f"{path.name}: damaged AAC data")
            rate = _AAC_RATES[(b2 >> 2) & 0x0F]
            length = ((data[i + 3] & 0x03) << 11) | (data[i + 4] << 3) | (data[i + 5] >> 5)
            samples += 1024 * ((data[i + 6] & 0x03) + 1)
        else:
            if b0 != 0xFF or (b1 & 0xE0) != 0xE0:
                raise EncodeError(f"{path.name}: damaged MP3 data")
            version = (b1 >> 3) & 0x03
            table = 3 if version == 3 else 2
            bitrate = _MP3_BITRATES[table][b2 >> 4] * 1000
            rate = _MP3_RATES[version][(b2 >> 2) & 0x03]
            per_frame = 1152 if version == 3 else 576
            length = (144 if version == 3 else 72) * bitrate // rate + ((b2 >> 1) & 1)
            samples += per_frame
        if length <= 0:
            raise EncodeError(f"{path.name}: damaged audio frame")
        i += length
    return samples * 1000.0 / rate if rate else 0.0


# --- the book -----------------------------------------------------------------------------


def _meta_escape(s: str) -> str:
    for ch in ("\\", "=", ";", "#", "\n"):
        s = s.replace(ch, "\\" + ch)
    return s


def ffmetadata(chapters: Sequence[tuple[str, int, int]], tags: dict[str, str]) -> str:
    """An FFMETADATA1 document: book tags and ``(title, start_ms, end_ms)`` chapters."""
    out = [";FFMETADATA1"]
    out += [f"{k}={_meta_escape(v)}" for k, v in tags.items() if v]
    for title, start, end in chapters:
        out += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={start}",
            f"END={end}",
            f"title={_meta_escape(title)}",
        ]
    return "\n".join(out) + "\n"


def check_cover(path: Path) -> str:
    """Validate a cover image; returns its kind (``jpeg``/``png``)."""
    try:
        head = path.read_bytes()[:16]
    except FileNotFoundError:
        raise InputError(f"{path}: cover image not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the cover image ({exc.strerror})") from None
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    raise InputError(f"{path}: the cover is not a JPEG or PNG image; give a .jpg or .png file")


def _concat(files: Sequence[Path], out: IO[bytes]) -> None:
    for f in files:
        with f.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)


def mux_book(
    chapter_files: Sequence[Path],
    chapters: Sequence[tuple[str, int, int]],
    fmt: Format,
    dest: Path,
    tags: dict[str, str],
    cover: Path | None,
    workdir: Path,
) -> None:
    """Join encoded chapter files into ``dest`` with chapter marks, tags and cover (-c copy).

    M4B goes through an intermediate MP4: muxed straight from raw ADTS, the QuickTime chapter
    track inherits the raw stream's time base (1/28,224,000 s), every chapter ending past about
    152 s overflows its 32-bit duration, and ffmpeg drops the track while ``tref/chap`` still
    names it, so Apple's players show no chapters. From an MP4 the audio has its sample rate as
    time base and the chapter track is written whole. The result is read back (both chapter
    lists for M4B, the ID3 chapter frames for MP3) before it replaces ``dest``.

    Written under a temporary name in the output directory and renamed at the end, so an
    interrupted or failed build never leaves a half-written book.
    """
    raw = workdir / f"book-{os.getpid()}{'.aac' if fmt.frame_kind == 'adts' else '.mp3'}"
    inter = workdir / f"book-{os.getpid()}.m4a"
    meta = workdir / f"meta-{os.getpid()}.txt"
    tmp = dest.with_name(f".{dest.stem}.part{dest.suffix}")  # the muxer checks the suffix
    try:
        with raw.open("wb") as out:
            _concat(chapter_files, out)
        meta.write_text(ffmetadata(chapters, tags), encoding="utf-8")
        source = ["-f", "mp3", "-i", str(raw)]
        if fmt.frame_kind == "adts":
            _run(
                [
                    *ffmpeg_base(),
                    "-f",
                    "aac",
                    "-i",
                    str(raw),
                    "-c:a",
                    "copy",
                    "-f",
                    "mp4",
                    str(inter),
                ],
                dest.name,
            )
            source = ["-i", str(inter)]
        args = [*ffmpeg_base(), *source, "-f", "ffmetadata", "-i", str(meta)]
        maps = ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
        if cover is not None:
            args += ["-i", str(cover)]
            maps += ["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
        _run([*args, *maps, *fmt.mux_args, str(tmp)], dest.name)
        verify_chapters(tmp, fmt, [title for title, _, _ in chapters], dest.name)
        os.replace(tmp, dest)
    except OSError as exc:
        if exc.errno == 28:
            raise OutputError(
                f"no space left on the disk while writing {dest}; free some space"
            ) from None
        raise OutputError(f"cannot write {dest} ({exc.strerror})") from None
    finally:
        for p in (raw, inter, meta, tmp):
            with contextlib.suppress(OSError):
                p.unlink()


def verify_chapters(path: Path, fmt: Format, titles: Sequence[str], what: str) -> None:
    """Read a muxed book's chapter marks back; raise EncodeError unless every list is whole
    (and, for M4B, the QuickTime and Nero lists agree on every start)."""
    if fmt.name == "m4b":
        found = read_chapters(path)
        if found.problems:
            raise EncodeError(f"{what}: bad QuickTime chapter track ({found.problems[0]})")
        lists = {"QuickTime": [m.start_s for m in found.quicktime]}
        lists["Nero"] = [m.start_s for m in found.nero]
        if any(abs(a - b) > 0.01 for a, b in zip(lists["QuickTime"], lists["Nero"])):
            raise EncodeError(f"{what}: QuickTime and Nero chapter times disagree")
    else:
        lists = {"ID3": [start for start, _ in mp3_chapters(path)]}
    for name, starts in lists.items():
        if len(starts) != len(titles):
            raise EncodeError(
                f"{what}: {len(starts)} {name} chapter marks written, {len(titles)} expected"
            )


def mp3_chapters(path: Path) -> list[tuple[float, str]]:
    """(start seconds, title) of an MP3's ID3 CHAP frames, in the order its CTOC lists them."""
    id3: Any = importlib.import_module("mutagen.id3")  # untyped library
    try:
        tags = id3.ID3(path)
    except id3.ID3NoHeaderError:
        return []
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    order = [e for toc in tags.getall("CTOC") for e in toc.child_element_ids] or sorted(chaps)
    out = []
    for eid in order:
        frame = chaps.get(eid)
        if frame is None:
            continue
        tit2 = frame.sub_frames.get("TIT2")
        out.append((frame.start_time / 1000.0, str(tit2.text[0]) if tit2 else ""))
    return out


# --- subtitles ----------------------------------------------------------------------------


def _ts(ms: int) -> str:
    h, rem = divmod(int(ms), 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms_ = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms_:03d}"


def _vtt_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: Iterable[tuple[int, int, str, str]]) -> Iterator[str]:
    """WebVTT lines for ``(start_ms, end_ms, speaker name, text)`` cues; voice spans name the speaker."""
    yield "WEBVTT\n"
    for n, (start, end, who, text) in enumerate(cues, 1):
        yield f"\n{n}\n{_ts(start)} --> {_ts(end)}\n<v {_vtt_escape(who)}>{_vtt_escape(text)}\n"
