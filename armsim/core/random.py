"""Counter-based randomness: every draw is a pure function of its coordinates.

A draw is addressed by (seed, run, round, actor, purpose). The run's key is
``mix(mix(seed + G) ^ run)``; a draw is SplitMix64's output for the counter
``(round, actor, purpose)`` in the stream of that key::

    u = ((mix(key + counter * G) >> 12) + 1/2) * 2**-52

so run ``r`` of seed ``s`` gets the same numbers whether it runs alone, in a
batch of a million, in any chunk, engine or process. Only integer array
arithmetic (add, multiply, xor, shift on uint64) is used, which the Python array
API standard has, so the generator carries over to other array libraries.
"""

from __future__ import annotations

import zlib

import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S12 = (np.uint64(s) for s in (30, 27, 31, 12))
_UNIT = 2.0 ** -52
_UNIT32 = 2.0 ** -32
_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)

# purposes: small integers, one per kind of draw
PARAMETER, COMPLIANCE, NOISE_FLIP, DETECTION, FORCE_NOISE, CRISIS, STRATEGY = range(7)


def mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (Stafford's variant 13), elementwise on uint64."""
    return _mix_in_place(np.array(z, dtype=np.uint64))


def _mix_in_place(z: np.ndarray) -> np.ndarray:
    """:func:`mix` overwriting the uint64 array ``z`` (one scratch array, no others)."""
    shifted = np.empty_like(z)
    with np.errstate(over="ignore"):
        for shift, factor in ((_S30, _M1), (_S27, _M2), (_S31, None)):
            np.right_shift(z, shift, out=shifted)
            z ^= shifted
            if factor is not None:
                z *= factor
    return z


def _hash(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """``mix(key + counter * G)`` for every run and counter: ``(n, *c)``."""
    c = np.asarray(counters, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return _mix_in_place(keys.reshape(keys.shape + (1,) * c.ndim) + c * GOLDEN)


def run_keys(seed: int, runs: np.ndarray) -> np.ndarray:
    """The stream key of each run; ``runs`` are run indices, shape ``(n,)``."""
    with np.errstate(over="ignore"):
        base = mix(np.asarray([seed], dtype=np.uint64) + GOLDEN)
        return mix(base ^ np.asarray(runs, dtype=np.uint64))


def counter(round_: int, purpose: int, actors: np.ndarray | int = 0) -> np.ndarray:
    """The counter of a draw: unique per (round, actor, purpose); uint64."""
    a = np.asarray(actors, dtype=np.uint64)
    return (np.uint64(round_ + 1) << np.uint64(24)) + (a << np.uint64(8)) + np.uint64(purpose)


def uniform(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Uniforms in (0, 1): ``keys`` shape ``(n,)``, ``counters`` shape ``c``; result ``(n, *c)``."""
    z = _hash(keys, counters)
    # 52 bits: (2**52 - 1 + 0.5) * 2**-52 < 1 exactly, so u is never 0 nor 1
    z >>= _S12
    u = z.view(np.int64).astype(np.float64)
    u += 0.5
    u *= _UNIT
    return u


def normal(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Standard normals by Box-Muller; shape as :func:`uniform`.

    One 64-bit hash gives two 32-bit uniforms, u1 from the high half and u2 from the
    low half; z = sqrt(-2 ln u1) cos(2 pi u2). (|z| < 6.7 since u1 >= 2**-33.)
    """
    z = _hash(keys, counters)
    u1 = ((z >> _S32).astype(np.float64) + 0.5) * _UNIT32
    u2 = (z & _LOW32).astype(np.float64) * _UNIT32
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def normal_rows(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Standard normals shaped ``(c, n)`` (runs last), two per hash by Box-Muller.

    Row j < ceil(c/2) is sqrt(-2 ln u1) cos(2 pi u2) of hash j; row ceil(c/2) + j its
    sine twin, so one hash gives two independent normals.
    """
    c = np.asarray(counters, dtype=np.uint64)
    half = (c.size + 1) // 2
    with np.errstate(over="ignore"):
        z = _mix_in_place(keys[None, :] + c[:half, None] * GOLDEN)    # (half, n)
    # single precision for the transcendental functions: NumPy vectorises them (the
    # double-precision cos runs ~20x slower here); a relative error of ~1e-7 on a shock
    # is immaterial, and every run computes it the same way
    low = (z & _LOW32).view(np.int64)
    z >>= _S32
    radius = z.view(np.int64).astype(np.float32)
    radius += np.float32(0.5)
    radius *= np.float32(_UNIT32)                                # u1
    radius = np.log(radius)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle = low.astype(np.float32)
    angle *= np.float32(_UNIT32)                                 # u2
    angle *= np.float32(2.0 * np.pi)
    out = np.empty((2 * half, keys.size), dtype=np.float64)
    np.multiply(radius, np.cos(angle), out=out[:half])
    np.multiply(radius, np.sin(angle), out=out[half:])
    return out[:c.size]


def path_purpose(path: str) -> int:
    """A stable 32-bit purpose for a parameter named by its dotted path."""
    return zlib.crc32(path.encode("utf-8"))


def parameter_counter(path: str) -> np.ndarray:
    """The counter of a per-run parameter draw: bit 63 set (round counters never set
    it), the path's 32-bit checksum in bits 8-39."""
    return np.asarray((1 << 63) | (path_purpose(path) << 8) | 0xFF, dtype=np.uint64)
