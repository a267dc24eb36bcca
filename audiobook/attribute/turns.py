"""Turn-taking over a whole exchange, backwards as well as forwards.

The cascade reads a chapter forwards, so an untagged line takes the other person of the
exchange as it stood before it. In a run of consecutive paragraphs of dialogue between two
people, the lines alternate: an untagged line is the speaker of the nearest line with
evidence of its own (a tag, an action beat; before or after it) when an even number of
turns separates them, else the other person. A run is two people's when the lines with
evidence name exactly two speakers (or one, the other being the one guessed most for the
rest of its lines) and nobody else is addressed by name in it. This pass
re-reads each run once the whole chapter is attributed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from audiobook.attribute.tags import Pick

__all__ = ["Turn", "realign"]

WEAK = frozenset(["turn-taking", "nearest-mention", "no-evidence", "narration-before"])
"""Evidence that only guesses from the exchange."""


@dataclass
class Turn:
    """One paragraph of dialogue: its index, its quotes (indexes into the picks), and the
    people addressed by name in it."""

    para: int
    quotes: list[int]
    vocatives: set[str]
    joined: bool
    """True when nothing but the paragraph break separates it from the turn before."""


def _runs(turns: list[Turn]) -> list[list[Turn]]:
    runs: list[list[Turn]] = []
    for t in turns:
        if runs and t.joined:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _evidence(t: Turn, picks: list[Pick]) -> Pick:
    """The pick that decided the turn: its first one that continues no other."""
    return next(
        (picks[i] for i in t.quotes if picks[i].evidence != "continuation"), picks[t.quotes[0]]
    )


def _anchor(t: Turn, picks: list[Pick]) -> str | None:
    pk = _evidence(t, picks)
    return None if pk.evidence in WEAK else pk.speaker


def realign(turns: list[Turn], picks: list[Pick], teller: str | None = None) -> None:
    """Give the weak turns of every two-person run the speaker alternation implies.
    ``teller``: the first-person narrator, when the story has one."""
    for run in _runs(turns):
        anchors = [(k, a) for k, t in enumerate(run) if (a := _anchor(t, picks)) is not None]
        people = list(dict.fromkeys(a for _, a in anchors))
        # Everyone addressed by name in the run takes part too: a third person makes it no
        # two-person exchange.
        named = {v for t in run for v in t.vocatives}
        if len(people) == 1 and len(run) >= 3 and teller is not None and people[0] != teller:
            # One person with evidence in a story told by "I": the teller is the other.
            people.append(teller)
        elif len(people) == 1 and len(run) >= 3:
            # One person with evidence: the other is the one guessed most for the rest.
            guesses = Counter(
                picks[t.quotes[0]].speaker
                for t in run
                if _anchor(t, picks) is None and picks[t.quotes[0]].speaker != people[0]
            )
            if guesses:
                people.append(guesses.most_common(1)[0][0])
        if len(people) != 2 or named - set(people):
            continue
        for k, t in enumerate(run):
            if _anchor(t, picks) is not None:
                continue
            near_k, near_a = min(anchors, key=lambda ka: (abs(ka[0] - k), ka[0] < k))
            other = people[1] if near_a == people[0] else people[0]
            who = near_a if (k - near_k) % 2 == 0 else other
            if who in t.vocatives:
                continue
            for i in t.quotes:
                old = picks[i]
                picks[i] = Pick(
                    who, "alternation", 0.6, old.speaker if old.speaker != who else None
                )
