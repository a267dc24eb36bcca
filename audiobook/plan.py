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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from .assemble import FORMATS
from .casting import Casting
from .engines import VoiceSettings
from .engines.base import chunks
from .errors import InputError
from .model import NARRATOR, Book, Chapter, Segment
from .text import mask_markup, script_runs, speakable

MAX_JOB_WORDS = 250
"""Longer spoken segments are split at sentence ends into jobs of about this many words."""
PAUSE_MS = {"phrase": 150, "paragraph": 650, "scene": 1400, "lead_in": 400, "lead_out": 1600}
"""Silences in milliseconds: between phrases, paragraphs, scenes; before and after a chapter."""


class Keyed(Protocol):
    """What planning needs from the synthesizer: the cache key of a text in a voice."""

    def key(self, voice: VoiceSettings, text: str) -> str:
        """Cache key for ``text`` in ``voice``."""
        ...


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


def _lang_voice(voice: VoiceSettings, lang: str) -> VoiceSettings:
    """The voice for a run in another writing system: that language's eSpeak voice with the
    same variant and prosody (a Piper model speaks only its own language, so its runs go to
    eSpeak at the same rate)."""
    if voice.model:
        return VoiceSettings(lang, voice.rate, volume=voice.volume)
    variant = voice.engine_voice.partition("+")[2]
    return replace(voice, engine_voice=f"{lang}+{variant}" if variant else lang)


def plan_chapter(ch: Chapter, source_text: str, casting: Casting, synth: Keyed) -> list[Planned]:
    """The spoken pieces of a chapter with their cache keys and pauses.

    ``source_text`` is the chapter's source with markup masked (:func:`text.mask_markup`).
    """
    planned: list[Planned] = []
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
                run_voice = voice if lang is None else _lang_voice(voice, lang)
                # a long paragraph becomes several jobs: parallel, and bounded in memory
                for piece in chunks(run, MAX_JOB_WORDS) if len(run) > 4 * MAX_JOB_WORDS else [run]:
                    planned.append(
                        Planned(seg, synth.key(run_voice, piece), pending, piece, run_voice)
                    )
                    pending = 0
        pending = max(pending, _pause_between(seg, nxt))
    return planned


def plan_book(book: Book, casting: Casting, synth: Keyed) -> list[list[Planned]]:
    """Every chapter's plan; raises InputError when the book has nothing to read aloud."""
    masked = {key: mask_markup(src.text) for key, src in book.sources.items()}
    plans = [plan_chapter(ch, masked[ch.source], casting, synth) for ch in book.chapters]
    if not any(plans):
        raise InputError("the stories have nothing to read aloud; give a story with words in it")
    return plans


def chapter_key(fmt_name: str, planned: Sequence[Planned], rate: int) -> str:
    """Content address of a chapter's encoded audio: its pieces, pauses, rate and encoder."""
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
