"""The state of a conversation within one chapter: who has spoken, who was addressed.

Rules for untagged and pronoun-tagged lines read it: the other person of an exchange
answers, a person just addressed by name replies. A scene break empties it; a long stretch
of narration keeps only the last speaker.
"""

from __future__ import annotations

from audiobook.segment import Paragraph

__all__ = ["Conversation"]


class Conversation:
    """Conversation state within one chapter."""

    def __init__(self, paras: list[Paragraph], chapter_start: int) -> None:
        self.paras = paras
        self.chapter_start = chapter_start
        self.para_start = chapter_start
        """Start of the paragraph being attributed."""
        self.para_index = -1
        """Index of the paragraph being attributed."""
        self.speakers: list[str] = []
        self.last_para = -10
        """Index of the last paragraph with a spoken quote (where it ends)."""
        self.addressed: str | None = None
        """The one person addressed by name in the last line, if any."""
        self.quoted: set[int] = set()
        """Indexes of the paragraphs with a spoken quote."""

    def reset(self) -> None:
        """A scene break: nobody is in the exchange any more."""
        self.speakers = []
        self.addressed = None

    def soften(self) -> None:
        """A long stretch of narration: keep only the last speaker."""
        self.speakers = self.speakers[-1:]
        self.addressed = None

    def spoke(self, pid: str, vocs: set[str]) -> None:
        """Record that ``pid`` spoke, addressing ``vocs``."""
        self.speakers.append(pid)
        self.speakers = self.speakers[-8:]
        self.addressed = next(iter(vocs)) if len(vocs) == 1 else None

    def last_speaker(self) -> str | None:
        """Who spoke last."""
        return self.speakers[-1] if self.speakers else None

    def participants(self) -> list[str]:
        """Distinct recent speakers, most recent first."""
        out: list[str] = []
        for s in reversed(self.speakers):
            if s not in out:
                out.append(s)
        return out[:3]

    def other(self, pid: str) -> str | None:
        """The most recent speaker other than ``pid``."""
        for s in reversed(self.speakers):
            if s != pid:
                return s
        return None
