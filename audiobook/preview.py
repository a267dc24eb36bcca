"""Fast listening while tuning the cast: a slice of a story, one voice's sample, a cast reel."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .assemble import AudioSegment, join_chapter, level, setup_pydub, silence
from .casting import Casting, Voice
from .engines import VoiceSettings
from .errors import OutputError, UsageError
from .model import NARRATOR, Book, Pauses
from .names import find_all, is_narrator
from .plan import Speech, plan_chapter
from .synth import Job, Synthesizer, iter_unique, wait_for
from .text import mask_markup, speakable

SAMPLE_TEXT = (
    "Hello. This is how I sound when I read a story aloud, with a question? And an answer!"
)


@dataclass(frozen=True)
class Line:
    """One thing to say in a preview: who says it, in which voice, and the words."""

    speaker: str
    voice_name: str
    settings: VoiceSettings
    text: str
    pause_before: int | None = None
    """Milliseconds of silence before it, as a build would leave (None: the preview's gap)."""


def _line(speaker: str, voice: Voice, text: str) -> Line:
    return Line(speaker, voice.name, voice.settings, text)


def sample_line(voice: Voice) -> Line:
    """The sample sentence in ``voice``, as ``voices list --sample`` says it."""
    return _line(NARRATOR, voice, SAMPLE_TEXT)


def sample_path(name: str) -> Path:
    """Where ``voices list --sample NAME`` writes by default: ``sample-<name>.wav``."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "voice"
    return Path(f"sample-{slug}.wav")


def select_lines(
    book: Book,
    casting: Casting,
    synth: Synthesizer,
    chapter: int | None = None,
    lines: int | None = None,
    speaker: str | None = None,
    speech: Speech | None = None,
    pauses: Pauses | None = None,
) -> list[Line]:
    """The spoken segments of a book, narrowed to a chapter, a speaker, or the first N lines;
    ``speech`` says them as a build would (pronunciation table, numbers in words), with the
    silences of ``pauses`` between them (a paragraph's where lines were left out)."""
    chapters = book.chapters
    if chapter is not None:
        if not 1 <= chapter <= len(chapters):
            raise UsageError(
                f"--chapter {chapter} does not exist; the story has chapters 1 to {len(chapters)}"
            )
        chapters = (chapters[chapter - 1],)
    wanted: set[str] | None = None
    if speaker is not None:
        wanted = {c.id for c in find_all(book.cast, speaker)}
        if is_narrator(speaker):
            wanted.add(NARRATOR)
        if not wanted:
            names = ", ".join(c.name for c in book.cast) or "none"
            raise UsageError(f"no character called {speaker!r}; the cast is: {names}")
    pauses = pauses or Pauses()
    out: list[Line] = []
    for ch in chapters:
        masked = mask_markup(book.sources[ch.source].text)
        skipped = False
        for p in plan_chapter(ch, masked, casting, synth, speech, pauses):
            if wanted is not None and p.segment.speaker not in wanted:
                skipped = True
                continue
            name = (casting.voices.get(p.segment.speaker) or casting.voices[NARRATOR]).name
            gap = max(p.pause_before, pauses.paragraph) if skipped else p.pause_before
            out.append(Line(p.segment.speaker, name, p.voice, p.spoken, gap if out else 0))
            skipped = False
            if lines is not None and len(out) >= lines:
                return out
    return out


def cast_reel(book: Book, casting: Casting) -> list[Line]:
    """The narrator names each character, who then says one of their own first lines."""
    firsts: dict[str, str] = {}
    for ch in book.chapters:
        for seg in ch.segments:
            if seg.kind == "dialogue" and seg.speaker != NARRATOR and seg.speaker not in firsts:
                firsts[seg.speaker] = speakable(seg.text)
    narrator = casting.voices[NARRATOR]
    reel = [_line(NARRATOR, narrator, "The narrator.")]
    for c in book.cast:
        if c.id in firsts and c.id in casting.voices:
            reel.append(_line(NARRATOR, narrator, f"{c.name}."))
            reel.append(_line(c.id, casting.voices[c.id], firsts[c.id]))
    return reel


def render(
    lines: Sequence[Line],
    synth: Synthesizer,
    on_line: Callable[[Line], None] | None = None,
    pause_ms: int = 350,
) -> AudioSegment:
    """Synthesize (through the cache) and join the lines, each after its own pause (else
    ``pause_ms``), with ``pause_ms`` at the end; ``on_line`` is called as each is ready."""
    setup_pydub()
    keyed = [(line, synth.key(line.settings, line.text)) for line in lines]
    jobs = list(iter_unique(Job(k, line.text, line.settings) for line, k in keyed))
    futures = synth.submit_all(jobs)
    parts: list[bytes] = []
    rate = synth.sample_rate
    for n, (line, key) in enumerate(keyed):
        wait_for(key, futures)
        audio = synth.cache.get(key) or synth.render_now(Job(key, line.text, line.settings))
        rate = audio.sample_rate
        gap = pause_ms if line.pause_before is None else line.pause_before
        if n and gap:
            parts.append(silence(gap, rate))
        parts.append(level(audio).pcm)
        if on_line is not None:
            on_line(line)
    parts.append(silence(pause_ms, rate))
    synth.close()
    return join_chapter(parts, rate)


def write_audio(audio: AudioSegment, dest: Path) -> None:
    """Write WAV (or any format ffmpeg knows from the suffix), atomically."""
    fmt = dest.suffix.lower().lstrip(".") or "wav"
    if fmt == "m4a":
        fmt = "ipod"
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        audio.export(str(tmp), format=fmt)
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {dest} ({exc.strerror})") from None


def find_player() -> list[str] | None:
    """A command that plays an audio file here, if there is one."""
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ["afplay"]
    for cmd in (
        ["paplay"],
        ["aplay", "-q"],
        ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"],
    ):
        if shutil.which(cmd[0]):
            return cmd
    if sys.platform == "win32":
        return ["powershell", "-c", "(New-Object Media.SoundPlayer $args[0]).PlaySync()"]
    return None


def play(path: Path) -> bool:
    """Play ``path`` with the first player found; False if there is none (or it failed)."""
    player = find_player()
    if player is None:
        return False
    try:
        return subprocess.run([*player, str(path)], check=False).returncode == 0
    except OSError:
        return False
