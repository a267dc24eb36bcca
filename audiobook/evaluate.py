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
"""

from __future__ import annotations

import ast
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

__all__ = ["BenchReport", "NovelScore", "bench_attribution", "format_report", "score_novel"]

QUOTE_TYPES = ("Explicit", "Anaphoric", "Implicit")
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


@dataclass(frozen=True)
class BenchReport:
    """Scores for every novel and their mean."""

    novels: tuple[NovelScore, ...]

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
        narr = any(_norm(a) == "narr" for a in aliases)
        chars[main] = _GoldChar(main, frozenset(n for n in names if n != "narr"), narr)
    quotes: list[_GoldQuote] = []
    for r in qrows:
        spans = tuple((int(a), int(b)) for a, b in ast.literal_eval(r["quoteByteSpans"]))
        quotes.append(_GoldQuote(spans, r["speaker"], r["quoteType"]))
    return text, quotes, chars


def _name_forms(s: str) -> set[str]:
    n = _norm(s)
    out = {n}
    bare = _HONORIFIC.sub("", n)
    if bare:
        out.add(bare)
    return out


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
                # Token overlap as a weak tie-breaker ("Daisy" vs "Daisy Miller").
                mt = {t for n in mine for t in n.split() if len(t) > 2}
                gt = {t for n in theirs for t in n.split() if len(t) > 2}
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


def score_novel(
    name: str, text: str, quotes: list[_GoldQuote], gold: dict[str, _GoldChar],
    analysis: Analysis, seconds: float,
) -> NovelScore:  # fmt: skip
    """Score one analysis against the gold quotations."""
    import bisect

    starts, segs = _dialogue(analysis)
    mapping = map_cast(analysis.cast, gold)
    found = 0
    right = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    used: dict[str, Counter[str]] = defaultdict(Counter)
    given: dict[str, Counter[str]] = defaultdict(Counter)
    """Gold character -> predicted entries that mapped to it -> found quotes."""
    for q in quotes:
        overlap: Counter[int] = Counter()
        for a, b in q.spans:
            i = max(0, bisect.bisect_right(starts, a) - 1)
            while i < len(segs) and segs[i].start < b:
                s = segs[i]
                ov = min(b, s.end) - max(a, s.start)
                if ov > 0:
                    overlap[i] += ov
                i += 1
        per_type[q.qtype][0] += 1
        if not overlap:
            continue
        found += 1
        seg = segs[overlap.most_common(1)[0][0]]
        used[q.speaker][seg.speaker] += 1
        as_gold = mapping.get(seg.speaker)
        if as_gold is not None:
            given[as_gold][seg.speaker] += 1
        if mapping.get(seg.speaker) == q.speaker:
            right += 1
            per_type[q.qtype][1] += 1
    n = len(quotes)
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


def format_report(report: BenchReport) -> str:
    """A plain-text table: a legend line, one row per novel and a mean row."""
    head = (
        f"{'novel':<30} {'quotes':>6} {'found':>6} {'acc':>6} {'expl':>6} {'anaph':>6} "
        f"{'impl':>6} {'voice':>6} {'mainrc':>6} {'secs':>6}"
    )
    legend = (
        "voice = share of each character's attributed quotes on that character's main cast "
        "entry; mainrc = share of each gold speaker's quotes on its most used entry"
    )
    lines = [legend, head, "-" * len(head)]

    def pct(x: float) -> str:
        return f"{100 * x:5.1f}%"

    def typ(n: NovelScore, t: str) -> str:
        c, a = n.by_type.get(t, (0, 0.0))
        return pct(a) if c else "     -"

    for n in report.novels:
        lines.append(
            f"{n.name[:30]:<30} {n.quotes:>6} {pct(n.found)} {pct(n.accuracy)} "
            f"{typ(n, 'Explicit')} {typ(n, 'Anaphoric')} {typ(n, 'Implicit')} "
            f"{pct(n.consistency)} {pct(n.main_entry_recall)} {n.seconds:6.2f}"
        )
    lines.append("-" * len(head))
    total = sum(n.quotes for n in report.novels)
    lines.append(
        f"{'mean over novels':<30} {total:>6} {pct(report.mean_found)} "
        f"{pct(report.mean_accuracy)} {pct(report.mean_type('Explicit'))} "
        f"{pct(report.mean_type('Anaphoric'))} {pct(report.mean_type('Implicit'))} "
        f"{pct(report.mean_consistency)} {pct(report.mean_main_entry_recall)} "
        f"{sum(n.seconds for n in report.novels):6.2f}"
    )
    return "\n".join(lines)
