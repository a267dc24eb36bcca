"""The [pronounce] table: parsing with file/key messages, whole words, case, speakers, phonemes."""

from __future__ import annotations

import pytest

from audiobook.errors import VoiceMapError
from audiobook.pronounce import merge, parse_pronounce, spoken_form

TABLE = {
    "Lefevre": "Le-fev-ruh",
    "Roux": {"phonemes": "r'u:"},
    "Léa": {"say": "Lay-ah", "for": ["narrator"]},
    "NASA": {"say": "Nassa", "match_case": True},
    "St. John": "Sinjun",
}


def test_respelling_phonemes_speakers_and_case() -> None:
    table = parse_pronounce("v.toml", TABLE)
    assert spoken_form("Lefevre met LEFEVRE, not Lefevres.", table) == (
        "Le-fev-ruh met Le-fev-ruh, not Lefevres."
    )
    # phonemes are kept out of normalisation: the 3 in "3:" stays a phoneme
    three = parse_pronounce("v.toml", {"Berg": {"phonemes": "b'3:g"}})
    assert spoken_form("Berg had 3 dogs.", three) == "[[b'3:g]] had three dogs."
    assert spoken_form("Madame Roux's cat", table) == "Madame [[r'u:]]'s cat"
    assert spoken_form("Léa laughed.", table, {"narrator"}) == "Lay-ah laughed."
    assert spoken_form("Léa laughed.", table, {"lea-roux", "léa roux"}) == "Léa laughed."
    assert spoken_form("NASA and nasa", table) == "Nassa and nasa"
    assert spoken_form("St. John and St. Paul", table) == "Sinjun and Saint Paul"


def test_mistakes_name_the_file_and_key() -> None:
    bad = [
        ({"Roux": 3}, "pronounce.'Roux': give a respelling"),
        ({"Roux": {"say": "x", "phonemes": "y"}}, "exactly one of say"),
        ({"Roux": {"phonemes": "r[u]"}}, "pronounce.'Roux'.phonemes"),
        (
            {"Roux": {"say": "roo", "for": "narrator", "colour": 1}},
            "pronounce.'Roux'.colour: unknown key",
        ),
        ({"Roux": {"say": "roo", "for": [1]}}, "pronounce.'Roux'.for"),
        ({"Roux": {"say": "roo", "match_case": "yes"}}, "match_case: must be true or false"),
        ({"!!": "bang"}, "must have letters"),
    ]
    for table, message in bad:
        with pytest.raises(VoiceMapError) as info:
            parse_pronounce("my.toml", table)
        assert str(info.value).startswith("my.toml: pronounce"), str(info.value)
        assert message in str(info.value)
    with pytest.raises(VoiceMapError, match="my.toml: pronounce: must be a table"):
        parse_pronounce("my.toml", ["Roux"])


def test_later_entries_replace_earlier_ones() -> None:
    a = parse_pronounce("a.toml", {"Roux": "roo", "Lefevre": "Le-fev-ruh"})
    b = parse_pronounce("b.toml", {"roux": "rue"})
    assert spoken_form("Roux Lefevre", merge(a, b)) == "rue Le-fev-ruh"
