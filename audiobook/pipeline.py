"""Building an audiobook: :func:`build` runs the stages in order, each in its own module.

read and correct (:mod:`.book`) -> cast (:mod:`.casting`) -> plan (:mod:`.plan`) ->
synthesize (:mod:`.synth`) -> encode chapters (:mod:`.encode`) -> write the book and its
companion files (:mod:`.assemble`, :mod:`.files`) -> report (:mod:`.report`).

Library code: it raises :class:`~audiobook.errors.AudiobookError` and reports progress through
a :class:`~audiobook.progress.Reporter`; only the CLI prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .acx import BookInfo, write_acx
from .assemble import FORMATS, check_cover, mux_book, setup_pydub, webvtt
from .book import Prepared, cast, load, script_dict, select_chapters
from .cachestore import prune, record_build
from .casting import cast_file_text, read_cast_file
from .cluster import run_on_cluster, scheduler_address
from .encode import ChapterAudio, ChapterStore, Cue, encode_chapters
from .engines import DEFAULT_ENGINE
from .epub import is_epub
from .errors import UsageError
from .files import atomic_write, output_lock, safe_filename
from .model import NARRATOR, Book, Pauses
from .plan import Planned, Speech, plan_book, segment_spoken, speech_for
from .progress import Reporter, Silent
from .report import BuildReport, ChapterMark, CorrectionCount, SpeakerVoice
from .synth import AudioCache, Job, Synthesizer, default_cache_dir, iter_unique

__all__ = ["BuildOptions", "BuildResult", "Reporter", "Silent", "build"]


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``audiobook build`` takes."""

    inputs: tuple[Path, ...]
    """Story files or directories of them."""
    outdir: Path
    """Where the book and its companion files go."""
    formats: tuple[str, ...] = ("m4b",)
    """Output formats (keys of :data:`audiobook.assemble.FORMATS`)."""
    voices: Path | None = None
    """A voice map to apply over the palette."""
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Speech worker processes (0: synthesize in this process); also chapter encoders."""
    cache: Path | None = None
    """The audio cache (default :func:`audiobook.synth.default_cache_dir`)."""
    title: str | None = None
    """Book title (default: from the input)."""
    author: str | None = None
    """Author tag (default: from the input, if it says)."""
    cover: Path | None = None
    """Cover image, JPEG or PNG."""
    engine: str = DEFAULT_ENGINE
    """Speech engine name (for voices that do not name their own)."""
    models: tuple[Path, ...] = ()
    """Folders of Piper voices (``--models``; default ``$AUDIOBOOK_MODELS``)."""
    genre: str = "Audiobook"
    """Genre tag."""
    chapters: str | None = None
    """Only these chapters (``3-7``, ``2,5``, or words of their titles; see
    :func:`audiobook.book.select_chapters`)."""
    profile: str = "default"
    """``"acx"`` also writes ACX's files into ``OUTDIR/<title> (ACX)/`` (:mod:`audiobook.acx`)."""
    cache_max: int | None = None
    """Prune the cache to this many bytes after the build (least recently used first)."""
    scheduler: str | None = None
    """A Dask scheduler (``tcp://host:port``) to synthesize and encode on (None: locally)."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and how it went (the report is also ``<book>.build.json``)."""

    book: Book
    """The book as read, corrected and attributed."""
    outputs: tuple[Path, ...]
    """Every file written: the audiobooks, then script, subtitles, cast and report."""
    report: BuildReport
    """The build's report."""


@dataclass(frozen=True)
class OutputPaths:
    """The files a build writes for the book called ``name`` into ``outdir``."""

    outdir: Path
    """The output directory."""
    name: str
    """The book's file name stem (:func:`audiobook.files.safe_filename` of its title)."""

    def book(self, fmt: str) -> Path:
        """The audiobook in format ``fmt``."""
        return self.outdir / f"{self.name}{FORMATS[fmt].suffix}"

    def companion(self, suffix: str) -> Path:
        """``<book>.script.json``, ``<book>.vtt``, ``<book>.cast.toml``, ``<book>.build.json``."""
        return self.outdir / f"{self.name}{suffix}"


@dataclass(frozen=True)
class BookAudio:
    """The book's audio: every chapter encoded, and what synthesis did to get there."""

    chapters: tuple[ChapterAudio, ...]
    """Each chapter's encoded audio, in book order."""
    pieces: int
    """Spoken pieces in the book."""
    synthesized: int
    """Pieces synthesized now (the rest came from the cache)."""
    speakers: tuple[str, ...]
    """Ids of every speaker heard, sorted."""
    workdir: Path
    """The cache folder of encoded chapters (the book is joined there)."""
    executor: tuple[str, int] = ("local", 0)
    """Where the work ran (``"local"`` or ``"dask"``) and how many workers did it."""


@dataclass(frozen=True)
class Layout:
    """The chapters laid end to end: chapter marks, subtitle cues, total length."""

    marks: tuple[ChapterMark, ...]
    """Each chapter's place in the book."""
    cues: tuple[Cue, ...]
    """Every spoken piece, timed in the book, with the speaker's name."""
    duration_ms: int
    """Length of the book's audio."""


def build(opts: BuildOptions, reporter: Reporter | None = None) -> BuildResult:
    """Build the audiobook described by ``opts``; see the README for what comes out."""
    rep = reporter or Silent()
    started = time.monotonic()
    check_options(opts)
    loaded = load(opts.inputs, opts.voices, opts.engine, rep, opts.title, opts.author, opts.models)
    if opts.chapters is not None:
        loaded = replace(loaded, book=select_chapters(loaded.book, opts.chapters))
    if opts.cover is None and loaded.book.cover is None and any(map(is_epub, opts.inputs)):
        rep.warn("the EPUB has no JPEG or PNG cover (an SVG one cannot be used); add --cover")
    cache = AudioCache(opts.cache or default_cache_dir())
    paths = OutputPaths(opts.outdir, safe_filename(loaded.book.title))
    with output_lock(opts.outdir):
        prepared = cast(loaded, read_cast_file(paths.companion(".cast.toml")))
        cache.prepare()
        synth = Synthesizer(opts.engine, cache, opts.jobs)
        setup_pydub()
        try:
            speech = speech_for(prepared.book, prepared.casting, prepared.voice_map.pronounce)
            pauses = prepared.voice_map.pauses
            plans = plan_book(prepared.book, prepared.casting, synth, speech, pauses)
            audio = synthesize_and_encode(
                plans,
                opts.formats,
                synth,
                rep,
                pauses.chapter_end,
                scheduler_address(opts.scheduler),
            )
            acx = (
                write_acx_files(prepared, plans, synth, paths, rep) if opts.profile == "acx" else []
            )
            synth.close()
            layout = lay_out(prepared.book, audio.chapters)
            books = write_books(prepared.book, audio, layout, opts, paths, rep)
            companions = write_companions(prepared, layout, opts, paths, speech)
            report = build_report(opts, prepared, synth, audio, layout, books, started)
            atomic_write(paths.companion(".build.json"), report.to_json())
            tidy_cache(cache, report, opts.cache_max)
            outputs = (*books, *companions, paths.companion(".build.json"), *acx)
            return BuildResult(prepared.book, outputs, report)
        finally:
            synth.close(cancel=True)


def tidy_cache(cache: AudioCache, report: BuildReport, cache_max: int | None) -> None:
    """Note the build's cache hits, and prune the cache to ``cache_max`` bytes if given."""
    record_build(
        cache.root,
        report.title,
        report.segments,
        report.reused,
        len(report.chapters),
        report.chapters_reused,
        report.duration_ms,
    )
    if cache_max is not None:
        prune(cache.root, cache_max)


def check_options(opts: BuildOptions) -> None:
    """Refuse bad options before any work starts."""
    for f in opts.formats:
        if f not in FORMATS:
            raise UsageError(f"unknown format {f!r}; choose one of: {', '.join(FORMATS)}")
    if opts.cover is not None:
        check_cover(opts.cover)
    if opts.jobs < 0:
        raise UsageError("--jobs must be 0 or more")
    if opts.profile not in ("default", "acx"):
        raise UsageError(f"unknown profile {opts.profile!r}; choose default or acx")


def write_acx_files(
    prepared: Prepared,
    plans: Sequence[list[Planned]],
    synth: Synthesizer,
    paths: OutputPaths,
    rep: Reporter,
) -> list[Path]:
    """ACX's files for ``--profile acx``: credits and one MP3 per chapter, in their own folder."""
    book, narrator = prepared.book, prepared.casting.voices[NARRATOR]
    info = BookInfo(
        book.title,
        book.author,
        narrator.name,
        narrator.settings,
        tuple(c.title for c in book.chapters),
        tuple(book.sources[c.source].text for c in book.chapters),
    )
    return write_acx(info, plans, synth, paths.outdir / f"{paths.name} (ACX)", rep)


def synthesize_and_encode(
    plans: Sequence[list[Planned]],
    formats: Sequence[str],
    synth: Synthesizer,
    rep: Reporter,
    lead_out: int = Pauses.chapter_end,
    scheduler: str | None = None,
) -> BookAudio:
    """Synthesize what no cached chapter already holds, and encode chapters as audio arrives
    (in this machine's process pool, or on the Dask cluster at ``scheduler``); ``lead_out`` is
    the silence after each chapter (ms)."""
    store = ChapterStore(
        synth.cache.root / "chapters", formats, synth.sample_rate, lead_out, synth.cache.codec
    )
    keys = [store.keys(plan) for plan in plans]
    # Chapters whose encoded audio is already cached need no synthesis at all.
    cached = {i for i, k in enumerate(keys) if store.has(k)}
    if scheduler is not None:
        ran = run_on_cluster(scheduler, plans, keys, cached, store, synth, rep)
        return book_audio(plans, ran.chapters, ran.synthesized, store, ("dask", ran.workers))
    jobs = iter_unique(
        Job(p.key, p.spoken, p.voice)
        for i, plan in enumerate(plans)
        if i not in cached
        for p in plan
    )
    todo = [j for j in jobs if not synth.cache.has(j.key)]
    rep.stage("synthesize", len(todo))
    futures: dict[str, Future[tuple[str, int]]] = synth.submit_all(
        todo, on_done=lambda _j: rep.advance("synthesize")
    )
    rep.stage("encode", len(plans))
    chapters = encode_chapters(
        plans, keys, cached, store, synth, futures, lambda: rep.advance("encode")
    )
    return book_audio(plans, chapters, futures.keys(), store, ("local", synth.jobs))


def book_audio(
    plans: Sequence[list[Planned]],
    chapters: Sequence[ChapterAudio],
    synthesized: Collection[str],
    store: ChapterStore,
    executor: tuple[str, int],
) -> BookAudio:
    """The :class:`BookAudio` of ``chapters`` (``synthesized``: keys synthesized now)."""
    return BookAudio(
        chapters=tuple(chapters),
        pieces=sum(len(plan) for plan in plans),
        synthesized=sum(1 for plan in plans for p in plan if p.key in synthesized),
        speakers=tuple(sorted({p.segment.speaker for plan in plans for p in plan})),
        workdir=store.root,
        executor=executor,
    )


def speaker_names(book: Book) -> dict[str, str]:
    """Speaker id -> the name subtitles and reports use (``"Narrator"`` for the narrator)."""
    names = {c.id: c.name for c in book.cast}
    names[NARRATOR] = "Narrator"
    return names


def lay_out(book: Book, chapters: Sequence[ChapterAudio]) -> Layout:
    """Put the chapters end to end: where each starts and ends, and every cue in book time."""
    names = speaker_names(book)
    marks: list[ChapterMark] = []
    cues: list[Cue] = []
    offset_ms = 0.0
    for ch, audio in zip(book.chapters, chapters, strict=True):
        start = round(offset_ms)
        marks.append(ChapterMark(ch.title, start, round(offset_ms + audio.length_ms)))
        for cue_start, cue_end, speaker, text in audio.cues:
            cues.append((start + cue_start, start + cue_end, names.get(speaker, speaker), text))
        offset_ms += audio.length_ms
    return Layout(tuple(marks), tuple(cues), round(offset_ms))


def write_books(
    book: Book,
    audio: BookAudio,
    layout: Layout,
    opts: BuildOptions,
    paths: OutputPaths,
    rep: Reporter,
) -> list[Path]:
    """One audiobook per format: the chapter files remuxed with marks, tags and cover."""
    tags = {
        "title": book.title,
        "album": book.title,
        "artist": book.author or "",
        "album_artist": book.author or "",
        "genre": opts.genre,
        "comment": f"made with audiobook {__version__}",
    }
    timeline = [(m.title, m.start_ms, m.end_ms) for m in layout.marks]
    cover = opts.cover or book_cover(book, audio.workdir)
    outputs: list[Path] = []
    rep.stage("package", len(opts.formats))
    for f in opts.formats:
        dest = paths.book(f)
        files = [ch.files[f] for ch in audio.chapters]
        mux_book(files, timeline, FORMATS[f], dest, tags, cover, audio.workdir)
        outputs.append(dest)
        rep.advance("package")
    return outputs


def book_cover(book: Book, workdir: Path) -> Path | None:
    """The input's own cover (an EPUB's) as a file in ``workdir``, named by its content."""
    if book.cover is None:
        return None
    kind = "png" if book.cover.startswith(b"\x89PNG") else "jpg"
    path = workdir / f"cover-{hashlib.sha256(book.cover).hexdigest()[:16]}.{kind}"
    if not path.exists():
        atomic_write(path, book.cover)
    return path


def write_companions(
    prepared: Prepared, layout: Layout, opts: BuildOptions, paths: OutputPaths, speech: Speech
) -> tuple[Path, Path, Path]:
    """The script (with each line's spoken words and voice), the subtitles, and the cast for
    the next build."""
    book, casting = prepared.book, prepared.casting
    source = str(opts.inputs[0]) if len(opts.inputs) == 1 else ", ".join(map(str, opts.inputs))
    script = script_dict(book, source, segment_spoken(book, speech))
    voice_of = {sp: v.name for sp, v in casting.voices.items()}
    for chj in script["chapters"]:
        for s in chj["segments"]:
            s["voice"] = voice_of.get(s["speaker"], voice_of[NARRATOR])
    script_path = paths.companion(".script.json")
    atomic_write(script_path, json.dumps(script, ensure_ascii=False, indent=1))
    vtt_path = paths.companion(".vtt")
    atomic_write(vtt_path, "".join(webvtt(layout.cues)))
    cast_path = paths.companion(".cast.toml")
    atomic_write(cast_path, cast_file_text(book.cast, casting))
    return script_path, vtt_path, cast_path


def build_report(
    opts: BuildOptions,
    prepared: Prepared,
    synth: Synthesizer,
    audio: BookAudio,
    layout: Layout,
    books: Sequence[Path],
    started: float,
) -> BuildReport:
    """The build's report (what ``<book>.build.json`` holds)."""
    book, casting = prepared.book, prepared.casting
    names = speaker_names(book)
    wall = time.monotonic() - started
    encoded = sum(1 for ch in audio.chapters if ch.encoded)
    return BuildReport(
        title=book.title,
        author=book.author,
        chapters=layout.marks,
        duration_ms=layout.duration_ms,
        segments=audio.pieces,
        synthesized=audio.synthesized,
        reused=audio.pieces - audio.synthesized,
        chapters_encoded=encoded,
        chapters_reused=len(audio.chapters) - encoded,
        speakers=tuple(
            SpeakerVoice(sp, names.get(sp, sp), casting.names.get(sp, casting.names[NARRATOR]))
            for sp in audio.speakers
        ),
        voices={sp: replace(v, engine=v.engine or opts.engine) for sp, v in casting.voices.items()},
        corrections=CorrectionCount(
            len(prepared.corrections.applied),
            tuple(f.describe() for f in prepared.corrections.unmatched),
        ),
        engine="; ".join(
            f"{name} {version}"
            for name, version in synth.engines_used(
                v.settings for v in casting.voices.values()
            ).items()
        ),
        jobs=opts.jobs,
        executor=audio.executor[0],
        workers=audio.executor[1],
        wall_s=round(wall, 3),
        realtime_factor=round(layout.duration_ms / 1000 / wall, 1) if wall > 0 else None,
        outputs=tuple(books),
    )
