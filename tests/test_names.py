"""Names have one home: folding, ids and finding a character are the same everywhere."""

from __future__ import annotations

from audiobook.attribute import cast as attribution_cast
from audiobook.corrections import LineFix, apply_corrections
from audiobook.model import Book, Chapter, Character, Segment, Source
from audiobook.names import find, find_all, fold, is_narrator, slug, unique_slug

LEA = Character("lea-roux", "Léa Roux", ("Léa", "Miss Roux"), "female", 3)
TOM = Character("tom", "Tom", (), "male", 1)


def test_fold_and_slug() -> None:
    assert fold("  LÉA   Roux ") == "lea roux"
    assert slug("Léa Roux") == "lea-roux"
    assert slug("李白") == "someone"  # no Latin letter or digit: the one fallback
    assert attribution_cast.slug is slug  # attribution makes ids the same way
    assert unique_slug("Tom", {"tom", "tom-2"}) == "tom-3"


def test_find_by_id_name_or_alias() -> None:
    assert find([TOM, LEA], "miss roux") is LEA
    assert find([TOM, LEA], "lea-roux") is LEA
    assert find([TOM, LEA], "LEA") is LEA
    assert find([TOM, LEA], "Nobody") is None
    assert find_all([LEA, TOM], "tom") == [TOM]
    assert is_narrator("The  Narrator") and not is_narrator("Tom")


def test_a_correction_names_a_new_character_as_attribution_would() -> None:
    text = '"Hello," said someone. "Bye," said another.'
    segs = (
        Segment("c1s1", "dialogue", 0, 8, '"Hello,"', "narrator", "none", 0.2),
        Segment("c1s2", "narration", 8, 22, " said someone.", "narrator"),
        Segment("c1s3", "dialogue", 23, 29, '"Bye,"', "narrator", "none", 0.2),
        Segment("c1s4", "narration", 29, len(text), text[29:], "narrator"),
    )
    existing = Character("someone", "李", (), "unknown", 0)
    book = Book(
        "T",
        None,
        {"s": Source("s", text)},
        (Chapter(1, "T", "s", 0, len(text), segs),),
        (existing,),
    )
    fixes = (
        LineFix("Hello,", speaker="Léa Roux", number=1),
        LineFix("Bye,", speaker="白", number=2),
    )
    fixed, report = apply_corrections(book, fixes)
    assert len(report.applied) == 2
    speakers = [s.speaker for s in fixed.chapters[0].segments if s.kind == "dialogue"]
    # the new name gets the id attribution would give it; a clash is numbered, never shared
    assert speakers == ["lea-roux", "someone-2"]
    assert {c.id for c in fixed.cast} == {"someone", "lea-roux", "someone-2"}
