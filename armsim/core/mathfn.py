"""exp, log and pow from IEEE arithmetic alone, so every engine computes the same bits.

The rules that the compiled kernel (:mod:`armsim.core.kernel`) also runs use these
instead of NumPy's ``exp``, ``log`` and ``power``: NumPy picks SIMD implementations by
CPU (AVX-512, AVX2 or none) that differ from one another, and from the C library the
kernel would call, in the last bit now and then. Built from +, -, *, / (correctly
rounded everywhere) and the exact ``frexp``/``ldexp``, these give the same bits on every
machine, in a batch of a million runs or alone, in NumPy or compiled: the kernel's twins
(:mod:`armsim.core.kernel.mathfn`) do the same operations in the same order, and a test
holds them to it.

The algorithms are fdlibm's (Sun Microsystems, 1993; the basis of most C libraries'),
with errors below one unit in the last place: ``exp`` by reduction to
``x = k ln 2 + r``, |r| <= ln 2 / 2, and a rational approximation of exp(r); ``log``
by ``x = 2^k (1 + f)``, sqrt(2)/2 <= 1 + f < sqrt(2), and a polynomial in
``s = f / (2 + f)``.
"""

from __future__ import annotations

import numpy as np

# exp (fdlibm e_exp.c)
EXP_MAX = 7.09782712893383973096e+02       # above: overflow to inf
EXP_MIN = -7.45133219101941108420e+02      # below: 0
LN2_HI = 6.93147180369123816490e-01        # ln 2's leading 32 bits: k * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10        # ln 2 - LN2_HI
INV_LN2 = 1.44269504088896338700e+00
P1 = 1.66666666666666019037e-01
P2 = -2.77777777770155933842e-03
P3 = 6.61375632143793436117e-05
P4 = -1.65339022054652515390e-06
P5 = 4.13813679705723846039e-08

# log (fdlibm e_log.c)
SQRT_HALF = 0.70710678118654752440
LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01


def exp(x: np.ndarray | float) -> np.ndarray:
    """e**x elementwise, < 1 ulp from the exact value; inf above 709.78, 0 below -745.13."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        xc = np.clip(x, EXP_MIN, EXP_MAX)
        k = np.floor(xc * INV_LN2 + 0.5)
        hi = xc - k * LN2_HI
        lo = k * LN2_LO
        r = hi - lo
        t = r * r
        c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
        y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
        out = np.ldexp(y, np.where(np.isnan(k), 0, k).astype(np.int64))
    out = np.where(x > EXP_MAX, np.inf, out)
    out = np.where(x < EXP_MIN, 0.0, out)
    return np.where(np.isnan(x), np.nan, out)


def log(x: np.ndarray | float) -> np.ndarray:
    """The natural logarithm elementwise, < 1 ulp from the exact value; -inf at 0, NaN
    below 0, inf at inf."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        m, e = np.frexp(x)                                    # x = m 2^e, m in [0.5, 1)
        small = m < SQRT_HALF
        m = np.where(small, m + m, m)
        k = (e - small).astype(np.float64)
        f = m - 1.0
        s = f / (2.0 + f)
        z = s * s
        w = z * z
        t1 = w * (LG2 + w * (LG4 + w * LG6))
        t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
        r = t2 + t1
        hfsq = 0.5 * f * f
        out = k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
    out = np.where(x == 0.0, -np.inf, out)
    out = np.where(x < 0.0, np.nan, out)
    return np.where(np.isinf(x) & (x > 0), np.inf, np.where(np.isnan(x), np.nan, out))


def pow(x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """x**y for x >= 0 elementwise, as exp(y log x): 1 where y is 0 or x is 1, 0 where x
    is 0 and y > 0, NaN where x < 0. (The error grows with |y log x|: about that many
    ulps, ample for discount factors and tension powers.)"""
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        out = exp(y * log(x))
    out = np.where(x == 0.0, np.where(y > 0.0, 0.0, np.where(y < 0.0, np.inf, 1.0)), out)
    return np.where((y == 0.0) | (x == 1.0), 1.0, out)


def logistic(z: np.ndarray | float) -> np.ndarray:
    """1 / (1 + e**-z) elementwise, without overflow warnings (0 far below, 1 far above)."""
    return 1.0 / (1.0 + exp(-np.asarray(z, dtype=np.float64)))
