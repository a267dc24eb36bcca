"""ITU-R BS.1770 / EBU R128 integrated loudness and a true-peak limiter, in numpy.

K-weighting and gating in 400 ms blocks as BS.1770-4 says; true peaks (the peak of the signal
between samples) by 4x band-limited interpolation; a look-ahead limiter. A few linear passes
per piece in float32 (sums in float64), the long FFTs cut into small ones, so memory stays at
a few times the piece. Deterministic: the same samples in give the same samples out (gains are
rounded before use, and no step depends on threads or timing). Imported only where audio is
levelled (:mod:`audiobook.loudness`), so speech workers never load numpy.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Samples = npt.NDArray[np.float32]

_MAKE_UP_LU = 0.1
"""A piece that the limiter made this much quieter or more is raised again once..."""
_MAX_MAKE_UP_LU = 2.0
"""... by at most this much."""
_FULL_SCALE = 32768.0
_BLOCK_S = 0.4
_STEP_S = 0.1
_ABS_GATE_LUFS = -70.0
_REL_GATE_LU = -10.0
_TAPS = 8
"""Half-width, in samples, of the windowed-sinc interpolator used for true peaks."""
_OVERSAMPLE = 4
_FRAME = 32  # a power of two (frame peaks are found by halving)
"""The limiter decides its gain per frame of this many samples (1.5 ms at 22,050 Hz)."""
_BATCH = 64
"""K-weighting runs this many FFT blocks at a time (about 8 s of audio): memory stays small."""
_HOLD_S = 0.006
"""The limiter's gain reduction is held this long either side of a peak, then ramps back
over the same time (a raised-cosine-like ramp from two box filters)."""


@lru_cache(maxsize=8)
def _k_weighting_response(rate: int) -> Floats:
    """Impulse response of the BS.1770 K-weighting filter (high shelf, then high pass) at
    ``rate``, long enough that the rest of it carries less than 1e-12 of its energy.

    The biquad coefficients are derived for any sample rate the way libebur128 does (the
    tables in BS.1770 are for 48 kHz only); filtering is a convolution with this response.
    """
    k = math.tan(math.pi * 1681.974450955533 / rate)
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    q = 0.7071752369554196
    a0 = 1 + k / q + k * k
    shelf_b = (
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
    )
    shelf_a = (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    hp_b = (1.0, -2.0, 1.0)
    hp_a = (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    n = rate  # one second: far more than the response needs
    out = [0.0] * n
    x = [1.0] + [0.0] * (n - 1)
    for b, a in ((shelf_b, shelf_a), (hp_b, hp_a)):
        x1 = x2 = y1 = y2 = 0.0
        for i in range(n):
            y = b[0] * x[i] + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2
            x2, x1, y2, y1 = x1, x[i], y1, y
            out[i] = y
        x = out[:]
    h = np.array(x)
    tail = np.cumsum((h * h)[::-1])[::-1]
    keep = int(np.argmax(tail < 1e-12 * tail[0])) or n
    return h[:keep]


_FFT = 4096


@lru_cache(maxsize=8)
def _k_weighting_spectrum(rate: int) -> tuple[int, npt.NDArray[np.complex64]]:
    """(block length, spectrum of the response) for overlap-add in :data:`_FFT`-point FFTs."""
    h = _k_weighting_response(rate)
    size = _FFT
    while size - len(h) + 1 < len(h):  # a block's tail must spill into the next block only
        size *= 2
    return size - len(h) + 1, np.fft.rfft(h, size).astype(np.complex64)


def k_power(x: Samples, rate: int) -> Samples:
    """The square of ``x`` through the K-weighting filter (zero initial state), sample by
    sample: an exact linear convolution with the filter's response, by overlap-add of small
    FFTs, :data:`_BATCH` blocks at a time."""
    block, spectrum = _k_weighting_spectrum(rate)
    size = 2 * (len(spectrum) - 1)
    tail = size - block
    n = len(x)
    rows = -(-n // block)
    out = np.empty(rows * block, np.float32)
    carry = np.zeros(tail, np.float32)
    for r0 in range(0, rows, _BATCH):
        r1 = min(rows, r0 + _BATCH)
        chunk = np.zeros((r1 - r0) * block, np.float32)
        piece = x[r0 * block : r1 * block]
        chunk[: len(piece)] = piece
        spec = np.fft.rfft(chunk.reshape(r1 - r0, block), size, axis=1)
        y = np.fft.irfft(spec * spectrum, size, axis=1).astype(np.float32, copy=False)
        y[0, :tail] += carry
        y[1:, :tail] += y[:-1, block:]
        carry = y[-1, block:].copy()
        out[r0 * block : r1 * block].reshape(r1 - r0, block)[:] = np.square(y[:, :block])
    return out[:n]


def integrated_loudness(x: Samples | Floats, rate: int) -> float:
    """BS.1770-4 integrated loudness of mono samples ``x`` (full scale 1.0), in LUFS.

    400 ms blocks overlapping by 75%, an absolute gate at -70 LUFS and a relative gate 10 LU
    under the loudness of the blocks that pass it. A piece shorter than one block is one
    block. ``-inf`` for silence.
    """
    return _gated(k_power(np.asarray(x, np.float32), rate), rate)


def _gated(power: Samples, rate: int) -> float:
    """Gated loudness from the K-weighted signal's square, sample by sample."""
    n = len(power)
    if n == 0:
        return -math.inf
    step = round(_STEP_S * rate)
    per = round(_BLOCK_S / _STEP_S)  # steps per block: 4
    if n <= per * step:
        z = np.array([float(power.sum(dtype=np.float64)) / n])
    else:
        steps = n // step
        sums = power[: steps * step].reshape(steps, step).sum(axis=1, dtype=np.float64)
        run = np.concatenate(([0.0], np.cumsum(sums)))
        z = (run[per:] - run[:-per]) / (per * step)
    with np.errstate(divide="ignore"):
        z = z[-0.691 + 10 * np.log10(z) > _ABS_GATE_LUFS]
    if len(z) == 0:
        return -math.inf
    rel = -0.691 + 10 * math.log10(float(np.mean(z))) + _REL_GATE_LU
    with np.errstate(divide="ignore"):
        z = z[-0.691 + 10 * np.log10(z) > rel]
    return -0.691 + 10 * math.log10(float(np.mean(z)))


@lru_cache(maxsize=1)
def _interpolator() -> Samples:
    """Weights (phase, tap) giving the values a quarter, half and three quarters of the way
    from sample n to n+1 from samples n-7..n+8 (Hann-windowed sinc)."""
    offsets = np.arange(-_TAPS + 1, _TAPS + 1)
    rows = []
    for p in range(1, _OVERSAMPLE):
        t = p / _OVERSAMPLE - offsets
        rows.append(np.sinc(t) * (0.5 + 0.5 * np.cos(np.pi * t / _TAPS)))
    return np.array(rows, np.float32)


def frame_true_peaks(x: Samples, near: float) -> Floats:
    """The true peak of each frame of :data:`_FRAME` samples: the highest of its samples and
    of the band-limited signal between them (4x oversampled, up to the next frame's first
    sample). The values between samples are computed only in frames with a sample above
    ``near`` (between samples speech peaks a few dB at most above them), so this is two
    passes over the samples and a little more."""
    frames = -(-len(x) // _FRAME)
    padded = np.zeros(frames * _FRAME + 2 * _TAPS, np.float32)
    padded[_TAPS : _TAPS + len(x)] = x
    body = padded[_TAPS : _TAPS + frames * _FRAME].reshape(frames, _FRAME)
    top = np.abs(body)
    width = _FRAME
    while width > 1:  # halving: far faster than a reduction along short rows
        width //= 2
        top = np.maximum(top[:, :width], top[:, width : 2 * width])
    peaks: Floats = top[:, 0].astype(np.float64)
    hot = np.flatnonzero(peaks > near)
    if len(hot) == 0:
        return peaks
    n = (hot[:, None] * _FRAME + np.arange(_FRAME)[None, :]).ravel()
    n = n[np.maximum(np.abs(padded[n + _TAPS]), np.abs(padded[n + _TAPS + 1])) > near]
    window = n[:, None] + np.arange(1, 2 * _TAPS + 1)[None, :]  # samples n-7..n+8, padded
    between = np.abs(padded[window] @ _interpolator().T).max(axis=1)
    np.maximum.at(peaks, n // _FRAME, between)
    return peaks


def _sliding_max(a: Floats, half: int) -> Floats:
    """Maximum of ``a`` over [n - half, n + half] for every n (short arrays: frames)."""
    padded = np.concatenate((np.zeros(half), a, np.zeros(half)))
    out = a.copy()
    for shift in range(2 * half + 1):
        np.maximum(out, padded[shift : shift + len(a)], out=out)
    return out


def _box(a: Floats, half: int) -> Floats:
    """Mean of ``a`` over [n - half, n + half] (zeros outside)."""
    c = np.cumsum(np.concatenate((np.zeros(half + 1), a, np.zeros(half))))
    return (c[2 * half + 1 :] - c[: -2 * half - 1]) / (2 * half + 1)


def _reduction(peaks: Floats, gain: float, rate: int, ceiling: float) -> Floats | None:
    """Per-frame-edge gain (at most 1) that keeps ``gain * peaks`` under ``ceiling``, or None
    when nothing needs it; :func:`_per_sample` spreads it over the samples.

    The reduction each frame needs (from its highest true peak) is held :data:`_HOLD_S` either
    side and smoothed by two box filters half as wide; each frame edge takes the larger value
    of the frames it joins, and the gain ramps linearly across a frame between its edges.
    Every step keeps the reduction at a peak at least what that peak needs, and the gain moves
    over milliseconds, not samples, so it makes no clicks.
    """
    scaled = peaks * gain
    if float(scaled.max(initial=0.0)) <= ceiling:
        return None
    cut = 1.0 - np.minimum(1.0, ceiling / np.maximum(scaled, 1e-12))
    smooth = max(1, int(_HOLD_S * rate) // _FRAME // 2)
    cut = _box(_box(_sliding_max(cut, 2 * smooth), smooth), smooth)
    edges = np.maximum(np.concatenate(([cut[0]], cut)), np.concatenate((cut, [cut[-1]])))
    return 1.0 - edges


def _per_sample(edges: Floats, n: int) -> Samples:
    """Frame-edge gains as ``n`` per-sample gains, ramping linearly across each frame."""
    e = edges.astype(np.float32)
    out: Samples = np.multiply.outer(e[1:] - e[:-1], np.arange(_FRAME, dtype=np.float32) / _FRAME)
    out += e[:-1, None]
    return out.ravel()[:n]


def level(pcm: bytes, rate: int, target: float, ceiling_db: float, max_gain: float) -> bytes:
    """16-bit mono PCM brought to ``target`` LUFS (raised at most ``max_gain`` dB) with its
    true peaks under ``ceiling_db`` dBTP.

    The gain that reaches the target is applied, then the limiter; if the limiter took
    :data:`_MAKE_UP_LU` or more from the piece (a voice with strong peaks), the loss is
    estimated from the K-weighted signal weighted by the limiter's gain (which moves far
    slower than the frequencies that count) and given back once, up to :data:`_MAX_MAKE_UP_LU`,
    and the peaks are limited again. So voices with more peaks are not quieter.
    """
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    x *= np.float32(1 / _FULL_SCALE)
    power = k_power(x, rate)
    loud = _gated(power, rate)
    if not math.isfinite(loud):
        return pcm
    ceiling = 10 ** (ceiling_db / 20)
    gain_db = round(min(target - loud, max_gain), 2)  # rounded: stable across runs
    most = 10 ** ((gain_db + _MAX_MAKE_UP_LU) / 20)
    peaks = frame_true_peaks(x, ceiling * 10 ** (-4 / 20) / most)
    edges = _reduction(peaks, 10 ** (gain_db / 20), rate, ceiling)
    keep = None if edges is None else _per_sample(edges, len(x))
    if keep is not None:
        power *= keep
        power *= keep
        lost = round(target - gain_db - _gated(power, rate), 2)
        if lost >= _MAKE_UP_LU:
            gain_db = round(min(gain_db + min(lost, _MAX_MAKE_UP_LU), max_gain), 2)
            edges = _reduction(peaks, 10 ** (gain_db / 20), rate, ceiling)
            keep = None if edges is None else _per_sample(edges, len(x))
    del power
    x *= np.float32(10 ** (gain_db / 20) * _FULL_SCALE)
    if keep is not None:
        x *= keep
    np.rint(x, out=x)
    np.clip(x, -32768, 32767, out=x)
    return x.astype("<i2").tobytes()
