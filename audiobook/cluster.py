"""Dask as the distributed engine: synthesis and chapter encoding on a cluster's workers.

``--scheduler tcp://HOST:PORT`` (or ``$AUDIOBOOK_SCHEDULER``) sends every piece to synthesize
and every chapter to encode to the workers of a Dask scheduler (the ``dask`` extra:
``pip install 'audiobook[dask]'``). Workers need the package installed and nothing else:

- a piece task speaks one text in one voice and returns the cache *entry* (Opus with its
  checked trailer, :meth:`AudioCache.entry`), a few kB, which this process writes into its
  cache, so the cache stays this machine's;
- a chapter task depends on its pieces' tasks (Dask moves their entries to the worker), joins
  the decoded pieces exactly as a local build does, encodes the chapter and returns the encoded
  files, which this process stores as a local build would.

When ``--cache`` is on storage every worker sees (checked with a probe file at the start of the
build), pieces are written there by the workers and chapters read them from there: only names
travel. Either way a fresh build on a cluster equals a local one (same pieces, same joins).

A worker lost mid-build costs only the tasks it held: Dask runs them again elsewhere, and the
pieces already written to the cache stay.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .encode import ChapterAudio, ChapterStore, render_chapter
from .engines import Audio, VoiceSettings
from .errors import AudiobookError, EngineError, UsageError
from .files import atomic_write
from .plan import Planned
from .progress import Reporter
from .synth import AudioCache, Engines, Job, Synthesizer, iter_unique

ENV = "AUDIOBOOK_SCHEDULER"
"""The environment variable naming the scheduler when ``--scheduler`` is not given."""
SHARED_ENV = "AUDIOBOOK_SHARED_CACHE"
"""``no``: send audio by value even when the workers see the cache (default ``auto``)."""
CONNECT_TIMEOUT_S = 20
WORKER_WAIT_S = 60

_clients: dict[str, Any] = {}
_client_lock = threading.Lock()


def scheduler_address(given: str | None) -> str | None:
    """``--scheduler`` if given, else ``$AUDIOBOOK_SCHEDULER``, else None (build locally)."""
    address = given if given is not None else os.environ.get(ENV)
    return address.strip() or None if address else None


def connect(address: str) -> Any:
    """A Dask client for ``address`` (one per scheduler per process, kept for the next book),
    with at least one worker."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask: pip install 'audiobook[dask]' (or drop --scheduler to build "
            "locally)"
        ) from None
    with _client_lock:
        client = _clients.get(address)
        if client is not None and client.status == "running":
            return client
        try:
            client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise UsageError(
                f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                "`dask scheduler` or drop --scheduler"
            ) from None
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except (OSError, TimeoutError):
            client.close()  # type: ignore[no-untyped-call]
            raise UsageError(
                f"the Dask scheduler at {address} has no workers after {WORKER_WAIT_S} s; start "
                "some with `dask worker " + address + "`"
            ) from None
        _clients[address] = client
        return client


def worker_count(client: Any) -> int:
    """Workers the scheduler has now."""
    return len(client.scheduler_info().get("workers", {}))


# --- worker side -------------------------------------------------------------------------

_engines: dict[str, Engines] = {}
_engines_lock = threading.Lock()


def _worker_engines(engine: str) -> Engines:
    with _engines_lock:
        if engine not in _engines:
            _engines[engine] = Engines(engine)
        return _engines[engine]


def _read_probe(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def synth_piece(
    engine: str, codec: str, text: str, voice: VoiceSettings, key: str, shared: str | None
) -> bytes:
    """On a worker: speak ``text``; the cache entry's bytes (written to the ``shared`` cache
    too, when there is one, and then only a marker comes back)."""
    audio = _worker_engines(engine).synthesize(text, voice)
    cache = AudioCache(Path(shared or "."), codec)
    if shared is None:
        return cache.entry(audio)
    cache.put_raw(key, audio)  # stored in the codec, a batch at a time, by its chapter's task
    return b""


def encode_chapter(
    plan: Sequence[Planned],
    formats: Sequence[str],
    rate: int,
    lead_out: int,
    codec: str,
    shared: str | None,
    *entries: bytes,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """On a worker: one chapter from its pieces' cache entries (or from the shared cache),
    encoded in every format; the files' bytes and the chapter's cue times."""
    cache = AudioCache(Path(shared or "."), codec)
    keys_in_order = [p.key for p in plan]
    if shared is None:
        audios = dict(zip(keys_in_order, cache.read_entries(entries), strict=True))
    else:
        audios = dict(zip(keys_in_order, cache.get_many(keys_in_order), strict=True))

    def fetch(p: Planned) -> Audio:
        audio = audios[p.key]
        if audio is None:
            raise EngineError(f"the cached audio of segment {p.segment.id} is damaged; rerun")
        return audio

    with tempfile.TemporaryDirectory(prefix="audiobook-chapter-") as tmp:
        store = ChapterStore(Path(tmp), formats, rate, lead_out, codec)
        keys = store.keys(plan)
        render_chapter(plan, keys, store, None, {}, fetch=fetch)
        info: dict[str, Any] = json.loads(store.info_path(keys[formats[0]]).read_text())
        return {f: store.audio_path(f, keys[f]).read_bytes() for f in formats}, info


# --- client side -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterAudio:
    """What the cluster made for one book."""

    chapters: tuple[ChapterAudio, ...]
    synthesized: frozenset[str]
    """Keys of the pieces synthesized now."""
    workers: int
    """Workers the scheduler had."""


def shared_cache(client: Any, root: Path) -> bool:
    """True if every worker reads the cache directory at ``root`` as this process does
    (``$AUDIOBOOK_SHARED_CACHE=no`` sends audio by value all the same)."""
    if os.environ.get(SHARED_ENV, "auto").strip().lower() in ("0", "no", "false"):
        return False
    token = uuid.uuid4().hex
    probe = root / f".shared-{token}"
    try:
        probe.write_text(token, encoding="utf-8")
    except OSError:
        return False
    try:
        workers = list(client.scheduler_info().get("workers", {}))
        futs = [
            client.submit(_read_probe, str(probe.resolve()), workers=[w], pure=False)
            for w in workers
        ]
        return bool(futs) and all(f.result(timeout=WORKER_WAIT_S) == token for f in futs)
    except Exception:  # noqa: BLE001 - any doubt: send audio by value
        return False
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def run_on_cluster(
    address: str,
    plans: Sequence[list[Planned]],
    keys: Sequence[dict[str, str]],
    cached: set[int],
    store: ChapterStore,
    synth: Synthesizer,
    rep: Reporter,
) -> ClusterAudio:
    """Synthesize and encode every chapter not in ``cached`` on the cluster at ``address``."""
    client = connect(address)
    workers = worker_count(client)
    cache = synth.cache
    shared = str(cache.root.resolve()) if shared_cache(client, cache.root) else None
    todo = [
        j
        for j in iter_unique(
            Job(p.key, p.spoken, p.voice)
            for i, plan in enumerate(plans)
            if i not in cached
            for p in plan
        )
        if not cache.has(j.key)
    ]
    rep.stage("synthesize", len(todo))
    rep.stage("encode", len(plans))
    pieces = {
        j.key: client.submit(
            synth_piece,
            synth.engine_name,
            cache.codec,
            j.text,
            j.voice,
            j.key,
            shared,
            key=f"piece-{cache.codec}-{'shared' if shared else 'value'}-{j.key}",
            retries=2,
        )
        for j in todo
    }
    chapters = {
        i: client.submit(
            encode_chapter,
            plan,
            store.formats,
            store.sample_rate,
            store.lead_out,
            cache.codec,
            shared,
            *(pieces.get(p.key) or _local_entry(cache, p, shared) for p in plan),
            key=f"chapter-{'shared' if shared else 'value'}-{keys[i][store.formats[0]]}",
            retries=2,
        )
        for i, plan in enumerate(plans)
        if i not in cached
    }
    try:
        return ClusterAudio(
            _collect(client, pieces, chapters, plans, keys, store, cache, rep),
            frozenset(pieces),
            workers,
        )
    except BaseException:
        client.cancel([*pieces.values(), *chapters.values()])
        raise


def _local_entry(cache: AudioCache, p: Planned, shared: str | None) -> bytes:
    """A cached piece's entry to send with its chapter (nothing when the cache is shared)."""
    if shared is not None:
        return b""
    if not cache.path(p.key).exists():
        cache.get_many([p.key])  # a raw piece (an interrupted local build) in the codec first
    try:
        return cache.path(p.key).read_bytes()
    except OSError:
        raise EngineError(
            f"the cached audio of segment {p.segment.id} went missing; rerun the build"
        ) from None


def _collect(
    client: Any,
    pieces: dict[str, Any],
    chapters: dict[int, Any],
    plans: Sequence[list[Planned]],
    keys: Sequence[dict[str, str]],
    store: ChapterStore,
    cache: AudioCache,
    rep: Reporter,
) -> tuple[ChapterAudio, ...]:
    """Store pieces and chapters as they finish; every chapter's audio in book order."""
    from distributed import as_completed

    piece_of = {f.key: k for k, f in pieces.items()}
    chapter_of = {f.key: i for i, f in chapters.items()}
    made: dict[int, ChapterAudio] = {}
    for fut in as_completed([*pieces.values(), *chapters.values()], loop=client.loop):  # type: ignore[no-untyped-call]
        result = _result(fut)
        if fut.key in piece_of:
            if result:  # by value: the entry, written into this machine's cache
                cache.put_entry(piece_of[fut.key], result)
            rep.advance("synthesize")
            continue
        i = chapter_of[fut.key]
        files, info = result
        for f, data in files.items():
            atomic_write(store.audio_path(f, keys[i][f]), data)
        for f in store.formats:
            atomic_write(store.info_path(keys[i][f]), json.dumps(info, ensure_ascii=False))
        made[i] = store.chapter(keys[i], info, encoded=True)
        rep.advance("encode")
    out = []
    for i in range(len(plans)):
        if i not in made:
            made[i] = store.load(keys[i])
            rep.advance("encode")
        out.append(made[i])
    return tuple(out)


def _result(fut: Any) -> Any:
    """A task's result; a task that failed on every try becomes one clear error."""
    try:
        return fut.result()
    except AudiobookError:
        raise
    except Exception as exc:  # noqa: BLE001 - KilledWorker, a worker's own failure
        raise EngineError(
            f"a Dask task failed ({type(exc).__name__}: {exc}); rerun the same command to resume"
        ) from None
