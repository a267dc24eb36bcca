"""Casting, the voice map, and that different voices really sound different."""

from __future__ import annotations

import json
import re
import subprocess
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import BuildBook
from typer.testing import CliRunner

from audiobook.assemble import ffmpeg_exe
from audiobook.casting import cast_voices, load_voice_map
from audiobook.cli import app
from audiobook.engines import engine_catalog
from audiobook.errors import VoiceMapError
from audiobook.model import NARRATOR, Character, Pauses

CATALOG = engine_catalog("pyttsx3")


def test_palette_has_enough_voices_of_each_gender() -> None:
    vm = load_voice_map(None, CATALOG)
    auto = [v for v in vm.voices.values() if v.auto]
    assert sum(v.gender == "female" for v in auto) >= 8
    assert sum(v.gender == "male" for v in auto) >= 8
    assert sum(v.gender == "neutral" for v in auto) >= 4
    assert vm.narrator in vm.voices and not vm.voices[vm.narrator].auto
    assert len({v.settings for v in vm.voices.values()}) == len(vm.voices)


def _c(i: str, gender: str, lines: int) -> Character:
    return Character(id=i, name=i.title(), gender=gender, lines=lines)  # type: ignore[arg-type]


def test_gender_distinctness_and_narrator() -> None:
    vm = load_voice_map(None, CATALOG)
    cast = [
        _c("ann", "female", 9),
        _c("bea", "female", 5),
        _c("carl", "male", 7),
        _c("x", "unknown", 1),
    ]
    casting = cast_voices(cast, [{"ann", "bea", "carl", "x"}], vm)
    v = casting.voices
    assert v["ann"].gender == v["bea"].gender == "female"
    assert v["carl"].gender == "male" and v["x"].gender == "neutral"
    assert len({v[k].name for k in ("ann", "bea", "carl", "x", NARRATOR)}) == 5
    # most lines take the palette's first (most distinct) voice of their gender
    first_female = next(n for n, p in vm.voices.items() if p.gender == "female" and p.auto)
    assert v["ann"].name == first_female


def test_least_heard_share_first_when_the_palette_runs_out() -> None:
    vm = load_voice_map(None, CATALOG)
    women = [_c(f"w{i:02d}", "female", 100 - i) for i in range(10)]  # 10 women, 8 female voices
    casting = cast_voices(women, [{w.id for w in women}], vm)
    names = [casting.names[w.id] for w in women]
    assert len(set(names[:8])) == 8  # the eight most heard all differ
    assert names[8] in names[:8] and names[9] in names[:8]  # the two least heard share
    # and they share with the least heard of the others, not with the lead
    assert names[8] != names[0] and names[9] != names[0]


def test_characters_in_different_chapters_may_share_but_co_occurring_never() -> None:
    vm = load_voice_map(None, CATALOG)
    women = [_c(f"w{i}", "female", 10 - i) for i in range(9)]
    chapters = [{"w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"}, {"w8", "w0"}]
    names = cast_voices(women, chapters, vm).names
    assert names["w8"] != names["w0"]


def test_previous_cast_is_kept() -> None:
    vm = load_voice_map(None, CATALOG)
    cast = [_c("ann", "female", 1), _c("zoe", "female", 50)]
    casting = cast_voices(
        cast, [{"ann", "zoe"}], vm, previous={"ann": "Hazel", NARRATOR: "Narrator"}
    )
    assert casting.names["ann"] == "Hazel"
    assert casting.names["zoe"] != "Hazel"


def _map(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "map.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("[narrator\nvoice = 'Ada'", r"map\.toml: not valid TOML"),
        (
            "[characters]\n'Ann' = 'Beatrise'",
            r"characters\.'Ann'\.voice: unknown voice 'Beatrise'; did you mean 'Beatrice'",
        ),
        ("[voices.Ada]\npitch = 140", r"voices\.Ada\.pitch: 140 is out of range; allowed 0 to 99"),
        ("[voices.Ada]\nspeed = 3", r"voices\.Ada\.speed: unknown key; allowed keys: auto, base, "),
        (
            "[voices.Zed]\ngender = 'male'\nbase = 'en-uss'",
            r"voices\.Zed\.base: the engine has no voice 'en-uss'; did you mean 'en-us'",
        ),
        (
            "[voices.Zed]\ngender = 'male'\nbase = 'en-us'\nvariant = 'm9'",
            r"voices\.Zed\.variant: the engine has no variant 'm9'",
        ),
        ("[voices.Zed]\nbase = 'en-us'", r"voices\.Zed: a new voice needs 'gender'"),
        (
            "colour = 'red'",
            r"map\.toml: colour: unknown key; allowed keys: casting, characters, line, narrator, pauses, pronounce, voices",
        ),
        (
            "[pauses]\nparagraf = 500",
            (
                r"map\.toml: pauses\.paragraf: unknown key; did you mean 'paragraph'\?; "
                r"allowed keys: phrase, paragraph, turn, scene, chapter_start, chapter_end"
            ),
        ),
        (
            "[pauses]\nscene = 20000",
            r"map\.toml: pauses\.scene: 20000 is out of range; allowed 0 to 10000 milliseconds",
        ),
        (
            "[pauses]\nturn = 0.5",
            (
                r"map\.toml: pauses\.turn: must be a whole number of milliseconds from 0 to "
                r"10000, not 0\.5"
            ),
        ),
        ("pauses = 300", r"map\.toml: pauses: must be a table like \[pauses\] paragraph = 650"),
        (
            "[characters]\n'Ann' = { voice = 'Ada', rate = 20 }",
            r"rate: 20 is out of range; allowed 80 to 450",
        ),
    ],
)
def test_voice_map_mistakes_are_reported(tmp_path: Path, text: str, pattern: str) -> None:
    with pytest.raises(VoiceMapError, match=pattern):
        load_voice_map(_map(tmp_path, text), CATALOG)


def test_voice_map_mistake_through_cli_synthesizes_nothing(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    bad = _map(tmp_path, "[voices.Ada]\npitch = 'high'")
    cache = tmp_path / "cache"
    res = build_book(story, cache=cache, quiet=False, extra=["--voices", str(bad)], ok=False)
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        f"error: {bad}: voices.Ada.pitch: must be a number from 0 to 99, not 'high'"
    ]
    assert not cache.exists() or not list(cache.rglob("*.pcm"))


def test_pauses_default_from_the_palette_and_a_map_changes_only_what_it_names(
    tmp_path: Path,
) -> None:
    base = load_voice_map(None, CATALOG)
    assert base.pauses == Pauses()  # the palette's [pauses] table says the documented defaults
    vm = load_voice_map(_map(tmp_path, "[pauses]\nturn = 200\nchapter_end = 3000"), CATALOG)
    assert vm.pauses == replace(Pauses(), turn=200, chapter_end=3000)


def test_valid_map_changes_exactly_the_voices_it_names(tmp_path: Path) -> None:
    base = load_voice_map(None, CATALOG)
    vm = load_voice_map(
        _map(
            tmp_path,
            """
[narrator]
voice = "Edmund"
[voices.Ada]
rate = 150
[voices.Margot]
gender = "female"
base = "fr"
variant = "f4"
[characters]
"Miss Marta" = { voice = "Margot", pitch = 70 }
""",
        ),
        CATALOG,
    )
    changed = {n for n in vm.voices if n not in base.voices or vm.voices[n] != base.voices[n]}
    assert changed == {"Ada", "Margot"}
    assert vm.voices["Ada"].rate == 150 and vm.voices["Ada"].pitch == base.voices["Ada"].pitch
    cast = [
        Character("marta-vidal", "Marta Vidal", ("Marta", "Miss Marta"), "female", 3),
        Character("tomas", "Tomas", (), "male", 2),
    ]
    plain = cast_voices(cast, [{"marta-vidal", "tomas"}], base)
    casting = cast_voices(cast, [{"marta-vidal", "tomas"}], vm)
    assert casting.voices[NARRATOR].name == "Edmund"
    assert (
        casting.voices["marta-vidal"].name == "Margot" and casting.voices["marta-vidal"].pitch == 70
    )
    assert casting.voices["tomas"] == plain.voices["tomas"]


def test_cast_json_for_each_seed_gives_distinct_gendered_voices(runner: CliRunner) -> None:
    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        res = runner.invoke(app, ["voices", "cast", str(seed), "--format", "json"])
        assert res.exit_code == 0, res.output
        rows = json.loads(res.stdout)
        assert rows[0]["character"] == "Narrator"
        speaking = [r for r in rows[1:] if r["lines"] > 0]
        for r in speaking:
            want = {"female": "female", "male": "male"}.get(r["gender"], "neutral")
            assert r["voice_gender"] == want, (seed.name, r)
        voices = [r["voice"] for r in speaking] + [rows[0]["voice"]]
        assert len(voices) == len(set(voices)), (seed.name, rows)


def test_adding_a_story_keeps_every_voice(
    build_book: BuildBook, book_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build_book(book_dir, extra=["--title", "T"], ok=False).exit_code == 0
    before = (out / "T.cast.toml").read_text()
    first = dict(re.findall(r'"([\w-]+)" = \{ voice = "(\w+)"', before))
    assert first
    # a new first chapter whose chatty woman would otherwise take the first female voice
    lines = "\n\n".join(f'"Line {i} of mine," Greta Olsen said.' for i in range(12))
    (book_dir / "chapter0.txt").write_text(f"Greta Olsen arrived.\n\n{lines}\n", encoding="utf-8")
    assert build_book(book_dir, extra=["--title", "T"], ok=False).exit_code == 0
    after = dict(re.findall(r'"([\w-]+)" = \{ voice = "(\w+)"', (out / "T.cast.toml").read_text()))
    assert {k: after[k] for k in first} == first
    assert len(after) > len(first)


def _pitch_hz(pcm: array, rate: int) -> float:
    """Median fundamental frequency of voiced frames, by autocorrelation."""
    step = 2
    x = pcm[::step]
    sr = rate // step
    win = 512
    lo, hi = sr // 400, sr // 70
    found = []
    for start in range(0, len(x) - win - hi, win * 2):
        frame = x[start : start + win + hi]
        energy = sum(v * v for v in frame[:win])
        if energy < win * 1500**2:
            continue
        best, best_lag = 0.0, 0
        for lag in range(lo, hi):
            c = sum(frame[i] * frame[i + lag] for i in range(0, win, 2))
            if c > best:
                best, best_lag = c, lag
        if best_lag:
            found.append(sr / best_lag)
    found.sort()
    return found[len(found) // 2] if found else 0.0


def test_co_occurring_characters_sound_different(
    build_book: BuildBook, story: Path, tmp_path: Path
) -> None:
    """Real engine, read back from the m4b: the two speakers' pitch differs clearly."""
    out = tmp_path / "out"
    res = build_book(story, engine=None, ok=False)
    assert res.exit_code == 0, res.output
    pcm_bytes = subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-i",
            str(out / "Bakery.m4b"),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            "22050",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    pcm = array("h", pcm_bytes)
    vtt = (out / "Bakery.vtt").read_text()
    cues = re.findall(
        r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n<v ([^>]+)>", vtt
    )
    by_speaker: dict[str, array] = {}
    for *t, who in cues:
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, t)
        a = ((h1 * 60 + m1) * 60 + s1) * 22050 + ms1 * 22050 // 1000
        b = ((h2 * 60 + m2) * 60 + s2) * 22050 + ms2 * 22050 // 1000
        by_speaker.setdefault(who, array("h")).extend(pcm[a:b])
    speakers = [w for w in by_speaker if w != "Narrator"]
    assert len(speakers) == 2
    marta = next(w for w in speakers if w.startswith("Marta"))
    tomas = next(w for w in speakers if w.startswith("Tomas"))
    f_marta = _pitch_hz(by_speaker[marta], 22050)
    f_tomas = _pitch_hz(by_speaker[tomas], 22050)
    assert f_marta > 0 and f_tomas > 0
    assert f_marta > 1.3 * f_tomas, (f_marta, f_tomas)  # a woman's voice against a man's
