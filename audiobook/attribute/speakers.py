"""The attribution cascade: who says each quotation, with evidence and confidence."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from audiobook.attribute.cast import Person, find_people, slug
from audiobook.attribute.lexicon import (
    FIRST_NAMES,
    HONORIFICS,
    PERSON_NOUNS,
    SPEECH_VERBS,
    STOP_CAPS,
)
from audiobook.model import NARRATOR, Analysis, Character, Gender, Segment
from audiobook.segment import Paragraph, Quote, find_quotes, paragraphs, spans_from_quotes

__all__ = ["Attributor"]

_VERBS = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_NOUNS = "|".join(sorted(PERSON_NOUNS, key=len, reverse=True))
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_CAPTOK = rf"[{_UP}](?:\w|['\u2019-](?=\w))*"
_HONS = "|".join(
    sorted((re.escape(h.capitalize()) for h in HONORIFICS), key=len, reverse=True)
    + ["monsieur", "madame", "mademoiselle"]
)
_NAME = (
    rf"(?:(?:{_HONS})\.?\s+)?{_CAPTOK}"
    rf"(?:\s+(?:(?:de|du|da|di|van|von|le|la)\s+)?{_CAPTOK}){{0,3}}"
)
_DESC = (
    rf"(?:the|The|his|His|her|Her|my|My|their|our|this|that|a|an)\s+(?:[\w'\u2019-]+\s+){{0,3}}?"
    rf"(?:{_NOUNS}|{_CAPTOK}(?:\s+{_CAPTOK}){{0,2}})\b"
)
_WHO = rf"(?P<who>(?:I|he|she|He|She)\b|{_DESC}|{_NAME})"
_LEAD = r"^[\s,;:!?.)\-\u2014\u2013]*"
_AFTER_VS = re.compile(
    rf"{_LEAD}(?:(?:then|again|now|at\s+last|at\s+length)\s+)?(?P<verb>{_VERBS})"
    rf"(?:\s+[a-z]+ly)?\s+{_WHO}"
)
_AFTER_SV = re.compile(
    rf"{_LEAD}{_WHO}(?:,\s[^,\"]{{1,40}},)?\s+(?:[a-z]+ly\s+|then\s+|again\s+)?"
    rf"(?P<verb>{_VERBS}|[a-z]+ed)\b"
)
_BEFORE_SV = re.compile(
    rf"{_WHO}\s+(?:[a-z]+ly\s+)?(?P<verb>{_VERBS})\b"
    rf"(?P<rest>[^.!?\"\u201c\u201d]{{0,60}})[,:.]?\s*[\u2014\u2013-]*\s*$"
)
_PRONOUNS = {"he": "male", "she": "female"}
_ING = (
    "saying|adding|replying|answering|asking|crying|exclaiming|calling|remarking|observing|"
    "whispering|muttering|murmuring|shouting|announcing|continuing|beginning|returning|"
    "rejoining|interrupting|repeating|declaring|inquiring|enquiring|demanding|explaining"
)
_CLAUSE_VERB = re.compile(
    rf"\b(?:{_VERBS}|{_ING})\b(?P<tail>[^.!?;\"\u201c\u201d\n]{{0,80}}?)[,:]?\s*[\u2014\u2013-]*\s*$"
)
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "or",
        "he",
        "she",
        "it",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "its",
        "our",
        "their",
        "this",
        "that",
        "there",
        "here",
        "what",
        "who",
        "which",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "yes",
        "oh",
        "well",
    ]
)
_SELF_INTRO = re.compile(
    rf"(?:\bI'm|\bI\u2019m|\bI am|\b[Mm]y name is|\b[Cc]all me|\b[Ii]t's me,)\s+(?P<n>{_NAME})"
)
_NAMING = re.compile(
    rf"\b(?:named|called|introduced\s+(?:himself|herself)\s+as|whose\s+name\s+was|"
    rf"known\s+as)\s+(?P<n>{_NAME})"
)
_INTRO = re.compile(rf"\b(?:[Aa]|[Aa]n)\s+(?P<adj>(?:[a-z-]+,?\s+){{0,3}}?)(?P<noun>{_NOUNS})\b")
_DEF = re.compile(
    rf"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<adj>(?:[a-z-]+\s+){{0,2}}?)(?P<noun>{_NOUNS})\b"
)
_SCENE_BREAK = re.compile(r"^[\s*#~\u2022\u00b7.=_-]+$")
_SUBJ_PRON = re.compile(r"(?:^|[.!?;]\s+|\band\s+)(?P<p>He|She|I|he|she)\s+(?P<v>[a-z]+)")
_VOC_PRE = r"(?:^|[,!?;:.\u2014\u2013]\s*|\b(?:dear|dearest|my|oh|Oh|O)\s+)"
_OBJ_BEFORE = re.compile(
    r"\b(?:to|at|with|for|of|by|from|on|toward|towards|upon|about|into|and|like|than|"
    r"saw|see|met|watched|asked|told|greeted|thanked|followed|called)\s+$"
)

_CLAUSE_CUT = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMme)(?<!\bMlle)(?<!\bRev)"
    r"(?<!\b[A-Z])[.!?;:]\s+|\n\s*\n"
)
"""Where a clause ends (not after "Mr." or an initial)."""
_OBJ_NOT_AND = re.compile(_OBJ_BEFORE.pattern.replace("|and|", "|"))
"""Words before an object; "and" is left out: ", and Mr. Crane said" has a subject."""


@dataclass
class _Pick:
    speaker: str
    evidence: str
    confidence: float
    runner_up: str | None = None


@dataclass
class _Mention:
    start: int
    end: int
    pid: str
    subject: bool


class Attributor:
    """Runs the whole analysis of one text; holds the cast being built."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = spans
        self.chapter_paras: list[list[Paragraph]] = []
        self.chapter_quotes: list[list[Quote]] = []
        for s, e in spans:
            paras = paragraphs(text, s, e)
            self.chapter_paras.append(paras)
            self.chapter_quotes.append(find_quotes(text, s, e, paras))
        self.people: dict[str, Person] = {}
        self.alias: dict[str, str] = {}
        for p in find_people(text):
            self._register(p)
        self.first_person = self._detect_first_person()
        self.mentions: list[_Mention] = []
        self.mention_starts: list[int] = []
        self.spoken_ids: set[str] = set()
        self.noun_binding: list[tuple[int, str, str]] = []
        """(position, noun, person id): a description bound to a person from there on."""
        self._index_mentions()

    # ---- cast -------------------------------------------------------------------------

    def _register(self, p: Person) -> None:
        pid = p.id
        base = pid
        n = 2
        while pid in self.people and self.people[pid] is not p:
            pid = f"{base}-{n}"
            n += 1
        p.key = pid
        self.people[pid] = p
        for a in p.aliases | {p.name}:
            self.alias.setdefault(a, pid)
            if a.startswith(("Mr. ", "Mrs. ", "Ms. ", "Dr. ")):
                self.alias.setdefault(a.replace(". ", " ", 1), pid)

    def _pid(self, p: Person) -> str:
        return p.key

    def _gender(self, pid: str) -> Gender:
        if pid == NARRATOR:
            return "unknown"
        p = self.people.get(pid)
        return p.gender if p else "unknown"

    def _narration_ranges(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for (s, e), quotes in zip(self.spans, self.chapter_quotes):
            pos = s
            for q in quotes:
                if q.spoken:
                    out.append((pos, q.start))
                    pos = q.end
            out.append((pos, e))
        return out

    def _detect_first_person(self) -> bool:
        words = 0
        i_count = 0
        for a, b in self._narration_ranges():
            chunk = self.text[a:b]
            words += chunk.count(" ")
            i_count += len(re.findall(r"\b(?:I|me|my)\b", chunk))
        return words > 0 and i_count / max(words, 1) > 0.008

    def lookup(self, name: str, pos: int, create: bool = True, force: bool = False) -> str | None:
        """The person id for a name as written, creating a character if it is new."""
        name = re.sub(r"\s+", " ", name.strip())
        if name in self.alias:
            return self.alias[name]
        toks = name.split()
        hon = toks[0].rstrip(".").lower() if toks else ""
        if hon in HONORIFICS and len(toks) > 1:
            fixed = toks[0].rstrip(".")
            for variant in (f"{fixed}. {' '.join(toks[1:])}", f"{fixed} {' '.join(toks[1:])}"):
                if variant in self.alias:
                    return self.alias[variant]
        if len(toks) > 1 and hon not in HONORIFICS:
            for t in (toks[0], " ".join(toks[:2])):
                if t in self.alias:
                    return self.alias[t]
        if not create or not toks:
            return None
        stop = toks[0].lower() in STOP_CAPS and hon not in HONORIFICS
        if stop and (not force or toks[0].lower() in _FUNCTION_WORDS):
            return None
        g: Gender = HONORIFICS.get(hon, "unknown") if hon in HONORIFICS else "unknown"
        if g == "unknown":
            g = FIRST_NAMES.get(toks[0].lower(), "unknown")
        p = Person(slug(name), name, {name}, g, 1)
        self._register(p)
        self._add_alias_mentions(p.key, name)
        return p.key

    def _describe(self, phrase: str, pos: int) -> str | None:
        """A person for a capitalised description (``the Hatter``), created when new."""
        words = phrase.split()
        core = " ".join(words[1:])
        key = "the " + core
        if key in self.alias:
            return self.alias[key]
        # "the Rabbit" and "the White Rabbit": one character when the head noun matches.
        head = words[-1]
        same = [p for p in self.people.values() if p.described and p.name.split()[-1] == head]
        if len(same) == 1:
            same[0].aliases.add(key)
            self.alias[key] = same[0].key
            return same[0].key
        g: Gender = PERSON_NOUNS.get(words[-1].lower(), "unknown")
        g = HONORIFICS.get(words[-1].lower(), g) if g == "unknown" else g
        p = Person(slug(key), "the " + core, {key, "The " + core}, g, 1, described=True)
        self._register(p)
        self._add_alias_mentions(p.key, "the " + core)
        return p.key

    def _unnamed(self, adj: str, noun: str) -> str:
        adjs = [a.strip(",") for a in adj.split() if a.strip(",")]
        desc = "the " + " ".join([*adjs[-1:], noun])
        g = PERSON_NOUNS.get(noun, "unknown")
        p = Person(slug(desc), desc, {desc}, g, 0, described=True)
        self._register(p)
        return p.key

    # ---- mentions ---------------------------------------------------------------------

    def _index_mentions(self) -> None:
        text = self.text
        names = sorted(self.alias, key=len, reverse=True)
        if names:
            pat = re.compile(
                r"(?<![\w'\u2019])(?:"
                + "|".join(re.escape(n) for n in names)
                + r")(?![\w'\u2019]\w)"
            )
        else:
            pat = None
        ments: list[_Mention] = []
        for a, b in self._narration_ranges():
            if pat is not None:
                for m in pat.finditer(text, a, b):
                    known = self.alias.get(m.group(0))
                    if known is None:
                        continue
                    ments.append(_Mention(m.start(), m.end(), known, self._is_subject(m.start())))
            # Descriptions: "a young woman ... named Colette", "the woman".
            for m in _INTRO.finditer(text, a, b):
                noun = m.group("noun")
                tail = text[m.end() : min(b, m.end() + 120)]
                sent = re.split(r"[.!?;]", tail, maxsplit=1)[0]
                nm = _NAMING.search(sent)
                pid: str | None
                if nm:
                    pid = self.lookup(nm.group("n"), m.start())
                else:
                    if "," in m.group("adj"):
                        continue
                    pid = self._unnamed(m.group("adj"), noun)
                if pid is None:
                    continue
                self.noun_binding.append((m.start(), noun, pid))
                # "The barista, a friendly woman named Colette": the barista is Colette too.
                lo = max(a, m.start() - 40)
                head = re.search(
                    rf"\b[Tt]he\s+(?:[a-z-]+\s+)?({_NOUNS}),\s+$", text[lo : m.start()]
                )
                if head and nm:
                    self.noun_binding.append((lo + head.start(), head.group(1), pid))
        ments.sort(key=lambda x: x.start)
        self.mentions = ments
        self.mention_starts = [x.start for x in ments]
        self.noun_binding.sort()

    def _add_alias_mentions(self, pid: str, name: str) -> None:
        self.alias.setdefault(name, pid)

    def _is_subject(self, pos: int) -> bool:
        before = self.text[max(0, pos - 30) : pos]
        if re.search(
            r"(?:^|[.!?;:\"\u201d\u2019]\s*|\n\s*|,\s+(?:and|but|then)\s+|\band\s+)$", before
        ):
            return not _OBJ_BEFORE.search(before)
        return not _OBJ_BEFORE.search(before) and bool(re.search(r",\s*$", before))

    def _bound(self, noun: str, pos: int, floor: int) -> str | None:
        for p, n, pid in reversed(
            self.noun_binding[: bisect.bisect_left(self.noun_binding, (pos + 1,))]
        ):
            if p < floor:
                break
            if n == noun:
                return pid
        return None

    # ---- tags -------------------------------------------------------------------------

    def _resolve_who(
        self, who: str, pos: int, ctx: _Ctx, exclude: set[str]
    ) -> tuple[str | None, str, float]:
        """A speaker id for the subject of a speech tag, with evidence and confidence."""
        w = who.strip()
        lw = w.lower()
        if w == "I":
            return NARRATOR, "explicit-tag", 0.95
        if lw in _PRONOUNS:
            g = _PRONOUNS[lw]
            pid = self._resolve_gender(g, pos, ctx, exclude)  # type: ignore[arg-type]
            return pid, "pronoun-tag", 0.8
        first = lw.split()[0]
        if first in ("the", "his", "her", "my", "their", "our", "this", "that", "a", "an"):
            words = w.split()
            noun = words[-1]
            if noun[0].isupper() and first in ("the", "this", "that"):
                return self._describe(w, pos), "explicit-tag", 0.9
            if first in ("his", "her") and noun in ("wife", "lady", "husband"):
                pid = self._spouse(first, noun, pos, ctx, exclude)
                if pid:
                    return pid, "description-tag", 0.7
            bound = self._bound(noun.lower(), pos, ctx.chapter_start)
            if bound and bound not in exclude:
                return bound, "description-tag", 0.8
            g = PERSON_NOUNS.get(noun.lower(), "unknown")
            pid = self._resolve_gender(g, pos, ctx, exclude)
            return pid, "description-tag", 0.55
        pid = self.lookup(w, pos, force=True)
        if pid is None:
            return None, "explicit-tag", 0.0
        return pid, "explicit-tag", 0.97

    def _spouse(self, poss: str, noun: str, pos: int, ctx: _Ctx, exclude: set[str]) -> str | None:
        owner_g: Gender = "male" if poss == "his" else "female"
        owner = self._resolve_gender(owner_g, pos, ctx, set())
        if owner is None or owner == NARRATOR:
            return None
        p = self.people[owner]
        want = ("Mrs", "Madame", "Mme", "Lady") if owner_g == "male" else ("Mr", "Monsieur", "Sir")
        surname = p.name.split()[-1]
        for other in self.people.values():
            if other.key == owner:
                continue
            for a in other.aliases:
                t = a.split()
                if len(t) >= 2 and t[0].rstrip(".") in want and t[-1] == surname:
                    return other.key
        return None

    def _resolve_gender(self, g: Gender, pos: int, ctx: _Ctx, exclude: set[str]) -> str | None:
        """The most salient recent character of gender ``g`` (pronoun resolution)."""
        if self.first_person is False and g == "unknown" and not ctx.recent:
            pass
        # 1. the subject of the current paragraph before the tag.
        for m in self._mentions_between(ctx.para_start, pos):
            if m.subject and m.pid not in exclude and self._gender_ok(m.pid, g):
                return m.pid
        here = [m for m in self._mentions_between(ctx.para_start, pos) if m.pid not in exclude]
        if not here:
            # 1b. the one addressed by name in the quote just before answers ("he replied").
            if (
                ctx.addressed is not None
                and ctx.addressed not in exclude
                and ctx.para_index == ctx.last_para + 1
                and self._gender(ctx.addressed) == g
                and g != "unknown"
            ):
                return ctx.addressed
            # 1c. the last character of that gender acting in the narration paragraph
            # just before ("Mr. Hurst looked at her. / 'Cards?' said he").
            prev = ctx.para_index - 1
            if g != "unknown" and 0 <= prev < len(ctx.paras) and prev not in ctx.quoted:
                pp = ctx.paras[prev]
                near = [
                    m
                    for m in self._mentions_between(pp.start, pp.end)
                    if m.pid not in exclude and self._gender(m.pid) == g
                ]
                subj = [m for m in near if m.subject]
                if subj or near:
                    return (subj or near)[0].pid
        # 2. the people in the current exchange.
        parts = [p for p in ctx.participants() if p not in exclude and p != NARRATOR]
        fit = [p for p in parts if self._gender(p) == g]
        if len(fit) == 1:
            return fit[0]
        if len(fit) > 1:
            return fit[0] if fit[0] != ctx.last_speaker() else fit[1]
        # 3. recent mentions in narration, nearest first.
        floor = max(ctx.chapter_start, pos - 4000)
        best_unknown: str | None = None
        for m in self._mentions_back(pos, floor):
            if m.pid in exclude:
                continue
            mg = self._gender(m.pid)
            if mg == g:
                return m.pid
            if mg == "unknown" and best_unknown is None and m.pid in self.spoken_ids:
                best_unknown = m.pid
        return best_unknown

    def _gender_ok(self, pid: str, g: Gender) -> bool:
        mg = self._gender(pid)
        return mg == g or g == "unknown"

    def _mentions_between(self, a: int, b: int) -> list[_Mention]:
        i = bisect.bisect_left(self.mention_starts, a)
        j = bisect.bisect_left(self.mention_starts, b)
        return list(reversed(self.mentions[i:j]))

    def _mentions_back(self, pos: int, floor: int) -> list[_Mention]:
        i = bisect.bisect_left(self.mention_starts, floor)
        j = bisect.bisect_left(self.mention_starts, pos)
        return list(reversed(self.mentions[i:j]))

    def _vocatives(self, q: Quote) -> set[str]:
        inner = self.text[q.start : q.end].lstrip("\"\u201c\u2018\u00ab'\u2014\u2013- ")
        out: set[str] = set()
        for m in re.finditer(
            rf"{_VOC_PRE}(?P<n>{_NAME})(?=\s*[,!?.;\u2014\u2013\"\u201d']|\s*$)", inner
        ):
            n = m.group("n")
            pid = self.lookup(n, q.start, create=False)
            if pid:
                out.add(pid)
        return out

    def _tag(
        self, q: Quote, para: Paragraph, quotes: list[Quote], k: int, ctx: _Ctx
    ) -> _Pick | None:
        """An explicit or pronoun tag right after or right before the quote."""
        text = self.text
        nxt = (
            quotes[k + 1].start
            if k + 1 < len(quotes) and quotes[k + 1].para == q.last_para
            else None
        )
        lp = ctx.paras[q.last_para]
        after_end = nxt if nxt is not None else lp.end
        after = text[q.end : after_end]
        exclude = self._vocatives(q)
        quote_end = text[max(q.start, q.end - 3) : q.end]
        after_pick: _Pick | None = None
        m = _AFTER_VS.match(after) or _AFTER_SV.match(after)
        if m:
            verb = m.group("verb")
            if verb in SPEECH_VERBS or re.search(r"[,!?\u2014-]", quote_end):
                pid, ev, conf = self._resolve_who(
                    m.group("who"), q.end + m.start("who"), ctx, exclude
                )
                if pid is not None:
                    if verb not in SPEECH_VERBS:
                        conf *= 0.85
                    after_pick = _Pick(pid, ev, conf)
        prev_end = quotes[k - 1].end if k > 0 and quotes[k - 1].last_para == q.para else para.start
        before = text[max(prev_end, q.start - 200) : q.start]
        # A tag before the quote that leads into it ("When Tom said, 'X,' she answered")
        # outranks one after it, which then belongs to the next quote.
        leads = bool(re.search(r"[,:\u2014\u2013-]\s*$", before))
        if after_pick is not None and not leads:
            return after_pick
        before_pick: _Pick | None = None
        bm = _BEFORE_SV.search(before)
        if bm and not re.search(r"[.!?]\s*$", before):
            pos = q.start - len(before) + bm.start("who")
            pid, ev, conf = self._resolve_who(bm.group("who"), pos, ctx, exclude)
            if pid is not None:
                before_pick = _Pick(pid, ev, conf * 0.95)
        if before_pick is None:
            before_pick = self._clause_tag(max(prev_end, q.start - 300), q.start, ctx, exclude)
        return before_pick or after_pick

    def _clause_tag(self, a: int, b: int, ctx: _Ctx, exclude: set[str]) -> _Pick | None:
        """Narration ending in a speech verb introduces the quote at ``b``; its subject
        speaks: "Mr. Gradgrind, shocked, said in a gentler tone:", "the Dodo presented the
        thimble, saying"."""
        text = self.text
        before = text[a:b]
        vm = _CLAUSE_VERB.search(before)
        if vm is None:
            return None
        tail = vm.group("tail")
        if re.search(r"\b(?:he|she|I|they|we)\b", tail, re.IGNORECASE):
            return None  # another clause with its own subject follows the verb
        verb_at = a + vm.start()
        for m in self._mentions_between(a + vm.end(), b):
            if not _OBJ_BEFORE.search(text[max(a, m.start - 20) : m.start]):
                return None  # "said Tom," is a tag of its own, handled elsewhere
        cut = [a] + [a + m.end() for m in _CLAUSE_CUT.finditer(before[: vm.start()])]
        lo = cut[-1]
        cands: list[tuple[int, str]] = []
        for m in self._mentions_between(lo, verb_at):
            pre = text[max(lo, m.start - 20) : m.start]
            post = text[m.end : m.end + 3]
            if m.pid in exclude or _OBJ_NOT_AND.search(pre) or re.match(r"['\u2019]s\b", post):
                continue
            cands.append((m.start, m.pid))
        for pm in re.finditer(r"\b(he|she|He|She|I)\b", text[lo:verb_at]):
            w = pm.group(1).lower()
            at = lo + pm.start()
            if _OBJ_NOT_AND.search(text[max(lo, at - 20) : at]):
                continue
            if w == "i":
                if self.first_person:
                    cands.append((at, NARRATOR))
                continue
            pid = self._resolve_gender(_PRONOUNS[w], at, ctx, exclude)  # type: ignore[arg-type]
            if pid is not None:
                cands.append((at, pid))
        for dm in re.finditer(
            rf"\b[Tt]he\s+(?:[a-z-]+\s+){{0,2}}?({_CAPTOK}|{_NOUNS})\b", text[lo:verb_at]
        ):
            at = lo + dm.start()
            if _OBJ_NOT_AND.search(text[max(lo, at - 20) : at]):
                continue
            word = dm.group(1)
            pid2: str | None
            if word[0].isupper():
                pid2 = self.alias.get("the " + word) or self.alias.get(
                    "the " + " ".join(dm.group(0).split()[1:])
                )
            else:
                pid2 = self._bound(word.lower(), at, ctx.chapter_start)
            if pid2 is not None and pid2 not in exclude:
                cands.append((at, pid2))
        if not cands:
            return None
        return _Pick(max(cands)[1], "clause-tag", 0.8)

    def _lead_in(
        self, prev: Paragraph, by_para: dict[int, list[int]], ctx: _Ctx, vocs: set[str]
    ) -> _Pick | None:
        """A narration paragraph ending in ``Charlotte said,`` introduces the next quote."""
        if prev.index in by_para:
            return None
        tail = self.text[max(prev.start, prev.end - 200) : prev.end]
        if not re.search(r"[,:\u2014\u2013-]\s*$", tail):
            return None
        bm = _BEFORE_SV.search(tail)
        if bm:
            pos = prev.end - len(tail) + bm.start("who")
            saved = ctx.para_start
            ctx.para_start = prev.start
            pid, ev, conf = self._resolve_who(bm.group("who"), pos, ctx, vocs)
            ctx.para_start = saved
            if pid is not None:
                return _Pick(pid, ev, conf * 0.95)
        # The subject of the last clause that has one: "Mr. Collins, much offended, laid
        # aside his book, and said," / "Miss Bingley saw this; and, in anger, said,".
        body = self.text[prev.start : prev.end]
        cuts = [prev.start] + [prev.start + m.end() for m in _CLAUSE_CUT.finditer(body)]
        ends = cuts[1:] + [prev.end]
        for a, b in reversed(list(zip(cuts, ends))):
            cands: list[tuple[int, str]] = []
            for m in self._mentions_between(a, b):
                if m.pid not in vocs and not _OBJ_BEFORE.search(
                    self.text[max(a, m.start - 20) : m.start]
                ):
                    cands.append((m.start, m.pid))
            for pm in re.finditer(r"\b(he|she|He|She|I)\b", self.text[a:b]):
                w = pm.group(1).lower()
                at = a + pm.start()
                if w == "i":
                    if self.first_person:
                        cands.append((at, NARRATOR))
                    continue
                pid = self._resolve_gender(_PRONOUNS[w], at, ctx, vocs)  # type: ignore[arg-type]
                if pid is not None:
                    cands.append((at, pid))
            if cands:
                return _Pick(min(cands)[1], "lead-in", 0.75)
        return None

    def _self_intro(self, q: Quote) -> str | None:
        m = _SELF_INTRO.search(self.text, q.start, q.end)
        if not m:
            return None
        return self.lookup(m.group("n"), q.start, create=False)

    def _beat(
        self, para: Paragraph, quotes: list[Quote], ctx: _Ctx, exclude: set[str]
    ) -> str | None:
        """The character acting in the paragraph's narration (an action beat)."""
        text = self.text
        pieces: list[tuple[int, int]] = []
        pos = para.start
        for q in quotes:
            if q.start > pos:
                pieces.append((pos, q.start))
            pos = max(pos, q.end)
        if pos < para.end:
            pieces.append((pos, para.end))
        for a, b in pieces:
            cands: list[tuple[int, str]] = []
            for m in self._mentions_between(a, b):
                if m.subject and m.pid not in exclude:
                    cands.append((m.start, m.pid))
            for pm in _SUBJ_PRON.finditer(text, a, b):
                if pm.group("v") in ("was", "had") and False:
                    continue
                w = pm.group("p").lower()
                if w == "i":
                    if self.first_person:
                        cands.append((pm.start("p"), NARRATOR))
                    continue
                pid = self._resolve_gender(_PRONOUNS[w], pm.start("p"), ctx, exclude)  # type: ignore[arg-type]
                if pid is not None:
                    cands.append((pm.start("p"), pid))
            for dm in _DEF.finditer(text, a, b):
                if not self._is_subject(dm.start()):
                    continue
                bound = self._bound(dm.group("noun"), dm.start(), ctx.chapter_start)
                if bound and bound not in exclude:
                    cands.append((dm.start(), bound))
            if cands:
                cands.sort()
                return cands[0][1]
        return None

    # ---- the cascade ------------------------------------------------------------------

    def run(self) -> Analysis:
        """Attribute every chapter and build the :class:`Analysis`."""
        chapters: list[tuple[Segment, ...]] = []
        lines: Counter[str] = Counter()
        for n, ((s, e), paras, quotes) in enumerate(
            zip(self.spans, self.chapter_paras, self.chapter_quotes), start=1
        ):
            picks = self._chapter(s, paras, quotes)
            segs: list[Segment] = []
            spoken = [q for q in quotes if q.spoken]
            by_start = {q.start: picks[i] for i, q in enumerate(spoken)}
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
        cast: list[Character] = []
        for pid, p in self.people.items():
            if p.described and lines[pid] == 0:
                continue
            if lines[pid] == 0 and p.mentions < 2:
                continue
            aliases = tuple(sorted(a for a in p.aliases if a != p.name))
            cast.append(Character(pid, p.name, aliases, p.gender, lines[pid]))
        cast.sort(key=lambda c: (-c.lines, c.name))
        return Analysis(tuple(cast), tuple(chapters))

    def _chapter(self, start: int, paras: list[Paragraph], quotes: list[Quote]) -> list[_Pick]:
        spoken = [q for q in quotes if q.spoken]
        ctx = _Ctx(paras, start)
        ctx.quoted = {q.para for q in spoken} | {q.last_para for q in spoken}
        picks: list[_Pick | None] = [None] * len(spoken)
        by_para: dict[int, list[int]] = {}
        for i, q in enumerate(spoken):
            by_para.setdefault(q.para, []).append(i)
        last_quote_para = -10
        for para in paras:
            idx = by_para.get(para.index)
            if not idx:
                body = self.text[para.start : para.end]
                if _SCENE_BREAK.match(body):
                    ctx.reset()
                elif para.index > ctx.last_para + 1 and len(body) > 600:
                    ctx.soften()
                continue
            if para.index > ctx.last_para + 3:
                ctx.soften()
            ctx.para_start = para.start
            ctx.para_index = para.index
            qs = [spoken[i] for i in idx]
            vocs: set[str] = set()
            for q in qs:
                vocs |= self._vocatives(q)
            own: list[_Pick | None] = [self._tag(q, para, spoken, i, ctx) for q, i in zip(qs, idx)]
            if own[0] is None and qs[0].start == para.start and para.index > 0:
                own[0] = self._lead_in(paras[para.index - 1], by_para, ctx, vocs)
            intro = next((x for x in (self._self_intro(q) for q in qs) if x), None)
            base: _Pick | None = None
            if intro is not None:
                base = _Pick(intro, "self-introduction", 0.9)
            elif any(own):
                base = next(x for x in own if x)
            else:
                beat = self._beat(para, qs, ctx, vocs)
                if beat is not None:
                    base = _Pick(beat, "action-beat", 0.7)
                else:
                    base = self._turn(ctx, vocs, para.index)
            for j, i in enumerate(idx):
                pk = own[j]
                if intro is not None:
                    pk = _Pick(intro, "self-introduction", 0.9)
                elif pk is None and base is not None:
                    pk = _Pick(base.speaker, "continuation" if any(own) else base.evidence,
                               base.confidence * (0.95 if any(own) else 1.0))  # fmt: skip
                if pk is None:
                    pk = self._fallback(qs[j], ctx, vocs)
                picks[i] = pk
            spk = next((p.speaker for p in (picks[i] for i in idx) if p), None)
            if spk is not None:
                self.spoken_ids.add(spk)
                ctx.spoke(spk, para.index, vocs)
            last_quote_para = max(last_quote_para, max(spoken[i].last_para for i in idx))
            ctx.last_para = last_quote_para
        out: list[_Pick] = []
        for pk in picks:
            assert pk is not None
            if pk.runner_up is None:
                pk.runner_up = ctx.other(pk.speaker)
            out.append(pk)
        return out

    def _fallback(self, q: Quote, ctx: _Ctx, vocs: set[str]) -> _Pick:
        """Nothing decided: the nearest character mentioned before, else the narrator."""
        for m in self._mentions_back(q.start, max(ctx.chapter_start, q.start - 3000)):
            if m.pid not in vocs:
                return _Pick(m.pid, "nearest-mention", 0.2)
        return _Pick(NARRATOR, "no-evidence", 0.1)

    def _turn(self, ctx: _Ctx, vocs: set[str], para_index: int) -> _Pick | None:
        """Turn-taking: the other person of the exchange answers."""
        last = ctx.last_speaker()
        consecutive = para_index == ctx.last_para + 1
        if ctx.addressed and ctx.addressed not in vocs and ctx.addressed != last and consecutive:
            return _Pick(ctx.addressed, "vocative-reply", 0.65, last)
        if last is None:
            return None
        other = ctx.other(last)
        if other is not None and other not in vocs:
            conf = 0.6 if consecutive else 0.45
            return _Pick(other, "turn-taking", conf, last)
        if last in vocs and other is None:
            return None
        if other is None:
            # A lone speaker so far: a new paragraph of dialogue is someone else; the most
            # recent other character mentioned.
            for m in self._mentions_back(self.chapter_paras_start(ctx), ctx.chapter_start):
                if m.pid != last and m.pid not in vocs:
                    return _Pick(m.pid, "turn-taking", 0.4, last)
            if self.first_person and last != NARRATOR:
                return _Pick(NARRATOR, "turn-taking", 0.4, last)
            return None
        return _Pick(last, "turn-taking", 0.3)

    def chapter_paras_start(self, ctx: _Ctx) -> int:
        """Position the backward search for a second speaker starts from."""
        return ctx.para_start


class _Ctx:
    """Conversation state within one chapter."""

    def __init__(self, paras: list[Paragraph], chapter_start: int) -> None:
        self.paras = paras
        self.chapter_start = chapter_start
        self.para_start = chapter_start
        self.speakers: list[str] = []
        self.last_para = -10
        self.addressed: str | None = None
        self.recent = False
        self.para_index = -1
        """Index of the paragraph being attributed."""
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

    def spoke(self, pid: str, para_index: int, vocs: set[str]) -> None:
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
