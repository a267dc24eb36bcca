"""The attribution bench on a tiny novel written for the test (PDNC layout)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.evaluate import (
    HELD_OUT,
    _GoldChar,
    _load_gold,
    bench_attribution,
    format_report,
    map_cast,
    score_novel,
)
from audiobook.model import Analysis, Character, Segment

NOVEL = (
    "CHAPTER I.\n\n"
    "Oskar Lind and Greta Moss walked to the harbour.\n\n"
    '"It is cold," said Greta.\n\n'
    '"Then walk faster," said Oskar.\n\n'
    '"I will not."\n\n'
    'The sign on the shed read "No Entry."\n'
)


def _span(text: str, inner: str) -> list[int]:
    a = text.index(inner)
    return [a, a + len(inner)]


def write_novel(d: Path, speakers: list[str]) -> None:
    d.mkdir()
    (d / "novel_text.txt").write_text(NOVEL, encoding="utf-8")
    quotes = ["It is cold,", "Then walk faster,", "I will not."]
    types = ["Explicit", "Explicit", "Implicit"]
    with (d / "quotation_info.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["quoteID", "quoteText", "quoteByteSpans", "speaker", "quoteType"])
        for i, (q, s, t) in enumerate(zip(quotes, speakers, types)):
            w.writerow([f"Q{i}", q, repr([_span(NOVEL, q)]), s, t])
    with (d / "character_info.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Character ID", "Main Name", "Aliases", "Gender", "Category"])
        w.writerow([0, "Greta Moss", "{'Greta', 'Greta Moss'}", "F", "major"])
        w.writerow([1, "Oskar Lind", "{'Oskar', 'Mr. Lind'}", "M", "major"])


def test_bench_scores_a_correct_analysis(tmp_path: Path) -> None:
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Greta Moss"])
    report = bench_attribution([tmp_path / "Tiny"])
    (n,) = report.novels
    assert n.quotes == 3 and n.found == 1.0
    assert n.accuracy == 1.0
    assert n.by_type["Explicit"] == (2, 1.0)
    assert n.consistency == 1.0
    table = format_report(report)
    assert "Tiny" in table and "100.0%" in table and "mean over novels" in table
    assert table.splitlines()[0].startswith("voice = share of each character's")


def test_bench_counts_wrong_speakers(tmp_path: Path) -> None:
    # Gold disagrees on the last line: accuracy 2/3, and Oskar's lines split two ways.
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Oskar Lind"])
    (n,) = bench_attribution([tmp_path / "Tiny"]).novels
    assert n.accuracy == pytest.approx(2 / 3)
    assert n.by_type["Implicit"] == (1, 0.0)
    # A wrong speaker is an accuracy error, not a voice split: Greta is still one entry.
    assert n.consistency == 1.0
    # The older measure counts it: Oskar's gold lines went two ways.
    assert n.main_entry_recall == pytest.approx(2 / 3)


def _analysis(speakers: list[str], cast: tuple[Character, ...]) -> Analysis:
    segs = []
    for i, (q, who) in enumerate(
        zip(["It is cold,", "Then walk faster,", "I will not."], speakers)
    ):
        a, b = _span(NOVEL, q)
        segs.append(Segment(f"c1s{i}", "dialogue", a - 1, b + 1, NOVEL[a - 1 : b + 1], who))
    return Analysis(cast, (tuple(segs),))


def test_voice_consistency_counts_a_character_split_into_two_entries(tmp_path: Path) -> None:
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Greta Moss"])
    text, quotes, gold = _load_gold(tmp_path / "Tiny")
    cast = (
        Character("greta-moss", "Greta Moss", ("Greta",), "female", 1),
        Character("miss-moss", "Miss Moss", (), "female", 1),
        Character("oskar-lind", "Oskar Lind", ("Oskar",), "male", 1),
    )
    # Greta's two lines went to two entries that both mean Greta: right speaker, two voices.
    split = _analysis(["greta-moss", "oskar-lind", "miss-moss"], cast)
    n = score_novel("Tiny", text, quotes, gold, split, 0.0)
    assert n.accuracy == 1.0
    assert n.consistency == pytest.approx(2 / 3)
    # Every line of a character on one entry, even a wrongly attributed one: consistent.
    whole = _analysis(["greta-moss", "greta-moss", "greta-moss"], cast)
    n = score_novel("Tiny", text, quotes, gold, whole, 0.0)
    assert n.accuracy == pytest.approx(2 / 3)
    assert n.consistency == 1.0


def test_missing_files_raise_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(AudiobookError, match="novel_text.txt"):
        bench_attribution([tmp_path])


def test_a_gold_speaker_written_as_an_alias_is_resolved(tmp_path: Path) -> None:
    # The annotation names Oskar by an alias ("Oskar") rather than his main name.
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar", "Greta Moss"])
    _, quotes, _ = _load_gold(tmp_path / "Tiny")
    assert [q.speaker for q in quotes] == ["Greta Moss", "Oskar Lind", "Greta Moss"]
    (n,) = bench_attribution([tmp_path / "Tiny"]).novels
    assert n.accuracy == 1.0


def test_each_lost_quote_is_counted_once_in_its_loss_class(tmp_path: Path) -> None:
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Greta Moss"])
    text, quotes, gold = _load_gold(tmp_path / "Tiny")
    greta = Character("greta-moss", "Greta Moss", ("Greta",), "female", 1)
    oskar = Character("oskar-lind", "Oskar Lind", ("Oskar",), "male", 1)
    harbour = Character("harbour", "Harbour", (), "unknown", 1)
    # Line 1 to an entry that is nobody, line 2 to the narrator, line 3 (implicit) to Oskar.
    a = _analysis(["harbour", "narrator", "oskar-lind"], (greta, oskar, harbour))
    n = score_novel("Tiny", text, quotes, gold, a, 0.0)
    assert n.losses == {"nobody": 1, "narrator": 1, "impl": 1}
    assert sum(n.loss(k) for k in n.losses) == pytest.approx(1 - n.accuracy)
    # Greta has no entry of her own: both her lines given to Oskar are "no-entry".
    a = _analysis(["oskar-lind", "oskar-lind", "oskar-lind"], (oskar,))
    n = score_novel("Tiny", text, quotes, gold, a, 0.0)
    assert n.losses == {"no-entry": 2}
    # Both have entries: a wrong explicit line is an explicit loss.
    a = _analysis(["oskar-lind", "oskar-lind", "greta-moss"], (greta, oskar))
    n = score_novel("Tiny", text, quotes, gold, a, 0.0)
    assert n.losses == {"expl": 1}


def test_a_first_person_narrator_marked_narr_is_scored_by_the_narrator_voice(
    tmp_path: Path,
) -> None:
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Greta Moss"])
    info = tmp_path / "Tiny" / "character_info.csv"
    info.write_text(
        info.read_text(encoding="utf-8").replace("{'Oskar', 'Mr. Lind'}", "{'Oskar', '_narr'}"),
        encoding="utf-8",
    )
    text, quotes, gold = _load_gold(tmp_path / "Tiny")
    greta = Character("greta-moss", "Greta Moss", ("Greta",), "female", 1)
    n = score_novel(
        "Tiny",
        text,
        quotes,
        gold,
        _analysis(["greta-moss", "narrator", "greta-moss"], (greta,)),
        0.0,
    )
    assert n.accuracy == 1.0


def test_the_report_shows_losses_and_the_held_out_group(tmp_path: Path) -> None:
    write_novel(tmp_path / "Tiny", ["Greta Moss", "Oskar Lind", "Oskar Lind"])
    write_novel(tmp_path / "Emma", ["Greta Moss", "Oskar Lind", "Greta Moss"])
    report = bench_attribution([tmp_path / "Tiny", tmp_path / "Emma"])
    table = format_report(report)
    assert "mean, development (1)" in table and "mean, held out (1)" in table
    loss_rows = [r for r in table.splitlines() if r.startswith("Tiny")]
    assert len(loss_rows) == 2 and "33.3%" in loss_rows[1]  # lost: the implicit line
    dev = report.subset(HELD_OUT, keep=False)
    assert [n.name for n in dev.novels] == ["Tiny"]
    assert dev.mean_loss("impl") == pytest.approx(1 / 3)


def test_a_description_maps_to_no_gold_character_by_the_word_the_alone() -> None:
    """'the young lady' shares only 'the' and 'young' with a gold 'The Young Child': no
    evidence that they are one person, so the entry maps to nobody; 'the harbour master'
    shares 'master' with 'Harbour Master Lind' and maps to him."""
    from audiobook.evaluate import _GoldChar, map_cast

    gold = {
        "Child": _GoldChar("Child", frozenset({"the young child", "child"}), False),
        "Lind": _GoldChar("Lind", frozenset({"harbour master lind", "lind"}), False),
    }
    cast = [
        Character("the-young-lady", "the young lady", (), "female", 3),
        Character("the-harbour-master", "the harbour master", (), "male", 2),
    ]
    mapping = map_cast(cast, gold)
    assert mapping["the-young-lady"] is None
    assert mapping["the-harbour-master"] == "Lind"


def test_a_described_entry_maps_by_its_noun_not_by_the() -> None:
    gold = {
        "The Constable": _GoldChar("The Constable", frozenset(["the constable"]), False),
        "Duchess Of Ossory": _GoldChar(
            "Duchess Of Ossory", frozenset(["duchess of ossory"]), False
        ),
    }
    cast = [Character("the-duchess", "the duchess", ("The duchess",), "female", 3)]
    assert map_cast(cast, gold)["the-duchess"] == "Duchess Of Ossory"
