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
from .model import Book, Chapter, Character, Segment, Source, count_lines
from .progress import Reporter, Silent
from .text import body_span, find_chapters, read_source, story_files, title_from_text

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
    key: str, src: Source, first_index: int
) -> tuple[tuple[Character, ...], list[Chapter]]:
    """One story file's cast and chapters (numbered from ``first_index``)."""
    start, end = body_span(src.text)
    spans = find_chapters(src.text, start, end)
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


def read_book(inputs: Sequence[Path], title: str | None = None, author: str | None = None) -> Book:
    """Read the stories and analyse them into a :class:`Book` (chapters, segments, cast)."""
    files = story_files(list(inputs))
    sources: dict[str, Source] = {}
    chapters: list[Chapter] = []
    casts: list[tuple[Character, ...]] = []
    for path in files:
        key = str(path)
        sources[key] = read_source(path)
        cast, found = _read_chapters(key, sources[key], len(chapters) + 1)
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
    return Book(title=title, author=author, sources=sources, chapters=tuple(chapters), cast=cast)


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
                "segments": [_segment_dict(s) for s in ch.segments],
            }
            for ch in book.chapters
        ],
    }


def _segment_dict(s: Segment) -> dict[str, Any]:
    return {
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
    return cast(loaded)
