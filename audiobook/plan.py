"""Planning: what each chapter says, in which voice, with which pause before it.

A chapter becomes a list of :class:`Planned` pieces: a piece of one segment's speakable text,
the voice that reads it (another writing system goes to that language's voice), its cache key,
and the silence before it. Long paragraphs are cut into several pieces, so synthesis runs in
parallel and memory stays bounded. Nothing is synthesized here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from .assemble import FORMATS
from .casting import Casting
from .engines import VoiceSettings
from .engines.base import chunks
from .errors import InputError
from .loudness import LEVELLING
from .model import NARRATOR, Book, Chapter, Pauses, Segment
from .names import fold
from .pronounce import Pronunciation, spoken_form
from .text import mask_markup, script_runs, speakable

MAX_JOB_WORDS = 250
"""Longer spoken segments are split at sentence ends into jobs of about this many words."""


class Keyed(Protocol):
    """What planning needs from the synthesizer: the cache key of a text in a voice."""

    def key(self, voice: VoiceSettings, text: str) -> str:
        """Cache key for ``text`` in ``voice``."""
        ...


@dataclass(frozen=True)
class Speech:
    """How a segment becomes the words the engine is given: its speakable text, the
    pronunciation table, then numbers and abbreviations in words (:mod:`audiobook.pronounce`)."""

    pronounce: tuple[Pronunciation, ...] = ()
    """The voice map's ``[pronounce]`` entries."""
    names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Speaker id -> the folded names an entry's ``for`` may use (id, name, aliases, voice)."""

    def spoken(self, seg: Segment, source_text: str) -> str:
        """What is said for ``seg`` ("" when nothing); ``source_text`` has markup masked."""
        text = speakable(source_text[seg.start : seg.end])
        if not text:
            return ""
        return spoken_form(text, self.pronounce, self.names.get(seg.speaker, {seg.speaker}))


def speech_for(book: Book, casting: Casting, pronounce: tuple[Pronunciation, ...] = ()) -> Speech:
    """The :class:`Speech` of a cast book: who is who for ``[pronounce]`` entries' ``for``."""
    names: dict[str, frozenset[str]] = {}
    for sp, voice in casting.voices.items():
        who = {sp, fold(voice.name), fold(casting.names.get(sp, voice.name))}
        c = book.character(sp)
        if c is not None:
            who |= {fold(c.name), *(fold(a) for a in c.aliases)}
        names[sp] = frozenset(who)
    return Speech(pronounce, names)


def segment_spoken(book: Book, speech: Speech) -> dict[str, str]:
    """Segment id -> what is said for it, for the whole book (``spoken`` in script.json)."""
    out: dict[str, str] = {}
    masked = {key: mask_markup(src.text) for key, src in book.sources.items()}
    for ch in book.chapters:
        for seg in ch.segments:
            out[seg.id] = "" if _is_scene_break(seg) else speech.spoken(seg, masked[ch.source])
    return out


@dataclass(frozen=True)
class Planned:
    """One spoken piece of a chapter: which audio, and the pause before it."""

    segment: Segment
    """The segment the piece belongs to."""
    key: str
    """Cache key of its audio."""
    pause_before: int
    """Milliseconds of silence before it."""
    spoken: str
    """The words sent to the engine."""
    voice: VoiceSettings
    """The voice that says them."""


def _paragraph_ends(a: Segment, b: Segment | None) -> bool:
    """True if a paragraph break lies between ``a`` and ``b`` (or ``a`` ends the chapter)."""
    gap = re.search(r"\s*$", a.text)
    tail = gap.group(0) if gap else ""
    head = re.match(r"\s*", b.text).group(0) if b is not None else ""  # type: ignore[union-attr]
    return "\n\n" in tail + head


def _pause_between(a: Segment, b: Segment | None, last_quote: str | None, p: Pauses) -> int:
    """The silence after ``a``; ``last_quote`` is the speaker of the paragraph's last quote."""
    if not _paragraph_ends(a, b):
        return p.phrase
    if b is not None and b.kind == "dialogue" and last_quote not in (None, b.speaker):
        return p.turn
    return p.paragraph


def _is_scene_break(seg: Segment) -> bool:
    return bool(re.fullmatch(r"\s*(?:[*#~\-_=•·]\s*){3,}\s*", seg.text))


def _lang_voice(voice: VoiceSettings, lang: str) -> VoiceSettings:
    """The voice for a run in another writing system: that language's eSpeak voice with the
    same variant and prosody (a Piper model speaks only its own language, so its runs go to
    eSpeak at the same rate)."""
    if voice.model:
        return VoiceSettings(lang, voice.rate, volume=voice.volume)
    variant = voice.engine_voice.partition("+")[2]
    return replace(voice, engine_voice=f"{lang}+{variant}" if variant else lang)


def plan_chapter(
    ch: Chapter,
    source_text: str,
    casting: Casting,
    synth: Keyed,
    speech: Speech | None = None,
    pauses: Pauses | None = None,
) -> list[Planned]:
    """The spoken pieces of a chapter with their cache keys and pauses.

    ``source_text`` is the chapter's source with markup masked (:func:`text.mask_markup`);
    ``speech`` turns a segment into the words said (default: no pronunciation table);
    ``pauses`` are the voice map's (default: :class:`model.Pauses`).
    """
    speech = speech or Speech()
    pauses = pauses or Pauses()
    planned: list[Planned] = []
    pending = pauses.chapter_start
    last_quote: str | None = None
    segs = ch.segments
    for i, seg in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if _is_scene_break(seg):
            pending = max(pending, pauses.scene)
            last_quote = None
            continue
        if seg.kind == "dialogue":
            last_quote = seg.speaker
        spoken = speech.spoken(seg, source_text)
        if spoken:
            voice = (casting.voices.get(seg.speaker) or casting.voices[NARRATOR]).settings
            for lang, run in script_runs(spoken):
                # another writing system is read by that language's voice, same prosody
                run_voice = voice if lang is None else _lang_voice(voice, lang)
                # a long paragraph becomes several jobs: parallel, and bounded in memory
                for piece in chunks(run, MAX_JOB_WORDS) if len(run) > 4 * MAX_JOB_WORDS else [run]:
                    planned.append(
                        Planned(seg, synth.key(run_voice, piece), pending, piece, run_voice)
                    )
                    pending = 0
        pending = max(pending, _pause_between(seg, nxt, last_quote, pauses))
        if _paragraph_ends(seg, nxt):
            last_quote = None
    return planned


def plan_book(
    book: Book,
    casting: Casting,
    synth: Keyed,
    speech: Speech | None = None,
    pauses: Pauses | None = None,
) -> list[list[Planned]]:
    """Every chapter's plan; raises InputError when the book has nothing to read aloud."""
    masked = {key: mask_markup(src.text) for key, src in book.sources.items()}
    plans = [
        plan_chapter(ch, masked[ch.source], casting, synth, speech, pauses) for ch in book.chapters
    ]
    if not any(plans):
        raise InputError("the stories have nothing to read aloud; give a story with words in it")
    return plans


def chapter_key(
    fmt_name: str,
    planned: Sequence[Planned],
    rate: int,
    lead_out: int = Pauses.chapter_end,
    codec: str = "pcm",
) -> str:
    """Content address of a chapter's encoded audio: its pieces, pauses, levelling, rate and
    encoder, and how the pieces are cached (a chapter is made from the decoded cached pieces)."""
    fmt = FORMATS[fmt_name]
    blob = json.dumps(
        {
            "v": 1,
            "level": LEVELLING,
            **({} if codec == "pcm" else {"pieces_codec": codec}),
            "fmt": list(fmt.chapter_args),
            "rate": rate,
            "lead_out": lead_out,
            "pieces": [(p.key, p.pause_before) for p in planned],
        }
    )
    return hashlib.sha256(blob.encode()).hexdigest()
