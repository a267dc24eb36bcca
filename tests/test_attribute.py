"""Speaker attribution: one small text per rule, the cast, and the seed stories."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from audiobook.attribute import analyze
from audiobook.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path("/work/shared/gold/seeds.json")


def lines(a: Analysis) -> list[tuple[str, str, str]]:
    """(quote text without marks, speaker, evidence) of each dialogue segment."""
    return [
        (s.text.strip("\"\u201c\u201d'\u2018\u2019\u2014 "), s.speaker, s.evidence)
        for ch in a.chapters
        for s in ch
        if s.kind == "dialogue"
    ]


def speakers(text: str) -> list[str]:
    return [sp for _, sp, _ in lines(analyze(text))]


def cast_ids(a: Analysis) -> dict[str, str]:
    return {c.id: c.gender for c in a.cast}


def test_explicit_tag_after_name_verb() -> None:
    text = 'Marta Vidal entered. Tomas Brun waited.\n\n"Coffee, please," Marta Vidal replied.'
    a = analyze(text)
    assert lines(a) == [("Coffee, please,", "marta-vidal", "explicit-tag")]


def test_explicit_tag_verb_name() -> None:
    text = 'Oskar and Greta sat down.\n\n"It is late," said Greta.\n\n"Not yet," said Oskar.'
    assert speakers(text) == ["greta", "oskar"]


def test_pronoun_tag_resolves_to_character_of_that_gender() -> None:
    text = (
        "Judith Holt sat with her brother Edward Holt.\n\n"
        'Edward frowned. "We must go," she said.\n\n'
        '"Why?" he asked.'
    )
    assert speakers(text) == ["judith-holt", "edward-holt"]


def test_continuation_across_tag_in_one_paragraph() -> None:
    text = 'Anna Berg smiled. "I know," she admitted. "I just forgot."'
    got = lines(analyze(text))
    assert [s for _, s, _ in got] == ["anna-berg", "anna-berg"]
    assert got[1][2] == "continuation"


def test_action_beat_names_the_speaker() -> None:
    text = (
        "Simon Mercer and Clara Moss met at the gate.\n\n"
        'Clara laughed and shook her head. "You are late again."'
    )
    assert speakers(text) == ["clara-moss"]


def test_vocative_names_the_listener_not_the_speaker() -> None:
    text = (
        "Godfrey Vance came to the counter. Beatrice Tovey looked up from her books.\n\n"
        'Beatrice Tovey greeted him warmly. "Good morning, Godfrey Vance! The usual?"\n\n'
        '"Yes, please," said Godfrey Vance.'
    )
    assert speakers(text) == ["beatrice-tovey", "godfrey-vance"]


def test_self_introduction() -> None:
    text = (
        "Lionel Hale opened the door. A woman with a red scarf stood there.\n\n"
        '"Hello," she said. "I\'m Nina. We spoke on the phone."\n\n'
        "Nina followed him inside."
    )
    assert speakers(text) == ["nina", "nina"]


def test_turn_taking_alternates_in_an_exchange() -> None:
    text = (
        '"Where were you?" asked Gerald.\n\n'
        '"Out," said Judith.\n\n'
        '"Out where?"\n\n'
        '"Just out."\n\n'
        '"That is no answer."'
    )
    assert speakers(text) == ["gerald", "judith", "gerald", "judith", "gerald"]


def test_scene_break_resets_the_exchange() -> None:
    text = (
        '"Ready?" asked Gerald.\n\n"Yes," said Judith.\n\n* * *\n\n'
        "Marcus walked in the rain.\n\n"
        '"Cold tonight," Marcus said.'
    )
    got = speakers(text)
    assert got[-1] == "marcus"


def test_first_person_narrator_speaks() -> None:
    text = (
        "I walked to the station with my friend Holloway. I was tired and I said little.\n\n"
        '"You look pale," said Holloway.\n\n'
        '"I slept badly," I answered.'
    )
    assert speakers(text) == ["holloway", "narrator"]


def test_unnamed_described_speaker_gets_own_identity() -> None:
    text = (
        "Rosa Quint waited by the fountain. Then she saw an old man with a cane.\n\n"
        'The man smiled at her. "Lovely evening, Rosa Quint."'
    )
    a = analyze(text)
    assert speakers(text) == ["the-old-man"]
    assert "the-old-man" in cast_ids(a)
    assert "rosa-quint" in cast_ids(a)


def test_aliases_cluster_but_titles_keep_spouses_apart() -> None:
    text = (
        "Mr. Pell and Mrs. Pell lived with their niece Ida Marsh. Ida Marsh was clever. "
        "Ida laughed often. Miss Marsh, said the neighbours, would go far.\n\n"
        '"Ida is late," said Mr. Pell.\n\n"She is never late," said Mrs. Pell.\n\n'
        '"I am here," said Ida.'
    )
    a = analyze(text)
    ids = cast_ids(a)
    assert {"mr-pell", "mrs-pell", "ida-marsh"} <= set(ids)
    assert ids["mr-pell"] == "male" and ids["mrs-pell"] == "female"
    assert ids["ida-marsh"] == "female"
    ida = next(c for c in a.cast if c.id == "ida-marsh")
    assert "Ida" in ida.aliases and "Miss Marsh" in ida.aliases
    assert speakers(text) == ["mr-pell", "mrs-pell", "ida-marsh"]


def test_gender_from_pronouns_when_name_is_unknown() -> None:
    text = (
        "Zorvak walked in. He sat down. Zorvak looked at the fire and he sighed. "
        "Zorvak took his hat.\n\n"
        '"Cold," said Zorvak.'
    )
    assert cast_ids(analyze(text))["zorvak"] == "male"


def test_cast_lines_and_order() -> None:
    text = '"A," said Bob.\n\n"B," said Eve.\n\n"C," said Eve.'
    a = analyze(text)
    assert [(c.id, c.lines) for c in a.cast][:2] == [("eve", 2), ("bob", 1)]


def test_chapter_spans_tile_and_reset() -> None:
    text = 'Chapter one.\n\n"Hi," said Bob.\n\nChapter two.\n\n"Bye," said Eve.'
    cut = text.index("Chapter two")
    a = analyze(text, [(0, cut), (cut, len(text))])
    assert len(a.chapters) == 2
    for (s, e), segs in zip([(0, cut), (cut, len(text))], a.chapters):
        assert segs[0].start == s and segs[-1].end == e
        assert all(x.end == y.start for x, y in itertools.pairwise(segs))
        assert all(seg.text == text[seg.start : seg.end] for seg in segs)
    assert [sp for _, sp, _ in lines(a)] == ["bob", "eve"]


def test_empty_and_quote_only_texts() -> None:
    assert analyze("").chapters == ((),)
    a = analyze('"')
    assert a.chapters[0][0].text == '"'


def _seed_expectations() -> list[tuple[str, dict[str, object]]]:
    if not GOLD.exists():
        return []
    stories = json.loads(GOLD.read_text(encoding="utf-8"))["stories"]
    return sorted(stories.items())


@pytest.mark.skipif(not GOLD.exists(), reason="shared seed expectations not available")
@pytest.mark.parametrize("name,exp", _seed_expectations())
def test_seed_story(name: str, exp: dict[str, object]) -> None:
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    a = analyze(text)
    segs = a.chapters[0]
    quotes = exp["quotes"]
    assert isinstance(quotes, list)
    by_name = {c.name: c for c in a.cast}
    named: dict[str, str] = {}
    for c in a.cast:
        for n in (c.name, *c.aliases):
            named[n] = c.id
    unnamed_ids: set[str] = set()
    for q in quotes:
        inner = q["text"]
        seg = next(s for s in segs if inner in s.text)
        if q["kind"] == "narration":
            assert seg.kind == "narration", inner
            continue
        assert seg.kind == "dialogue", inner
        speaker = q["speaker"]
        if speaker.startswith("unnamed"):
            assert seg.speaker not in named.values() or seg.speaker.startswith("the-"), inner
            unnamed_ids.add(seg.speaker)
        else:
            assert seg.speaker == named.get(speaker), (inner, seg.speaker)
    for cname, gender in exp["characters"].items():  # type: ignore[attr-defined]
        if cname in by_name:
            assert by_name[cname].gender == gender
    assert not unnamed_ids & {named.get(str(n)) for n in exp["characters"]}  # type: ignore[attr-defined]


def _cast(text: str) -> dict[str, tuple[str, ...]]:
    return {c.id: (c.name, *c.aliases) for c in analyze(text).cast}


def test_full_name_then_first_name_is_one_character() -> None:
    text = (
        "Marta Vidal pushed open the bakery door and shook the rain from her coat.\n\n"
        '"Two loaves, please," Marta said.\n\n'
        '"Right away," said Mr. Sutton.\n\n"Not those," said Mrs. Sutton.'
    )
    a = analyze(text)
    cast = {c.id: c for c in a.cast}
    assert "marta" not in cast
    assert cast["marta-vidal"].name == "Marta Vidal" and "Marta" in cast["marta-vidal"].aliases
    assert {"mr-sutton", "mrs-sutton"} <= set(cast)
    assert speakers(text) == ["marta-vidal", "mr-sutton", "mrs-sutton"]


def test_short_titled_form_joins_the_longer_one() -> None:
    text = (
        "Sir Hugo Ashby rode up to the gate. Hugo Wyatt, the groom, took the horse.\n\n"
        '"Good morning," said Sir Hugo.\n\n"Morning, sir," said Wyatt.'
    )
    cast = _cast(text)
    assert "Sir Hugo" in cast["sir-hugo-ashby"]
    assert speakers(text)[0] == "sir-hugo-ashby"


def test_pet_name_with_title_joins_the_full_name() -> None:
    text = (
        "Rebecca Hale was the elder. Rebecca laughed at everything. Her father called "
        'her Becky.\n\n"Miss Becky is out," said the maid.\n\n"I am here," said Becky.'
    )
    cast = _cast(text)
    assert {"Becky", "Miss Becky"} <= set(cast["rebecca-hale"])


def test_pet_name_is_not_given_to_someone_known_by_rank() -> None:
    text = (
        "Lady Abigail Penrose sat in the great chair. Lady Abigail said little.\n\n"
        '"Tea," said Lady Abigail.\n\n"Yes, ma\'am," said Abby, and she ran off.\n\n'
        '"Quickly," said Abby.'
    )
    cast = _cast(text)
    assert "Abby" not in cast["lady-abigail-penrose"]
    assert speakers(text) == ["lady-abigail-penrose", "abby", "abby"]


def test_first_name_known_long_before_a_rare_namesake_stays_apart() -> None:
    body = "".join(f'"Line {i}," said Rosa. Rosa sat down.\n\n' for i in range(12))
    text = body + "A girl called Rosa Flint came to the village; Miss Flint was rich.\n\n"
    text += '"Again," said Rosa.'
    cast = _cast(text)
    assert "rosa" in cast and "Rosa" not in cast.get("rosa-flint", ())
    assert speakers(text)[-1] == "rosa"


def test_titled_surname_needs_the_same_gender_to_join_a_full_name() -> None:
    text = (
        "Nell Orme was married now. Nell Orme kept her own counsel. She said little.\n\n"
        '"Good day," said Mr. Orme, and he went out.\n\n"Good day," said Nell.'
    )
    cast = _cast(text)
    assert "mr-orme" in cast and "Mr. Orme" not in cast["nell-orme"]


def test_less_common_speech_verbs_make_a_tag() -> None:
    text = (
        "Zelda Frost and Mr. Pike sat by the stove.\n\n"
        '"Fine," pouted Zelda.\n\n"Well!" blustered Mr. Pike.\n\n'
        '"Fine," echoed Zelda.\n\n"Go on," entreated Mr. Pike.'
    )
    assert speakers(text) == ["zelda-frost", "mr-pike", "zelda-frost", "mr-pike"]


def test_as_she_spoke_is_not_a_tag() -> None:
    text = (
        "Ida Marsh and Ralph Reed stood at the gate.\n\n"
        '"Go," said Ralph, stamping as she spoke; "go now."'
    )
    assert speakers(text) == ["ralph-reed", "ralph-reed"]


def test_narration_ending_in_a_speech_verb_names_the_speaker() -> None:
    text = (
        "Ida Marsh sat with Mr. Ashby.\n\n"
        '"It is late," said Ida.\n\n'
        "Ida was tired, and Mr. Ashby, worried by her pallor, said more softly: "
        '"Go home."\n\n'
        'Ida looked at him a while, and then said, "I will."'
    )
    assert speakers(text) == ["ida-marsh", "mr-ashby", "ida-marsh"]


def test_a_leading_tag_outranks_the_tag_after_the_quote() -> None:
    text = (
        "Ida Marsh sat with Mr. Ashby.\n\n"
        'When Mr. Ashby said, "Your health!" she answered, "Thank you."'
    )
    assert speakers(text) == ["mr-ashby", "ida-marsh"]


def test_pronoun_tag_follows_the_narration_just_before() -> None:
    text = (
        "Ralph Reed and Harold Hale sat by the fire.\n\n"
        '"Cards?" said Ralph.\n\n"No," said Harold.\n\n'
        "Harold Hale looked at the clock with astonishment.\n\n"
        '"So late?" said he.'
    )
    assert speakers(text)[-1] == "harold-hale"


def test_pronoun_tag_goes_to_the_one_just_addressed() -> None:
    text = (
        "Ralph Reed, Harold Hale and Ida Marsh sat by the fire. Ralph Reed yawned.\n\n"
        '"Harold Hale, you are quiet," said Ida.\n\n"Not at all," he replied.'
    )
    assert speakers(text) == ["ida-marsh", "harold-hale"]


def test_no_function_of_attribution_is_over_80_lines() -> None:
    import ast

    files = [
        *sorted((ROOT / "audiobook" / "attribute").glob("*.py")),
        ROOT / "audiobook" / "evaluate.py",
    ]
    long = []
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 80:
                    long.append(f"{f.name}:{node.name} ({n} lines)")
    assert long == []


def _surname(i: int) -> str:
    """A made-up surname per number ("Bakley", "Cebaley", ...), all different."""
    cons, vow, s = "bcdfghklmnprstvw", "aeiou", ""
    while True:
        s += cons[i % 16] + vow[(i // 16) % 5]
        i //= 80
        if i == 0:
            return s.capitalize() + "ley"


def test_a_book_of_many_names_is_analysed_in_time_linear_in_its_length() -> None:
    """A collection of short stories names thousands of people: finding each name's uses (for
    its gender, its mentions, a first-person narrator's name) must not scan the whole book per
    name. 450 stories of three people, 1.1 million characters: about 1.6 s of CPU here, where
    a scan per name took 9.3 s."""
    import time

    first = ["Irene", "Ralph", "Lucy", "Mark", "Rose", "Hugh", "Clara", "Ned", "Ivy", "Simon"]
    paras: list[str] = []
    for story in range(450):
        a, b, c = (f"{first[(story + k * 3) % 10]} {_surname(story * 3 + k)}" for k in range(3))
        for _ in range(12):
            paras.append(
                f"{a} walked with {b} to the mill, and he looked at the river while {c} waited."
            )
            paras.append(f'"Is it far?" asked {b}.')
            paras.append(f'"Not far now," said {a}. "We shall see {c} there."')
    text = "\n\n".join(paras)
    assert len(text) > 1_000_000
    t0 = time.process_time()
    a = analyze(text)
    assert time.process_time() - t0 < 5.0
    assert len(a.cast) >= 1000
    said = lines(a)[:3]  # the first story's first exchange
    assert [sp for _, sp, _ in said] == ["mark-caley", "irene-baley", "irene-baley"], said


def test_the_name_index_finds_lower_case_names_as_a_whole_word_search_would() -> None:
    """NameIndex.uses finds a description ('the burglar') from where its last word occurs;
    it must agree with a whole-word regular expression, at the text's edges and inside
    longer words too."""
    import re

    from audiobook.attribute.cast import NameIndex

    text = (
        "the burglar came. The burglar's lamp; the burglars ran, the burglar\n"
        "and the  burglar; xthe burglar; the burglarx. Ann saw the burglar"
    )
    index = NameIndex(text)
    for name in ("the burglar", "The burglar", "burglar", "burglars", "the", "Ann saw"):
        want = [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        assert index.uses({name}) == want, name
