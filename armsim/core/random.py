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
_UNIT51 = 2.0 ** -51
_LOW8 = np.uint64(0xFF)

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
    """Standard normals, one per hash, by the ziggurat; shape as :func:`uniform`."""
    z = _hash(keys, counters)
    return ziggurat(z.ravel()).reshape(z.shape)


def normal_rows(keys: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """Standard normals shaped ``(c, n)`` (runs last): row j is counter j's normal for
    every run, one hash each, by the ziggurat (the same numbers as :func:`normal`)."""
    c = np.asarray(counters, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = _mix_in_place(keys[None, :] + c.reshape(-1, 1) * GOLDEN)      # (c, n)
    return ziggurat(z.ravel()).reshape(z.shape)


# --- the ziggurat: a normal from a 64-bit hash --------------------------------------
#
# Marsaglia and Tsang's method (J. Stat. Softw. 5(8), 2000) with 256 layers, as set up
# by Doornik (2005): the layer from the hash's low 8 bits, a signed uniform from its top
# 52 bits. A draw is accepted in its layer's rectangle 99% of the time; otherwise the
# wedge or the tail (beyond R) is tried with the next hashes of a chain, z -> mix(z + G),
# until one is accepted, so a normal is still a pure function of (seed, run, round, cell,
# purpose). The tables come from mathfn's exp and log and IEEE sqrt: the same bits on
# every machine; the compiled kernel's twin (armsim.core.kernel.rng) reads these tables.

ZIG_R = 3.6541528853610088        # the tail's start
ZIG_V = 4.92867323399e-3          # each layer's area


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X (257,) the layers' right edges (X[0] = V / f(R) the base's virtual width,
    X[1] = R, X[256] = 0); RATIO (256,) = X[i+1] / X[i]; F (257,) = f(X) with
    f(x) = exp(-x^2 / 2); DF (256,) = F[i] - F[i+1]."""
    from armsim.core.mathfn import exp, log

    def f(v: float) -> float:
        return float(exp(-0.5 * v * v))

    x = np.zeros(257)
    x[0], x[1] = ZIG_V / f(ZIG_R), ZIG_R
    for i in range(2, 256):
        x[i] = np.sqrt(-2.0 * float(log(ZIG_V / x[i - 1] + f(x[i - 1]))))
    fx = exp(-0.5 * x * x)
    return x, x[1:] / x[:-1], fx, fx[:-1] - fx[1:]


ZIG_X, ZIG_RATIO, ZIG_F, ZIG_DF = _ziggurat_tables()


def _next(z: np.ndarray) -> np.ndarray:
    """The next hash of a chain: mix(z + G)."""
    with np.errstate(over="ignore"):
        return _mix_in_place(z + GOLDEN)


def _unit(z: np.ndarray) -> np.ndarray:
    """A hash's uniform in (0, 1), as :func:`uniform` makes it."""
    return ((z >> _S12).view(np.int64).astype(np.float64) + 0.5) * _UNIT


def ziggurat(z: np.ndarray) -> np.ndarray:
    """Standard normals ``(m,)`` from hashes ``(m,)`` uint64 (see above)."""
    layer = (z & _LOW8).astype(np.intp)
    out = (z >> _S12).view(np.int64).astype(np.float64)
    out += 0.5
    out *= _UNIT51
    out -= 1.0                                       # u, uniform in (-1, 1)
    box = np.abs(out) < ZIG_RATIO[layer]
    out *= ZIG_X[layer]                              # u X[layer]: the draw if in the box
    missed = np.flatnonzero(~box)
    if missed.size:
        out[missed] = _outside(z[missed], layer[missed], out[missed])
    return out


def _outside(z: np.ndarray, layer: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The draws whose first try fell outside its layer's rectangle (about 1%): the
    tail beyond R from the base layer, else the wedge test, else a fresh try from the
    chain's next hash."""
    from armsim.core.mathfn import exp

    out = np.empty(z.shape)
    todo = np.arange(z.size)
    while todo.size:
        tail = layer == 0
        if tail.any():
            out[todo[tail]] = _tail(z[tail], x[tail] < 0.0)
        wedge = np.flatnonzero(~tail)
        w = _next(z[wedge])
        i, xw = layer[wedge], x[wedge]
        inside = ZIG_F[i + 1] + _unit(w) * ZIG_DF[i] < exp(-0.5 * xw * xw)
        out[todo[wedge[inside]]] = xw[inside]
        todo, z = todo[wedge[~inside]], _next(w[~inside])
        layer = (z & _LOW8).astype(np.intp)
        u = ((z >> _S12).view(np.int64).astype(np.float64) + 0.5) * _UNIT51 - 1.0
        x = u * ZIG_X[layer]
        box = np.abs(u) < ZIG_RATIO[layer]
        out[todo[box]] = x[box]
        todo, z, layer, x = todo[~box], z[~box], layer[~box], x[~box]
    return out


def _tail(z: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """Normals beyond +-R (Marsaglia's tail method) from the chains after hashes z."""
    from armsim.core.mathfn import log

    out = np.empty(z.shape)
    todo = np.arange(z.size)
    while todo.size:
        z1 = _next(z)
        z = _next(z1)
        a = log(_unit(z1)) / ZIG_R
        b = log(_unit(z))
        ok = -2.0 * b >= a * a
        out[todo[ok]] = np.where(negative[ok], a[ok] - ZIG_R, ZIG_R - a[ok])
        todo, z, negative = todo[~ok], z[~ok], negative[~ok]
    return out


def path_purpose(path: str) -> int:
    """A stable 32-bit purpose for a parameter named by its dotted path."""
    return zlib.crc32(path.encode("utf-8"))


def parameter_counter(path: str) -> np.ndarray:
    """The counter of a per-run parameter draw: bit 63 set (round counters never set
    it), the path's 32-bit checksum in bits 8-39."""
    return np.asarray((1 << 63) | (path_purpose(path) << 8) | 0xFF, dtype=np.uint64)
