"""Reading an MP4/M4B's boxes ourselves: the tracks, the QuickTime chapter track and Nero chapters.

Apple's players (Books, iOS, QuickTime) show the chapters of a text track named by the audio
track's ``tref/chap`` box; most others read the Nero ``chpl`` list in ``moov/udta``. mutagen
reads only the latter and ships no ffprobe here, so this module walks the boxes (ISO/IEC
14496-12) and reads both, for ``audiobook check`` and the tests. It reads only what it needs
and raises :class:`~audiobook.errors.InputError` on a file it cannot make sense of.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"tref", b"edts"}


@dataclass(frozen=True)
class Box:
    """One box: its type, where its payload starts in the file, and the payload's size."""

    kind: bytes
    """Four-character type, e.g. ``b"trak"``."""
    start: int
    """File offset of the payload (after the header)."""
    size: int
    """Payload size in bytes."""


@dataclass(frozen=True)
class Track:
    """One ``trak``: what it holds and how its samples are timed."""

    track_id: int
    """``tkhd`` track id."""
    handler: str
    """``hdlr`` type: ``soun``, ``text``, ``vide``, ..."""
    timescale: int
    """``mdhd`` units per second."""
    duration: int
    """``mdhd`` duration in timescale units."""
    sample_durations: tuple[int, ...]
    """Duration of every sample (from ``stts``), in timescale units."""
    sample_sizes: tuple[int, ...]
    """Size of every sample in bytes (from ``stsz``)."""
    sample_offsets: tuple[int, ...]
    """File offset of every sample (from ``stco``/``co64`` and ``stsc``)."""
    chapter_refs: tuple[int, ...]
    """Track ids named by this track's ``tref/chap`` (empty if none)."""
    enabled: bool
    """``tkhd`` flag 1: a chapter text track is normally disabled (not played)."""


@dataclass(frozen=True)
class Mark:
    """A chapter mark: start and title."""

    start_s: float
    """Start time in seconds."""
    title: str
    """Chapter title."""


@dataclass(frozen=True)
class Mp4Chapters:
    """Both chapter lists of a file, and whether the QuickTime one is wired correctly."""

    tracks: tuple[Track, ...]
    """Every track in the file."""
    quicktime: tuple[Mark, ...]
    """Chapters from the text track that the audio track's ``tref/chap`` names."""
    nero: tuple[Mark, ...]
    """Chapters from ``moov/udta/chpl``."""
    problems: tuple[str, ...]
    """What is wrong with the QuickTime chapters (a dangling reference, a bad track)."""


def _boxes(f: BinaryIO, start: int, end: int) -> Iterator[Box]:
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        head = f.read(8)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head)
        header = 8
        if size == 1:
            size = struct.unpack(">Q", f.read(8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise InputError(f"damaged MP4 box {kind!r} at offset {pos}")
        yield Box(kind, pos + header, size - header)
        pos += size


def _child(f: BinaryIO, box: Box, path: tuple[bytes, ...]) -> Box | None:
    """The first box along ``path`` below ``box``."""
    here: Box | None = box
    for kind in path:
        assert here is not None
        here = next(
            (b for b in _boxes(f, here.start, here.start + here.size) if b.kind == kind), None
        )
        if here is None:
            return None
    return here


def _payload(f: BinaryIO, box: Box | None) -> bytes:
    if box is None:
        return b""
    f.seek(box.start)
    return f.read(box.size)


def _full(data: bytes) -> tuple[int, int, bytes]:
    """(version, flags, rest) of a full box."""
    if len(data) < 4:
        raise InputError("damaged MP4 box (too short)")
    return data[0], int.from_bytes(data[1:4], "big"), data[4:]


def _sample_table(f: BinaryIO, stbl: Box) -> tuple[list[int], list[int], list[int]]:
    _, _, stts = _full(_payload(f, _child(f, stbl, (b"stts",))) or b"\0" * 8)
    durations: list[int] = []
    (n,) = struct.unpack(">I", stts[:4])
    for i in range(n):
        count, delta = struct.unpack(">II", stts[4 + 8 * i : 12 + 8 * i])
        durations += [delta] * count
    _, _, stsz = _full(_payload(f, _child(f, stbl, (b"stsz",))) or b"\0" * 12)
    fixed, count = struct.unpack(">II", stsz[:8])
    sizes = [fixed] * count if fixed else list(struct.unpack(f">{count}I", stsz[8 : 8 + 4 * count]))
    chunk_offsets: list[int] = []
    stco = _child(f, stbl, (b"stco",))
    co64 = _child(f, stbl, (b"co64",))
    if stco is not None:
        _, _, body = _full(_payload(f, stco))
        (n,) = struct.unpack(">I", body[:4])
        chunk_offsets = list(struct.unpack(f">{n}I", body[4 : 4 + 4 * n]))
    elif co64 is not None:
        _, _, body = _full(_payload(f, co64))
        (n,) = struct.unpack(">I", body[:4])
        chunk_offsets = list(struct.unpack(f">{n}Q", body[4 : 4 + 8 * n]))
    _, _, stsc = _full(_payload(f, _child(f, stbl, (b"stsc",))) or b"\0" * 8)
    (n,) = struct.unpack(">I", stsc[:4])
    runs = [struct.unpack(">III", stsc[4 + 12 * i : 16 + 12 * i]) for i in range(n)]
    offsets: list[int] = []
    sample = 0
    for i, (first, per_chunk, _desc) in enumerate(runs):
        last = runs[i + 1][0] - 1 if i + 1 < len(runs) else len(chunk_offsets)
        for chunk in range(first, last + 1):
            if chunk - 1 >= len(chunk_offsets):
                break
            pos = chunk_offsets[chunk - 1]
            for _ in range(per_chunk):
                if sample >= len(sizes):
                    break
                offsets.append(pos)
                pos += sizes[sample]
                sample += 1
    return durations, sizes, offsets


def _track(f: BinaryIO, trak: Box) -> Track:
    version, flags, tkhd = _full(_payload(f, _child(f, trak, (b"tkhd",))))
    track_id = struct.unpack(">I", tkhd[16:20] if version == 1 else tkhd[8:12])[0]
    _, _, hdlr = _full(_payload(f, _child(f, trak, (b"mdia", b"hdlr"))))
    handler = hdlr[4:8].decode("latin-1") if len(hdlr) >= 8 else ""
    mver, _, mdhd = _full(_payload(f, _child(f, trak, (b"mdia", b"mdhd"))))
    if mver == 1:
        timescale, duration = struct.unpack(">IQ", mdhd[16:28])
    else:
        timescale, duration = struct.unpack(">II", mdhd[8:16])
    stbl = _child(f, trak, (b"mdia", b"minf", b"stbl"))
    durations, sizes, offsets = _sample_table(f, stbl) if stbl else ([], [], [])
    chap = _payload(f, _child(f, trak, (b"tref", b"chap")))
    refs = struct.unpack(f">{len(chap) // 4}I", chap[: len(chap) // 4 * 4])
    return Track(
        track_id=track_id,
        handler=handler,
        timescale=timescale,
        duration=duration,
        sample_durations=tuple(durations),
        sample_sizes=tuple(sizes),
        sample_offsets=tuple(offsets),
        chapter_refs=tuple(refs),
        enabled=bool(flags & 1),
    )


def _text_samples(f: BinaryIO, track: Track) -> list[str]:
    titles = []
    for pos, size in zip(track.sample_offsets, track.sample_sizes, strict=False):
        f.seek(pos)
        data = f.read(size)
        n = struct.unpack(">H", data[:2])[0] if len(data) >= 2 else 0
        titles.append(data[2 : 2 + n].decode("utf-8", "replace"))
    return titles


def _nero(f: BinaryIO, moov: Box) -> list[Mark]:
    data = _payload(f, _child(f, moov, (b"udta", b"chpl")))
    if not data:
        return []
    version, _, body = _full(data)
    pos = 4 if version == 1 else 0  # version 1 has 4 reserved bytes before the count
    count = body[pos]
    pos += 1
    marks = []
    for _ in range(count):
        start = struct.unpack(">Q", body[pos : pos + 8])[0]
        n = body[pos + 8]
        marks.append(
            Mark(start / 10_000_000, body[pos + 9 : pos + 9 + n].decode("utf-8", "replace"))
        )
        pos += 9 + n
    return marks


def read_chapters(path: Path) -> Mp4Chapters:
    """Tracks, QuickTime chapters and Nero chapters of an MP4/M4A/M4B file."""
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            end = f.tell()
            moov = next((b for b in _boxes(f, 0, end) if b.kind == b"moov"), None)
            if moov is None:
                raise InputError(f"{path}: not an MP4 file (no moov box)")
            tracks = [
                _track(f, b)
                for b in _boxes(f, moov.start, moov.start + moov.size)
                if b.kind == b"trak"
            ]
            by_id = {t.track_id: t for t in tracks}
            problems: list[str] = []
            quicktime: list[Mark] = []
            for t in tracks:
                for ref in t.chapter_refs:
                    target = by_id.get(ref)
                    if target is None:
                        problems.append(
                            f"track {t.track_id} names chapter track {ref}, which is missing"
                        )
                    elif target.handler != "text":
                        problems.append(
                            f"chapter track {ref} is a {target.handler!r} track, not text"
                        )
                    elif not quicktime:
                        titles = _text_samples(f, target)
                        start = 0
                        for title, dur in zip(titles, target.sample_durations, strict=False):
                            quicktime.append(Mark(start / target.timescale, title))
                            start += dur
            return Mp4Chapters(
                tuple(tracks), tuple(quicktime), tuple(_nero(f, moov)), tuple(problems)
            )
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except (struct.error, IndexError) as exc:
        raise InputError(f"{path}: damaged MP4 file ({exc})") from None
