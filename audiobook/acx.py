"""The files ACX asks for: opening credits, one MP3 per chapter, closing credits.

``audiobook build --profile acx`` writes ``OUTDIR/<title> (ACX)/`` next to the book:
``00 Opening Credits.mp3``, ``01 <chapter>.mp3`` ... ``NN Closing Credits.mp3``. Each file is
made from the same cached speech as the book (:mod:`.synth`), joined with the book's pauses
(:mod:`.plan`) and levelled as the book is (:func:`.assemble.level`), then mastered to ACX's
audio submission requirements in one ffmpeg pass fed through :class:`.assemble.ChapterEncoder`
(which fails on any ffmpeg warning):

- 44.1 kHz mono MP3 at a constant 192 kbit/s;
- a gain that puts the file's RMS at :data:`TARGET_RMS_DB` (ACX: -23 to -18 dB), with a
  look-ahead limiter at :data:`PEAK_CEILING_DB` so peaks stay under ACX's -3 dB after MP3
  encoding;
- :data:`HEAD_MS` of room tone before the first word (ACX: 0.5 to 1 s) and :data:`TAIL_MS`
  after the last (ACX: 1 to 5 s);
- room tone is quiet pink noise (:data:`ROOM_TONE`, measured about -73 dB RMS after
  encoding), not digital silence: ACX's noise floor (at most -60 dB) is then a real, measurable
  level, and there is no dead air between words, which listeners hear as the sound cutting out;
- a chapter longer than :data:`MAX_FILE_MS` (ACX: 120 minutes) is split at a paragraph.

Every file is read back and checked against the ACX profile (:mod:`.check`) before the folder
replaces an earlier one; if the measured RMS misses the target, the file is encoded once more
with the gain corrected by what was measured.
"""

from __future__ import annotations

import audioop
import contextlib
import hashlib
import itertools
import json
import math
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from . import piececodec
from .assemble import ChapterEncoder, Format, level, silence
from .check import acx_rules
from .engines import Audio, VoiceSettings
from .errors import EncodeError, OutputError
from .files import safe_filename
from .loudness import LEVELLING
from .measure import measure
from .plan import Planned
from .progress import Reporter
from .synth import Job, Synthesizer, iter_unique, wait_for

ACX_RATE = 44100
"""ACX: every file 44.1 kHz."""
ACX_BITRATE = "192k"
"""ACX: MP3 at 192 kbit/s or more, constant bit rate."""
HEAD_MS = 750
"""Room tone before the first word (ACX: 0.5 to 1 s)."""
TAIL_MS = 2500
"""Room tone after the last word (ACX: 1 to 5 s)."""
TARGET_RMS_DB = -20.0
"""The RMS level each file is brought to (ACX: -23 to -18 dB)."""
PEAK_CEILING_DB = -4.0
"""The limiter's ceiling: 1 dB under ACX's -3 dB peak for what MP3 encoding adds."""
ROOM_TONE = "anoisesrc=r=44100:c=pink:a=0.0015:seed=1"
"""Pink noise for room tone, about -73 dB RMS: well under ACX's -60 dB noise floor."""
MAX_FILE_MS = 115 * 60 * 1000
"""Longest file written (ACX: 120 minutes), with room for the head and tail."""
EDGE_DB = -50.0
"""Quieter than this at a piece's edge is trimmed (the engine's own silence) before room tone."""


Futures = dict[str, Future[tuple[str, int]]]
"""Synthesis in flight, by cache key."""


@dataclass(frozen=True)
class Piece:
    """One spoken piece of an ACX file and the pause before it."""

    job: Job
    """What is said, in which voice (its ``key`` names the cached audio)."""
    pause_ms: int
    """Silence before it (the first piece's is replaced by the head's room tone)."""
    paragraph: bool
    """True if it starts a paragraph or scene (a file may be split before it)."""


@dataclass(frozen=True)
class Section:
    """One ACX file to write: its title and pieces."""

    title: str
    """The title (and, numbered, the file name)."""
    pieces: tuple[Piece, ...]
    """Its spoken pieces in order."""


@dataclass(frozen=True)
class Part:
    """One ACX file to write: a section (or a stretch of a long one), its gain and its tags."""

    section: Section
    gain_db: float
    """Gain (dB) that brings the file to :data:`TARGET_RMS_DB` (measured before encoding)."""
    tags: dict[str, str]
    """ID3 tags (title, album, track ...)."""

    def key(self, codec: str) -> str:
        """Content address of the mastered file: what is said and the pauses, the gain, the
        tags, the mastering settings, the levelling, and how the pieces are cached
        (``codec``: :func:`.piececodec.label`)."""
        blob = json.dumps(
            {
                "mastering": mastering(),
                "level": LEVELLING,
                "pieces_codec": codec,
                "gain": f"{self.gain_db:.2f}",
                "tags": sorted(self.tags.items()),
                "pieces": [(p.job.key, p.pause_ms) for p in self.section.pieces],
            }
        )
        return hashlib.sha256(blob.encode()).hexdigest()


def mastering() -> str:
    """Names the mastering in the cached files' keys, from the settings as they are now (bump
    the version when the work itself changes)."""
    return (
        f"acx-v1 {ACX_RATE} {ACX_BITRATE} head {HEAD_MS} tail {TAIL_MS} rms {TARGET_RMS_DB} "
        f"ceiling {PEAK_CEILING_DB} tone {ROOM_TONE} edge {EDGE_DB}"
    )


def credits_text(title: str, author: str | None, narrator: str) -> tuple[str, str]:
    """What the opening and closing credits say (ACX: title, author, narrator)."""
    by = f" Written by {author}." if author else ""
    closing_by = f", written by {author}" if author else ""
    return (
        f"{title}.{by} Read by {narrator}.",
        f"This has been {title}{closing_by}. Read by {narrator}. The end.",
    )


def starts_paragraph(prev: Planned, cur: Planned, text: str) -> bool:
    """True if ``cur`` begins a new paragraph of the source ``text`` (a blank line lies
    between the end of ``prev``'s words and the start of ``cur``'s)."""
    if cur.segment is prev.segment:
        return False  # a long paragraph cut into several pieces, or another script's run
    between = text[prev.segment.start : cur.segment.start]
    gap = between[len(between.rstrip()) :]
    own = text[cur.segment.start : cur.segment.end]
    return "\n\n" in gap + own[: len(own) - len(own.lstrip())]


def sections(
    titles: Sequence[str],
    texts: Sequence[str],
    plans: Sequence[Sequence[Planned]],
    credits: tuple[Job, Job],
) -> list[Section]:
    """Opening credits, each chapter that says something, closing credits.

    ``texts``: each chapter's source text (what its segments' offsets index).
    """
    out = [Section("Opening Credits", (Piece(credits[0], 0, True),))]
    for title, text, plan in zip(titles, texts, plans, strict=True):
        pieces = tuple(
            Piece(
                Job(p.key, p.spoken, p.voice),
                p.pause_before,
                i == 0 or starts_paragraph(plan[i - 1], p, text),
            )
            for i, p in enumerate(plan)
        )
        if pieces:
            out.append(Section(title, pieces))
    out.append(Section("Closing Credits", (Piece(credits[1], 0, True),)))
    return out


@dataclass(frozen=True)
class Stat:
    """A piece's levelled audio, summarized: its length and energy."""

    frames: int
    """Samples."""
    energy: float
    """Sum of squared samples."""


def _edges(pcm: bytes, rate: int) -> tuple[int, int]:
    """Byte offsets of the first and last 10 ms windows louder than :data:`EDGE_DB`."""
    win = max(2, rate // 100) * 2
    floor = 32768 * 10 ** (EDGE_DB / 20)
    starts = range(0, len(pcm), win)
    loud = (i for i in starts if audioop.rms(pcm[i : i + win], 2) > floor)
    first = next(loud, None)
    if first is None:
        return 0, len(pcm)
    last = next(i for i in reversed(starts) if audioop.rms(pcm[i : i + win], 2) > floor)
    return first, min(len(pcm), last + win)


def piece_audio(
    synth: Synthesizer, piece: Piece, futures: Futures, trim: tuple[bool, bool]
) -> Audio:
    """A piece's levelled audio from the cache (rendered now if missing), trimmed of the
    engine's own silence at the head (``trim[0]``) and tail (``trim[1]``)."""
    wait_for(piece.job.key, futures)
    audio = synth.cache.get(piece.job.key) or synth.render_now(piece.job)
    if audio.sample_rate != synth.sample_rate:
        raise EncodeError(
            f"cached audio at {audio.sample_rate} Hz, expected {synth.sample_rate}; rerun"
        )
    audio = level(audio)
    if trim[0] or trim[1]:
        a, b = _edges(audio.pcm, audio.sample_rate)
        audio = Audio(
            audio.pcm[a if trim[0] else 0 : b if trim[1] else len(audio.pcm)], audio.sample_rate
        )
    return audio


def split_points(pieces: Sequence[Piece], ms_of: Sequence[float], max_ms: int) -> list[int]:
    """Where each part of a section starts (indices into ``pieces``) so that no part, room
    tone included, runs over ``max_ms``: at the last paragraph start that fits, else (one
    paragraph longer than a file) between two pieces, which end at sentence ends."""
    budget = max_ms - HEAD_MS - TAIL_MS
    starts = [0]
    used = ms_of[0] if ms_of else 0.0
    para: int | None = None
    for i in range(1, len(pieces)):
        if pieces[i].paragraph:
            para = i
        cost = pieces[i].pause_ms + ms_of[i]
        if used + cost <= budget:
            used += cost
            continue
        cut = para if para is not None and para > starts[-1] else i
        starts.append(cut)
        used = ms_of[cut] + sum(pieces[k].pause_ms + ms_of[k] for k in range(cut + 1, i + 1))
        para = None
    return starts


def split(section: Section, ms_of: Sequence[float], max_ms: int) -> list[tuple[Section, int, int]]:
    """``section`` in parts of at most ``max_ms`` (see :func:`split_points`), titled
    ``<title> (Part n)`` when there is more than one; each with its range of pieces."""
    starts = split_points(section.pieces, ms_of, max_ms)
    bounds = [*starts, len(section.pieces)]
    out = []
    for n, (a, b) in enumerate(itertools.pairwise(bounds), 1):
        title = section.title if len(starts) == 1 else f"{section.title} (Part {n})"
        out.append((Section(title, section.pieces[a:b]), a, b))
    return out


# --- mastering ----------------------------------------------------------------------------


def acx_format(gain_db: float, tags: dict[str, str]) -> Format:
    """ffmpeg's work for one ACX file: resample, gain, limit, add room tone, encode CBR MP3."""
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    graph = (
        f"aresample={ACX_RATE},volume={gain_db:.2f}dB,"
        f"alimiter=limit={ceiling:.4f}:level=0:latency=1:attack=5:release=50[speech];"
        f"{ROOM_TONE}[tone];[speech][tone]amix=inputs=2:duration=first:normalize=0"
    )
    meta = [a for k, v in tags.items() if v for a in ("-metadata", f"{k}={v}")]
    args: tuple[str, ...] = (
        "-af",
        graph,
        "-c:a",
        "libmp3lame",
        "-b:a",
        ACX_BITRATE,
        "-ar",
        str(ACX_RATE),
    )
    args += ("-ac", "1", *meta, "-id3v2_version", "3", "-f", "mp3")
    return Format("acx", ".mp3", args, "mp3", ())


def survey(section: Section, synth: Synthesizer, futures: Futures) -> list[Stat]:
    """Every piece's length and energy after levelling (reading the cache once)."""
    stats = []
    for piece in section.pieces:
        audio = piece_audio(synth, piece, futures, (False, False))
        rms = audioop.rms(audio.pcm, 2)
        stats.append(Stat(audio.frames, float(rms) ** 2 * audio.frames))
    return stats


def start_gain(section: Section, stats: Sequence[Stat], rate: int) -> float:
    """The gain (dB) that brings the file, pauses and room tone included, to the target RMS."""
    frames = sum(s.frames for s in stats) + (HEAD_MS + TAIL_MS) * rate // 1000
    frames += sum(p.pause_ms for p in section.pieces[1:]) * rate // 1000
    energy = sum(s.energy for s in stats)
    if energy <= 0:
        return 0.0
    rms_db = 10 * math.log10(energy / frames / 32768**2)
    return TARGET_RMS_DB - rms_db


def encode(part: Part, synth: Synthesizer, futures: Futures, dest: Path, gain_db: float) -> None:
    """Stream the part's audio, with its pauses and room tone, into one ACX MP3 at
    ``gain_db``."""
    rate = synth.sample_rate
    section = part.section
    enc = ChapterEncoder(acx_format(gain_db, part.tags), dest, rate)
    last = len(section.pieces) - 1
    try:
        enc.write(silence(HEAD_MS, rate))
        for i, piece in enumerate(section.pieces):
            if i:
                enc.write(silence(piece.pause_ms, rate))
            enc.write(piece_audio(synth, piece, futures, (i == 0, i == last)).pcm)
        enc.write(silence(TAIL_MS, rate))
        enc.finish()
    except BaseException:
        enc.abort()
        raise


def master(part: Part, synth: Synthesizer, futures: Futures, dest: Path) -> None:
    """Encode one file and read it back against ACX's rules; if its RMS misses, encode it
    once more with the gain corrected by what was measured. Raises EncodeError if a rule
    still fails."""
    encode(part, synth, futures, dest, part.gain_db)
    m = measure(dest)
    if abs(m.rms_db - TARGET_RMS_DB) > 1.0 and math.isfinite(m.rms_db):
        encode(part, synth, futures, dest, part.gain_db + TARGET_RMS_DB - m.rms_db)
        m = measure(dest)
    failed = [v for v in acx_rules(m) if not v.passed]
    if failed:
        v = failed[0]
        raise EncodeError(
            f"{dest.name} fails ACX's {v.rule} rule ({v.value}; ACX asks {v.limit}); "
            "a bug in audiobook: please report it with the book"
        )


def write_acx(
    book: BookInfo,
    plans: Sequence[Sequence[Planned]],
    synth: Synthesizer,
    dest: Path,
    rep: Reporter,
    max_ms: int | None = None,
) -> list[Path]:
    """Write the ACX files of a book into the folder ``dest`` (replacing an earlier one only
    once every new file is written and checked); returns the files in order.

    ``max_ms``: the longest file (default :data:`MAX_FILE_MS`).
    """
    max_ms = MAX_FILE_MS if max_ms is None else max_ms
    voice = book.narrator_voice
    open_text, close_text = credits_text(book.title, book.author, book.narrator)
    opening = Job(synth.key(voice, open_text), open_text, voice)
    closing = Job(synth.key(voice, close_text), close_text, voice)
    secs = sections(book.chapter_titles, book.chapter_texts, plans, (opening, closing))
    futures: Futures = synth.submit_all(iter_unique(p.job for s in secs for p in s.pieces))
    parts: list[tuple[Section, float]] = []
    for sec in secs:
        stats = survey(sec, synth, futures)
        ms_of = [s.frames * 1000 / synth.sample_rate for s in stats]
        for part, a, b in split(sec, ms_of, max_ms):
            parts.append((part, start_gain(part, stats[a:b], synth.sample_rate)))
    rep.stage("ACX files", len(parts))
    tmp = dest.with_name(f".{dest.name}.part")
    width = max(2, len(str(len(parts) - 1)))
    written = []
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for n, (part, gain) in enumerate(parts):
            path = tmp / f"{n:0{width}d} {safe_filename(part.title)}.mp3"
            tags = {
                "title": part.title,
                "album": book.title,
                "artist": book.author or book.narrator,
                "album_artist": book.author or "",
                "composer": book.narrator,
                "track": f"{n + 1}/{len(parts)}",
                "genre": "Audiobook",
            }
            cached(Part(part, gain, tags), synth, futures, path)
            written.append(dest / path.name)
            rep.advance("ACX files")
        _replace_dir(tmp, dest)
    except OSError as exc:
        raise OutputError(
            f"cannot write {dest} ({exc.strerror}); check the disk and rerun"
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def cached(part: Part, synth: Synthesizer, futures: Futures, dest: Path) -> bool:
    """Write the part's file to ``dest``: a copy of the one an earlier build mastered from the
    same audio, gain and tags (kept in the audio cache's ``acx/`` folder), else mastered now
    (:func:`master`) and kept there. True if it came from the cache."""
    store = synth.cache.root / "acx"
    entry = store / f"{part.key(piececodec.label(synth.cache.codec))}.mp3"
    try:
        shutil.copyfile(entry, dest)
        os.utime(entry)  # recently used: pruned last
        return True
    except OSError:
        pass
    master(part, synth, futures, dest)
    tmp = store / f".{entry.name}.{os.getpid()}.tmp"
    try:  # the cache is a convenience: a failure to keep the file loses nothing
        store.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dest, tmp)
        os.replace(tmp, entry)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return False


def _replace_dir(new: Path, dest: Path) -> None:
    """Put the folder ``new`` at ``dest``, moving an earlier ``dest`` aside first."""
    old = dest.with_name(f".{dest.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        os.replace(dest, old)
    os.replace(new, dest)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class BookInfo:
    """What the ACX files need to know about the book besides its audio."""

    title: str
    """Book title (credits, tags, folder name)."""
    author: str | None
    """Author, if known (credits and tags)."""
    narrator: str
    """The narrator voice's name ("read by ...")."""
    narrator_voice: VoiceSettings
    """The voice that reads the credits."""
    chapter_titles: tuple[str, ...]
    """Chapter titles in book order, one per plan."""
    chapter_texts: tuple[str, ...]
    """Each chapter's source text (where a paragraph starts, for splitting long chapters)."""
