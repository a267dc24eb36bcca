"""Make the tiny Piper test voices committed beside this script (needs ``pip install onnx``).

Real Piper voices are 20 to 120 MB and cannot be downloaded here, so the tests of model
folders, multi-speaker models, speaker choice, length scale and resampling use two tiny
models with Piper's own interface (inputs ``input``, ``input_lengths``, ``scales`` and, for
several speakers, ``sid``; output ``[1, 1, samples]``). Each "speaks" a sine tone whose
frequency depends on the speaker, 768 samples per phoneme id times the length scale (three
of a VITS model's 256-sample frames, about a real voice's pace). Their configs are real Piper configs (espeak phonemes, Piper's
default phoneme map), so piper-tts phonemizes text for them exactly as for a real voice.

Run it again only to change the models: ``python tests/data/piper/make_tiny_voices.py``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import onnx
from onnx import TensorProto, helper
from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

HERE = Path(__file__).resolve().parent


def make_model(path: Path, sample_rate: int, freqs: list[float]) -> None:
    """A model whose output is a tone of ``freqs[sid]`` Hz, ``768 * ids * length_scale`` long."""
    multi = len(freqs) > 1
    c = helper.make_tensor
    nodes = [
        helper.make_node("Shape", ["input"], ["shape"]),
        helper.make_node("Gather", ["shape", "one_i"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one_i"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["n_f", "hop"], ["frames"]),
        helper.make_node("Mul", ["frames", "length_scale"], ["samples_f"]),
        helper.make_node("Floor", ["samples_f"], ["samples"]),
        helper.make_node("Range", ["zero_f", "samples", "one_f"], ["t"]),
        helper.make_node("Gather", ["freqs", "sid" if multi else "zero_idx"], ["freq"], axis=0),
        helper.make_node("Mul", ["freq", "two_pi_over_rate"], ["step"]),
        helper.make_node("Mul", ["t", "step"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["tone"]),
        helper.make_node("Mul", ["tone", "half"], ["quiet"]),
        helper.make_node("Reshape", ["quiet", "out_shape"], ["output"]),
    ]
    inits = [
        c("one_i", TensorProto.INT64, [], [1]),
        c("zero_f", TensorProto.FLOAT, [], [0.0]),
        c("one_f", TensorProto.FLOAT, [], [1.0]),
        c("hop", TensorProto.FLOAT, [], [768.0]),
        c("half", TensorProto.FLOAT, [], [0.5]),
        c("freqs", TensorProto.FLOAT, [len(freqs)], freqs),
        c("two_pi_over_rate", TensorProto.FLOAT, [], [2 * math.pi / sample_rate]),
        c("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if not multi:
        inits.append(c("zero_idx", TensorProto.INT64, [1], [0]))
    if multi:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    else:
        # unused inputs must still be consumed for onnxruntime to accept them
        nodes.append(helper.make_node("Identity", ["input_lengths"], ["unused_lengths"]))
    out = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"])
    graph = helper.make_graph(nodes, path.stem, inputs, [out], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    model.producer_name = "audiobook tests"
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def make_config(
    path: Path, sample_rate: int, language: str, espeak: str, extra: dict[str, object]
) -> None:
    """A Piper voice config (``<model>.onnx.json``)."""
    lang, _, region = language.partition("_")
    config: dict[str, object] = {
        "audio": {"sample_rate": sample_rate, "quality": "x_low"},
        "espeak": {"voice": espeak},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
        "num_symbols": 256,
        "num_speakers": 1,
        "speaker_id_map": {},
        "piper_version": "1.0.0",
        "language": {"code": language, "family": lang, "region": region},
        "dataset": path.name.split("-")[1],
    }
    config.update(extra)
    path.write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    """Write a three-speaker 16 kHz model and a one-speaker 22,050 Hz model."""
    multi = HERE / "en_US-tinytrio-x_low.onnx"
    make_model(multi, 16000, [220.0, 110.0, 330.0])
    make_config(
        multi.with_name(multi.name + ".json"),
        16000,
        "en_US",
        "en-us",
        {
            "num_speakers": 3,
            "speaker_id_map": {"alice": 0, "bob": 1, "carol": 2},
            # not part of Piper's format: the gender metadata audiobook reads where present
            "speaker_gender": {"alice": "female", "bob": "male"},
        },
    )
    solo = HERE / "en_GB-tinysolo-x_low.onnx"
    make_model(solo, 22050, [180.0])
    make_config(solo.with_name(solo.name + ".json"), 22050, "en_GB", "en", {})


if __name__ == "__main__":
    main()
