"""Synthesis jobs: content-addressed cache keys, a checked on-disk cache, and the worker pool.

A cache entry is the piece's audio (Opus by default, or raw PCM: :mod:`.piececodec`) followed
by a 16-byte trailer (magic, frames, rate, CRC-32), written
to a temporary name and renamed, so a build killed at any moment leaves either a whole entry
or none, and a damaged entry is detected on read and redone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import signal
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from . import piececodec
from .engines import (
    Audio,
    Engine,
    VoiceSettings,
    create_engine,
    engine_sample_rate,
    engine_version,
)
from .errors import EncodeError, EngineError, OutputError
from .piececodec import default_codec

_MAGIC = b"ABK1"  # raw PCM
_MAGIC_CODED = b"ABK2"  # encoded by piececodec (Opus)
_TRAILER = struct.Struct("<4sIII")  # magic, frames, sample rate, crc32 of the stored bytes


def default_cache_dir() -> Path:
    """``$AUDIOBOOK_CACHE``, else ``$XDG_CACHE_HOME/audiobook``, else ``~/.cache/audiobook``."""
    env = os.environ.get("AUDIOBOOK_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audiobook"


@dataclass(frozen=True)
class Job:
    """One thing to say: spoken text in one voice, named by its content."""

    key: str
    text: str
    voice: VoiceSettings


def job_key(engine: str, version: str, voice: VoiceSettings, text: str) -> str:
    """Content address of a synthesis: engine and its version, voice settings, text.

    A voice with a model file is keyed by the file's SHA-256, not its path: the same model
    named by package or by path shares entries, and a replaced model file re-synthesizes.
    Settings still at their defaults (engine, model, speaker) are left out, so the keys of
    voices without them are the same as before those settings existed.
    """
    settings = asdict(voice)
    settings["engine"] = voice.engine if voice.engine != engine else ""
    for name in ("engine", "model", "speaker"):
        if settings[name] in ("", None):
            del settings[name]
    if voice.model:
        settings["model"] = "sha256:" + model_digest(Path(voice.model))
    blob = json.dumps(
        {"engine": engine, "version": version, "voice": settings, "text": text},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_DIGESTS: dict[tuple[str, int, int], str] = {}
_DIGEST_LOCK = threading.Lock()


def model_digest(path: Path) -> str:
    """SHA-256 of a model file, remembered per path, size and modification time (hashing
    a 60 MB voice takes a fraction of a second, once per process)."""
    try:
        st = path.stat()
        key = (str(path), st.st_size, st.st_mtime_ns)
        with _DIGEST_LOCK:
            if key in _DIGESTS:
                return _DIGESTS[key]
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise EngineError(f"cannot read the voice model {path} ({exc.strerror})") from None
    with _DIGEST_LOCK:
        _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


class AudioCache:
    """Synthesized audio on disk, one checked file per key, stored in ``codec``
    (:mod:`audiobook.piececodec`: Opus by default, or raw PCM).

    Speech workers write a piece as raw PCM (:meth:`put_raw`: fast, no encoder to start); the
    first read (:meth:`get_many`, when its chapter is made) encodes a batch of them into the
    codec with one ffmpeg, replaces them, and returns the *decoded* audio, so a chapter is
    made the same way whether its pieces were just synthesized or cached long ago.
    """

    def __init__(self, root: Path, codec: str | None = None) -> None:
        self.root = root
        self.codec = codec or default_codec()
        self._magic = _MAGIC if self.codec == "pcm" else _MAGIC_CODED

    def prepare(self) -> None:
        """Create the cache directory or raise a clear error."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(
                f"cannot write the audio cache {self.root} ({exc.strerror}); pass --cache DIR"
            ) from None

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives."""
        return self.root / key[:2] / f"{key}.{self.codec}"

    def raw_path(self, key: str) -> Path:
        """Where a piece waits as raw PCM until it is first read (the entry itself for the
        ``pcm`` codec)."""
        return self.root / key[:2] / f"{key}.pcm"

    def has(self, key: str) -> bool:
        """True if a complete-looking entry exists (size and trailer agree)."""
        return _looks_whole(self.path(key), self._magic) or (
            self.codec != "pcm" and _looks_whole(self.raw_path(key), _MAGIC)
        )

    def get(self, key: str) -> Audio | None:
        """The audio for ``key``, or None if absent or damaged (a damaged entry is removed)."""
        return self.get_many([key])[0]

    def get_many(self, keys: Sequence[str]) -> list[Audio | None]:
        """The audio of each key, or None where absent or damaged (a damaged entry is removed);
        raw pieces are stored in the codec first. Hits are marked as recently used (``cache
        prune`` drops the least recent first)."""
        stored: dict[int, tuple[bytes, int, int]] = {}
        raws: dict[int, Audio] = {}
        for i, key in enumerate(keys):
            found = _read_checked(self.path(key), self._magic)
            if found is not None:
                stored[i] = found
                with contextlib.suppress(OSError):
                    os.utime(self.path(key))
            elif self.codec != "pcm":
                raw = _read_checked(self.raw_path(key), _MAGIC)
                if raw is not None:
                    raws[i] = Audio(pcm=raw[0], sample_rate=raw[2])
        if raws:
            bodies = piececodec.encode_many(self.codec, list(raws.values()))
            for (i, audio), body in zip(raws.items(), bodies, strict=True):
                self.put_entry(keys[i], self._wrap(body, audio))
                with contextlib.suppress(OSError):
                    self.raw_path(keys[i]).unlink()
                stored[i] = (body, audio.frames, audio.sample_rate)
        decoded = self._decode(stored, keys)
        return [decoded.get(i) for i in range(len(keys))]

    def _decode(
        self, stored: dict[int, tuple[bytes, int, int]], keys: Sequence[str] | None
    ) -> dict[int, Audio]:
        """Decode in one go; if that fails, one by one, dropping the entries that fail."""
        try:
            return dict(
                zip(stored, piececodec.decode_many(self.codec, list(stored.values())), strict=True)
            )
        except EncodeError:
            out: dict[int, Audio] = {}
            for i, item in stored.items():
                try:
                    out[i] = piececodec.decode_many(self.codec, [item])[0]
                except EncodeError:
                    with contextlib.suppress(OSError):
                        if keys is not None:
                            self.path(keys[i]).unlink()
            return out

    def read_entries(self, entries: Sequence[bytes]) -> list[Audio | None]:
        """The audio in the bytes of each entry (:meth:`entry`), None where damaged."""
        found = {i: f for i, e in enumerate(entries) if (f := _check(e, self._magic)) is not None}
        decoded = self._decode(found, None)
        return [decoded.get(i) for i in range(len(entries))]

    def _wrap(self, body: bytes, audio: Audio) -> bytes:
        return body + _TRAILER.pack(self._magic, audio.frames, audio.sample_rate, zlib.crc32(body))

    def entry(self, audio: Audio) -> bytes:
        """The bytes of a cache entry holding ``audio`` (encoded, with its checked trailer)."""
        return self._wrap(piececodec.encode(self.codec, audio), audio)

    def put(self, key: str, audio: Audio) -> None:
        """Encode and store atomically: write a temporary file, flush, rename."""
        self.put_entry(key, self.entry(audio))

    def put_raw(self, key: str, audio: Audio) -> None:
        """Store a piece as raw PCM, atomically (the codec's entry is made when first read)."""
        trailer = _TRAILER.pack(_MAGIC, audio.frames, audio.sample_rate, zlib.crc32(audio.pcm))
        _write_atomic(self.raw_path(key), audio.pcm + trailer, self.root)

    def put_entry(self, key: str, entry: bytes) -> None:
        """Store an entry made by :meth:`entry` (perhaps on another machine) atomically."""
        _write_atomic(self.path(key), entry, self.root)


def _check(data: bytes, magic: bytes) -> tuple[bytes, int, int] | None:
    """(stored bytes, frames, rate) of a whole entry with ``magic``, else None."""
    if len(data) <= _TRAILER.size:
        return None
    found, frames, rate, crc = _TRAILER.unpack(data[-_TRAILER.size :])
    body = data[: -_TRAILER.size]
    if found != magic or zlib.crc32(body) != crc or not frames:
        return None
    if magic == _MAGIC and len(body) != frames * 2:
        return None
    return body, frames, rate


def _read_checked(p: Path, magic: bytes) -> tuple[bytes, int, int] | None:
    """:func:`_check` of the file at ``p``; a damaged file is removed."""
    try:
        data = p.read_bytes()
    except OSError:
        return None
    found = _check(data, magic)
    if found is None:
        with contextlib.suppress(OSError):
            p.unlink()
    return found


def _looks_whole(p: Path, magic: bytes) -> bool:
    """The cheap check: the trailer is there and agrees with the size."""
    try:
        size = p.stat().st_size
        if size <= _TRAILER.size:
            return False
        with p.open("rb") as f:
            f.seek(size - _TRAILER.size)
            found, frames, _rate, _crc = _TRAILER.unpack(f.read(_TRAILER.size))
    except OSError:
        return False
    if magic == _MAGIC and frames * 2 + _TRAILER.size != size:
        return False
    return bool(found == magic and frames > 0)


def _write_atomic(p: Path, data: bytes, root: Path) -> None:
    """Write a cache file: a temporary file, flushed, renamed into place."""
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write the audio cache {root} ({exc.strerror})") from None


# --- worker side -------------------------------------------------------------------------


class Engines:
    """The engines of one process, each created on first use and kept (a Piper engine keeps
    its loaded models, so each model loads once per process). Audio comes back at the build
    engine's rate, whichever engine spoke it, so a chapter can mix engines."""

    def __init__(self, default: str) -> None:
        self.default = default
        self.sample_rate = engine_sample_rate(default)
        """The rate every piece is returned at (the build engine's)."""
        self._made: dict[str, Engine] = {}
        self._lock = threading.Lock()  # one engine per process, used by one thread at a time

    def name_for(self, voice: VoiceSettings) -> str:
        """The engine that speaks ``voice``: its own, else the build's."""
        return voice.engine or self.default

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` with the voice's engine."""
        with self._lock:
            name = self.name_for(voice)
            engine = self._made.get(name)
            if engine is None:
                engine = self._made[name] = create_engine(name)
            audio = engine.synthesize(text, voice)
        return convert_rate(audio, self.sample_rate)


def convert_rate(audio: Audio, rate: int) -> Audio:
    """``audio`` at ``rate`` (unchanged when it already is). Engines with models at other
    rates resample themselves, better; this keeps any other engine's audio joinable."""
    if audio.sample_rate == rate:
        return audio
    from .assemble import AudioSegment

    seg = AudioSegment(data=audio.pcm, sample_width=2, frame_rate=audio.sample_rate, channels=1)
    return Audio(pcm=bytes(seg.set_frame_rate(rate).raw_data), sample_rate=rate)


_worker_engines: Engines | None = None
_worker_cache: AudioCache | None = None


def _init_worker(engine_name: str, cache_root: str, codec: str) -> None:
    """Runs once in each worker: own engines (never inherited), quiet stdout, no Ctrl-C."""
    global _worker_engines, _worker_cache
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the pyttsx3 driver prints from its thread; stdout is the user's
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    _worker_engines = Engines(engine_name)  # each engine starts on its first job
    _worker_cache = AudioCache(Path(cache_root), codec)


def _run_job(job: Job) -> tuple[str, int]:
    assert _worker_engines is not None and _worker_cache is not None
    audio = _worker_engines.synthesize(job.text, job.voice)
    _worker_cache.put_raw(job.key, audio)
    return job.key, audio.frames


class Synthesizer:
    """Runs jobs in a process pool (or in-process with ``jobs=0``) into an :class:`AudioCache`."""

    def __init__(self, engine_name: str, cache: AudioCache, jobs: int) -> None:
        self.engine_name = engine_name
        self.version = engine_version(engine_name)
        self.sample_rate = engine_sample_rate(engine_name)
        """The rate of the build engine's audio: chapters are joined and encoded at it."""
        self.cache = cache
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._local = Engines(engine_name)
        self._versions = {engine_name: self.version}

    def render_now(self, job: Job) -> Audio:
        """Synthesize one job in this process (to redo a damaged cache entry)."""
        self.cache.put_raw(job.key, self._local.synthesize(job.text, job.voice))
        audio = self.cache.get(job.key)  # chapters are always made from the decoded entry
        if audio is None:
            raise EngineError(f"the audio cache {self.cache.root} does not keep what is written")
        return audio

    def version_of(self, engine: str) -> str:
        """An engine's version for cache keys (known without starting it)."""
        if engine not in self._versions:
            self._versions[engine] = engine_version(engine)
        return self._versions[engine]

    def engines_used(self, voices: Iterable[VoiceSettings]) -> dict[str, str]:
        """Engine name -> version for the engines that speak ``voices``."""
        names = {self._local.name_for(v) for v in voices}
        return {n: self.version_of(n) for n in sorted(names)}

    def key(self, voice: VoiceSettings, text: str) -> str:
        """Cache key for ``text`` in ``voice`` with the voice's engine."""
        engine = self._local.name_for(voice)
        return job_key(engine, self.version_of(engine), voice, text)

    def submit_all(
        self, jobs: Iterable[Job], on_done: Callable[[Job], None] | None = None
    ) -> dict[str, Future[tuple[str, int]]]:
        """Start every job whose audio is not cached; return futures by key."""
        todo = {j.key: j for j in jobs if not self.cache.has(j.key)}
        futures: dict[str, Future[tuple[str, int]]] = {}
        if not todo:
            return futures
        if self.jobs <= 0:
            for job in todo.values():
                fut: Future[tuple[str, int]] = Future()
                audio = self._local.synthesize(job.text, job.voice)
                self.cache.put_raw(job.key, audio)
                fut.set_result((job.key, audio.frames))
                futures[job.key] = fut
                if on_done:
                    on_done(job)
            return futures
        workers = max(1, min(self.jobs, len(todo)))
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.engine_name, str(self.cache.root), self.cache.codec),
        )
        for job in todo.values():
            fut = self._pool.submit(_run_job, job)
            if on_done:
                fut.add_done_callback(_notify(on_done, job))
            futures[job.key] = fut
        return futures

    def close(self, cancel: bool = False) -> None:
        """Stop the pool; with ``cancel`` drop queued work and end the workers at once."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            procs = list(getattr(pool, "_processes", {}).values())
            manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                with contextlib.suppress(Exception):
                    proc.terminate()
            # Let the pool's manager thread see its workers gone and close its wake-up pipe
            # now: else CPython's exit hook may write to that pipe as it closes and print an
            # "OSError: Bad file descriptor" traceback after our one-line message.
            if manager is not None:
                manager.join(timeout=10)
        else:
            pool.shutdown(wait=True)


def open_synthesizer(engine: str, cache: Path | None, jobs: int) -> Synthesizer:
    """A synthesizer for ``engine`` over the cache at ``cache`` (default
    :func:`default_cache_dir`), created and checked first."""
    store = AudioCache(cache or default_cache_dir())
    store.prepare()
    return Synthesizer(engine, store, jobs)


def _notify(on_done: Callable[[Job], None], job: Job) -> Callable[[Future[tuple[str, int]]], None]:
    def callback(fut: Future[tuple[str, int]]) -> None:
        if not fut.cancelled():
            on_done(job)

    return callback


def wait_for(key: str, futures: dict[str, Future[tuple[str, int]]]) -> None:
    """Block until ``key`` is synthesized; turn a worker failure into a clear error."""
    fut = futures.get(key)
    if fut is None:
        return
    try:
        fut.result()
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 (a crashed worker: BrokenProcessPool, or an engine bug)
        raise EngineError(
            f"a speech worker failed ({type(exc).__name__}: {exc}); rerun the same command to "
            "resume, or use --jobs 1"
        ) from None


def iter_unique(jobs: Iterable[Job]) -> Iterator[Job]:
    """Jobs with duplicate keys removed, first occurrence kept."""
    seen: set[str] = set()
    for j in jobs:
        if j.key not in seen:
            seen.add(j.key)
            yield j
