"""The pronunciation table (``[pronounce]`` in a voice map) and the spoken form of a text.

eSpeak guesses names from their spelling and often guesses wrong ("Lefevre", "Roux"). A
voice map can say how a word is said, once for the whole book::

    [pronounce]
    "Lefevre" = "Le-fev-ruh"                          # a respelling
    "Roux" = { phonemes = "r'u:" }                    # eSpeak phonemes ([[...]] input)
    "Léa" = { say = "Lay-ah", for = ["narrator"] }    # only when these speakers say it
    "NASA" = { say = "Nassa", match_case = true }     # only this exact capitalisation

Entries match whole words, case-insensitively unless ``match_case`` is set. :func:`spoken_form`
applies the table first (to the words as written) and then :func:`audiobook.normalize.normalize`,
keeping each replacement out of normalisation's reach (eSpeak phonemes use digits and colons).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import VoiceMapError
from .names import fold
from .normalize import normalize

__all__ = ["Pronunciation", "merge", "parse_pronounce", "spoken_form"]

_ALLOWED = {"say", "phonemes", "for", "match_case"}
_PHONEMES = re.compile(r"^[A-Za-z0-9'`,:@;_#!^=~.|*&%/<>?{}()\-+\s]+$")


@dataclass(frozen=True)
class Pronunciation:
    """One entry of the ``[pronounce]`` table."""

    word: str
    """The word (or words) as written in the book."""
    say: str
    """What the engine is given instead: a respelling, or ``[[phonemes]]`` for eSpeak."""
    speakers: frozenset[str] = frozenset()
    """Speaker names, ids or voice names it is limited to, folded; empty: everyone."""
    match_case: bool = False
    """Match only the exact capitalisation."""

    def pattern(self) -> re.Pattern[str]:
        """The whole-word pattern of :attr:`word`."""
        flags = 0 if self.match_case else re.IGNORECASE
        return re.compile(r"(?<![\w'\u2019-])" + re.escape(self.word) + r"(?![\w-])", flags)

    def applies_to(self, who: Iterable[str]) -> bool:
        """True when the entry is for everyone or for one of ``who`` (folded names)."""
        return not self.speakers or bool(self.speakers & set(who))


def _err(path: str, key: str, msg: str) -> VoiceMapError:
    return VoiceMapError(f"{path}: {key}: {msg}")


def _entry(path: str, word: Any, value: Any) -> Pronunciation:
    key = f"pronounce.{word!r}"
    if not isinstance(word, str) or not word.strip() or not re.search(r"\w", word):
        raise _err(path, key, "the word to pronounce must have letters in it")
    if isinstance(value, str):
        value = {"say": value}
    if not isinstance(value, dict):
        raise _err(path, key, 'give a respelling ("Le-fev-ruh") or a table { say = ... } or '
                   "{ phonemes = ... }")  # fmt: skip
    for k in value:
        if k not in _ALLOWED:
            raise _err(
                path, f"{key}.{k}", f"unknown key; allowed keys: {', '.join(sorted(_ALLOWED))}"
            )
    if ("say" in value) == ("phonemes" in value):
        raise _err(path, key, "give exactly one of say (a respelling) or phonemes (eSpeak's)")
    if "say" in value:
        say = value["say"]
        if not isinstance(say, str) or not re.search(r"\w", say) or "[" in say or "]" in say:
            raise _err(path, f"{key}.say", "must be a respelling with letters, without [ or ]")
        said = say.strip()
    else:
        ph = value["phonemes"]
        if not isinstance(ph, str) or not ph.strip() or not _PHONEMES.match(ph):
            raise _err(
                path,
                f"{key}.phonemes",
                "must be eSpeak phoneme mnemonics such as \"r'u:\" (letters, digits and ' , : @ ...)",
            )
        said = f"[[{ph.strip()}]]"
    who = value.get("for", [])
    if isinstance(who, str):
        who = [who]
    if not isinstance(who, list) or not all(isinstance(w, str) and w.strip() for w in who):
        raise _err(path, f"{key}.for", 'must be a list of speakers or voices, e.g. ["narrator"]')
    match_case = value.get("match_case", False)
    if not isinstance(match_case, bool):
        raise _err(path, f"{key}.match_case", "must be true or false")
    return Pronunciation(word.strip(), said, frozenset(fold(w) for w in who), match_case)


def parse_pronounce(path: str, table: Any) -> tuple[Pronunciation, ...]:
    """The entries of a ``[pronounce]`` table; every mistake raises VoiceMapError naming the
    file and the key."""
    if not isinstance(table, dict):
        raise _err(path, "pronounce", 'must be a table: "Word" = "respelling"')
    return tuple(_entry(path, word, value) for word, value in table.items())


def merge(
    base: tuple[Pronunciation, ...], extra: tuple[Pronunciation, ...]
) -> tuple[Pronunciation, ...]:
    """``base`` with ``extra`` on top (an entry for the same word replaces the older one)."""
    replaced = {e.word.lower() for e in extra}
    return tuple(e for e in base if e.word.lower() not in replaced) + extra


def _marker(i: int) -> str:
    """Private-use characters standing for a replacement while the text is normalised."""
    return f"\ue002{chr(0xE200 + i % 0x1000)}{chr(0xE200 + i // 0x1000)}\ue003"


def spoken_form(text: str, table: tuple[Pronunciation, ...] = (), who: Iterable[str] = ()) -> str:
    """What the engine is given for ``text`` said by ``who`` (folded names of the speaker and
    its voice): the pronunciation table applied, then numbers and abbreviations in words."""
    said: list[str] = []
    who = frozenset(who)
    # longer words first, so "Saint-Exupéry" wins over "Saint"
    for entry in sorted(table, key=lambda e: -len(e.word)):
        if entry.applies_to(who):

            def repl(m: re.Match[str], say: str = entry.say) -> str:
                said.append(say)
                return _marker(len(said) - 1)

            text = entry.pattern().sub(repl, text)
    out = normalize(text)
    for i, say in enumerate(said):
        out = out.replace(_marker(i), say)
    return out
