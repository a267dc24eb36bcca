"""``audiobook check``: measurements of generated audio with known levels, the default and ACX
profiles' rules, and the CLI's table, JSON and exit codes."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest
from conftest import BuildBook
from typer.testing import CliRunner

from audiobook.assemble import ffmpeg_base
from audiobook.check import check
from audiobook.cli import app
from audiobook.measure import gated_loudness, measure, vtt_cues


def make_audio(dest: Path, graph: str, *out_args: str) -> Path:
    """Render an ffmpeg lavfi source graph into ``dest``."""
    args = [*ffmpeg_base(), "-f", "lavfi", "-i", graph, *out_args, str(dest)]
    subprocess.run(args, check=True, capture_output=True)
    return dest


def tone(seconds: float, amplitude: float, rate: int = 44100) -> str:
    """A 1 kHz sine of a given peak amplitude (linear)."""
    return f"aevalsrc={amplitude}*sin(2*PI*1000*t):s={rate}:d={seconds}"


def padded(inner: str, head: float, tail: float, rate: int = 44100) -> str:
    """``inner`` with digital silence before and after it."""
    return f"{inner},adelay={int(head * 1000)}:all=1,apad=pad_dur={tail},aresample={rate}"


MP3_192 = ("-c:a", "libmp3lame", "-b:a", "192k", "-ac", "1")


def test_measures_a_tone_of_known_level(tmp_path: Path) -> None:
    """A 1 kHz sine peaking at 0.1 (-20 dBFS): RMS -23.0 dB, -23.0 LUFS, silences as made."""
    wav = make_audio(tmp_path / "t.wav", padded(tone(8, 0.1), 0.7, 2.0), "-ac", "1")
    m = measure(wav)
    assert (m.codec, m.sample_rate, m.channels) == ("pcm_s16le", 44100, 1)
    assert m.duration_s == pytest.approx(10.7, abs=0.01)
    # over the tone alone RMS is -23.01 dB; 2.7 s of silence in 10.7 s lowers it by 1.3 dB
    assert m.rms_db == pytest.approx(-23.01 + 10 * math.log10(8 / 10.7), abs=0.1)
    assert m.peak_db == pytest.approx(-20.0, abs=0.05)
    assert m.true_peak_db == pytest.approx(-20.0, abs=0.2)
    # gating drops the silence (blocks straddling the tone's edges still count a little)
    assert m.lufs == pytest.approx(-23.0, abs=0.3)
    assert m.head_silence_s == pytest.approx(0.7, abs=0.03)
    assert m.tail_silence_s == pytest.approx(2.0, abs=0.03)
    assert m.noise_floor_db == -math.inf  # digital silence
    assert m.mp3_bitrates == () and m.cbr is None and m.chapters is None


def test_room_tone_noise_floor_is_finite(tmp_path: Path) -> None:
    """Pink noise measured as noise floor: finite and near its RMS."""
    mp3 = make_audio(tmp_path / "n.mp3", "anoisesrc=r=44100:c=pink:a=0.002:seed=3:d=4", *MP3_192)
    m = measure(mp3)
    assert -75 < m.noise_floor_db < -65
    assert m.noise_floor_db <= m.rms_db


def test_constant_and_variable_bit_rate_told_apart(tmp_path: Path) -> None:
    src = "anoisesrc=r=44100:c=white:a=0.3:seed=1:d=3"
    cbr = measure(make_audio(tmp_path / "cbr.mp3", src, *MP3_192))
    vbr = measure(make_audio(tmp_path / "vbr.mp3", src, "-c:a", "libmp3lame", "-q:a", "4"))
    assert cbr.mp3_bitrates == (192,) and cbr.cbr is True
    assert len(vbr.mp3_bitrates) > 1 and vbr.cbr is False


def test_default_profile_true_peak(tmp_path: Path) -> None:
    loud = measure(make_audio(tmp_path / "loud.wav", tone(2, 0.9)))  # -0.9 dBTP
    safe = measure(make_audio(tmp_path / "safe.wav", tone(2, 0.5)))  # -6 dBTP
    (loud_check, safe_check) = check([loud, safe], "default")
    assert [v.rule for v in loud_check.verdicts] == ["true peak"]  # a WAV has no chapters
    assert not loud_check.passed and safe_check.passed


def _two_speakers(tmp_path: Path, name: str, second_amplitude: float) -> Path:
    """3 s of Ann at 0.1 then 3 s of Bob at ``second_amplitude``, with subtitles beside."""
    graph = f"aevalsrc=if(lt(t\\,3)\\,0.1\\,{second_amplitude})*sin(2*PI*1000*t):s=44100:d=6"
    wav = make_audio(tmp_path / f"{name}.wav", graph, "-ac", "1")
    (tmp_path / f"{name}.vtt").write_text(
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.000\n<v Ann>Hello.\n\n"
        "2\n00:00:03.000 --> 00:00:06.000\n<v Bob &amp; Co>Hi.\n",
        encoding="utf-8",
    )
    return wav


def test_speakers_loudness_from_the_vtt_beside(tmp_path: Path) -> None:
    even = measure(_two_speakers(tmp_path, "even", 0.1))
    uneven = measure(_two_speakers(tmp_path, "uneven", 0.2))  # Bob 6 dB louder
    assert set(even.speakers) == {"Ann", "Bob & Co"}
    assert even.speakers["Ann"] == pytest.approx(-23.0, abs=0.3)
    assert even.speakers["Bob & Co"] == pytest.approx(-23.0, abs=0.3)
    assert uneven.speakers["Bob & Co"] - uneven.speakers["Ann"] == pytest.approx(6.0, abs=0.3)
    rule = {r.measurement.path.stem: r for r in check([even, uneven], "default")}
    spread = {k: [v for v in r.verdicts if v.rule == "speakers loudness"] for k, r in rule.items()}
    assert spread["even"][0].passed and not spread["uneven"][0].passed


def test_gating_and_cue_parsing(tmp_path: Path) -> None:
    assert gated_loudness([-23.0] * 10) == pytest.approx(-23.0)
    assert gated_loudness([-23.0] * 10 + [-80.0] * 10) == pytest.approx(-23.0)  # absolute gate
    assert gated_loudness([-20.0] * 10 + [-40.0] * 10) == pytest.approx(-20.0)  # relative gate
    assert gated_loudness([-90.0]) == -math.inf
    vtt = tmp_path / "a.vtt"
    vtt.write_text("WEBVTT\n\n1\n01:02:03.250 --> 01:02:04.000\n<v A&lt;b>x\n", "utf-8")
    assert vtt_cues(vtt) == [(3723.25, 3724.0, "A<b")]


def test_clipped_22khz_file_fails_acx_and_names_the_rules(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Clipped (peak 0 dB), 22.05 kHz, 64 kbit/s, no room tone: exit 1, the failures named."""
    bad = make_audio(
        tmp_path / "clipped.mp3",
        f"{tone(4, 1.0, 22050)},volume=12dB,aformat=sample_fmts=s16",  # clipped at 0 dBFS
        "-c:a",
        "libmp3lame",
        "-b:a",
        "64k",
        "-ac",
        "1",
    )
    res = runner.invoke(app, ["check", "--profile", "acx", str(bad)])
    assert res.exit_code == 1, res.output
    fails = {ln.split()[1:3][0] for ln in res.stdout.splitlines() if ln.strip().startswith("FAIL")}
    assert {"sample", "bit", "RMS", "peak", "room"} <= fails
    last = res.stdout.strip().splitlines()[-1]
    assert "clipped.mp3: sample rate" in last and "clipped.mp3: peak" in last
    res = runner.invoke(app, ["check", "--profile", "acx", "--format", "json", str(bad)])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    failed = {v["rule"] for v in doc["files"][0]["rules"] if not v["passed"]}
    assert {"sample rate", "bit rate", "peak", "RMS", "room tone head", "room tone tail"} <= failed
    assert "constant bit rate" not in failed and "channels" not in failed
    assert doc["files"][0]["peak_db"] > -0.5


def test_check_on_our_m4b_and_mp3_reads_every_chapter_list(
    build_book: BuildBook, book_dir: Path, runner: CliRunner
) -> None:
    built = build_book(book_dir, extra=["--format", "m4b", "--format", "mp3"])
    res = runner.invoke(app, ["check", str(built.out), "--format", "json"])
    doc = json.loads(res.stdout)
    by_kind = {Path(f["file"]).suffix: f for f in doc["files"]}
    titles = ["Snow in the Valley", "Bakery", "The Last Train"]
    m4b = by_kind[".m4b"]["chapters"]
    assert (m4b["kind"], m4b["quicktime"], m4b["nero"], m4b["problems"]) == ("mp4", 3, 3, [])
    assert m4b["titles"][0] == titles[0] and m4b["titles"][2] == titles[2]
    mp3 = by_kind[".mp3"]["chapters"]
    assert (mp3["kind"], mp3["id3_chap"], mp3["id3_toc"]) == ("id3", 3, 3)
    assert mp3["titles"] == m4b["titles"]
    for f in doc["files"]:  # the chapter rules pass on our own output today
        chapter_rules = [v for v in f["rules"] if v["rule"].startswith("chapters")]
        assert chapter_rules and all(v["passed"] for v in chapter_rules)
        assert f["speakers"]  # the .vtt beside the book was read
    table = runner.invoke(app, ["check", str(built.out / "Book.m4b")])
    assert "chapters QuickTime" in table.stdout and "chapters Nero" in table.stdout


def test_check_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(tmp_path / "missing.mp3")])
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "no such file" in res.stderr
    text = tmp_path / "notes.mp3"
    text.write_text("not audio", encoding="utf-8")
    res = runner.invoke(app, ["check", str(text)])
    assert res.exit_code == 1 and "not an audio file" in res.stderr
    assert "Traceback" not in res.output
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["check", str(tmp_path / "empty")])
    assert res.exit_code == 1 and "no audio files" in res.stderr
    res = runner.invoke(app, ["check", "--profile", "audible", str(text)])
    assert res.exit_code == 2 and "unknown profile" in res.stderr
