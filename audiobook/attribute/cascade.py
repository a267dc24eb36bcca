"""The attribution cascade: who says each quotation, with evidence and confidence.

Per paragraph with spoken quotes, from the most to the least certain rule: a
self-introduction, an explicit or pronoun tag of one of its quotes (the others continue
it), a narration paragraph leading into it, the character acting in the paragraph, the
vocative reply or turn-taking of the conversation, and last the nearest character
mentioned before. Narration after a line that names someone else as the subject of its
last sentence hands the next untagged line to that person.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import replace

from audiobook.attribute.cast import NameIndex, find_people
from audiobook.attribute.conversation import Conversation
from audiobook.attribute.lexicon import HONORIFICS
from audiobook.attribute.mentions import Mentions, first_person
from audiobook.attribute.patterns import (
    CLAUSE_CUT,
    DEF,
    NAME,
    PRONOUNS,
    SCENE_BREAK,
    SUBJ_PRON,
    VERBS,
)
from audiobook.attribute.registry import Registry
from audiobook.attribute.tags import Pick, Tags
from audiobook.attribute.turns import Turn, realign
from audiobook.model import NARRATOR, Analysis, Character, Gender, Segment
from audiobook.segment import Paragraph, Quote, find_quotes, paragraphs, spans_from_quotes

__all__ = ["Attributor"]

_TOLD = re.compile(
    rf"\b(?:(?:{VERBS})\s+(?:[\w.]+\s+){{0,3}}?to|turning\s+to|turned\s+to|addressing|asked|told|"
    rf"answered)\s+"
    rf"(?P<n>{NAME})"
)
"""Narration naming the person a line is spoken to."""
_TOLD_ME = re.compile(
    rf"\b(?:(?:{VERBS})\s+(?:[\w.]+\s+){{0,3}}?(?:to|upon)|(?:turning|turned|rounding|"
    r"rounded)\s+(?:to|upon|on)|addressing|asked|told|answered)\s+(?:me|myself)\b"
)
"""Narration saying a line is spoken to the teller: ``she added to myself``, ``rounding
upon me``."""
_TAGGED_DESC = re.compile(
    rf"[,!?\u2014-][\"\u201d\u2019']?\s+(?:{VERBS})\s+(?P<a>the\s+(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+(?<![^s]s))\b(?!\s+[A-Z])|"
    rf"[,!?\u2014-][\"\u201d\u2019']?\s+(?P<b>the\s+(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+(?<![^s]s))\s+(?:{VERBS})\b"
)
"""A speech tag whose subject is a capitalised description of one or two words: ``," said
the General``, ``the Invisible Man said`` (not a plural: "the Wilcoxes" are a family)."""
_OPENING_PRON = re.compile(r"(?:^\s*|[.!?;]\s+|\band\s+)(?P<p>He|She|I|he|she)\s+(?P<v>[a-z]+)")
"""A subject pronoun at a clause start of the narration opening a paragraph (read from a
slice, so that its first word counts)."""
_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb \n\u2014\u2013-"
"""Quotation marks, dashes and spaces around a quoted line."""
_THIRD_PERSON_VERB = re.compile(
    r"(?:is|was|has|had|will|would|can|could|must|may|might|shall|should|does|did|"
    r"(?!(?:yes|us|this|thus|always|perhaps|unless|besides|as|his|hers|its|ours|yours|"
    r"theirs|less|ladies|miss)\b)[a-z]+[^s\W]s)\b",
    re.IGNORECASE,
)
"""A line continuing with a verb of the third person ("asks me", "is the best")."""


def _inside(ranges: list[tuple[int, int]], starts: list[int], span: tuple[int, int]) -> bool:
    """True if ``span`` lies within one of the sorted, disjoint ``ranges`` (``starts``: theirs)."""
    i = bisect.bisect_right(starts, span[0]) - 1
    return i >= 0 and span[1] <= ranges[i][1]


class Attributor:
    """Runs the whole analysis of one text."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = spans
        self.chapter_paras: list[list[Paragraph]] = []
        self.chapter_quotes: list[list[Quote]] = []
        for s, e in spans:
            paras = paragraphs(text, s, e)
            self.chapter_paras.append(paras)
            self.chapter_quotes.append(find_quotes(text, s, e, paras))
        self.cast = Registry(find_people(text), text)
        self._replies: defaultdict[str, Counter[str]] = defaultdict(Counter)
        """Person called by name in a line -> who answered it, named by a tag."""
        self._tagged: Counter[str] = Counter()
        """Lines whose speech tag names each person."""
        self._tagged_descriptions()
        narration = self._narration_ranges()
        self.mentions = Mentions(text, self.cast, narration, first_person(text, narration))
        self.tags = Tags(self.mentions)
        self.tags.answers = self._answers()
        if self.mentions.first_person:
            self._narrator_names()

    def _tagged_descriptions(self) -> None:
        """People a speech tag calls by a capitalised description (``said the Major``,
        ``the Governess cried``) join the cast before the narration is read, so that
        "the General" in the narration is a mention of that person too."""
        for m in _TAGGED_DESC.finditer(self.text):
            words = (m.group("a") or m.group("b")).split()
            if self.cast.lookup(" ".join(words[1:]), create=False) is None:
                self.cast.describe(" ".join(words))

    def _narrator_names(self) -> None:
        """In a first-person story, a name others address the teller by is the narrator's:
        a name (of the cast, or of two words) addressed in five lines or more, yet written
        at most once in the narration (the teller says "I", never their own name), is the
        narrator."""
        addressed: Counter[str] = Counter()
        for quotes in self.chapter_quotes:
            for q in quotes:
                if q.spoken:
                    addressed.update(set(self.tags.vocative_names(q)))
        narration = self._narration_ranges()
        starts = [a for a, _ in narration]
        index = NameIndex(self.text)
        for name, n in addressed.items():
            if n < 5 or name.split()[0].rstrip(".").lower() in HONORIFICS:
                continue
            if name not in self.cast.alias and len(name.split()) < 2:
                continue  # "Well", "Oh": a word, unless the cast knows it or it has two
            told = sum(1 for span in index.uses({name}) if _inside(narration, starts, span))
            if told > 1:
                continue
            pid = self.cast.alias.get(name)
            for a, owner in list(self.cast.alias.items()):
                if a == name or (pid is not None and owner == pid):
                    self.cast.alias[a] = NARRATOR
            self.cast.alias[name] = NARRATOR
            if pid is not None:
                self.cast.people.pop(pid, None)
                for m in self.mentions.mentions:
                    if m.pid == pid:
                        m.pid = NARRATOR

    def _answers(self) -> set[int]:
        """Starts of the spoken quotes whose line before, in the same chapter, asked a
        question or spoke of a name (what a name said alone then answers)."""
        out: set[int] = set()
        for quotes in self.chapter_quotes:
            spoken = [q for q in quotes if q.spoken]
            for prev, q in itertools.pairwise(spoken):
                said = self.text[prev.start : prev.end]
                if "?" in said or re.search(r"\bnames?\b", said):
                    out.add(q.start)
        return out

    def _narration_ranges(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for (s, e), quotes in zip(self.spans, self.chapter_quotes, strict=True):
            pos = s
            for q in quotes:
                if q.spoken:
                    out.append((pos, q.start))
                    pos = q.end
            out.append((pos, e))
        return out

    def run(self) -> Analysis:
        """Attribute every chapter and build the :class:`Analysis`."""
        chapters: list[tuple[Segment, ...]] = []
        lines: Counter[str] = Counter()
        self.carry: str | None = None
        """The last speaker of the chapter before, when it ended on a spoken line."""
        for n, ((s, e), paras, quotes) in enumerate(
            zip(self.spans, self.chapter_paras, self.chapter_quotes, strict=True), start=1
        ):
            picks = self._chapter(s, paras, quotes)
            segs: list[Segment] = []
            spoken = [q for q in quotes if q.spoken]
            ends_spoken = bool(spoken and paras and spoken[-1].last_para == paras[-1].index)
            self.carry = picks[-1].speaker if ends_spoken and picks else None
            by_start = {q.start: picks[i] for i, q in enumerate(spoken)}
            self._tally_answers(spoken, picks)
            for i, sp in enumerate(spans_from_quotes(self.text, s, e, quotes, paras)):
                sid = f"c{n}s{i + 1}"
                if sp.kind == "dialogue":
                    pk = by_start[sp.start]
                    lines[pk.speaker] += 1
                    segs.append(
                        Segment(sid, "dialogue", sp.start, sp.end, self.text[sp.start : sp.end],
                                pk.speaker, pk.evidence, round(pk.confidence, 3), pk.runner_up)
                    )  # fmt: skip
                else:
                    segs.append(
                        Segment(sid, "narration", sp.start, sp.end, self.text[sp.start : sp.end])
                    )
            chapters.append(tuple(segs))
        merged = self._called_names()
        if merged:
            chapters = [
                tuple(
                    replace(g, speaker=merged.get(g.speaker, g.speaker))
                    if g.kind == "dialogue"
                    else g
                    for g in ch
                )
                for ch in chapters
            ]
            lines = Counter(g.speaker for ch in chapters for g in ch if g.kind == "dialogue")
        return Analysis(self._cast_list(lines), tuple(chapters))

    def _tally_answers(self, spoken: list[Quote], picks: list[Pick]) -> None:
        """Count, for each person called by name in a line, who answers in the next line
        when a speech tag names the answerer; and the people speech tags name."""
        for i, pk in enumerate(picks):
            if pk.evidence == "explicit-tag":
                self._tagged[pk.speaker] += 1
            if i == 0 or pk.evidence != "explicit-tag" or spoken[i].para == spoken[i - 1].last_para:
                continue
            for name in set(self.tags.vocative_names(spoken[i - 1])):
                pid = self.cast.alias.get(name)
                if pid is not None:
                    self._replies[pid][pk.speaker] += 1

    def _called_names(self) -> dict[str, str]:
        """People known only by a name others call them ("Uncle Ned"), never named by a tag,
        whose calls are answered three times or more, by tags, always by one other person
        of the cast: that person, under another name (joined into them)."""
        merged: dict[str, str] = {}
        for pid, answers in self._replies.items():
            if len(answers) != 1 or self._tagged[pid] or pid not in self.cast.people:
                continue
            who, n = next(iter(answers.items()))
            p, q = self.cast.people[pid], self.cast.people.get(who)
            if n < 3 or q is None or who == pid or q.described or who in merged:
                continue
            if "unknown" not in (p.gender, q.gender) and p.gender != q.gender:
                continue
            q.aliases |= self.cast.people.pop(pid).aliases
            merged[pid] = who
        return merged

    def _cast_list(self, lines: Counter[str]) -> tuple[Character, ...]:
        """Everyone who speaks or is named at least twice, most heard first."""
        cast: list[Character] = []
        for pid, p in self.cast.people.items():
            if p.described and lines[pid] == 0:
                continue
            if lines[pid] == 0 and p.mentions < 2:
                continue
            aliases = tuple(sorted(a for a in p.aliases if a != p.name))
            cast.append(Character(pid, p.name, aliases, self.cast.voice_gender(p), lines[pid]))
        cast.sort(key=lambda c: (-c.lines, c.name))
        return tuple(cast)

    def _chapter(self, start: int, paras: list[Paragraph], quotes: list[Quote]) -> list[Pick]:
        spoken = [q for q in quotes if q.spoken]
        conv = Conversation(paras, start)
        conv.quoted = {q.para for q in spoken} | {q.last_para for q in spoken}
        picks: list[Pick | None] = [None] * len(spoken)
        by_para: dict[int, list[int]] = {}
        for i, q in enumerate(spoken):
            by_para.setdefault(q.para, []).append(i)
        last_quote_para = -10
        turns: list[Turn] = []
        for para in paras:
            idx = by_para.get(para.index)
            if not idx:
                body = self.text[para.start : para.end]
                if SCENE_BREAK.match(body):
                    conv.reset()
                elif para.index > conv.last_para + 1 and len(body) > 600:
                    conv.soften()
                continue
            if para.index > conv.last_para + 3:
                conv.soften()
            conv.para_start = para.start
            conv.para_index = para.index
            vocs = self._paragraph(para, paras, spoken, idx, by_para, conv, picks)
            turns.append(Turn(para.index, idx, vocs, para.index == conv.last_para + 1))
            last_quote_para = max(last_quote_para, max(spoken[i].last_para for i in idx))
            conv.last_para = last_quote_para
        done = [pk for pk in picks if pk is not None]
        assert len(done) == len(picks)
        realign(turns, done, NARRATOR if self.mentions.first_person else None)
        out: list[Pick] = []
        for pk in done:
            if pk.runner_up is None:
                pk.runner_up = conv.other(pk.speaker)
            out.append(pk)
        return out

    def _paragraph(
        self, para: Paragraph, paras: list[Paragraph], spoken: list[Quote], idx: list[int],
        by_para: dict[int, list[int]], conv: Conversation, picks: list[Pick | None],
    ) -> set[str]:  # fmt: skip
        """Attribute the quotes ``idx`` of one paragraph into ``picks``; the people the
        paragraph's lines are spoken to."""
        qs = [spoken[i] for i in idx]
        vocs = self._addressed(qs, spoken[idx[0] - 1] if idx[0] > 0 else None)
        own = [self.tags.tag(q, para, spoken, i, conv) for q, i in zip(qs, idx, strict=True)]
        if own[0] is None and qs[0].start == para.start and para.index > 0:
            own[0] = self.tags.lead_in(paras[para.index - 1], by_para, conv, vocs)
        intro = next((x for x in (self.tags.self_intro(q) for q in qs) if x), None)
        base: Pick | None = None
        if intro is not None:
            base = Pick(intro, "self-introduction", 0.9)
        elif any(own):
            base = next(x for x in own if x)
        else:
            beat = self._beat(para, qs, conv, vocs)
            base = Pick(beat, "action-beat", 0.7) if beat is not None else None
            if base is None and qs[0].start == para.start and para.index > 0:
                base = self._named_before(paras[para.index - 1], conv, vocs)
            if base is None and qs[0].start == para.start and idx[0] > 0:
                base = self._named_after_line(spoken[idx[0] - 1], para, paras, conv, vocs)
            if base is None:
                base = self._turn(conv, vocs)
        for j, i in enumerate(idx):
            pk = own[j]
            if intro is not None:
                pk = Pick(intro, "self-introduction", 0.9)
            elif pk is None and base is not None:
                # A line continues the tagged line nearest before it in the paragraph
                # ('"A," said Ralph. ... "B?" asked Irene. "C."': C is Irene's).
                src = next((x for x in reversed(own[:j]) if x), base)
                pk = Pick(src.speaker, "continuation" if any(own) else src.evidence,
                          src.confidence * (0.95 if any(own) else 1.0))  # fmt: skip
            if pk is None:
                pk = self._fallback(qs[j], conv, vocs)
            picks[i] = pk
        spk = next((p.speaker for p in (picks[i] for i in idx) if p), None)
        told = vocs
        if spk is not None:
            self.cast.spoken.add(spk)
            told = vocs or self._told(para, qs, spk) or self._told_before(para, paras, spk, conv)
            conv.spoke(spk, told)
        return told

    def _addressed(self, qs: list[Quote], before: Quote | None) -> set[str]:
        """The people the paragraph's lines call by name, leaving out a name that is the
        subject of a sentence the speech tag cuts ("Mr. Pell," she went on, "is ruined.")
        and a name echoed from the line before ("Who? Mr. Pell?" / "Mr. Pell! yes.")."""
        out: set[str] = set()
        for j, q in enumerate(qs):
            inner = self.text[q.start : q.end].strip(_MARKS)
            after = (
                self.text[qs[j + 1].start : qs[j + 1].end].strip(_MARKS) if j + 1 < len(qs) else ""
            )
            for name in self.tags.vocative_names(q):
                if inner.rstrip(",") == name and _THIRD_PERSON_VERB.match(after):
                    continue
                if (
                    before is not None
                    and inner.startswith(name)
                    and inner[len(name) : len(name) + 1] in ("!", "?")
                    and name in self.text[before.start : before.end]
                ):
                    continue
                pid = self.cast.lookup(name, create=False)
                if pid:
                    out.add(pid)
        return out

    def _told(self, para: Paragraph, quotes: list[Quote], speaker: str) -> set[str]:
        """The one person the narration of the paragraph says the line is spoken to:
        "said Ralph to Ida", "turning to Ida", "she asked Ida"."""
        out: set[str] = set()
        pos = para.start
        for q in [*quotes, None]:
            end = para.end if q is None else q.start
            for m in _TOLD.finditer(self.text, pos, end):
                pid = self.cast.lookup(m.group("n"), create=False)
                if pid is not None and pid != speaker:
                    out.add(pid)
            me = self.mentions.first_person and speaker != NARRATOR
            if me and _TOLD_ME.search(self.text, pos, end):
                out.add(NARRATOR)
            pos = para.end if q is None else max(pos, q.end)
        return out if len(out) == 1 else set()

    def _told_before(
        self, para: Paragraph, paras: list[Paragraph], speaker: str, conv: Conversation
    ) -> set[str]:
        """A line opening its paragraph after narration that ends by turning the speaker to
        someone ("Ida turned to Ralph.") is spoken to that person."""
        if para.index == 0 or self.text[para.start] not in "\"\u201c'\u2018":
            return set()
        if para.index - 1 in conv.quoted:
            return set()
        prev = paras[para.index - 1]
        body = self.text[prev.start : prev.end]
        cut = [m.end() for m in CLAUSE_CUT.finditer(body.rstrip())]
        start = prev.start + (cut[-1] if cut else 0)
        out: set[str] = set()
        for m in _TOLD.finditer(self.text, start, prev.end):
            pid = self.cast.lookup(m.group("n"), create=False)
            if pid is not None and pid != speaker:
                out.add(pid)
        return out if len(out) == 1 else set()

    def _named_before(self, prev: Paragraph, conv: Conversation, vocs: set[str]) -> Pick | None:
        """A narration paragraph whose last sentence has a named subject ("Miss Tovey came
        in."): that person says the untagged line that follows."""
        if prev.index in conv.quoted:
            return None
        body = self.text[prev.start : prev.end]
        cut = [m.end() for m in CLAUSE_CUT.finditer(body.rstrip())]
        start = prev.start + (cut[-1] if cut else 0)
        for m in self.mentions.between(start, prev.end):
            if m.subject and m.pid not in vocs:
                return Pick(m.pid, "narration-before", 0.5)
        return None

    def _named_after_line(
        self, prev: Quote, para: Paragraph, paras: list[Paragraph], conv: Conversation,
        vocs: set[str],
    ) -> Pick | None:  # fmt: skip
        """A line of the paragraph just before, followed by narration whose last sentence
        has someone else as its named subject ("'Not at all,' he said. A pause followed,
        and Mrs. Pell began again."): that person says the untagged line that follows."""
        if prev.last_para != para.index - 1:
            return None
        before = paras[para.index - 1]
        body = self.text[prev.end : before.end].rstrip()
        cut = [m.end() for m in CLAUSE_CUT.finditer(body)]
        if not cut and not body.startswith(("--", "\u2014")):
            return None  # only the tag of the line: its speaker, not the next
        last = conv.last_speaker()
        for m in self.mentions.between(prev.end + (cut[-1] if cut else 0), before.end):
            if m.subject and m.pid not in vocs and m.pid != last:
                return Pick(m.pid, "narration-after", 0.5)
        return None

    def _fallback(self, q: Quote, conv: Conversation, vocs: set[str]) -> Pick:
        """Nothing decided: the nearest character mentioned before; else, in a chapter that
        follows one ending on a spoken line, that line's speaker (a story told across
        chapters); else the narrator."""
        for m in self.mentions.between(max(conv.chapter_start, q.start - 3000), q.start):
            if m.pid not in vocs:
                return Pick(m.pid, "nearest-mention", 0.2)
        if self.carry is not None and self.carry not in vocs:
            return Pick(self.carry, "chapter-carry", 0.3)
        if not self.mentions.first_person:
            # A told story's narrator never speaks: the last person named before, however far.
            for m in self.mentions.between(max(0, q.start - 20000), q.start):
                if m.pid not in vocs:
                    return Pick(m.pid, "nearest-mention", 0.15)
        return Pick(NARRATOR, "no-evidence", 0.1)

    def _turn(self, conv: Conversation, vocs: set[str]) -> Pick | None:
        """Turn-taking: the other person of the exchange answers."""
        last = conv.last_speaker()
        consecutive = conv.para_index == conv.last_para + 1
        if conv.addressed and conv.addressed not in vocs and conv.addressed != last and consecutive:
            return Pick(conv.addressed, "vocative-reply", 0.65, last)
        if last is None:
            return None
        other = conv.other(last)
        if other is not None and other not in vocs:
            return Pick(other, "turn-taking", 0.6 if consecutive else 0.45, last)
        if last in vocs and other is None:
            return None
        if other is None:
            # A lone speaker so far: a new paragraph of dialogue is someone else; the most
            # recent other character acting in the narration (a clause subject), else the
            # most recent one mentioned at all (someone talked of may not be there).
            ments = self.mentions.between(conv.chapter_start, conv.para_start)
            for m in [*(m for m in ments if m.subject), *ments]:
                if m.pid != last and m.pid not in vocs:
                    return Pick(m.pid, "turn-taking", 0.4, last)
            if self.mentions.first_person and last != NARRATOR:
                return Pick(NARRATOR, "turn-taking", 0.4, last)
            return None
        return Pick(last, "turn-taking", 0.3)

    def _beat(
        self, para: Paragraph, quotes: list[Quote], conv: Conversation, exclude: set[str]
    ) -> str | None:
        """The character acting in the paragraph's narration (an action beat)."""
        pieces: list[tuple[int, int]] = []
        pos = para.start
        for q in quotes:
            if q.start > pos:
                pieces.append((pos, q.start))
            pos = max(pos, q.end)
        if pos < para.end:
            pieces.append((pos, para.end))
        for a, b in pieces:
            cands = self._actors(a, b, conv, exclude)
            if cands:
                return min(cands)[1]
        return None

    def _actors(
        self, a: int, b: int, conv: Conversation, exclude: set[str]
    ) -> list[tuple[int, str]]:
        """(position, person) of the clause subjects in ``[a, b)``."""
        text = self.text
        cands: list[tuple[int, str]] = []
        for m in self.mentions.between(a, b):
            if m.subject and m.pid not in exclude:
                cands.append((m.start, m.pid))
        # Narration opening the paragraph ("She laughed. 'Not yet.'") starts a clause; after
        # a quote a new sentence ("'Why?' She did not answer.") is most often the listener.
        opening = a == conv.para_start
        found = _OPENING_PRON.finditer(text[a:b]) if opening else SUBJ_PRON.finditer(text, a, b)
        for pm in found:
            at = a + pm.start("p") if opening else pm.start("p")
            w = pm.group("p").lower()
            if w == "i":
                if self.mentions.first_person:
                    cands.append((at, NARRATOR))
                continue
            g: Gender = "male" if PRONOUNS[w] == "male" else "female"
            pid = self.mentions.resolve_gender(g, at, conv, exclude)
            if pid is not None:
                cands.append((at, pid))
        for dm in DEF.finditer(text, a, b):
            if not self.mentions.is_subject(dm.start()):
                continue
            bound = self.mentions.bound(dm.group("noun"), dm.start(), conv.chapter_start)
            if bound and bound not in exclude:
                cands.append((dm.start(), bound))
        return cands
