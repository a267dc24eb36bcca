"""Segmentation: quote kinds, apostrophes, runaways, dashes, unspoken quotes, tiling."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.segment import find_quotes, paragraphs, segment


def dialogue(text: str) -> list[str]:
    return [text[a:b] for kind, a, b in segment(text) if kind == "dialogue"]


def assert_tiles(text: str, start: int = 0, end: int | None = None) -> None:
    end = len(text) if end is None else end
    spans = segment(text, start, end)
    if end <= start:
        assert spans == []
        return
    assert spans[0].start == start
    assert spans[-1].end == end
    for a, b in itertools.pairwise(spans):
        assert a.end == b.start
    assert all(s.end > s.start for s in spans)


def test_straight_and_curly_double_quotes() -> None:
    text = '"Hello," she said. \u201cGood night.\u201d'
    assert dialogue(text) == ['"Hello,"', "\u201cGood night.\u201d"]


def test_tag_between_quotes_is_narration() -> None:
    text = '"I\'m stuck," she admitted. "I just can\'t..."'
    spans = segment(text)
    assert [s.kind for s in spans] == ["dialogue", "narration", "dialogue"]
    assert text[spans[1].start : spans[1].end] == " she admitted. "


def test_single_quote_dialogue_and_apostrophes() -> None:
    text = (
        "'Tis nine o'clock, he thought.\n\n"
        "'Fill the dogs' bowls,' said Ann. 'It's late.'\n\n"
        "'Who's there?' asked Tom."
    )
    assert dialogue(text) == ["'Fill the dogs' bowls,'", "'It's late.'", "'Who's there?'"]


def test_multi_paragraph_quotation_is_one_dialogue() -> None:
    text = '"It began long ago.\n\n"And it never ended," he said.'
    assert dialogue(text) == ['"It began long ago.\n\n"And it never ended,"']


def test_nested_quotes_stay_inside() -> None:
    text = "\u201cShe told me \u2018go home\u2019 and left,\u201d said Tom."
    assert dialogue(text) == ["\u201cShe told me \u2018go home\u2019 and left,\u201d"]


def test_dash_dialogue() -> None:
    text = "\u2014 Where are you going? \u2014 asked Pierre. \u2014 Home.\n\nHe left."
    assert dialogue(text) == ["\u2014 Where are you going?", "\u2014 Home."]


def test_sign_text_is_narration() -> None:
    text = 'The sign above the door read "Atelier de Peinture." He went in.'
    assert dialogue(text) == []
    quotes = find_quotes(text)
    assert len(quotes) == 1 and not quotes[0].spoken


def test_runaway_quote_is_cut_at_paragraph_end() -> None:
    text = '"Never closed\n\nThe narrator goes on.\n\n"Fine," said Bob.'
    assert dialogue(text) == ['"Never closed', '"Fine,"']


def test_paragraphs_split_on_blank_lines() -> None:
    text = "One.\n\n  Two.\n\n\nThree."
    assert [text[p.start : p.end] for p in paragraphs(text)] == ["One.", "Two.", "Three."]


def test_subrange_tiles() -> None:
    text = 'Intro. "Hi," said A.\n\nNext "bit" here.'
    assert_tiles(text, 3, len(text) - 2)


_ALPHABET = st.sampled_from(list("ab \n'\"\u201c\u201d\u2018\u2019\u2014.,!?-sS"))


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=80), st.data())
def test_segments_tile_any_text(text: str, data: st.DataObject) -> None:
    assert_tiles(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert_tiles(text, start, end)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_segments_tile_any_unicode_text(text: str) -> None:
    assert_tiles(text)
