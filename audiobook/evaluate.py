"""Measuring speaker attribution against annotated novels (PDNC layout).

Each directory holds ``novel_text.txt``, ``quotation_info.csv`` and ``character_info.csv``.
The gold character list is used only to score: a predicted cast entry counts as the gold
character with whom it shares most names.

Voice consistency (the ``voice`` column) asks whether one person is read by one voice: for
each gold character G, take the found quotes the system gave to G (through any predicted cast
entry that maps to G); G's main entry is the predicted entry used most among them. Voice
consistency is the sum over G of the quotes on G's main entry divided by the sum over G of
all quotes given to G. A character split into ``Elizabeth``, ``Lizzy`` and ``Miss Bennet``
entries lowers it; a wrong speaker does not (that is what accuracy measures).

Every gold quote that is not right is counted once in a loss class (:data:`LOSSES`), the
first that applies: not found as dialogue; given to the narrator; given to a cast entry that
maps to no gold character (a place, a bare title, a name with words glued on); the real
speaker has no cast entry at all (merged into someone else); otherwise the wrong character,
by quote type (explicit, anaphoric, implicit). The shares of all gold quotes in these
classes add up to 1 - accuracy.

A gold speaker written as one of a character's aliases rather than its main name (as some
annotations do) is resolved through ``character_info.csv`` before comparing.
"""

from __future__ import annotations

import ast
import bisect
import csv
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.attribute import analyze
from audiobook.errors import AudiobookError
from audiobook.model import NARRATOR, Analysis, Character, Segment

__all__ = [
    "HELD_OUT",
    "LOSSES",
    "BenchReport",
    "NovelScore",
    "bench_attribution",
    "format_report",
    "score_novel",
]

QUOTE_TYPES = ("Explicit", "Anaphoric", "Implicit")
LOSSES = ("impl", "anaph", "expl", "nobody", "no-entry", "narrator", "not-found", "other")
"""Loss classes, in the report's column order (``other``: a quote without a known type)."""
_TYPE_LOSS = {"Implicit": "impl", "Anaphoric": "anaph", "Explicit": "expl"}
HELD_OUT = frozenset(
    [
        "AnneOfGreenGables",
        "Emma",
        "HowardsEnd",
        "TheGambler",
        "TheInvisibleMan",
        "ThePictureOfDorianGray",
    ]
)
"""Novels of ``pdnc-dev`` added after the rules were written: nobody tuned on them before
they were added, so their mean is reported apart as the best guess at unseen books."""
_HONORIFIC = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|sir|lady|lord|madame|monsieur|mademoiselle|mme|mlle|the|"
    r"colonel|captain|doctor)\.?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NovelScore:
    """Scores for one novel."""

    name: str
    quotes: int
    found: float
    accuracy: float
    by_type: dict[str, tuple[int, float]]
    """Quote type -> (count, accuracy)."""
    consistency: float
    """Voice consistency: share of the quotes given to each gold character that went to
    that character's main predicted cast entry (see the module docstring)."""
    main_entry_recall: float
    """The older measure: for each gold speaker, share of its found quotes that went to the
    one predicted entry used most for them (close to accuracy, counts wrong speakers too)."""
    seconds: float
    chars: int
    losses: dict[str, int]
    """Loss class (see :data:`LOSSES`) -> number of gold quotes lost to it."""

    def loss(self, key: str) -> float:
        """Share of all gold quotes lost to one class."""
        return self.losses.get(key, 0) / self.quotes if self.quotes else 0.0


@dataclass(frozen=True)
class BenchReport:
    """Scores for every novel and their mean."""

    novels: tuple[NovelScore, ...]

    def subset(self, names: frozenset[str], keep: bool = True) -> BenchReport:
        """The report restricted to novels named in ``names`` (or, with keep=False, not)."""
        return BenchReport(tuple(n for n in self.novels if (n.name in names) == keep))

    def mean_loss(self, key: str) -> float:
        """Mean over novels of the share of gold quotes lost to one class."""
        return _mean([n.loss(key) for n in self.novels])

    @property
    def mean_accuracy(self) -> float:
        """Mean accuracy over novels."""
        return _mean([n.accuracy for n in self.novels])

    @property
    def mean_found(self) -> float:
        """Mean found share over novels."""
        return _mean([n.found for n in self.novels])

    @property
    def mean_consistency(self) -> float:
        """Mean voice consistency over novels."""
        return _mean([n.consistency for n in self.novels])

    @property
    def mean_main_entry_recall(self) -> float:
        """Mean recall of the main entry over novels."""
        return _mean([n.main_entry_recall for n in self.novels])

    def mean_type(self, qtype: str) -> float:
        """Mean accuracy over novels for one quote type (novels without it skipped)."""
        return _mean([n.by_type[qtype][1] for n in self.novels if n.by_type.get(qtype, (0, 0))[0]])


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


@dataclass(frozen=True)
class _GoldChar:
    name: str
    names: frozenset[str]
    narrator: bool


@dataclass(frozen=True)
class _GoldQuote:
    spans: tuple[tuple[int, int], ...]
    speaker: str
    qtype: str


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def _resolve_speakers(quotes: list[_GoldQuote], chars: dict[str, _GoldChar]) -> list[_GoldQuote]:
    """Speakers written as an alias become the main name of the one character having it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for c in chars.values():
        for n in c.names:
            owners[n].add(c.name)
    out: list[_GoldQuote] = []
    for q in quotes:
        who = owners.get(_norm(q.speaker), set())
        if q.speaker not in chars and len(who) == 1:
            q = _GoldQuote(q.spans, next(iter(who)), q.qtype)
        out.append(q)
    return out


def _load_gold(d: Path) -> tuple[str, list[_GoldQuote], dict[str, _GoldChar]]:
    try:
        text = (d / "novel_text.txt").read_text(encoding="utf-8")
        qrows = list(csv.DictReader((d / "quotation_info.csv").open(encoding="utf-8")))
        crows = list(csv.DictReader((d / "character_info.csv").open(encoding="utf-8")))
    except OSError as e:
        raise AudiobookError(
            f"cannot read the attribution data in {d}: {e}. Expected novel_text.txt, "
            "quotation_info.csv and character_info.csv."
        ) from e
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chars: dict[str, _GoldChar] = {}
    for r in crows:
        main = r["Main Name"]
        aliases = ast.literal_eval(r["Aliases"]) if r.get("Aliases") else []
        names = {_norm(main), *(_norm(a) for a in aliases)}
        # The first-person narrator is marked by an alias "Narr" or "_narr".
        narr = any(_norm(a).strip("_") == "narr" for a in aliases)
        names = {n for n in names if n.strip("_") != "narr"}
        chars[main] = _GoldChar(main, frozenset(names), narr)
    quotes: list[_GoldQuote] = []
    for r in qrows:
        spans = tuple((int(a), int(b)) for a, b in ast.literal_eval(r["quoteByteSpans"]))
        quotes.append(_GoldQuote(spans, r["speaker"], r["quoteType"]))
    return text, _resolve_speakers(quotes, chars), chars


def _name_forms(s: str) -> set[str]:
    n = _norm(s)
    out = {n}
    bare = _HONORIFIC.sub("", n)
    if bare:
        out.add(bare)
    return out


_NOT_NAMES = frozenset(["the", "and", "her", "his", "old", "young", "little"])
"""Words two names may share without naming one person: "the young lady" is not "The Child"."""


def map_cast(cast: Sequence[Character], gold: dict[str, _GoldChar]) -> dict[str, str | None]:
    """Predicted id -> gold character name by most shared names (None when nothing shared)."""
    out: dict[str, str | None] = {}
    for c in cast:
        mine_exact = {_norm(n) for n in (c.name, *c.aliases)}
        mine: set[str] = set()
        for n in (c.name, *c.aliases):
            mine |= _name_forms(n)
        best: tuple[float, str | None] = (0.0, None)
        for g in gold.values():
            theirs: set[str] = set()
            for n in g.names:
                theirs |= _name_forms(n)
            exact = len(mine & theirs)
            # Names as written count more than names with the title taken off.
            score = 0.5 * exact + 0.5 * len(mine_exact & g.names)
            if _norm(c.name) in g.names:
                score += 1.0  # the predicted main name itself is one of theirs
            if not exact:
                # Token overlap as a weak tie-breaker ("Daisy" vs "Daisy Miller"); "the" and
                # the like are no part of anyone's name ("the duchess" is not "The Policeman").
                mt = {t for n in mine for t in n.split() if len(t) > 2} - _NOT_NAMES
                gt = {t for n in theirs for t in n.split() if len(t) > 2} - _NOT_NAMES
                score = 0.1 * len(mt & gt)
            if score > best[0]:
                best = (score, g.name)
        out[c.id] = best[1]
    narr = next((g.name for g in gold.values() if g.narrator), None)
    out[NARRATOR] = narr
    return out


def _dialogue(analysis: Analysis) -> tuple[list[int], list[Segment]]:
    segs = sorted(
        (s for ch in analysis.chapters for s in ch if s.kind == "dialogue"), key=lambda s: s.start
    )
    return [s.start for s in segs], segs


def _overlaps(q: _GoldQuote, starts: list[int], segs: list[Segment]) -> Counter[int]:
    """Index of each dialogue segment overlapping the quote -> characters in common."""
    overlap: Counter[int] = Counter()
    for a, b in q.spans:
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(segs) and segs[i].start < b:
            s = segs[i]
            ov = min(b, s.end) - max(a, s.start)
            if ov > 0:
                overlap[i] += ov
            i += 1
    return overlap


def _loss_class(
    q: _GoldQuote, speaker: str | None, mapping: dict[str, str | None], entries: set[str]
) -> str:
    """The loss class of a quote that is not right (``speaker`` None: not found)."""
    if speaker is None:
        return "not-found"
    if speaker == NARRATOR:
        return "narrator"
    if mapping.get(speaker) is None:
        return "nobody"
    if q.speaker not in entries:
        return "no-entry"
    return _TYPE_LOSS.get(q.qtype, "other")


def score_novel(
    name: str, text: str, quotes: list[_GoldQuote], gold: dict[str, _GoldChar],
    analysis: Analysis, seconds: float,
) -> NovelScore:  # fmt: skip
    """Score one analysis against the gold quotations."""
    starts, segs = _dialogue(analysis)
    mapping = map_cast(analysis.cast, gold)
    entries = {g for g in mapping.values() if g is not None}
    right = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    losses: Counter[str] = Counter()
    used: dict[str, Counter[str]] = defaultdict(Counter)
    given: dict[str, Counter[str]] = defaultdict(Counter)
    """Gold character -> predicted entries that mapped to it -> found quotes."""
    for q in quotes:
        overlap = _overlaps(q, starts, segs)
        per_type[q.qtype][0] += 1
        speaker = segs[overlap.most_common(1)[0][0]].speaker if overlap else None
        if speaker is not None:
            used[q.speaker][speaker] += 1
            as_gold = mapping.get(speaker)
            if as_gold is not None:
                given[as_gold][speaker] += 1
            if as_gold == q.speaker:
                right += 1
                per_type[q.qtype][1] += 1
                continue
        losses[_loss_class(q, speaker, mapping, entries)] += 1
    n = len(quotes)
    found = n - losses["not-found"]
    recalled = sum(c.most_common(1)[0][1] for c in used.values() if c)
    total_used = sum(sum(c.values()) for c in used.values())
    on_main = sum(c.most_common(1)[0][1] for c in given.values() if c)
    total_given = sum(sum(c.values()) for c in given.values())
    return NovelScore(
        name=name,
        quotes=n,
        found=found / n if n else 0.0,
        accuracy=right / n if n else 0.0,
        by_type={t: (v[0], v[1] / v[0] if v[0] else 0.0) for t, v in per_type.items()},
        consistency=on_main / total_given if total_given else 0.0,
        main_entry_recall=recalled / total_used if total_used else 0.0,
        seconds=seconds,
        chars=len(text),
        losses=dict(losses),
    )


def _chapters(text: str) -> list[tuple[int, int]] | None:
    try:
        from audiobook import text as text_mod
    except ImportError:
        return None
    finder = getattr(text_mod, "find_chapters", None)
    if finder is None:
        return None
    try:
        found = finder(text)
    except Exception:  # noqa: BLE001 - a chapter finder failure must not stop the bench
        return None
    spans = [(int(c.start), int(c.end)) for c in found]
    return spans or None


def bench_attribution(dirs: Sequence[Path]) -> BenchReport:
    """Run :func:`~audiobook.attribute.analyze` on each novel directory and score it."""
    scores: list[NovelScore] = []
    for d in dirs:
        d = Path(d)
        text, quotes, gold = _load_gold(d)
        spans = _chapters(text)
        t0 = time.perf_counter()
        analysis = analyze(text, spans)
        seconds = time.perf_counter() - t0
        scores.append(score_novel(d.name, text, quotes, gold, analysis, seconds))
    return BenchReport(tuple(scores))


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _groups(report: BenchReport) -> list[tuple[str, BenchReport]]:
    """Mean rows: all novels, then the development and held-out groups when both present."""
    rows = [(f"mean over novels ({len(report.novels)})", report)]
    held = report.subset(HELD_OUT)
    dev = report.subset(HELD_OUT, keep=False)
    if held.novels and dev.novels:
        rows.append((f"mean, development ({len(dev.novels)})", dev))
        rows.append((f"mean, held out ({len(held.novels)})", held))
    return rows


def _score_table(report: BenchReport) -> list[str]:
    head = (
        f"{'novel':<30} {'quotes':>6} {'found':>6} {'acc':>6} {'expl':>6} {'anaph':>6} "
        f"{'impl':>6} {'voice':>6} {'mainrc':>6} {'secs':>6}"
    )
    lines = [head, "-" * len(head)]

    def typ(n: NovelScore, t: str) -> str:
        c, a = n.by_type.get(t, (0, 0.0))
        return _pct(a) if c else "     -"

    for n in report.novels:
        lines.append(
            f"{n.name[:30]:<30} {n.quotes:>6} {_pct(n.found)} {_pct(n.accuracy)} "
            f"{typ(n, 'Explicit')} {typ(n, 'Anaphoric')} {typ(n, 'Implicit')} "
            f"{_pct(n.consistency)} {_pct(n.main_entry_recall)} {n.seconds:6.2f}"
        )
    lines.append("-" * len(head))
    for label, r in _groups(report):
        lines.append(
            f"{label:<30} {sum(n.quotes for n in r.novels):>6} {_pct(r.mean_found)} "
            f"{_pct(r.mean_accuracy)} {_pct(r.mean_type('Explicit'))} "
            f"{_pct(r.mean_type('Anaphoric'))} {_pct(r.mean_type('Implicit'))} "
            f"{_pct(r.mean_consistency)} {_pct(r.mean_main_entry_recall)} "
            f"{sum(n.seconds for n in r.novels):6.2f}"
        )
    return lines


def _loss_table(report: BenchReport) -> list[str]:
    keys = [k for k in LOSSES if k != "other" or any(n.losses.get(k) for n in report.novels)]
    head = f"{'novel':<30} {'lost':>6} " + " ".join(f"{k:>9}" for k in keys)
    lines = [head, "-" * len(head)]

    def row(label: str, lost: float, shares: list[float]) -> str:
        return f"{label:<30} {_pct(lost)} " + " ".join(f"{_pct(x):>9}" for x in shares)

    for n in report.novels:
        lines.append(row(n.name[:30], 1 - n.accuracy, [n.loss(k) for k in keys]))
    lines.append("-" * len(head))
    for label, r in _groups(report):
        lines.append(row(label, 1 - r.mean_accuracy, [r.mean_loss(k) for k in keys]))
    return lines


def format_report(report: BenchReport) -> str:
    """Two plain-text tables, scores then losses: a legend, one row per novel, mean rows.

    When the report holds both held-out novels (:data:`HELD_OUT`) and others, the means of
    the two groups follow the mean over all novels.
    """
    legend = (
        "voice = share of each character's attributed quotes on that character's main cast "
        "entry; mainrc = share of each gold speaker's quotes on its most used entry"
    )
    loss_legend = (
        "losses, as shares of all gold quotes (each lost quote counted once, first class that "
        "applies): not-found = not found as dialogue; narrator = given to the narrator; "
        "nobody = given to a cast entry that is no gold character; no-entry = the speaker has "
        "no cast entry; else the wrong character, by quote type (expl, anaph, impl)"
    )
    return "\n".join([legend, *_score_table(report), "", loss_legend, *_loss_table(report)])
