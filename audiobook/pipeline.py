"""The stages in order: read -> segment and attribute -> cast -> synthesize -> assemble -> encode.

Library code: it raises :class:`~audiobook.errors.AudiobookError` and reports progress through
a :class:`Reporter`; only the CLI prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from . import __version__
from .assemble import (
    FORMATS,
    ChapterEncoder,
    check_cover,
    encoded_duration_ms,
    join_chapter,
    level,
    mux_book,
    setup_pydub,
    silence,
    webvtt,
)
from .casting import Casting, VoiceMap, cast_file_text, cast_voices, load_voice_map, read_cast_file
from .corrections import CorrectionReport, apply_corrections
from .engines import VoiceSettings, engine_catalog
from .engines.base import chunks
from .errors import BusyError, EncodeError, InputError, OutputError, UsageError
from .model import NARRATOR, Book, Chapter, Character, Segment, Source, count_lines
from .synth import AudioCache, Job, Synthesizer, default_cache_dir, iter_unique, wait_for
from .text import (
    body_span,
    find_chapters,
    mask_markup,
    read_source,
    script_runs,
    speakable,
    story_files,
    title_from_text,
)

MAX_JOB_WORDS = 250
"""Longer spoken segments are split at sentence ends into jobs of about this many words."""
PAUSE_MS = {"phrase": 150, "paragraph": 650, "scene": 1400, "lead_in": 400, "lead_out": 1600}


class Interrupted(Exception):
    """A chapter thread was told to stop (the build is failing or was interrupted)."""


class Reporter(Protocol):
    """Progress sink: the CLI shows bars; tests and --quiet pass :class:`Silent`."""

    def stage(self, name: str, total: int) -> None:
        """A stage with ``total`` steps begins."""

    def advance(self, name: str, n: int = 1) -> None:
        """``n`` steps of stage ``name`` are done (may be called from other threads)."""

    def warn(self, message: str) -> None:
        """Something the user should know that does not stop the build."""


class Silent:
    """A reporter that reports nothing."""

    def stage(self, name: str, total: int) -> None:
        """Ignore."""

    def advance(self, name: str, n: int = 1) -> None:
        """Ignore."""

    def warn(self, message: str) -> None:
        """Ignore."""


# --- reading and analysis -------------------------------------------------------------------

_HEXISH = re.compile(r"^(?:\d+|[0-9a-f]{8,})$", re.IGNORECASE)


def pretty_name(path: Path) -> str | None:
    """A human title from a file or directory name, or None if it is only numbers/hashes."""
    stem = path.resolve().name if path.is_dir() else path.stem
    words = [w for w in re.split(r"[_\-\s.]+", stem) if w and not _HEXISH.match(w)]
    if not words:
        return None
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _analyze(
    text: str, spans: list[tuple[int, int]]
) -> tuple[tuple[Character, ...], tuple[tuple[Segment, ...], ...]]:
    from .attribute import analyze

    result = analyze(text, spans)
    return result.cast, result.chapters


def _merge_casts(casts: Sequence[Sequence[Character]]) -> dict[str, Character]:
    """One cast for the book: the same id in two stories is the same character."""
    merged: dict[str, Character] = {}
    for cast in casts:
        for c in cast:
            old = merged.get(c.id)
            if old is None:
                merged[c.id] = c
                continue
            aliases = tuple(
                dict.fromkeys(
                    (*old.aliases, *c.aliases, c.name)
                    if c.name != old.name
                    else (*old.aliases, *c.aliases)
                )
            )
            gender = old.gender if old.gender != "unknown" else c.gender
            merged[c.id] = replace(old, aliases=aliases, gender=gender)
    return merged


def read_book(inputs: Sequence[Path], title: str | None = None, author: str | None = None) -> Book:
    """Read the stories and analyse them into a :class:`Book` (chapters, segments, cast)."""
    files = story_files(list(inputs))
    sources: dict[str, Source] = {}
    chapters: list[Chapter] = []
    casts: list[tuple[Character, ...]] = []
    for path in files:
        src = read_source(path)
        key = str(path)
        sources[key] = src
        start, end = body_span(src.text)
        spans = find_chapters(src.text, start, end)
        cast, segs = _analyze(src.text, [(s.start, s.end) for s in spans])
        casts.append(cast)
        for span, seg_list in zip(spans, segs, strict=True):
            index = len(chapters) + 1
            if span.title:
                ch_title = span.title
            elif len(spans) == 1 and src.title:
                ch_title = src.title
            else:
                ch_title = title_from_text(src.text, span.start, span.end, f"Chapter {index}")
            segments = tuple(replace(s, id=f"c{index}s{i}") for i, s in enumerate(seg_list, 1))
            chapters.append(Chapter(index, ch_title, key, span.start, span.end, segments))
    cast = count_lines(list(_merge_casts(casts).values()), chapters)
    if title is None:
        first = sources[str(files[0])]
        if len(files) == 1 and first.title:
            title = first.title
        else:
            title = pretty_name(inputs[0]) if len(inputs) == 1 else None
            title = title or (chapters[0].title if len(files) == 1 else "Audiobook")
    if author is None and len(files) == 1:
        author = sources[str(files[0])].author
    return Book(title=title, author=author, sources=sources, chapters=tuple(chapters), cast=cast)


# --- the script as data -----------------------------------------------------------------------


def script_dict(book: Book, source: str) -> dict[str, Any]:
    """The annotated script in the ``audiobook.script/1`` schema."""
    single = len(book.sources) == 1
    return {
        "schema": "audiobook.script/1",
        "source": source,
        "title": book.title,
        "cast": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "gender": c.gender,
                "lines": c.lines,
            }
            for c in book.cast
        ],
        "chapters": [
            {
                "index": ch.index,
                "title": ch.title,
                **({} if single else {"source": ch.source}),
                "start": ch.start,
                "end": ch.end,
                "segments": [
                    {
                        "id": s.id,
                        "kind": s.kind,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                        "speaker": s.speaker,
                        "evidence": s.evidence,
                        "confidence": round(s.confidence, 3),
                        **({"runner_up": s.runner_up} if s.runner_up else {}),
                    }
                    for s in ch.segments
                ],
            }
            for ch in book.chapters
        ],
    }


# --- building -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``audiobook build`` takes."""

    inputs: tuple[Path, ...]
    outdir: Path
    formats: tuple[str, ...] = ("m4b",)
    voices: Path | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: Path | None = None
    title: str | None = None
    author: str | None = None
    cover: Path | None = None
    engine: str = "pyttsx3"
    genre: str = "Audiobook"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and how it went (also written as ``<book>.build.json``)."""

    book: Book
    outputs: tuple[Path, ...]
    report: dict[str, Any]


@dataclass
class _Planned:
    """One spoken piece of a chapter: which audio, and the pause before it."""

    segment: Segment
    key: str
    pause_before: int
    spoken: str
    voice: VoiceSettings


def safe_filename(name: str) -> str:
    """A file name from a title: no path separators, no leading dots, never empty."""
    cleaned = re.sub(r"[^\w\s\-,'()&]+", " ", name, flags=re.UNICODE)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-")
    return cleaned[:80] or "audiobook"


def _pause_between(a: Segment, b: Segment | None) -> int:
    gap = re.search(r"\s*$", a.text)
    tail = gap.group(0) if gap else ""
    head = re.match(r"\s*", b.text).group(0) if b is not None else ""  # type: ignore[union-attr]
    ws = tail + head
    if "\n\n" in ws:
        return PAUSE_MS["paragraph"]
    return PAUSE_MS["phrase"]


def _is_scene_break(seg: Segment) -> bool:
    return bool(re.fullmatch(r"\s*(?:[*#~\-_=•·]\s*){3,}\s*", seg.text))


def plan_chapter(
    ch: Chapter, source_text: str, casting: Casting, synth: Synthesizer
) -> list[_Planned]:
    """The spoken pieces of a chapter with their cache keys and pauses.

    ``source_text`` is the chapter's source with markup masked (:func:`text.mask_markup`).
    """
    planned: list[_Planned] = []
    pending = PAUSE_MS["lead_in"]
    segs = ch.segments
    for i, seg in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if _is_scene_break(seg):
            pending = max(pending, PAUSE_MS["scene"])
            continue
        spoken = speakable(source_text[seg.start : seg.end])
        if spoken:
            voice = (casting.voices.get(seg.speaker) or casting.voices[NARRATOR]).settings
            for lang, run in script_runs(spoken):
                # another writing system is read by that language's voice, same prosody
                run_voice = (
                    voice if lang is None else replace(voice, engine_voice=_lang_voice(voice, lang))
                )
                # a long paragraph becomes several jobs: parallel, and bounded in memory
                for piece in chunks(run, MAX_JOB_WORDS) if len(run) > 4 * MAX_JOB_WORDS else [run]:
                    planned.append(
                        _Planned(seg, synth.key(run_voice, piece), pending, piece, run_voice)
                    )
                    pending = 0
        pending = max(pending, _pause_between(seg, nxt))
    return planned


def _lang_voice(voice: VoiceSettings, lang: str) -> str:
    variant = voice.engine_voice.partition("+")[2]
    return f"{lang}+{variant}" if variant else lang


def _chapter_key(fmt_name: str, planned: Sequence[_Planned], rate: int) -> str:
    fmt = FORMATS[fmt_name]
    blob = json.dumps(
        {
            "v": 1,
            "fmt": list(fmt.chapter_args),
            "rate": rate,
            "lead_out": PAUSE_MS["lead_out"],
            "pieces": [(p.key, p.pause_before) for p in planned],
        }
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def corrected_book(
    inputs: Sequence[Path],
    vm: VoiceMap,
    title: str | None = None,
    author: str | None = None,
    reporter: Reporter | None = None,
) -> tuple[Book, CorrectionReport]:
    """Read and analyse the book, then apply the voice map's ``[[line]]`` corrections.

    A correction whose words are no longer in the book is reported through ``reporter``.
    """
    book, report = apply_corrections(read_book(inputs, title, author), vm.lines)
    for fix in report.unmatched:
        (reporter or Silent()).warn(
            f"{vm.source}: {fix.describe()} is not in the book any more; update or remove it"
        )
    return book, report


def casting_for(book: Book, vm: VoiceMap, previous: dict[str, str] | None = None) -> Casting:
    """Voices for every speaker of ``book`` (characters who share a chapter kept apart)."""
    chapters_speakers = [
        {s.speaker for s in ch.segments if s.kind == "dialogue" and s.speaker != NARRATOR}
        for ch in book.chapters
    ]
    return cast_voices(book.cast, chapters_speakers, vm, previous)


@contextlib.contextmanager
def output_lock(outdir: Path) -> Iterator[None]:
    """Only one build writes into an output directory at a time; a second one refuses."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(outdir / ".audiobook.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise OutputError(
            f"{outdir}: permission denied; choose another output directory with -o"
        ) from None
    except FileExistsError:
        raise OutputError(f"{outdir}: exists and is not a directory; choose another -o") from None
    except OSError as exc:
        raise OutputError(
            f"{outdir}: cannot write there ({exc.strerror}); choose another -o"
        ) from None
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows: no advisory locks; builds are not guarded
            pass
        except BlockingIOError:
            raise BusyError(
                f"another build is writing into {outdir}; wait for it to finish or choose another -o"
            ) from None
        yield
    finally:
        os.close(fd)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno == 28:
            raise OutputError(
                f"no space left on the disk while writing {path}; free some space"
            ) from None
        raise OutputError(f"cannot write {path} ({exc.strerror})") from None


def build(opts: BuildOptions, reporter: Reporter | None = None) -> BuildResult:
    """Build the audiobook described by ``opts``; see the README for what comes out."""
    rep = reporter or Silent()
    t0 = time.monotonic()
    for f in opts.formats:
        if f not in FORMATS:
            raise UsageError(f"unknown format {f!r}; choose one of: {', '.join(FORMATS)}")
    if opts.cover is not None:
        check_cover(opts.cover)
    if opts.jobs < 0:
        raise UsageError("--jobs must be 0 or more")
    vm = load_voice_map(opts.voices, engine_catalog(opts.engine))
    book, corrected = corrected_book(opts.inputs, vm, opts.title, opts.author, rep)
    cache = AudioCache(opts.cache or default_cache_dir())
    name = safe_filename(book.title)
    outdir = opts.outdir
    with output_lock(outdir):
        cast_path = outdir / f"{name}.cast.toml"
        casting = casting_for(book, vm, read_cast_file(cast_path))
        cache.prepare()
        synth = Synthesizer(opts.engine, cache, opts.jobs)
        setup_pydub()
        try:
            result = _build_audio(
                book, opts, casting, synth, cache, outdir, name, cast_path, rep, t0, corrected
            )
            return result
        finally:
            synth.close(cancel=True)


def _build_audio(
    book: Book,
    opts: BuildOptions,
    casting: Casting,
    synth: Synthesizer,
    cache: AudioCache,
    outdir: Path,
    name: str,
    cast_path: Path,
    rep: Reporter,
    t0: float,
    corrected: CorrectionReport,
) -> BuildResult:
    sample_rate = 22050
    masked = {key: mask_markup(src.text) for key, src in book.sources.items()}
    plans = [plan_chapter(ch, masked[ch.source], casting, synth) for ch in book.chapters]
    if not any(plans):
        raise InputError("the stories have nothing to read aloud; give a story with words in it")
    chapter_dir = cache.root / "chapters"
    chapter_dir.mkdir(parents=True, exist_ok=True)
    # Chapters whose encoded audio is already cached need no synthesis at all.
    ckeys = [{f: _chapter_key(f, plan, sample_rate) for f in opts.formats} for plan in plans]

    def chapter_cached(i: int) -> bool:
        return all(
            (chapter_dir / f"{k}{FORMATS[f].suffix}").exists()
            and (chapter_dir / f"{k}.json").exists()
            for f, k in ckeys[i].items()
        )

    cached_chapters = {i for i in range(len(plans)) if chapter_cached(i)}
    jobs = list(
        iter_unique(
            Job(p.key, p.spoken, p.voice)
            for i, plan in enumerate(plans)
            if i not in cached_chapters
            for p in plan
        )
    )
    spoken_total = sum(len(p) for p in plans)
    todo = [j for j in jobs if not cache.has(j.key)]
    rep.stage("synthesize", len(todo))
    futures = synth.submit_all(todo, on_done=lambda _j: rep.advance("synthesize"))
    synthesized_keys = set(futures)
    rep.stage("encode", len(plans))
    chapter_files: dict[str, list[Path]] = {f: [] for f in opts.formats}
    timeline: list[tuple[str, int, int]] = []
    cues: list[tuple[int, int, str, str]] = []
    offset_ms = 0.0
    encoded = 0
    names = {c.id: c.name for c in book.cast}
    names[NARRATOR] = "Narrator"
    # Chapters are joined and encoded in threads, up to one ffmpeg per core: encoding, not
    # synthesis, is the slow step (see bench/), and one encoder alone leaves cores idle.
    stop = threading.Event()
    first = opts.formats[0]
    renders: dict[int, Future[dict[str, Any]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs), thread_name_prefix="chapter") as pool:
        try:
            for i, plan in enumerate(plans):
                if i not in cached_chapters:
                    renders[i] = pool.submit(
                        _render_chapter,
                        plan,
                        synth,
                        futures,
                        cache,
                        sample_rate,
                        ckeys[i],
                        chapter_dir,
                        opts.formats,
                        stop,
                    )
            for i, ch in enumerate(book.chapters):
                if i in renders:
                    info = renders[i].result()
                    encoded += 1
                else:
                    info_path = chapter_dir / f"{ckeys[i][first]}.json"
                    info = json.loads(info_path.read_text(encoding="utf-8"))
                for f in opts.formats:
                    chapter_files[f].append(chapter_dir / f"{ckeys[i][f]}{FORMATS[f].suffix}")
                length = float(info["encoded_ms"][first])
                start = round(offset_ms)
                timeline.append((ch.title, start, round(offset_ms + length)))
                for cue_start, cue_end, speaker, text in info["cues"]:
                    cues.append(
                        (start + cue_start, start + cue_end, names.get(speaker, speaker), text)
                    )
                offset_ms += length
                rep.advance("encode")
        except BaseException:
            stop.set()  # every chapter thread aborts its encoders and removes its partial files
            synth.close(cancel=True)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    synth.close()
    tags = {
        "title": book.title,
        "album": book.title,
        "artist": book.author or "",
        "album_artist": book.author or "",
        "genre": opts.genre,
        "comment": f"made with audiobook {__version__}",
    }
    outputs: list[Path] = []
    rep.stage("package", len(opts.formats))
    for f in opts.formats:
        dest = outdir / f"{name}{FORMATS[f].suffix}"
        mux_book(chapter_files[f], timeline, FORMATS[f], dest, tags, opts.cover, chapter_dir)
        outputs.append(dest)
        rep.advance("package")
    source = str(opts.inputs[0]) if len(opts.inputs) == 1 else ", ".join(map(str, opts.inputs))
    script_path = outdir / f"{name}.script.json"
    script = script_dict(book, source)
    voice_of = {sp: v.name for sp, v in casting.voices.items()}
    for chj in script["chapters"]:
        for s in chj["segments"]:
            s["voice"] = voice_of.get(s["speaker"], voice_of[NARRATOR])
    _atomic_write(script_path, json.dumps(script, ensure_ascii=False, indent=1))
    vtt_path = outdir / f"{name}.vtt"
    _atomic_write(vtt_path, "".join(webvtt(cues)))
    _atomic_write(cast_path, cast_file_text(book.cast, casting))
    wall = time.monotonic() - t0
    duration_ms = round(offset_ms)
    synthesized = sum(1 for plan in plans for p in plan if p.key in synthesized_keys)
    speakers = sorted({p.segment.speaker for plan in plans for p in plan})
    report: dict[str, Any] = {
        "title": book.title,
        "author": book.author,
        "chapters": [{"title": t, "start_ms": s, "end_ms": e} for t, s, e in timeline],
        "duration_ms": duration_ms,
        "segments": spoken_total,
        "synthesized": synthesized,
        "reused": spoken_total - synthesized,
        "chapters_encoded": encoded,
        "chapters_reused": len(plans) - encoded,
        "speakers": [
            {
                "id": sp,
                "name": names.get(sp, sp),
                "voice": casting.names.get(sp, casting.names[NARRATOR]),
            }
            for sp in speakers
        ],
        "voices": {sp: asdict(v) for sp, v in casting.voices.items()},
        "corrections": {
            "applied": len(corrected.applied),
            "unmatched": [f.describe() for f in corrected.unmatched],
        },
        "engine": f"{synth.engine_name} {synth.version}",
        "jobs": opts.jobs,
        "wall_s": round(wall, 3),
        "realtime_factor": round(duration_ms / 1000 / wall, 1) if wall > 0 else None,
        "outputs": [str(p) for p in outputs],
    }
    build_path = outdir / f"{name}.build.json"
    _atomic_write(build_path, json.dumps(report, ensure_ascii=False, indent=1))
    return BuildResult(book, (*outputs, script_path, vtt_path, cast_path, build_path), report)


def _render_chapter(
    plan: Sequence[_Planned],
    synth: Synthesizer,
    futures: dict[str, Any],
    cache: AudioCache,
    sample_rate: int,
    keys: dict[str, str],
    chapter_dir: Path,
    formats: Sequence[str],
    stop: threading.Event | None = None,
) -> dict[str, Any]:
    """Join one chapter's audio, stream it into every format's encoder, record its cue times.

    Runs in a thread; returns early (raising :class:`Interrupted`) once ``stop`` is set.
    """
    encoders = [
        ChapterEncoder(FORMATS[f], chapter_dir / f"{keys[f]}{FORMATS[f].suffix}", sample_rate)
        for f in formats
    ]
    cues: list[tuple[int, int, str, str]] = []
    frames = 0
    batch: list[bytes] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if batch:
            pcm = join_chapter(batch, sample_rate).raw_data
            for enc in encoders:
                enc.write(pcm)
        batch, batch_bytes = [], 0

    try:
        for p in plan:
            if stop is not None and stop.is_set():
                raise Interrupted
            wait_for(p.key, futures)
            audio = cache.get(p.key)
            if audio is None:  # damaged since it was written: redo it now, never join a bad entry
                audio = synth.render_now(Job(p.key, p.spoken, p.voice))
            if audio.sample_rate != sample_rate:
                raise EncodeError(
                    f"segment {p.segment.id} has sample rate {audio.sample_rate}, expected {sample_rate}"
                )
            audio = level(audio)
            if p.pause_before:
                gap = silence(p.pause_before, sample_rate)
                batch.append(gap)
                frames += len(gap) // 2
            start_ms = frames * 1000 // sample_rate
            batch.append(audio.pcm)
            batch_bytes += len(audio.pcm)
            frames += audio.frames
            cues.append((start_ms, frames * 1000 // sample_rate, p.segment.speaker, p.spoken))
            if batch_bytes > 8 * sample_rate * 2 * 60:  # about eight minutes at a time
                flush()
        batch.append(silence(PAUSE_MS["lead_out"], sample_rate))
        frames += PAUSE_MS["lead_out"] * sample_rate // 1000
        flush()
        for enc in encoders:
            enc.finish()
    except BaseException:
        for enc in encoders:
            enc.abort()
        raise
    encoded_ms = {
        f: encoded_duration_ms(chapter_dir / f"{keys[f]}{FORMATS[f].suffix}", FORMATS[f].frame_kind)
        for f in formats
    }
    info = {"cues": cues, "pcm_ms": frames * 1000 // sample_rate, "encoded_ms": encoded_ms}
    for f in formats:
        _atomic_write(chapter_dir / f"{keys[f]}.json", json.dumps(info, ensure_ascii=False))
    return info
