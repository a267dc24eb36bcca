"""Encoding chapters: each chapter's audio joined and streamed into ffmpeg, in threads.

Chapters are joined and encoded in a thread pool, up to one ffmpeg per core: encoding, not
synthesis, is the slow step (see ``bench/``), and one encoder alone leaves cores idle. Each
encoded chapter is kept in the cache under a key of its content (:func:`plan.chapter_key`),
with a small JSON file of its cue times, so a rebuild re-encodes only chapters that changed.
If anything fails or the user presses Ctrl-C, every chapter thread stops its encoders and
removes its partial files.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import piececodec
from .assemble import FORMATS, ChapterEncoder, encoded_duration_ms, join_chapter, level, silence
from .engines import Audio
from .errors import EncodeError
from .files import atomic_write
from .model import Pauses
from .plan import Planned, chapter_key
from .synth import Job, Synthesizer, wait_for

Cue = tuple[int, int, str, str]
"""(start ms, end ms, speaker id, text) of one spoken piece."""


class Interrupted(Exception):
    """A chapter thread was told to stop (the build is failing or was interrupted)."""


@dataclass(frozen=True)
class ChapterAudio:
    """One chapter's encoded audio, made now or found in the cache."""

    files: dict[str, Path]
    """Format name -> the encoded chapter file."""
    length_ms: float
    """Length of the encoded audio in the first format (what chapter marks are laid out by)."""
    cues: tuple[Cue, ...]
    """The chapter's spoken pieces, timed from the chapter's start."""
    encoded: bool
    """True if this build encoded it, False if it came from the cache."""


class ChapterStore:
    """Encoded chapters in the cache directory: ``<key><suffix>`` and ``<key>.json`` per format."""

    def __init__(
        self,
        root: Path,
        formats: Sequence[str],
        sample_rate: int,
        lead_out: int = Pauses.chapter_end,
        codec: str = "pcm",
    ) -> None:
        self.root = root
        self.formats = tuple(formats)
        self.sample_rate = sample_rate
        self.lead_out = lead_out
        """Milliseconds of silence after each chapter's last words."""
        self.codec = codec
        """How the pieces are cached (part of a chapter's key)."""
        root.mkdir(parents=True, exist_ok=True)

    def keys(self, plan: Sequence[Planned]) -> dict[str, str]:
        """Format name -> content key of the chapter's encoded audio."""
        codec = piececodec.label(self.codec)
        return {
            f: chapter_key(f, plan, self.sample_rate, self.lead_out, codec) for f in self.formats
        }

    def audio_path(self, fmt: str, key: str) -> Path:
        """Where a chapter's encoded audio in ``fmt`` lives."""
        return self.root / f"{key}{FORMATS[fmt].suffix}"

    def info_path(self, key: str) -> Path:
        """Where a chapter's cue times live."""
        return self.root / f"{key}.json"

    def has(self, keys: dict[str, str]) -> bool:
        """True if the chapter is encoded in every format already."""
        return all(
            self.audio_path(f, k).exists() and self.info_path(k).exists() for f, k in keys.items()
        )

    def chapter(self, keys: dict[str, str], info: dict[str, Any], encoded: bool) -> ChapterAudio:
        """The :class:`ChapterAudio` described by ``info`` (as written to ``<key>.json``)."""
        first = self.formats[0]
        return ChapterAudio(
            files={f: self.audio_path(f, k) for f, k in keys.items()},
            length_ms=float(info["encoded_ms"][first]),
            cues=tuple((int(a), int(b), str(sp), str(t)) for a, b, sp, t in info["cues"]),
            encoded=encoded,
        )

    def load(self, keys: dict[str, str]) -> ChapterAudio:
        """A chapter encoded by an earlier build (marked as recently used)."""
        path = self.info_path(keys[self.formats[0]])
        for f, k in keys.items():
            with contextlib.suppress(OSError):
                os.utime(self.audio_path(f, k))
                os.utime(self.info_path(k))
        return self.chapter(keys, json.loads(path.read_text(encoding="utf-8")), encoded=False)


def encode_chapters(
    plans: Sequence[Sequence[Planned]],
    keys: Sequence[dict[str, str]],
    cached: Collection[int],
    store: ChapterStore,
    synth: Synthesizer,
    futures: dict[str, Future[tuple[str, int]]],
    on_chapter: Callable[[], None],
) -> list[ChapterAudio]:
    """Every chapter's audio in book order: chapters in ``cached`` from the store, the others
    encoded in ``synth.jobs`` threads as their pieces come out of synthesis (``futures``).

    ``on_chapter`` is called as each chapter is ready, in order.
    """
    stop = threading.Event()
    done: list[ChapterAudio] = []
    with ThreadPoolExecutor(max_workers=max(1, synth.jobs), thread_name_prefix="chapter") as pool:
        try:
            renders = {
                i: pool.submit(render_chapter, plan, keys[i], store, synth, futures, stop)
                for i, plan in enumerate(plans)
                if i not in cached
            }
            for i in range(len(plans)):
                done.append(renders[i].result() if i in renders else store.load(keys[i]))
                on_chapter()
        except BaseException:
            stop.set()  # every chapter thread aborts its encoders and removes its partial files
            synth.close(cancel=True)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return done


def render_chapter(
    plan: Sequence[Planned],
    keys: dict[str, str],
    store: ChapterStore,
    synth: Synthesizer | None,
    futures: dict[str, Future[tuple[str, int]]],
    stop: threading.Event | None = None,
    fetch: Callable[[Planned], Audio] | None = None,
) -> ChapterAudio:
    """Join one chapter's audio, stream it into every format's encoder, record its cue times.

    Runs in a thread; returns early (raising :class:`Interrupted`) once ``stop`` is set. Each
    piece comes from ``fetch`` if given (a Dask worker's pieces), else from ``synth``'s cache
    once its synthesis (``futures``) is done.
    """
    if fetch is None:
        assert synth is not None, "a chapter needs a synthesizer or a fetch"
        fetch = PieceReader(plan, synth, futures)
    rate = store.sample_rate
    encoders = [
        ChapterEncoder(FORMATS[f], store.audio_path(f, keys[f]), rate) for f in store.formats
    ]
    cues: list[Cue] = []
    frames = 0
    batch: list[bytes] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if batch:
            pcm = join_chapter(batch, rate).raw_data
            for enc in encoders:
                enc.write(pcm)
        batch, batch_bytes = [], 0

    try:
        for p in plan:
            if stop is not None and stop.is_set():
                raise Interrupted
            audio = fetch(p)
            if audio.sample_rate != rate:
                raise EncodeError(
                    f"segment {p.segment.id} has sample rate {audio.sample_rate}, expected {rate}"
                )
            audio = level(audio)
            if p.pause_before:
                gap = silence(p.pause_before, rate)
                batch.append(gap)
                frames += len(gap) // 2
            start_ms = frames * 1000 // rate
            batch.append(audio.pcm)
            batch_bytes += len(audio.pcm)
            frames += audio.frames
            cues.append((start_ms, frames * 1000 // rate, p.segment.speaker, p.spoken))
            if batch_bytes > rate * 2 * 60:  # about a minute at a time (5 MB of PCM)
                flush()
        tail = silence(store.lead_out, rate)
        batch.append(tail)
        frames += len(tail) // 2
        flush()
        for enc in encoders:
            enc.finish()
    except BaseException:
        for enc in encoders:
            enc.abort()
        raise
    return _record(store, keys, cues, frames * 1000 // rate)


PIECE_BATCH = 24
"""Pieces read from the cache together (one ffmpeg to store new ones, one to decode)."""


class PieceReader:
    """A chapter's pieces in order, read from the cache a batch at a time once synthesized
    (a damaged entry is synthesized again here, never joined)."""

    def __init__(
        self,
        plan: Sequence[Planned],
        synth: Synthesizer,
        futures: dict[str, Future[tuple[str, int]]],
    ) -> None:
        self.plan = plan
        self.synth = synth
        self.futures = futures
        self.next = 0
        self.ready: dict[str, Audio] = {}

    def __call__(self, p: Planned) -> Audio:
        if p.key not in self.ready:
            self.ready.clear()
            batch = [q for q in self.plan[self.next : self.next + PIECE_BATCH]]
            if p not in batch:
                batch = [p]
            for q in batch:
                wait_for(q.key, self.futures)
            audios = self.synth.cache.get_many([q.key for q in batch])
            for q, audio in zip(batch, audios, strict=True):
                if audio is None:  # damaged since it was written: redo it now
                    audio = self.synth.render_now(Job(q.key, q.spoken, q.voice))
                self.ready[q.key] = audio
        self.next += 1
        return self.ready[p.key]


def _record(
    store: ChapterStore, keys: dict[str, str], cues: list[Cue], pcm_ms: int
) -> ChapterAudio:
    """Measure the encoded files and write the chapter's ``<key>.json`` for later builds."""
    encoded_ms = {
        f: encoded_duration_ms(store.audio_path(f, keys[f]), FORMATS[f].frame_kind)
        for f in store.formats
    }
    info = {"cues": cues, "pcm_ms": pcm_ms, "encoded_ms": encoded_ms}
    for f in store.formats:
        atomic_write(store.info_path(keys[f]), json.dumps(info, ensure_ascii=False))
    return store.chapter(keys, info, encoded=True)
