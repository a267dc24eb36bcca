"""Reading a book: story files in, one :class:`~audiobook.model.Book` out.

Each file is read (:mod:`audiobook.text`), split into chapters, segmented and attributed
(:mod:`audiobook.attribute`); the casts of the files are merged into one, the book gets a
title and author, and the voice map's ``[[line]]`` corrections are applied on top. The book
also becomes data here: the ``audiobook.script/1`` document of ``audiobook script``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .casting import (
    Casting,
    VoiceMap,
    casting_for,
    load_voice_map,
    unknown_character_entries,
)
from .corrections import CorrectionReport, apply_corrections
from .engines import DEFAULT_ENGINE, engine_catalog
from .epub import is_epub, read_epub
from .errors import UsageError
from .model import NARRATOR, Book, Chapter, Character, Segment, Source, count_lines
from .names import fold
from .progress import Reporter, Silent
from .text import (
    ChapterSpan,
    body_span,
    find_chapters,
    read_source,
    story_files,
    title_from_text,
)

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


def merge_casts(casts: Sequence[Sequence[Character]]) -> dict[str, Character]:
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


def _read_chapters(
    key: str, src: Source, spans: Sequence[ChapterSpan], first_index: int
) -> tuple[tuple[Character, ...], list[Chapter]]:
    """One source's cast and chapters (numbered from ``first_index``)."""
    cast, segs = _analyze(src.text, [(s.start, s.end) for s in spans])
    chapters: list[Chapter] = []
    for span, seg_list in zip(spans, segs, strict=True):
        index = first_index + len(chapters)
        if span.title:
            ch_title = span.title
        elif len(spans) == 1 and src.title:
            ch_title = src.title
        else:
            ch_title = title_from_text(src.text, span.start, span.end, f"Chapter {index}")
        segments = tuple(replace(s, id=f"c{index}s{i}") for i, s in enumerate(seg_list, 1))
        chapters.append(Chapter(index, ch_title, key, span.start, span.end, segments))
    return cast, chapters


@dataclass(frozen=True)
class _Read:
    """One input file as text with chapter spans, plus what an EPUB package adds."""

    source: Source
    spans: tuple[ChapterSpan, ...]
    language: str | None = None
    cover: bytes | None = None
    warnings: tuple[str, ...] = ()


def _read_file(path: Path) -> _Read:
    """A story file (text, Markdown) or an EPUB, with its chapters."""
    if is_epub(path):
        ep = read_epub(path)
        cover = ep.cover.data if ep.cover is not None else None
        return _Read(ep.source, ep.chapters, ep.language, cover, ep.warnings)
    src = read_source(path)
    start, end = body_span(src.text)
    return _Read(src, tuple(find_chapters(src.text, start, end)))


def read_book(
    inputs: Sequence[Path],
    title: str | None = None,
    author: str | None = None,
    reporter: Reporter | None = None,
) -> Book:
    """Read the stories (text, Markdown or EPUB) and analyse them into a :class:`Book`
    (chapters, segments, cast); what an EPUB warns about goes to ``reporter``."""
    files = story_files(list(inputs))
    sources: dict[str, Source] = {}
    chapters: list[Chapter] = []
    casts: list[tuple[Character, ...]] = []
    language: str | None = None
    cover: bytes | None = None
    for path in files:
        key = str(path)
        read = _read_file(path)
        for warning in read.warnings:
            (reporter or Silent()).warn(warning)
        sources[key] = read.source
        language, cover = language or read.language, cover or read.cover
        cast, found = _read_chapters(key, read.source, read.spans, len(chapters) + 1)
        casts.append(cast)
        chapters.extend(found)
    cast = count_lines(list(merge_casts(casts).values()), chapters)
    if title is None:
        first = sources[str(files[0])]
        if len(files) == 1 and first.title:
            title = first.title
        else:
            title = pretty_name(inputs[0]) if len(inputs) == 1 else None
            title = title or (chapters[0].title if len(files) == 1 else "Audiobook")
    if author is None and len(files) == 1:
        author = sources[str(files[0])].author
    return Book(title, author, sources, tuple(chapters), cast, language, cover)


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
    book, report = apply_corrections(read_book(inputs, title, author, reporter), vm.lines)
    for fix in report.unmatched:
        (reporter or Silent()).warn(
            f"{vm.source}: {fix.describe()} is not in the book any more; update or remove it"
        )
    return book, report


def script_dict(book: Book, source: str, spoken: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The annotated script in the ``audiobook.script/1`` schema; ``spoken`` (segment id ->
    what the engine is given, see :func:`audiobook.plan.segment_spoken`) adds ``"spoken"``."""
    single = len(book.sources) == 1
    return {
        "schema": "audiobook.script/1",
        "source": source,
        "title": book.title,
        **({"language": book.language} if book.language else {}),
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
                "segments": [_segment_dict(s, spoken) for s in ch.segments],
            }
            for ch in book.chapters
        ],
    }


def _segment_dict(s: Segment, spoken: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        **({"spoken": spoken.get(s.id, "")} if spoken is not None else {}),
        "speaker": s.speaker,
        "evidence": s.evidence,
        "confidence": round(s.confidence, 3),
        **({"runner_up": s.runner_up} if s.runner_up else {}),
    }


# --- a book ready to voice ------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A book read and analysed, with the voice map's ``[[line]]`` corrections applied."""

    voice_map: VoiceMap
    """The palette with the user's voice map on top."""
    book: Book
    """The corrected book."""
    corrections: CorrectionReport
    """Which corrections applied and which no longer match."""


@dataclass(frozen=True)
class Prepared(Loaded):
    """A corrected book with a voice for every speaker."""

    casting: Casting
    """Who reads with which voice."""


def load(
    inputs: Sequence[Path],
    voices: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    reporter: Reporter | None = None,
    title: str | None = None,
    author: str | None = None,
    models: Sequence[Path] = (),
) -> Loaded:
    """Load the voice map (checked against ``engine``'s voices; ``models``: folders of Piper
    voices), read the book, correct it."""
    vm = load_voice_map(voices, engine_catalog(engine), models)
    book, corrections = corrected_book(inputs, vm, title, author, reporter)
    return Loaded(vm, book, corrections)


def cast(loaded: Loaded, previous: Mapping[str, str] | None = None) -> Prepared:
    """Give every speaker of a loaded book a voice (``previous``: an earlier build's choices)."""
    casting = casting_for(loaded.book, loaded.voice_map, previous)
    return Prepared(loaded.voice_map, loaded.book, loaded.corrections, casting)


def prepare(
    inputs: Sequence[Path],
    voices: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    reporter: Reporter | None = None,
    models: Sequence[Path] = (),
) -> Prepared:
    """Load the voice map, read and correct the book, warn about voice-map entries that name
    nobody in the cast, and cast it: what every command that voices a book starts with."""
    loaded = load(inputs, voices, engine, reporter, models=models)
    missing = unknown_character_entries(loaded.voice_map, loaded.book.cast)
    if missing:
        (reporter or Silent()).warn(
            f"{loaded.voice_map.source}: no character called {', '.join(map(repr, missing))} "
            "in this book; check the spelling (`audiobook voices cast INPUT` lists the cast)"
        )
    nobody = unknown_pronounce_speakers(loaded.voice_map, loaded.book.cast)
    if nobody:
        (reporter or Silent()).warn(
            f"{loaded.voice_map.source}: [pronounce] for = {', '.join(map(repr, nobody))}: no "
            "such speaker or voice in this book; give narrator, a character or a voice name"
        )
    return cast(loaded)


def unknown_pronounce_speakers(vm: VoiceMap, cast: Sequence[Character]) -> list[str]:
    """Names in ``[pronounce]`` entries' ``for`` lists that are no speaker, character or voice."""
    known = {NARRATOR, *(fold(v) for v in vm.voices)}
    known |= {fold(n) for c in cast for n in (c.id, c.name, *c.aliases)}
    return sorted({w for p in vm.pronounce for w in p.speakers if w not in known})


# --- choosing chapters ----------------------------------------------------------------------

_RANGE = re.compile(r"^(\d+)\s*(?:-|–|\.\.)\s*(\d*)$")


def select_chapters(book: Book, spec: str) -> Book:
    """The book with only the chapters ``spec`` names: numbers and ranges (``3-7``, ``2,5``,
    ``10-`` to the end) or words of their titles (``marley``: every chapter whose title has
    them), separated by commas. Chapters keep their numbers and titles."""
    count = len(book.chapters)
    chosen: set[int] = set()
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        m = _RANGE.match(item)
        if m or item.isdigit():
            first = int(m.group(1) if m else item)
            last = (int(m.group(2)) if m.group(2) else count) if m else first
            if not 1 <= first <= last <= count:
                raise UsageError(
                    f"--chapters {item}: the book has chapters 1 to {count}; "
                    "give numbers in that range (e.g. 3-7)"
                )
            chosen.update(range(first, last + 1))
            continue
        words = fold(item).split()
        found = {
            i for i, ch in enumerate(book.chapters, 1) if all(w in fold(ch.title) for w in words)
        }
        if not found:
            raise UsageError(
                f"--chapters {item!r}: no chapter title has these words; "
                "`audiobook script INPUT` lists the chapters"
            )
        chosen |= found
    if not chosen:
        raise UsageError("--chapters: give chapter numbers (3-7) or words of their titles")
    kept = tuple(ch for i, ch in enumerate(book.chapters, 1) if i in chosen)
    return replace(book, chapters=kept)
