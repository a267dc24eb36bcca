"""Where each person is mentioned in the narration, and who a pronoun refers to.

Names of the cast are found in every stretch of narration (outside spoken quotes), each
marked as a clause subject or not; an indefinite description ("a young woman named Colette")
binds a noun to a person from there on. Pronoun resolution picks the most salient person of
a gender: the subject of the paragraph, the person just addressed, the one acting in the
paragraph before, the people of the conversation, then the nearest mention.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from audiobook.attribute.conversation import Conversation
from audiobook.attribute.patterns import INTRO, NAME, NAMING, NOUNS, OBJ_BEFORE
from audiobook.attribute.registry import Registry
from audiobook.model import NARRATOR, Gender

__all__ = ["Mention", "Mentions", "first_person"]

_ACTED_SPAN = 600
"""Characters back (a few sentences) in which a person acting is the one a pronoun means."""
_FOCAL_SPAN = 8000
"""Characters back (a few pages) over which the person a passage follows is counted."""


@dataclass
class Mention:
    """A name of a person in the narration."""

    start: int
    end: int
    pid: str
    subject: bool
    """True when the name starts a clause (it acts rather than is acted on)."""


def first_person(text: str, narration: list[tuple[int, int]]) -> bool:
    """True when the narration is told in the first person ("I", "me", "my" are common)."""
    words = 0
    i_count = 0
    for a, b in narration:
        chunk = text[a:b]
        words += chunk.count(" ")
        i_count += len(re.findall(r"\b(?:I|me|my)\b", chunk))
    return words > 0 and i_count / max(words, 1) > 0.008


_NOT_BEFORE = "'\u2019"
"""Besides a letter, what may not come right before a name (its start would be mid-word)."""
_CAP = re.compile(r"(?<![\w'\u2019])[^\W\d_a-z]\w*")
"""A capitalised word where a name may start."""


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _AliasScanner:
    """Finds the cast's names in stretches of a text, as one regular expression of all of
    them would (longest name first at each place; whole words, and not followed by an
    apostrophe and a letter, so "Ann" is not found in "Anne" or "Ann's"), but by looking up the
    capitalised words of the stretch: an alternation of 2,000 names tried at every character
    of a 5-million-character book took 8 s."""

    def __init__(self, text: str, names: list[str]) -> None:
        self.text = text
        self.by_first: dict[str, list[str]] = {}
        rest: list[str] = []
        for n in sorted(names, key=len, reverse=True):
            first = re.match(r"\w+", n)
            if first is not None and n.startswith(first.group()) and _CAP.fullmatch(first.group()):
                self.by_first.setdefault(first.group(), []).append(n)
            else:
                rest.append(n)
        self.rest = (
            re.compile(
                r"(?<![\w'\u2019])(?:" + "|".join(map(re.escape, rest)) + r")(?!\w)(?![\'\u2019]\w)"
            )
            if rest
            else None
        )

    def matches(self, a: int, b: int) -> list[tuple[int, int]]:
        """(start, end) of the names in ``text[a:b]``, in order, none overlapping."""
        found: list[tuple[int, int]] = []
        text = self.text
        for m in _CAP.finditer(text, a, b):
            for n in self.by_first.get(m.group(), ()):
                end = m.start() + len(n)
                if end > b or not text.startswith(n, m.start()):
                    continue
                if end < b and (
                    _wordish(text[end])
                    or (text[end] in _NOT_BEFORE and end + 1 < b and _wordish(text[end + 1]))
                ):
                    continue
                found.append((m.start(), end))
                break
        if self.rest is not None:
            found.extend(m.span() for m in self.rest.finditer(text, a, b))
            found.sort(key=lambda se: (se[0], -se[1]))
        out: list[tuple[int, int]] = []
        for start, end in found:
            if not out or start >= out[-1][1]:
                out.append((start, end))
        return out


_CLAUSE_AND = re.compile(r",\s+(?:and|but|then|and\s+then|but\s+then|so|yet)\s+$")
"""Text ending with a comma and a conjunction (", and then", ", so"): a new clause may
start."""
_OPENING_ADVERB = re.compile(
    r"(?:^|[.!?;:\"\u201d\u2019]\s*|\n\s*)(?:Then|Presently|Suddenly|Now|Here|Meanwhile|"
    r"Soon|Again|Instantly|Immediately|Finally|Afterwards|Next|Still|So|Just\s+then|"
    r"At\s+last|At\s+length|At\s+once|Once\s+more),?\s+$"
)
"""A sentence opening on an adverb of time or sequence, whose subject comes next: "Then
Ida rose.", "Finally Ida stepped in."."""
_VERB_AFTER = re.compile(
    r"\s+(?!(?:and|or|nor|of|to|in|with|at|on|for|the|a|an|who|whom|whose|which|that|"
    r"herself|himself|alone|too|both)\b)[a-z]+\b(?!,)"
)
"""A lowercase word right after a name, most often its verb (not one set off by a comma:
"and Ida especially, liked it")."""


_OPENING_POSSESSIVE = re.compile(rf"\s*(?P<n>{NAME})['\u2019]s\s+[a-z]")
"""A paragraph opening on a name in the possessive and a lowercase word: "Ida's lips"."""


_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?;](?=\s|$)")
"""The end of a sentence (not the full stop of "Mr.")."""


class Mentions:
    """The mentions of the cast in the narration, in text order."""

    def __init__(
        self, text: str, cast: Registry, narration: list[tuple[int, int]], first: bool
    ) -> None:
        self.text = text
        self.cast = cast
        self.first_person = first
        """The narration is told in the first person."""
        self.noun_binding: list[tuple[int, str, str]] = []
        """(position, noun, person id): a description bound to a person from there on."""
        ments: list[Mention] = []
        scan = _AliasScanner(text, list(cast.alias))
        for a, b in narration:
            for start, end in scan.matches(a, b):
                known = cast.alias.get(text[start:end])
                if known is not None:
                    ments.append(Mention(start, end, known, self.is_subject(start, end)))
            self._bind_descriptions(a, b)
        ments.sort(key=lambda x: x.start)
        self.mentions = ments
        self.starts = [x.start for x in ments]
        self.noun_binding.sort()

    def _bind_descriptions(self, a: int, b: int) -> None:
        """Descriptions in ``[a, b)``: "a young woman ... named Colette", "a woman"."""
        text = self.text
        for m in INTRO.finditer(text, a, b):
            noun = m.group("noun")
            tail = text[m.end() : min(b, m.end() + 120)]
            sent = re.split(r"[.!?;]", tail, maxsplit=1)[0]
            nm = NAMING.search(sent)
            pid: str | None
            if nm:
                pid = self.cast.lookup(nm.group("n"))
            else:
                if "," in m.group("adj"):
                    continue
                pid = self.cast.unnamed(m.group("adj"), noun)
            if pid is None:
                continue
            self.noun_binding.append((m.start(), noun, pid))
            # "The barista, a friendly woman named Colette": the barista is Colette too.
            lo = max(a, m.start() - 40)
            head = re.search(rf"\b[Tt]he\s+(?:[a-z-]+\s+)?({NOUNS}),\s+$", text[lo : m.start()])
            if head and nm:
                self.noun_binding.append((lo + head.start(), head.group(1), pid))

    def is_subject(self, pos: int, end: int | None = None) -> bool:
        """True when a name at ``pos`` starts a clause and is no object. A name (ending at
        ``end``) after a comma and "and", "but" or "then", or after an adverb of time opening
        the sentence, and before a verb starts a clause of its own: "the door opened, and Ida
        came in", "At last Ida rose" (not "with Ida, and Ida's aunt")."""
        before = self.text[max(0, pos - 30) : pos]
        opens = _CLAUSE_AND.search(before) or _OPENING_ADVERB.search(before)
        if end is not None and opens and _VERB_AFTER.match(self.text, end):
            return True
        if re.search(
            r"(?:^|[.!?;:\"\u201d\u2019]\s*|\n\s*|,\s+(?:and|but|then)\s+|\band\s+)$", before
        ):
            return not OBJ_BEFORE.search(before)
        return not OBJ_BEFORE.search(before) and bool(re.search(r",\s*$", before))

    def bound(self, noun: str, pos: int, floor: int) -> str | None:
        """The person ``noun`` ("the woman") was last bound to before ``pos``."""
        for p, n, pid in reversed(
            self.noun_binding[: bisect.bisect_left(self.noun_binding, (pos + 1,))]
        ):
            if p < floor:
                break
            if n == noun:
                return pid
        return None

    def between(self, a: int, b: int) -> list[Mention]:
        """Mentions starting in ``[a, b)``, nearest to ``b`` first."""
        i = bisect.bisect_left(self.starts, a)
        j = bisect.bisect_left(self.starts, b)
        return list(reversed(self.mentions[i:j]))

    def gender_ok(self, pid: str, g: Gender) -> bool:
        """The person has gender ``g`` (any person fits "unknown")."""
        return g == "unknown" or self.cast.gender(pid) == g

    def resolve_gender(
        self, g: Gender, pos: int, conv: Conversation, exclude: set[str], far: bool = True
    ) -> str | None:
        """The most salient recent character of gender ``g`` (pronoun resolution). ``far``
        False (a description, "said the tall man"): never someone named pages back, who is
        more likely another person than the one a new description brings in."""
        # 1. the subject of the current paragraph before the tag.
        here = [m for m in self.between(conv.para_start, pos) if m.pid not in exclude]
        for m in here:
            if m.subject and self.gender_ok(m.pid, g):
                return m.pid
        named = self._only_one_named(g, pos, here, conv)
        if named is not None:
            return named
        unsure = self._unknown_actor(g, here)
        if unsure is not None:
            return unsure
        if not here:
            near = self._just_before(g, conv, exclude)
            if near is not None:
                return near
        # 2. the people in the current exchange.
        parts = [p for p in conv.participants() if p not in exclude and p != NARRATOR]
        fit = [p for p in parts if self.cast.gender(p) == g]
        if fit:
            return self.among(fit, conv)
        # 3. the person of that gender the passage is about.
        focal = self._focal(g, pos, conv, exclude)
        if focal is not None:
            return focal
        for m in self.between(max(conv.chapter_start, pos - 4000), pos):
            if m.pid in exclude or self.cast.gender(m.pid) != "unknown":
                continue
            if g == "unknown" or m.pid in self.cast.spoken:
                return m.pid  # someone of unknown gender (who has spoken, for "he"/"she")
        # 4. In a story told by "I", "she replied" is never the teller: the last person of
        # that gender named, however far back.
        if far and g != "unknown" and self.first_person:
            for m in self.between(max(0, pos - 20000), pos):
                if m.pid not in exclude and m.pid != NARRATOR and self.cast.gender(m.pid) == g:
                    return m.pid
        return None

    @staticmethod
    def among(fit: list[str], conv: Conversation) -> str:
        """Which of the people of the exchange who fit a pronoun or a description (most
        recent speaker first) it means."""
        if len(fit) == 1 or conv.para_index != conv.last_para + 1:
            # Narration came between: the last of them to speak takes it up again
            # ("'Late,' said Lucy. / The clock struck. / 'We must go,' she said").
            return fit[0]
        # A line right after another answers it: the other one.
        return fit[0] if fit[0] != conv.last_speaker() else fit[1]

    def _focal(self, g: Gender, pos: int, conv: Conversation, exclude: set[str]) -> str | None:
        """Nobody of gender ``g`` in the paragraph or the exchange: one of that gender who
        acted in the last few sentences; else the one of that gender named most often in
        the last pages (whom the passage follows), not whoever was named last in passing
        ("having sent Edith Fox to the village for thread ... 'I am here,' she said")."""
        if g == "unknown":
            return None
        count: Counter[str] = Counter()
        for m in self.between(max(conv.chapter_start, pos - _FOCAL_SPAN), pos):
            if m.pid in exclude or self.cast.gender(m.pid) != g:
                continue
            if m.subject and m.start > pos - _ACTED_SPAN:
                return m.pid
            count[m.pid] += 1
        return count.most_common(1)[0][0] if count else None

    def _only_one_named(
        self, g: Gender, pos: int, here: list[Mention], conv: Conversation
    ) -> str | None:
        """No one of gender ``g`` acts in the paragraph before the tag, but one person of
        that gender is named there, as an object ("Ralph looked across at Lucy. 'Well,' she
        said"): the pronoun is that person. Not when a pronoun of that gender comes before
        the name (it is someone else, already in the paragraph) or someone of unknown
        gender acts (they may be the "he" or "she")."""
        if g == "unknown":
            return None
        same = [m for m in here if self.cast.gender(m.pid) == g]
        if not same or len({m.pid for m in same}) > 1:
            return None
        if any(m.subject and self.cast.gender(m.pid) == "unknown" for m in here):
            return None
        word = "he" if g == "male" else "she"
        first = same[-1].start  # ``here`` is nearest first
        if re.search(rf"\b{word}\b", self.text[conv.para_start : first], re.IGNORECASE):
            return None
        return same[0].pid

    def _unknown_actor(self, g: Gender, here: list[Mention]) -> str | None:
        """Nobody of gender ``g`` is named in the paragraph before the tag, but someone whose
        gender the book has not told acts there ("The Dormouse opened its eyes. 'No,' he
        said"): the pronoun tells it; that person speaks."""
        if g == "unknown" or any(self.cast.gender(m.pid) == g for m in here):
            return None
        acting = [m for m in here if m.subject and self.cast.gender(m.pid) == "unknown"]
        return acting[0].pid if acting else None

    def _opening_owner(self, start: int, g: Gender, exclude: set[str]) -> str | None:
        """A narration paragraph opening on a name in the possessive ("Ida's lips
        quivered.") is about that person: one of gender ``g``, if the cast knows them."""
        m = _OPENING_POSSESSIVE.match(self.text, start)
        if m is None:
            return None
        pid = self.cast.alias.get(re.sub(r"\s+", " ", m.group("n")))
        if pid is None or pid in exclude or self.cast.gender(pid) != g:
            return None
        return pid

    def _after_last_line(self, g: Gender, conv: Conversation, exclude: set[str]) -> str | None:
        """The paragraph just before ends, after its last line, in a sentence whose subject
        is of gender ``g`` ("'... do?' / Ida was half ashamed of her friend. / 'Upon my
        word,' she cried"): that person speaks next."""
        prev = conv.para_index - 1
        if prev not in conv.quoted or prev < 0:
            return None
        pp = conv.paras[prev]
        body = self.text[pp.start : pp.end]
        close = max(body.rfind('"'), body.rfind("\u201d"))
        if close < 0:
            return None
        # Only its first sentence: what follows may be about anyone.
        tail = _SENTENCE_END.search(self.text, pp.start + close + 1, pp.end)
        end = tail.end() if tail else pp.end
        acting = [
            m
            for m in self.between(pp.start + close + 1, end)
            if m.subject and m.pid not in exclude and self.cast.gender(m.pid) == g
        ]
        return acting[0].pid if acting else None

    def _just_before(self, g: Gender, conv: Conversation, exclude: set[str]) -> str | None:
        """Nobody named yet in the paragraph: the person of gender ``g`` just addressed by
        name answers ("he replied"), else the last one of that gender acting in the
        narration paragraph just before ("Mr. Pike looked at her. / 'Cards?' said he")."""
        if g == "unknown":
            return None
        if (
            conv.addressed is not None
            and conv.addressed not in exclude
            and conv.para_index == conv.last_para + 1
            and self.cast.gender(conv.addressed) == g
        ):
            return conv.addressed
        after_line = self._after_last_line(g, conv, exclude)
        if after_line is not None:
            return after_line
        # Back over the narration paragraphs just before, up to three, while each opens on
        # "He" (or "She"): "Ralph looked at her. / He bit his lip. / 'Well,' he said" is Ralph.
        prev = conv.para_index - 1
        while (
            0 <= prev < len(conv.paras) and prev not in conv.quoted and prev >= conv.para_index - 3
        ):
            pp = conv.paras[prev]
            near = [
                m
                for m in self.between(pp.start, pp.end)
                if m.pid not in exclude and self.cast.gender(m.pid) == g
            ]
            subj = [m for m in near if m.subject]
            if subj or near:
                return (subj or near)[0].pid
            owner = self._opening_owner(pp.start, g, exclude)
            if owner is not None:
                return owner
            unsure = self._unknown_actor(
                g, [m for m in self.between(pp.start, pp.end) if m.pid not in exclude]
            )
            if unsure is not None:
                return unsure
            word = "He" if g == "male" else "She"
            if not re.match(rf"\s*{word}\b", self.text[pp.start : pp.start + 10]):
                return None  # only a paragraph about the same "he" leads further back
            prev -= 1
        return None
