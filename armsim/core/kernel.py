"""The compiled kernel: the talk rounds, the compliance game, forces, tension and crisis,
run by run (numba).

NumPy works on whole arrays of runs; the rounds after the talks hold only a handful of
actors, issues and force cells per run, so array code spends its time on dispatch and
on broadcasting tiny axes. This module runs the same rules as :mod:`armsim.core.phases`
(the reference) one run at a time in compiled code: the same operations in the same
order, the same counter-based draws (:mod:`armsim.core.random`) and the same exp, log and
pow (:mod:`armsim.core.mathfn`), so both give the same bits; tests hold them to it on
every bundled scenario and on the Hypothesis generators' scenarios.

Who is bound with whom, and the caps the agreements put on forces, change only when the
set of live agreements does: in a run of many rounds the pairings and caps are worked
out again only then (and where agreements collapse). The rounds after the talks go a
block of runs at a time, the compliance game with the block's state and pairings moved
runs last for the while (``blk``), so that each step is a branch-free loop over the
block's runs that LLVM vectorises; a single round, stepped, plays it run by run.

The talk rounds (:func:`talk_round`) are a second entry point: one proposer's offer,
every participant's answer, linkage, the package rule and the deadlock's bookkeeping,
for the negotiators in :data:`NEGOTIATORS` (time-dependent, hardliner, tit-for-tat,
GRIT) with public red lines. Their arrays put the run axis last (``(I, n)``, ``(I, A,
n)``): a round is a few loops over issues and actors around a contiguous loop over runs.
NumPy's row sums of eight numbers or more add pairwise; :func:`np_sum` does the same.

Everything compiled lives in this one file: numba's on-disk cache notices a change to
the file that defines a function, not to the files of the functions it calls. There is
one entry point, :func:`step`, compiled once for arrays of any memory layout;
:mod:`armsim.core.compiled` packs the Spec, Params and State into the tuples below.
Inside, the tuples are opened once and the per-run functions take single arrays:
binding a tuple of dozens of arrays to a function's argument costs a reference count
per array, hundreds of nanoseconds per call.

Tuples (n runs, A actors, I issues, H held force cells):

- ``model``: codes (A,) the compliance strategies (:data:`CODES`); payoffs (4,) R, S, T,
  P; flags (4,) tolerance, withdrawal, sanctioned, noisy; cap_ptr (I+1,), held_actor
  (H,), cap_cells: the cells of the force each issue caps (none if it caps none);
  src_ptr (H+1,), src_idx: each cell's rivals' cells;
  rival_a, rival_b: the rival pairs; top (H,) each cell's max; zig: X, RATIO, F, DF, the
  ziggurat's tables; counterparts (A, A) bool: who plays whom when bound together
  (Spec.counterparts, docs/model.md 7.20.1); link_ptr (H+1,), link_src, link_row: each
  cell's reactions to its rivals' levels of other forces (Spec.link_target, in table
  order), the cell read and the row of the coefficient table. ``flags`` has a fifth entry:
  whether the scenario has such reactions.
- ``par``: keys (n,) uint64; per run (n,) verification, sanction, noise, flip (compliance
  noise), hazard, exponent, gain, loss (trust); patience (n, A); the compliance
  strategies' p, bias, tension, trust, temperature, retaliation, trust_weight (n, A);
  keep, rt, dg (H, n) Richardson's coefficients; weights (4, n) tension's; deterred's
  discounted turns for ever and for its retaliation (n, A); ln(1 - loss) (n,); each
  cell's sd of the shock (H, n); the linked reactions' coefficients times dt (L, n).
- ``st`` (changed in place): x (H, n); trust (n, A, A); in_force, collapsed (n, I) bool;
  detections, agreed_round, group (n, I) int64; level (n, I); bound, party (n, I, A)
  bool; crisis_round (n,) int64; theta, theta_sum (n,); turns (n, A) int64; seen_last,
  seen_before, seen_ever, own_last (n, A) bool; complied, played, payoff, pair_turns
  (n, A) float.
- ``work``: scratch (:func:`scratch`), the last entry ``blk``: a block's compliance game,
  runs last (:data:`B_TRUST` and after).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba import types as nt

from armsim.core.mathfn import (EXP_MAX, EXP_MIN, INV_LN2, LG1, LG2, LG3, LG4, LG5, LG6,
                                LG7, LN2_HI, LN2_LO, P1, P2, P3, P4, P5, SQRT_HALF)

# Compiled without numba's reference counting of arrays (``_nrt=False``, as numba's own
# string functions are): an array passed to a function in a loop would otherwise cost
# two atomic operations per call, about 10 ns, more than a whole draw. Nothing here
# allocates: the scratch arrays come from the caller.
JIT = {"cache": True, "nogil": True, "error_model": "numpy", "_nrt": False}
RUN = {"inline": "always", **JIT}   # the per-run functions called in loops
SMALL = RUN                           # small functions of numbers: inlined, so vectorised

# the compliance strategies the kernel knows, by code
(ALWAYS_COMPLY, ALWAYS_DEFECT, TIT_FOR_TAT, GRIM, TIT_FOR_TWO_TATS, SUSPICIOUS_TIT_FOR_TAT,
 ALTERNATE, RANDOM, GENEROUS_TIT_FOR_TAT, CONDITIONAL, DETERRED) = range(11)
#: the code of each strategy the kernel decides for; anything else decides in NumPy
CODES = {"always_comply": ALWAYS_COMPLY, "always_defect": ALWAYS_DEFECT,
         "tit_for_tat": TIT_FOR_TAT, "grim": GRIM, "tit_for_two_tats": TIT_FOR_TWO_TATS,
         "suspicious_tit_for_tat": SUSPICIOUS_TIT_FOR_TAT, "alternate": ALTERNATE,
         "random": RANDOM, "generous_tit_for_tat": GENEROUS_TIT_FOR_TAT,
         "conditional": CONDITIONAL, "deterred": DETERRED}
#: the code of an actor whose intentions are given (decided in NumPy)
GIVEN = -1

# purposes of the draws (armsim.core.random)
COMPLIANCE, NOISE_FLIP, DETECTION, FORCE_NOISE, CRISIS = 1, 2, 3, 4, 5

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_UNIT = 2.0 ** -52
_UNIT51 = 2.0 ** -51


# --- exp, log, pow: mathfn's, one number at a time -----------------------------------

def _exp_scales() -> tuple[np.ndarray, np.ndarray]:
    """2^k as two factors A, B for k = -1075 .. 1024 (index k + 1075): y 2^k is y A B,
    with y A exact (a normal number) and the one rounding, if any, in the product by B:
    the correctly rounded ldexp(y, k) that mathfn.exp takes, without a call, so that a
    loop over runs is vectorised."""
    a, b = np.ones(2100), np.ones(2100)
    for j, k in enumerate(range(-1075, 1025)):
        if k > 1023:
            a[j], b[j] = math.ldexp(1.0, 1023), math.ldexp(1.0, k - 1023)
        elif k < -1022:
            a[j], b[j] = math.ldexp(1.0, -1000), math.ldexp(1.0, k + 1000)
        else:
            a[j] = math.ldexp(1.0, k)
    return a, b


EXP_A, EXP_B = _exp_scales()


@njit(**SMALL)
def exp(x):
    xc = x
    if xc > EXP_MAX:
        xc = EXP_MAX
    if xc < EXP_MIN:
        xc = EXP_MIN
    k = np.floor(xc * INV_LN2 + 0.5)
    hi = xc - k * LN2_HI
    lo = k * LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    j = np.int64(k) + 1075 if x == x else 0
    out = y * EXP_A[j] * EXP_B[j]
    if x > EXP_MAX:
        out = np.inf
    if x < EXP_MIN:
        out = 0.0
    return out if x == x else x


@njit(**SMALL)
def log(x):
    if x != x:
        return x
    if x < 0.0:
        return np.nan
    if x == 0.0:
        return -np.inf
    if x == np.inf:
        return np.inf
    m, e = math.frexp(x)
    if m < SQRT_HALF:
        m = m + m
        e = e - 1
    k = np.float64(e)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)


@njit(**SMALL)
def pow_(x, y):
    if y == 0.0 or x == 1.0:
        return 1.0
    if x == 0.0:
        if y > 0.0:
            return 0.0
        return np.inf if y < 0.0 else 1.0
    return exp(y * log(x))


@njit(**SMALL)
def logistic(z):
    return 1.0 / (1.0 + exp(-z))


# --- counter-based draws: armsim.core.random's, one number at a time -----------------

@njit(**SMALL)
def mix(z):
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(**SMALL)
def draw(key, t, purpose, a):
    """The hash of the draw (round t, actor or cell a, purpose) of the run with ``key``."""
    c = (np.uint64(t + 1) << np.uint64(24)) + (np.uint64(a) << np.uint64(8)) + np.uint64(purpose)
    return mix(key + c * _GOLDEN)


@njit(**SMALL)
def unit(z):
    """A hash's uniform in (0, 1)."""
    return (np.float64(np.int64(z >> np.uint64(12))) + 0.5) * _UNIT


@njit(**SMALL)
def uniform(key, t, purpose, a):
    return unit(draw(key, t, purpose, a))


@njit(**SMALL)
def _next(z):
    return mix(z + _GOLDEN)


@njit(**RUN)
def normal(z, X, RATIO, F, DF):
    """The ziggurat's standard normal from hash ``z`` (armsim.core.random.ziggurat)."""
    layer = np.int64(z & np.uint64(0xFF))
    u = (np.float64(np.int64(z >> np.uint64(12))) + 0.5) * _UNIT51 - 1.0
    if abs(u) < RATIO[layer]:
        return u * X[layer]
    return _outside(z, layer, u, X, RATIO, F, DF)


@njit(**JIT)
def _outside(z, layer, u, X, RATIO, F, DF):
    """The draws outside their layer's rectangle: the tail, the wedge, or a new try."""
    x = u * X[layer]
    while True:
        if layer == 0:
            return _tail(z, x < 0.0, X[1])
        w = _next(z)
        if F[layer + 1] + unit(w) * DF[layer] < exp(-0.5 * x * x):
            return x
        z = _next(w)
        layer = np.int64(z & np.uint64(0xFF))
        u = (np.float64(np.int64(z >> np.uint64(12))) + 0.5) * _UNIT51 - 1.0
        x = u * X[layer]
        if abs(u) < RATIO[layer]:
            return x


@njit(**JIT)
def _tail(z, negative, R):
    while True:
        z1 = _next(z)
        z = _next(z1)
        a = log(unit(z1)) / R
        b = log(unit(z))
        if -2.0 * b >= a * a:
            return a - R if negative else R - a


# --- NumPy's maximum and minimum of two numbers ---------------------------------------

@njit(**SMALL)
def maximum(a, b):
    """np.maximum(a, b): NaN if either is; b where they are equal (0.0 and -0.0 alike)."""
    if a != a or b != b:
        return a + b
    return a if a > b else b


@njit(**SMALL)
def minimum(a, b):
    """np.minimum(a, b): NaN if either is; b where they are equal."""
    if a != a or b != b:
        return a + b
    return a if a < b else b


# --- the compliance game, run by run --------------------------------------------------
#
# A run's actors, issues and pairings are a handful each: these loops go run by run.
# Arrays indexed ``[r - off]`` belong to the runs of a block (the pairings cached
# across rounds, the round's intentions and actions) or, with off = 0, to all runs.

@njit(**RUN)
def live_issues(r, t, in_force, agreed_round, live):
    """Fill ``live`` (I,) with run r's agreements in force and already complied with in
    round t; returns their bit mask (-1 with 63 issues or more: never equal)."""
    I = live.shape[0]
    mask = np.int64(0)
    for i in range(I):
        on = in_force[r, i] and agreed_round[r, i] < t
        live[i] = on
        if on and i < 63:
            mask |= np.int64(1) << np.int64(i)
    return mask if I < 63 else np.int64(-1)


@njit(**RUN)
def pairings(r, bound, party, live, bound_t, playing, pairs, observes, counterparts):
    """Who the live agreements bind (``bound_t`` (I, A), ``playing`` (A,)), who is bound
    with whom (``pairs`` (A, A)) and who observes whom (``observes``: a was party to an
    agreement binding b), among ``counterparts`` (A, A), as phases.comply makes them;
    returns whether anyone plays."""
    I, A = bound_t.shape
    anyone = False
    for a in range(A):
        playing[a] = False
        for b in range(A):
            pairs[a, b] = False
            observes[a, b] = False
    for i in range(I):
        for a in range(A):
            bound_t[i, a] = bound[r, i, a] and live[i]
            if bound_t[i, a]:
                playing[a] = True
                anyone = True
    for i in range(I):
        if not live[i]:
            continue
        for a in range(A):
            for b in range(A):
                if counterparts[a, b] and bound_t[i, b]:     # (false for a == b)
                    if bound_t[i, a]:
                        pairs[a, b] = True
                    if party[r, i, a]:
                        observes[a, b] = True
    return anyone


@njit(**RUN)
def fill_caps(r, cap_ptr, cap_cells, held_actor, in_force, level, live, bound_t, caps):
    """The caps run r's live agreements in force put on each held cell, for when its
    holder complies (``caps`` (H, n), inf where none): the least agreed level over the
    issues capping the cell that bind its holder, as :func:`forces` takes them in
    issue order (phases.forces)."""
    H = caps.shape[0]
    for h in range(H):
        caps[h, r] = np.inf
    for i in range(cap_ptr.shape[0] - 1):
        if cap_ptr[i] == cap_ptr[i + 1] or not (live[i] and in_force[r, i]):
            continue
        agreed = maximum(level[r, i], 0.0)
        for c in range(cap_ptr[i], cap_ptr[i + 1]):
            h = cap_cells[c]
            if bound_t[i, held_actor[h]]:
                caps[h, r] = minimum(caps[h, r], agreed)


@njit(**SMALL)
def mean_of(trust_r, a, pairs):
    """Mean trust of a in the others bound with it, from a run's trust (A, A); 1 if none
    (compliance.mean_trust)."""
    A = pairs.shape[0]
    count = 0
    total = trust_r[a, 0] * pairs[a, 0]
    if pairs[a, 0]:
        count += 1
    for b in range(1, A):
        total += trust_r[a, b] * pairs[a, b]
        if pairs[a, b]:
            count += 1
    return total / max(count, 1) if count > 0 else 1.0


@njit(**SMALL)
def mean_trust(trust, r, a, pairs):
    """:func:`mean_of` run r's trust (n, A, A)."""
    return mean_of(trust[r], a, pairs)


@njit(**SMALL)
def withdrawal_strikes(held, floor, keep, log_keep):
    """The detected defections a counterpart whose trust in the actor is ``held`` absorbs
    before trust falls below ``floor`` and it withdraws (compliance.withdrawal_strikes):
    at least 1, inf if never."""
    k = np.floor(log(floor / held) / log_keep) + 1.0
    if held < floor or keep <= 0.0:
        k = 1.0
    if np.isfinite(k) and floor > 0:
        k = max(k, 1.0)
    else:
        k = np.inf
    return k


@njit(**JIT)
def strikes_left(r, a, tolerance, withdrawal, R, S, P, log_keep, keep, detections, trust,
                 bound_t, pairs):
    """How many more detected defections of a the agreements binding it absorb before
    one collapses (compliance.strikes_left, and withdrawal_strikes where withdrawal is
    on); inf if none would."""
    I, A = bound_t.shape
    out = np.inf
    if tolerance:
        for i in range(I):
            if bound_t[i, a]:
                left = np.float64(tolerance - detections[r, i])
                if left < out:
                    out = left
    if withdrawal:
        floor = (P - S) / (R - S)
        least = np.inf
        for b in range(A):
            if not pairs[a, b]:
                continue
            j = withdrawal_strikes(trust[r, b, a], floor, keep, log_keep)
            if j < least:
                least = j
        if least < out:
            out = least
    return out


@njit(**SMALL)
def defection_margin(trust_in, q_weight, forever, retaliating, strikes, m, R, S, T, P,
                     verification, sanction):
    """deterred's m G - v (s + m V W) (deterred.defection_margin): ``trust_in`` the
    actor's mean trust in its counterparts, ``m`` how many there are, ``strikes`` its
    strikes left; ``forever`` and ``retaliating`` its discounted turns for ever and for
    the retaliation (the run's constants, worked out once)."""
    q = 1.0 - q_weight * (1.0 - trust_in)
    gain = q * (T - R) + (1.0 - q) * (P - S)
    value = maximum(q * (R - S) + S - P, 0.0)
    c = 1.0 / max(strikes, 1.0)
    future = c * forever if c > 0 else 0.0
    future = future + (1.0 - c) * retaliating
    loss = m * value * future if value * m > 0 else 0.0
    cost = verification * (sanction + loss) if verification > 0 else 0.0
    return m * gain - cost


@njit(**SMALL)
def decide(code, turns, seen_last, seen_before, seen_ever, own_last, u, p, margin_or_z,
           temperature):
    """Whether an actor intends to defect, by its strategy's code (armsim.strategies
    .compliance): ``u`` its uniform this turn, ``p`` random's and generous tit for
    tat's parameter, ``margin_or_z`` deterred's margin or conditional's logit."""
    first = turns == 0
    if code == ALWAYS_COMPLY:
        return False
    if code == ALWAYS_DEFECT:
        return True
    if code == TIT_FOR_TAT:
        return seen_last and not first
    if code == GRIM:
        return seen_ever
    if code == TIT_FOR_TWO_TATS:
        return seen_last and seen_before and turns >= 2
    if code == SUSPICIOUS_TIT_FOR_TAT:
        return first or seen_last
    if code == ALTERNATE:
        return not first and not own_last
    if code == RANDOM:
        return u >= p
    if code == GENEROUS_TIT_FOR_TAT:
        return not first and seen_last and u >= p
    if code == CONDITIONAL:
        return u < logistic(margin_or_z)
    if code == DETERRED:
        return deterred_defects(u, margin_or_z, temperature)
    return False


@njit(**SMALL)
def deterred_defects(u, margin, temperature):
    """deterred's decision: at temperature 0 whether its margin is positive, else a
    logit choice."""
    if temperature > 0:
        return u < logistic(margin / temperature)
    return margin > 0


@njit(**RUN)
def intentions(r, t, key, model, par, st, bound_t, pairs, out):
    """Run r's intended defections in round t, into ``out`` (A,), for the actors whose
    strategy the kernel knows (the others' entries are left as they are)."""
    codes, (R, S, T, P), flags = model[0], model[1], model[2]
    tolerance, withdrawal = flags[0], flags[1]
    verification, sanction, loss = par[1], par[2], par[8]
    p_, bias, tension_w, trust_w, temperature = par[10], par[11], par[12], par[13], par[14]
    trust_weight, forever, retaliating, log_keep = par[16], par[21], par[22], par[23]
    trust, detections, theta = st[1], st[4], st[11]
    turns, seen_last, seen_before, seen_ever, own_last = st[13], st[14], st[15], st[16], st[17]
    A = pairs.shape[0]
    for a in range(A):
        code = codes[a]
        if code == GIVEN:
            continue
        u = uniform(key, t, COMPLIANCE, a) if code >= RANDOM else 0.5
        z = 0.0
        if code == CONDITIONAL:
            z = bias[r, a] + tension_w[r, a] * theta[r] - trust_w[r, a] * mean_trust(
                trust, r, a, pairs)
        elif code == DETERRED:
            m = 0.0
            for b in range(A):
                if pairs[a, b]:
                    m += 1.0
            z = defection_margin(
                mean_trust(trust, r, a, pairs), trust_weight[r, a], forever[r, a],
                retaliating[r, a],
                strikes_left(r, a, tolerance, withdrawal, R, S, P, log_keep[r], 1.0 - loss[r],
                             detections, trust, bound_t, pairs),
                m, R, S, T, P, verification[r], sanction[r])
        out[a] = decide(code, turns[r, a], seen_last[r, a], seen_before[r, a],
                        seen_ever[r, a], own_last[r, a], u, p_[r, a], z, temperature[r, a])


@njit(**RUN)
def collapse(r, in_force, collapsed, group, broken, hit):
    """Agreements made together with a broken one collapse with it (phases._collapse)."""
    I = broken.shape[0]
    for i in range(I):
        hit[i] = False
        for j in range(I):
            if broken[j] and group[r, i] == group[r, j]:
                hit[i] = True
    for i in range(I):
        if hit[i] and in_force[r, i]:
            collapsed[r, i] = True
            in_force[r, i] = False


@njit(**RUN)
def breaches(r, tolerance, withdrawal, R, S, P, live, detections, bound_t, playing, pairs,
             trust_r, in_force, collapsed, group, broken, hit):
    """Tolerance and withdrawal after run r's round (phases.verify): the live agreements
    (I,) detected ``tolerance`` times or more (``detections`` (I,)) break, and so do
    those binding an actor that no longer trusts those bound with it enough to keep
    cooperating (``trust_r`` (A, A) the run's trust); they collapse with their group.
    Returns whether any collapsed."""
    I, A = live.shape[0], playing.shape[0]
    fell = False
    if tolerance:
        some = False
        for i in range(I):
            broken[i] = live[i] and detections[i] >= tolerance
            some = some or broken[i]
        if some:
            collapse(r, in_force, collapsed, group, broken, hit)
            fell = True
    if withdrawal:
        some = False
        for i in range(I):
            broken[i] = False
        for a in range(A):
            others = False
            for b in range(A):
                others = others or pairs[a, b]
            if playing[a] and others and not (mean_of(trust_r, a, pairs) * (R - S) + S >= P):
                for i in range(I):
                    if live[i] and bound_t[i, a]:
                        broken[i] = True
                        some = True
        if some:
            collapse(r, in_force, collapsed, group, broken, hit)
            fell = True
    return fell


@njit(**RUN)
def settle(r, t, key, model, par, st, live, bound_t, playing, pairs, observes, intended,
           actions, detected, broken, hit):
    """Run r's round-t noise, detection, memory, trust, payoffs, tolerance and withdrawal
    (phases.verify), given who plays and the intentions; fills ``actions`` and
    ``detected`` (A,). Returns whether agreements collapsed."""
    (R, S, T, P), flags = model[1], model[2]
    tolerance, withdrawal, sanctioned = flags[0], flags[1], flags[2]
    verification, sanction, flip, gain, loss = par[1], par[2], par[4], par[7], par[8]
    trust, in_force, collapsed, detections, group = st[1], st[2], st[3], st[4], st[6]
    turns, seen_last, seen_before, seen_ever, own_last = st[13], st[14], st[15], st[16], st[17]
    complied, played, payoff, pair_turns = st[18], st[19], st[20], st[21]
    I, A = bound_t.shape
    for a in range(A):
        flipped = uniform(key, t, NOISE_FLIP, a) < flip[r]
        actions[a] = (intended[a] != flipped) and playing[a]
        detected[a] = actions[a] and uniform(key, t, DETECTION, a) < verification[r]
    for a in range(A):
        if not playing[a]:
            continue
        seen = False
        for b in range(A):
            if observes[a, b] and detected[b]:
                seen = True
        seen_before[r, a] = seen_last[r, a]
        seen_last[r, a] = seen
        seen_ever[r, a] = seen_ever[r, a] or seen
        own_last[r, a] = actions[a]
        turns[r, a] += 1
    for a in range(A):
        for b in range(A):
            if observes[a, b]:
                old = trust[r, a, b]
                if detected[b]:
                    trust[r, a, b] = old - loss[r] * old
                else:
                    trust[r, a, b] = old + gain[r] * (1.0 - old)
    for a in range(A):
        total = 0.0
        count = 0
        for b in range(A):
            if actions[a]:
                value = P if actions[b] else T
            else:
                value = S if actions[b] else R
            if b == 0:
                total = value * pairs[a, b]
            else:
                total += value * pairs[a, b]
            if pairs[a, b]:
                count += 1
        payoff[r, a] += total
        if sanctioned:
            payoff[r, a] -= sanction[r] * detected[a]
        pair_turns[r, a] += count
        played[r, a] += playing[a]
        complied[r, a] += playing[a] and not actions[a]
    for i in range(I):
        for a in range(A):
            if bound_t[i, a] and detected[a]:
                detections[r, i] += 1
    return breaches(r, tolerance, withdrawal, R, S, P, live, detections[r], bound_t, playing,
                    pairs, trust[r], in_force, collapsed, group, broken, hit)


@njit(**RUN)
def live_masks(lo, hi, t, in_force, agreed_round, masks):
    """The bit masks of runs lo .. hi - 1's agreements live in round t, into
    ``masks[:hi - lo]``, issue by issue over the runs (vectorised); -1 with 63 issues or
    more (never equal)."""
    I, m = in_force.shape[1], hi - lo
    for j in range(m):
        masks[j] = 0 if I < 63 else -1
    if I < 63:
        for i in range(I):
            on, since, bit = in_force[lo:hi, i], agreed_round[lo:hi, i], np.int64(1) << i
            for j in range(m):
                masks[j] |= bit * (on[j] and since[j] < t)


@njit(**RUN)
def refresh(r, t, mask, model, st, cache):
    """Run r's cached pairings and caps worked out again for its agreements live in
    round t (their bit mask ``mask``)."""
    in_force, agreed_round, level, bound, party = st[2], st[5], st[7], st[8], st[9]
    mask_c, anyone_c, live_c, bound_c, playing_c, pairs_c, observes_c, caps_c = cache
    live_issues(r, t, in_force, agreed_round, live_c[r])
    anyone_c[r] = pairings(r, bound, party, live_c[r], bound_c[r], playing_c[r],
                           pairs_c[r], observes_c[r], model[12])
    fill_caps(r, model[3], model[5], model[4], in_force, level, live_c[r], bound_c[r],
              caps_c)
    mask_c[r] = mask


# whose intentions game() works out
DECIDE_NONE, DECIDE_PLAYING, DECIDE_ALL = 0, 1, 2


@njit(**JIT)
def game(lo, hi, t, decide, verify, model, par, st, cache, intended, actions, detected,
         work):
    """The compliance game of runs lo .. hi - 1 in round t: the pairings (worked out
    again only where a run's live agreements changed since ``cache`` last saw them),
    the intentions of the known strategies (``decide``: DECIDE_NONE, in runs where
    someone plays, or in all runs), and, if ``verify``, what follows. ``cache``: mask
    (n,), anyone (n,), live (n, I), bound_t (n, I, A), playing (n, A), pairs, observes
    (n, A, A), caps (H, n) (:func:`fill_caps`, kept up to date where agreements
    collapse); ``intended``, ``actions``, ``detected`` (n, A). Returns whether an
    agreement was live in some run."""
    in_force, level = st[2], st[7]
    mask_c, anyone_c, live_c, bound_c, playing_c, pairs_c, observes_c, caps_c = cache
    cap_ptr, held_actor, cap_cells = model[3], model[4], model[5]
    broken, hit, masks = work[0], work[1], work[10]
    keys = par[0]
    A, m = actions.shape[1], hi - lo
    live_masks(lo, hi, t, in_force, st[5], masks)
    any_live = False
    for j in range(m):
        r = lo + j
        mask = masks[j]
        any_live = any_live or mask != 0
        if mask != mask_c[r] or mask == -1:
            refresh(r, t, mask, model, st, cache)
        playing_now = anyone_c[r]
        if not playing_now and decide != DECIDE_ALL:
            if verify:
                for a in range(A):
                    actions[r, a] = False
                    detected[r, a] = False
            continue
        key = keys[r]
        if decide == DECIDE_ALL or decide == DECIDE_PLAYING:
            intentions(r, t, key, model, par, st, bound_c[r], pairs_c[r], intended[r])
        if verify:
            if playing_now:
                if settle(r, t, key, model, par, st, live_c[r], bound_c[r], playing_c[r],
                          pairs_c[r], observes_c[r], intended[r], actions[r], detected[r],
                          broken, hit):
                    fill_caps(r, cap_ptr, cap_cells, held_actor, in_force, level,
                              live_c[r], bound_c[r], caps_c)
            else:
                for a in range(A):
                    actions[r, a] = False
                    detected[r, a] = False
    return any_live


# --- the compliance game of a block of runs, runs last ---------------------------------
#
# ROUNDS takes a block of runs through many rounds. Its compliance game keeps the block's
# state, parameters and pairings with the run axis last (``blk``, :func:`load_block`),
# so that each step is a loop over the block's runs for one actor (or pair, or issue)
# that LLVM vectorises: no branch on a run's draws or decisions, and a strategy's code
# the same for every run of the loop. The numbers are those of :func:`intentions` and
# :func:`settle` (the same functions of numbers, in the same order); what a run that
# does not play keeps is selected rather than skipped. The state goes back to the runs
# first layout when the block is done (:func:`store_block`).

# blk: the block's state (trust (A, A, B); turns (A, B); seen_last, seen_before,
# seen_ever, own_last (A, B); complied, played, payoff, pair_turns (A, B); detections
# (I, B)), its pairings (anyone (B,); live (I, B); bound_t (I, A, B); playing (A, B);
# pairs, observes (A, A, B)), the round's intended, actions, detected (A, B) and the
# strategies' parameters (8, A, B): p, bias, tension, trust, temperature, trust_weight,
# forever, retaliating; and rows to work in, (4, B) numbers and (B,) flags
(B_TRUST, B_TURNS, B_SEEN_LAST, B_SEEN_BEFORE, B_SEEN_EVER, B_OWN_LAST, B_COMPLIED,
 B_PLAYED, B_PAYOFF, B_PAIR_TURNS, B_DETECTIONS, B_ANYONE, B_LIVE, B_BOUND, B_PLAYING,
 B_PAIRS, B_OBSERVES, B_INTENDED, B_ACTIONS, B_DETECTED, B_PAR, B_ROWS, B_FLAGS) = range(23)


@njit(**RUN)
def pairings_to_block(r, j, cache, blk):
    """Run r's cached pairings into column j of the block's."""
    anyone_c, live_c, bound_c, playing_c, pairs_c, observes_c = cache[1], cache[2], \
        cache[3], cache[4], cache[5], cache[6]
    live, bound, playing, pairs, observes = blk[B_LIVE], blk[B_BOUND], blk[B_PLAYING], \
        blk[B_PAIRS], blk[B_OBSERVES]
    I, A = live.shape[0], playing.shape[0]
    blk[B_ANYONE][j] = anyone_c[r]
    for i in range(I):
        live[i, j] = live_c[r, i]
        for a in range(A):
            bound[i, a, j] = bound_c[r, i, a]
    for a in range(A):
        playing[a, j] = playing_c[r, a]
        for b in range(A):
            pairs[a, b, j] = pairs_c[r, a, b]
            observes[a, b, j] = observes_c[r, a, b]


@njit(**RUN)
def trust_to_block(lo, hi, model, trust, tb, whole):
    """Runs lo .. hi - 1's trust (n, A, A) into the block's (A, A, B): all of it if
    ``whole``, else the rivals' pairs only (what tension reads)."""
    rival_a, rival_b = model[8], model[9]
    A = tb.shape[0]
    for j in range(hi - lo):
        r = lo + j
        if whole:
            for a in range(A):
                for b in range(A):
                    tb[a, b, j] = trust[r, a, b]
        else:
            for p in range(rival_a.shape[0]):
                tb[rival_a[p], rival_b[p], j] = trust[r, rival_a[p], rival_b[p]]


@njit(**JIT)
def load_block(lo, hi, model, par, st, cache, blk):
    """Runs lo .. hi - 1's state, strategies' parameters and cached pairings into
    ``blk``, runs last."""
    detections = st[4]
    I, A = detections.shape[1], st[1].shape[1]
    db, pb = blk[B_DETECTIONS], blk[B_PAR]
    trust_to_block(lo, hi, model, st[1], blk[B_TRUST], True)
    for j in range(hi - lo):
        r = lo + j
        for a in range(A):
            blk[B_TURNS][a, j] = st[13][r, a]
            blk[B_SEEN_LAST][a, j] = st[14][r, a]
            blk[B_SEEN_BEFORE][a, j] = st[15][r, a]
            blk[B_SEEN_EVER][a, j] = st[16][r, a]
            blk[B_OWN_LAST][a, j] = st[17][r, a]
            blk[B_COMPLIED][a, j] = st[18][r, a]
            blk[B_PLAYED][a, j] = st[19][r, a]
            blk[B_PAYOFF][a, j] = st[20][r, a]
            blk[B_PAIR_TURNS][a, j] = st[21][r, a]
            pb[0, a, j] = par[10][r, a]
            pb[1, a, j] = par[11][r, a]
            pb[2, a, j] = par[12][r, a]
            pb[3, a, j] = par[13][r, a]
            pb[4, a, j] = par[14][r, a]
            pb[5, a, j] = par[16][r, a]
            pb[6, a, j] = par[21][r, a]
            pb[7, a, j] = par[22][r, a]
        for i in range(I):
            db[i, j] = detections[r, i]
        pairings_to_block(r, j, cache, blk)


@njit(**JIT)
def idle_block(lo, hi, model, st, blk, traced):
    """Runs lo .. hi - 1's trust into ``blk`` (:func:`trust_to_block`: all of it if
    ``traced``), and nobody playing, acting or detected."""
    trust_to_block(lo, hi, model, st[1], blk[B_TRUST], traced)
    for j in range(hi - lo):
        for a in range(blk[B_PLAYING].shape[0]):
            blk[B_PLAYING][a, j] = False
            blk[B_ACTIONS][a, j] = False
            blk[B_DETECTED][a, j] = False
        blk[B_ANYONE][j] = False


@njit(**JIT)
def rows_from_state(lo, hi, model, st, cache, actions, blk, traced):
    """After :func:`game` of runs lo .. hi - 1, what the rest of the round reads from the
    block: trust (:func:`trust_to_block`: all of it if ``traced``), who plays and the
    actions ``(n, A)``. Returns whether someone plays."""
    trust_to_block(lo, hi, model, st[1], blk[B_TRUST], traced)
    anyone_c, playing_c = cache[1], cache[4]
    A = playing_c.shape[1]
    someone = False
    for j in range(hi - lo):
        r = lo + j
        for a in range(A):
            blk[B_PLAYING][a, j] = playing_c[r, a]
            blk[B_ACTIONS][a, j] = actions[r, a]
        blk[B_ANYONE][j] = anyone_c[r]
        someone = someone or anyone_c[r]
    return someone


@njit(**JIT)
def store_block(lo, hi, st, blk, out):
    """The block's state back into runs lo .. hi - 1's, and its last round's who played,
    actions and detections into ``out`` (n, A) each."""
    trust, detections = st[1], st[4]
    I, A = detections.shape[1], trust.shape[1]
    tb, db = blk[B_TRUST], blk[B_DETECTIONS]
    anyone, playing = blk[B_ANYONE], blk[B_PLAYING]
    for j in range(hi - lo):
        r = lo + j
        for a in range(A):
            for b in range(A):
                trust[r, a, b] = tb[a, b, j]
            st[13][r, a] = blk[B_TURNS][a, j]
            st[14][r, a] = blk[B_SEEN_LAST][a, j]
            st[15][r, a] = blk[B_SEEN_BEFORE][a, j]
            st[16][r, a] = blk[B_SEEN_EVER][a, j]
            st[17][r, a] = blk[B_OWN_LAST][a, j]
            st[18][r, a] = blk[B_COMPLIED][a, j]
            st[19][r, a] = blk[B_PLAYED][a, j]
            st[20][r, a] = blk[B_PAYOFF][a, j]
            st[21][r, a] = blk[B_PAIR_TURNS][a, j]
            out[0][r, a] = playing[a, j] and anyone[j]
            out[2][r, a] = blk[B_ACTIONS][a, j]
            out[3][r, a] = blk[B_DETECTED][a, j]
        for i in range(I):
            detections[r, i] = db[i, j]


@njit(**JIT)
def trust_rows(a, m, tb, pairs, total, count, mean):
    """:func:`mean_trust` of actor a in each run of the block, into ``mean``; how many
    it is bound with into ``count`` (as numbers), by the same sums in the same order."""
    A = pairs.shape[0]
    t0, p0 = tb[a, 0], pairs[a, 0]
    for j in range(m):
        total[j] = t0[j] * p0[j]
        count[j] = 1.0 if p0[j] else 0.0
    for b in range(1, A):
        tab, pab = tb[a, b], pairs[a, b]
        for j in range(m):
            total[j] += tab[j] * pab[j]
            count[j] += 1.0 if pab[j] else 0.0
    for j in range(m):
        mean[j] = total[j] / max(count[j], 1.0) if count[j] > 0 else 1.0


@njit(**JIT)
def strikes_rows(lo, a, m, tolerance, withdrawal, R, S, P, log_keep, loss, db, tb, bound_t,
                 pairs, out, least):
    """:func:`strikes_left` of actor a in each run of the block, into ``out`` (``least``:
    a row to work in)."""
    I, A = bound_t.shape[0], bound_t.shape[1]
    for j in range(m):
        out[j] = np.inf
    if tolerance:
        for i in range(I):
            di, bi = db[i], bound_t[i, a]
            for j in range(m):
                left = np.float64(tolerance - di[j])
                out[j] = left if bi[j] and left < out[j] else out[j]
    if withdrawal:
        floor = (P - S) / (R - S)
        for j in range(m):
            least[j] = np.inf
        for b in range(A):
            held_b, pab = tb[b, a], pairs[a, b]
            for j in range(m):
                k = withdrawal_strikes(held_b[j], floor, 1.0 - loss[lo + j], log_keep[lo + j])
                least[j] = k if pab[j] and k < least[j] else least[j]
        for j in range(m):
            out[j] = least[j] if least[j] < out[j] else out[j]


@njit(**JIT)
def intentions_block(lo, hi, t, model, par, st, blk):
    """:func:`intentions` of the block's runs, actor by actor, into blk's intended: the
    sums over the actor's counterparts and issues go row by row over the block's runs,
    then each run's decision."""
    codes, (R, S, T, P), flags = model[0], model[1], model[2]
    tolerance, withdrawal = flags[0], flags[1]
    keys, verification, sanction, loss, log_keep = par[0], par[1], par[2], par[8], par[23]
    theta = st[11]
    tb, pairs, bound_t, db, pb = blk[B_TRUST], blk[B_PAIRS], blk[B_BOUND], \
        blk[B_DETECTIONS], blk[B_PAR]
    turns, seen_last, seen_before, seen_ever, own_last = blk[B_TURNS], blk[B_SEEN_LAST], \
        blk[B_SEEN_BEFORE], blk[B_SEEN_EVER], blk[B_OWN_LAST]
    rows, out = blk[B_ROWS], blk[B_INTENDED]
    total, count, mean, strikes = rows[0], rows[1], rows[2], rows[3]
    A = pairs.shape[0]
    m = hi - lo
    for a in range(A):
        code = codes[a]
        if code == GIVEN:
            continue
        p_, bias, tension_w, trust_w, temperature = pb[0, a], pb[1, a], pb[2, a], pb[3, a], \
            pb[4, a]
        trust_weight, forever, retaliating = pb[5, a], pb[6, a], pb[7, a]
        out_a = out[a]
        if code == DETERRED:
            trust_rows(a, m, tb, pairs, total, count, mean)
            strikes_rows(lo, a, m, tolerance, withdrawal, R, S, P, log_keep, loss, db, tb,
                         bound_t, pairs, strikes, total)
            for j in range(m):
                r = lo + j
                u = uniform(keys[r], t, COMPLIANCE, a)
                z = defection_margin(mean[j], trust_weight[j], forever[j], retaliating[j],
                                     strikes[j], count[j], R, S, T, P, verification[r],
                                     sanction[r])
                out_a[j] = deterred_defects(u, z, temperature[j])
        elif code == CONDITIONAL:
            trust_rows(a, m, tb, pairs, total, count, mean)
            for j in range(m):
                r = lo + j
                u = uniform(keys[r], t, COMPLIANCE, a)
                z = bias[j] + tension_w[j] * theta[r] - trust_w[j] * mean[j]
                out_a[j] = u < logistic(z)
        else:
            tu, sl, sb, se, ol = turns[a], seen_last[a], seen_before[a], seen_ever[a], \
                own_last[a]
            for j in range(m):
                u = uniform(keys[lo + j], t, COMPLIANCE, a) if code >= RANDOM else 0.5
                out_a[j] = decide(code, tu[j], sl[j], sb[j], se[j], ol[j], u, p_[j], 0.0,
                                  temperature[j])


@njit(**JIT)
def settle_block(lo, hi, t, model, par, st, cache, blk, work):
    """:func:`settle` of the block's runs where someone plays (the others keep their
    state; their actions and detections are False), given blk's intended; fills blk's
    actions and detected and keeps the cache's caps up to date where agreements
    collapse."""
    (R, S, T, P), flags = model[1], model[2]
    tolerance, withdrawal, sanctioned = flags[0], flags[1], flags[2]
    cap_ptr, held_actor, cap_cells = model[3], model[4], model[5]
    keys, verification, sanction, flip, gain, loss = par[0], par[1], par[2], par[4], \
        par[7], par[8]
    in_force, collapsed, group, level = st[2], st[3], st[6], st[7]
    tb, db = blk[B_TRUST], blk[B_DETECTIONS]
    turns, seen_last, seen_before, seen_ever, own_last = blk[B_TURNS], blk[B_SEEN_LAST], \
        blk[B_SEEN_BEFORE], blk[B_SEEN_EVER], blk[B_OWN_LAST]
    complied, played, payoff, pair_turns = blk[B_COMPLIED], blk[B_PLAYED], blk[B_PAYOFF], \
        blk[B_PAIR_TURNS]
    anyone, live, bound_t, playing, pairs, observes = blk[B_ANYONE], blk[B_LIVE], \
        blk[B_BOUND], blk[B_PLAYING], blk[B_PAIRS], blk[B_OBSERVES]
    intended, actions, detected = blk[B_INTENDED], blk[B_ACTIONS], blk[B_DETECTED]
    broken, hit = work[0], work[1]
    I, A = live.shape[0], playing.shape[0]
    m = hi - lo
    rows, seen_row = blk[B_ROWS], blk[B_FLAGS]
    total, count = rows[0], rows[1]
    for a in range(A):
        ia, aa, da, pa = intended[a], actions[a], detected[a], playing[a]
        for j in range(m):
            r = lo + j
            key = keys[r]
            flipped = uniform(key, t, NOISE_FLIP, a) < flip[r]
            act = (ia[j] != flipped) & pa[j]
            aa[j] = act
            da[j] = act & (uniform(key, t, DETECTION, a) < verification[r])
    for a in range(A):
        pa, sl, sb, se, ol, tu = playing[a], seen_last[a], seen_before[a], seen_ever[a], \
            own_last[a], turns[a]
        for j in range(m):
            seen_row[j] = False
        for b in range(A):
            oab, db_ = observes[a, b], detected[b]
            for j in range(m):
                seen_row[j] = seen_row[j] | (oab[j] & db_[j])
        for j in range(m):
            seen = seen_row[j]
            on = pa[j]
            last = sl[j]
            sb[j] = last if on else sb[j]
            sl[j] = seen if on else last
            se[j] = se[j] | (seen & on)
            ol[j] = actions[a, j] if on else ol[j]
            tu[j] += on
    for a in range(A):
        for b in range(A):
            tab, oab, db_ = tb[a, b], observes[a, b], detected[b]
            for j in range(m):
                r = lo + j
                old = tab[j]
                new = old - loss[r] * old if db_[j] else old + gain[r] * (1.0 - old)
                tab[j] = new if oab[j] else old
    for a in range(A):
        mine_row = actions[a]
        for b in range(A):
            theirs, pab = actions[b], pairs[a, b]
            for j in range(m):
                mine = mine_row[j]
                if mine:
                    value = P if theirs[j] else T
                else:
                    value = S if theirs[j] else R
                value = value * pab[j]
                if b == 0:
                    total[j] = value
                    count[j] = 1.0 if pab[j] else 0.0
                else:
                    total[j] += value
                    count[j] += 1.0 if pab[j] else 0.0
        pay, pt, pl, co, on_a, det_a = payoff[a], pair_turns[a], played[a], complied[a], \
            playing[a], detected[a]
        for j in range(m):
            plays = anyone[j]
            v = pay[j] + total[j]
            if sanctioned:
                v = v - sanction[lo + j] * det_a[j]
            pay[j] = v if plays else pay[j]
            pt[j] = pt[j] + count[j] if plays else pt[j]
            on = on_a[j]
            pl[j] += on
            co[j] += on & (not mine_row[j])
    for i in range(I):
        dbi = db[i]
        for a in range(A):
            bia, da = bound_t[i, a], detected[a]
            for j in range(m):
                dbi[j] += bia[j] & da[j]
    if not (tolerance or withdrawal):
        return
    for j in range(m):
        if not anyone[j]:
            continue
        r = lo + j
        if breaches(r, tolerance, withdrawal, R, S, P, live[:, j], db[:, j], bound_t[:, :, j],
                    playing[:, j], pairs[:, :, j], tb[:, :, j], in_force, collapsed, group,
                    broken, hit):
            fill_caps(r, cap_ptr, cap_cells, held_actor, in_force, level, cache[2][r],
                      cache[3][r], cache[7])


@njit(**JIT)
def game_block(lo, hi, t, model, par, st, cache, blk, work):
    """:func:`game` of a block in ROUNDS (DECIDE_PLAYING, verify): the pairings worked
    out again where a run's live agreements changed (into the cache and the block),
    then the intentions and what follows for the whole block at once. Returns whether
    someone plays in the block."""
    mask_c, anyone_c, masks = cache[0], cache[1], work[10]
    A, m = cache[4].shape[1], hi - lo
    live_masks(lo, hi, t, st[2], st[5], masks)
    someone = False
    for j in range(m):
        r = lo + j
        mask = masks[j]
        if mask != mask_c[r] or mask == -1:
            refresh(r, t, mask, model, st, cache)
            pairings_to_block(r, j, cache, blk)
        someone = someone or anyone_c[r]
    if someone:
        intentions_block(lo, hi, t, model, par, st, blk)
        settle_block(lo, hi, t, model, par, st, cache, blk, work)
    else:
        acted, seen = blk[B_ACTIONS], blk[B_DETECTED]
        for a in range(A):
            for j in range(m):
                acted[a, j] = False
                seen[a, j] = False
    return someone


# --- forces, tension, crisis: loops over runs, vectorised -----------------------------

@njit(**JIT)
def forces(lo, hi, t, model, par, st, playing, actions, work, anyone, caps, acted):
    """Richardson's step of runs lo .. hi - 1 in round t, clipped to [0, max] and to the
    caps their compliers keep (phases.forces, dynamics.step_forces), given who played
    and how, ``(n, A)`` (``anyone`` False: nobody played in these runs). ``caps`` (H, n):
    the caps of the runs' live agreements as :func:`game` keeps them (:func:`fill_caps`),
    with the block's actions ``acted`` (A, B), or empty to work them out from the state.
    Its scratch ``work`` holds a block of runs. (Loops over a row of runs go through 1-D
    views: LLVM vectorises them.)"""
    cap_ptr, held_actor, cap_cells, src_ptr, src_idx = model[3], model[4], model[5], \
        model[6], model[7]
    top, (X, RATIO, F, DF), noisy = model[10], model[11], model[2][3]
    keys, keep, rt, dg, noise, coef = par[0], par[17], par[18], par[19], par[24], par[25]
    link_ptr, link_src, link_row, linked = model[13], model[14], model[15], model[2][4]
    x, in_force, agreed_round, level, bound = st[0], st[2], st[5], st[7], st[8]
    new, cap, threat, shock, miss, hashes = work[2], work[3], work[4], work[5], work[6], \
        work[9]
    H = x.shape[0]
    I = cap_ptr.shape[0] - 1
    A = playing.shape[1]
    m = hi - lo
    th, sh, mi, zs, lk = threat[:m], shock[:m], miss[:m], hashes[:m], work[8][:m]
    keys_b = keys[lo:hi]
    for h in range(H):
        if noisy:        # the shocks first, so that the step below adds them in one pass
            c = (np.uint64(t + 1) << np.uint64(24)) + (np.uint64(h) << np.uint64(8)) + \
                np.uint64(FORCE_NOISE)
            step_ = c * _GOLDEN
            for j in range(m):              # the hashes apart: this loop vectorises
                zs[j] = mix(keys_b[j] + step_)
            outside = 0                     # the draws outside their rectangle, listed
            for j in range(m):              # without a branch: about 1.5% of them
                z = zs[j]
                layer = np.int64(z & np.uint64(0xFF))
                u = (np.float64(np.int64(z >> np.uint64(12))) + 0.5) * _UNIT51 - 1.0
                sh[j] = u * X[layer]
                mi[outside] = j
                outside += not (abs(u) < RATIO[layer])
            for q in range(outside):
                j = mi[q]
                z = zs[j]
                layer = np.int64(z & np.uint64(0xFF))
                u = (np.float64(np.int64(z >> np.uint64(12))) + 0.5) * _UNIT51 - 1.0
                sh[j] = _outside(z, layer, u, X, RATIO, F, DF)
            sd = noise[h, lo:hi]
            for j in range(m):
                sh[j] *= sd[j]
        # the rivals' levels of the same force (0.0 plus the first is the first: levels
        # are never -0.0, since clipping at 0 gives +0.0)
        first, last = src_ptr[h], src_ptr[h + 1]
        if first == last:
            for j in range(m):
                th[j] = 0.0
        else:
            xg = x[src_idx[first], lo:hi]
            for j in range(m):
                th[j] = xg[j]
        for s in range(first + 1, last):
            xg = x[src_idx[s], lo:hi]
            for j in range(m):
                th[j] += xg[j]
        xh, kh, rh, dh, nh = x[h, lo:hi], keep[h, lo:hi], rt[h, lo:hi], dg[h, lo:hi], new[h, :m]
        if linked:       # reactions to the rivals' levels of other forces (dynamics.linked_reactions)
            for j in range(m):
                lk[j] = 0.0
            for s in range(link_ptr[h], link_ptr[h + 1]):
                cl, xg = coef[link_row[s], lo:hi], x[link_src[s], lo:hi]
                for j in range(m):
                    lk[j] += cl[j] * xg[j]
            for j in range(m):
                v = kh[j] * xh[j]
                v += th[j] * rh[j]
                v += lk[j]
                v += dh[j]
                nh[j] = v
        if noisy and linked:
            for j in range(m):
                nh[j] += sh[j]
        elif noisy:
            for j in range(m):
                v = kh[j] * xh[j]
                v += th[j] * rh[j]
                v += dh[j]
                v += sh[j]
                nh[j] = v
        elif not linked:
            for j in range(m):
                v = kh[j] * xh[j]
                v += th[j] * rh[j]
                v += dh[j]
                nh[j] = v
    capped = False                           # some run of the block keeps to a cap
    if anyone and caps.shape[0]:             # each cell's cap where its holder complies
        for h in range(H):
            a = held_actor[h]
            cr, ch = caps[h, lo:hi], cap[h, :m]
            for j in range(m):
                c = np.inf if acted[a, j] else cr[j]
                ch[j] = c
                capped = capped or c < np.inf
        anyone = False
    for j in range(m if anyone else 0):
        r = lo + j
        complier = False
        for a in range(A):
            complier = complier or (playing[r, a] and not actions[r, a])
        if not complier:
            continue
        for i in range(I):
            if cap_ptr[i] == cap_ptr[i + 1] or not (in_force[r, i] and agreed_round[r, i] < t):
                continue
            agreed = maximum(level[r, i], 0.0)
            for c in range(cap_ptr[i], cap_ptr[i + 1]):
                h = cap_cells[c]
                a = held_actor[h]
                if bound[r, i, a] and playing[r, a] and not actions[r, a]:
                    if not capped:
                        for hh in range(H):
                            ch = cap[hh, :m]
                            for jj in range(m):
                                ch[jj] = np.inf
                        capped = True
                    cap[h, j] = minimum(cap[h, j], agreed)
    for h in range(H):
        top_h = top[h]
        xh, nh, ch = x[h, lo:hi], new[h, :m], cap[h, :m]
        if capped:
            for j in range(m):
                xh[j] = minimum(minimum(maximum(nh[j], 0.0), top_h), ch[j])
        else:
            for j in range(m):
                xh[j] = minimum(maximum(nh[j], 0.0), top_h)


@njit(**JIT)
def tension(lo, hi, model, par, st, work, trust_b):
    """Tension of runs lo .. hi - 1 from forces, mistrust and agreements
    (dynamics.tension); their trust is the block's, ``trust_b`` (A, A, B)."""
    rival_a, rival_b, top, weights = model[8], model[9], model[10], par[20]
    x, in_force, theta, theta_sum = st[0], st[2], st[11], st[12]
    m_ = hi - lo
    f, mt, g = work[4][:m_], work[5][:m_], work[8][:m_]
    H = x.shape[0]
    I = in_force.shape[1]
    pairs = rival_a.shape[0]
    for j in range(m_):
        f[j] = 0.0
        mt[j] = 0.0
        g[j] = 0.0
    for h in range(H):
        xh, top_h = x[h, lo:hi], top[h]
        for j in range(m_):
            f[j] += xh[j] / top_h
    for p in range(pairs):
        tp = trust_b[rival_a[p], rival_b[p], :m_]
        for j in range(m_):
            mt[j] += 1.0 - tp[j]
    for i in range(I):
        col = in_force[lo:hi, i]
        for j in range(m_):
            g[j] += col[j]
    w0, w1, w2, w3 = weights[0, lo:hi], weights[1, lo:hi], weights[2, lo:hi], weights[3, lo:hi]
    th, ts = theta[lo:hi], theta_sum[lo:hi]
    scale_f, scale_m = max(H, 1), max(pairs, 1)
    for j in range(m_):
        share = g[j] / I if I else 0.0
        z = w1[j] * (f[j] / scale_f)
        z += w0[j]
        z += w2[j] * (mt[j] / scale_m)
        z -= w3[j] * share
        v = 1.0 / (exp(-z) + 1.0)
        th[j] = v
        ts[j] += v


@njit(**JIT)
def crisis(lo, hi, t, par, st):
    """The crisis draw of runs lo .. hi - 1 in round t (phases.crisis)."""
    keys, hazard, exponent = par[0][lo:hi], par[5][lo:hi], par[6][lo:hi]
    in_force, crisis_round, theta = st[2], st[10][lo:hi], st[11][lo:hi]
    c = (np.uint64(t + 1) << np.uint64(24)) + np.uint64(CRISIS)
    step_ = c * _GOLDEN
    for j in range(hi - lo):
        th, e = theta[j], exponent[j]
        chance = hazard[j] * (th * th if e == 2.0 else pow_(th, e))
        if unit(mix(keys[j] + step_)) < chance and crisis_round[j] < 0:
            crisis_round[j] = t
            for i in range(in_force.shape[1]):
                in_force[lo + j, i] = False


# --- the entry point -------------------------------------------------------------------
#
# Compiled once. The arrays the loops over runs read most are C-contiguous whatever the
# number of runs (a run of one is both C and F), so the loops are vectorised; the
# state's (n, I) and (n, I, A) arrays, which the NumPy talks keep runs-last, are read
# through their strides ("A").

KINDS = (COMPLY, VERIFY, FORCES, TENSION, CRISES, ROUNDS) = range(6)
#: runs stepped through the rounds together by ROUNDS: their arrays stay in the cache
BLOCK = 256
#: runs that go through each step of a talk round together (talk_round's scratch): the
#: checks LLVM makes before a vectorised loop (that its arrays do not overlap) are paid
#: once per row of runs, and a talk round's rows are many; 1,024 ran 12-14% faster
#: than 256 on the article scenario and its variants, 2,048 and more no faster
TALK_BLOCK = 1024


def _c(dtype, ndim):
    return nt.Array(dtype, ndim, "C")


def _a(dtype, ndim):
    return nt.Array(dtype, ndim, "A")


_F1, _F2, _F3 = _c(nt.float64, 1), _c(nt.float64, 2), _c(nt.float64, 3)
_B1, _B2, _B3 = _c(nt.boolean, 1), _c(nt.boolean, 2), _c(nt.boolean, 3)
_I1, _I2 = _c(nt.int64, 1), _c(nt.int64, 2)
_AB2, _AB3, _AI2, _AF2 = _a(nt.boolean, 2), _a(nt.boolean, 3), _a(nt.int64, 2), \
    _a(nt.float64, 2)
MODEL = nt.Tuple((_I1, nt.UniTuple(nt.float64, 4), _I1, _I1, _I1, _I1, _I1, _I1, _I1, _I1,
                  _F1, nt.UniTuple(_F1, 4), _B2, _I1, _I1, _I1))
PAR = nt.Tuple((_c(nt.uint64, 1),) + (_F1,) * 8 + (_F2,) * 14 + (_F1, _F2, _F2))
#: which of the state's arrays may come in any layout (the rest are C-contiguous)
STRIDED = (2, 3, 5, 6, 7, 8, 9)
STATE = nt.Tuple((_F2, _F3, _AB2, _AB2, _I2, _AI2, _AI2, _AF2, _AB3, _AB3, _I1, _F1, _F1,
                  _I2, _B2, _B2, _B2, _B2, _F2, _F2, _F2, _F2))
OUT = nt.Tuple((_B2, _B2, _B2, _B2, _B3, _B3, _B3, _B2))
#: the trajectories ROUNDS records, round j after t0 in [:, j] (empty: none): tension
#: (n, R), the held cells' levels (n, R, H), trust (n, R, A, A), the action (n, R, A)
#: int8 (1 defect, 0 comply, -1 not playing) and the agreements in force (n, R, I)
TRACE = nt.Tuple((_F2, _F3, _c(nt.float64, 4), _c(nt.int8, 3), _B3))
CACHE = nt.Tuple((_I1, _B1, _B2, _B3, _B2, _B3, _B3, _F2))
BLK = nt.Tuple((_F3, _I2, _B2, _B2, _B2, _B2, _F2, _F2, _F2, _F2, _I2, _B1, _B2, _B3, _B2,
                _B3, _B3, _B2, _B2, _B2, _F3, _F2, _B1))
WORK = nt.Tuple((_B1, _B1, _F2, _F2, _F1, _F1, _I1, _B2, _F1, _c(nt.uint64, 1), _I1, BLK))


@njit(**JIT)
def record(lo, hi, j, st, blk, trace):
    """Round j's trajectories of runs lo .. hi - 1 (run.record_round's, after the talks),
    from the state and the block's arrays."""
    x, in_force, theta = st[0], st[2], st[11]
    tb, playing, anyone, actions = blk[B_TRUST], blk[B_PLAYING], blk[B_ANYONE], \
        blk[B_ACTIONS]
    tr_theta, tr_x, tr_trust, tr_action, tr_in_force = trace
    H, A, I = x.shape[0], tb.shape[0], in_force.shape[1]
    for r in range(lo, hi):
        k = r - lo
        tr_theta[r, j] = theta[r]
        for h in range(H):
            tr_x[r, j, h] = x[h, r]
        for a in range(A):
            for b in range(A):
                tr_trust[r, j, a, b] = tb[a, b, k]
            plays = playing[a, k] and anyone[k]
            tr_action[r, j, a] = np.int8(actions[a, k]) if plays else np.int8(-1)
        for i in range(I):
            tr_in_force[r, j, i] = in_force[r, i]


def scratch(n: int, I: int, A: int, H: int) -> tuple[tuple, tuple]:
    """The arrays :func:`step` works in, for n runs: the pairings and caps ``cache`` of
    every run (kept from call to call: see :func:`step`), and ``work``: broken, hit
    (I,); new, cap (H, B); threat, shock (B,); the places of the draws outside their
    rectangle (B,), for a block of B runs; intended (n, A); one more (B,) row of
    numbers; hashes (B,); the live agreements' masks (n,); the block's compliance game
    runs last (``blk``: see :data:`B_TRUST`)."""
    B = min(n, BLOCK)
    b = lambda *shape: np.zeros(shape, np.bool_)   # noqa: E731
    cache = (np.full(n, -2, np.int64), b(n), b(n, I), b(n, I, A), b(n, A), b(n, A, A),
             b(n, A, A), np.full((H, n), np.inf))
    work = (b(I), b(I), np.zeros((H, B)), np.zeros((H, B)), np.zeros(B), np.zeros(B),
            np.zeros(B, np.int64), b(n, A), np.zeros(B), np.zeros(B, np.uint64),
            np.zeros(max(n, B), np.int64),
            (np.zeros((A, A, B)), np.zeros((A, B), np.int64), b(A, B), b(A, B), b(A, B),
             b(A, B), np.zeros((A, B)), np.zeros((A, B)), np.zeros((A, B)), np.zeros((A, B)),
             np.zeros((I, B), np.int64), b(B), b(I, B), b(I, A, B), b(A, B), b(A, A, B),
             b(A, A, B), b(A, B), b(A, B), b(A, B), np.zeros((8, A, B)), np.zeros((4, B)), b(B)))
    return cache, work


@njit(nt.boolean(nt.int64, nt.int64, nt.int64, MODEL, PAR, STATE, OUT, CACHE, WORK, TRACE),
      **JIT)
def step(kind, t0, t1, model, par, st, out, cache, work, trace):
    """One phase of round t0 for every run (``kind``: COMPLY, VERIFY, FORCES, TENSION,
    CRISES), or rounds t0 .. t1 - 1 whole after their talks (ROUNDS: blocks of
    :data:`BLOCK` runs go through the rounds together, the strategies decide, then what
    follows, forces, tension, crisis).

    ``out``: who played, intentions, actions, detections ``(n, A)``; pairs, observes
    ``(n, A, A)``, bound ``(n, I, A)`` and live ``(n, I)``, filled by COMPLY (pass empty
    arrays otherwise). COMPLY fills who played, the intentions of the actors the kernel
    decides for and the pairings; VERIFY reads the intentions and fills actions and
    detections; FORCES reads who played and the actions; ROUNDS leaves the last round's
    who played, actions and detections, and records each round's trajectories in
    ``trace`` where it is not empty. Returns whether an agreement was live in some run
    (COMPLY).

    ``cache`` keeps each run's pairings from call to call, keyed by its live agreements;
    the caller sets its masks (``cache[0]``) to -2 when agreements are made, which
    changes who is bound (the state's bound and party)."""
    playing_out, intended_out, actions_out, detected_out = out[0], out[1], out[2], out[3]
    n = st[11].shape[0]
    playing_c, anyone_c = cache[4], cache[1]
    blk, in_force = work[11], st[2]
    if kind == ROUNDS:
        for lo in range(0, n, BLOCK):
            hi = min(lo + BLOCK, n)
            # no agreement in force in the block: none can come into force in these
            # rounds, so nobody plays; only trust is read (by tension)
            idle = True
            for r in range(lo, hi):
                for i in range(in_force.shape[1]):
                    idle = idle and not in_force[r, i]
            # a single round (a talk round's): moving the block's state runs last and back
            # costs more than it saves, so the game goes run by run
            short = t1 - t0 < 2 and not idle
            if idle:
                idle_block(lo, hi, model, st, blk, trace[0].shape[1] > 0)
            elif not short:
                load_block(lo, hi, model, par, st, cache, blk)
            for t in range(t0, t1):
                if short:
                    game(lo, hi, t, DECIDE_PLAYING, True, model, par, st, cache, work[7],
                         actions_out, detected_out, work)
                    someone = rows_from_state(lo, hi, model, st, cache, actions_out, blk,
                                              trace[0].shape[1] > 0)
                else:
                    someone = False if idle else game_block(lo, hi, t, model, par, st,
                                                            cache, blk, work)
                forces(lo, hi, t, model, par, st, playing_c, actions_out, work, someone,
                       cache[7], blk[B_ACTIONS])
                tension(lo, hi, model, par, st, work, blk[B_TRUST])
                crisis(lo, hi, t, par, st)
                if trace[0].shape[1]:
                    record(lo, hi, t - t0, st, blk, trace)
            if idle:
                for r in range(lo, hi):
                    for a in range(playing_out.shape[1]):
                        playing_out[r, a] = False
                        actions_out[r, a] = False
                        detected_out[r, a] = False
            elif short:
                for r in range(lo, hi):
                    for a in range(playing_out.shape[1]):
                        playing_out[r, a] = playing_c[r, a] and anyone_c[r]
            else:
                store_block(lo, hi, st, blk, out)
        return False
    if kind == COMPLY or kind == VERIFY:
        decide = DECIDE_ALL if kind == COMPLY else DECIDE_NONE
        any_live = game(0, n, t0, decide, kind == VERIFY, model, par, st, cache,
                        intended_out, actions_out, detected_out, work)
        if kind == COMPLY:
            live_c, bound_c, pairs_c, observes_c = cache[2], cache[3], cache[5], cache[6]
            pairs_out, observes_out, bound_out, live_out = out[4], out[5], out[6], out[7]
            I, A = bound_c.shape[1], bound_c.shape[2]
            for r in range(n):
                for i in range(I):
                    live_out[r, i] = live_c[r, i]
                    for a in range(A):
                        bound_out[r, i, a] = bound_c[r, i, a]
                for a in range(A):
                    playing_out[r, a] = playing_c[r, a]
                    for b in range(A):
                        pairs_out[r, a, b] = pairs_c[r, a, b]
                        observes_out[r, a, b] = observes_c[r, a, b]
        return any_live
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        if kind == FORCES:
            forces(lo, hi, t0, model, par, st, playing_out, actions_out, work, True,
                   work[3][:0], blk[B_ACTIONS])
        elif kind == TENSION:
            trust_to_block(lo, hi, model, st[1], blk[B_TRUST], False)
            tension(lo, hi, model, par, st, work, blk[B_TRUST])
        elif kind == CRISES:
            crisis(lo, hi, t0, par, st)
    return False


# --- the talks: one round of a session, run by run ----------------------------------
#
# talks.negotiate's round (make_offer, respond, resolve) and deadlock.observe for the
# negotiation strategies the kernel knows (NEGOTIATORS), at a table without a mediator
# and with public red lines; :mod:`armsim.core.compiled` hands everything else to NumPy.
# The same operations in the same order as the NumPy functions named in the comments:
# NumPy's maximum, minimum and clip as their C loops do them (NaN kept, ties to the
# second argument), sums over a short axis left to right (arrays.sum_last), NumPy's own
# row sums by its pairwise rule (:func:`np_sum`).

#: the negotiation strategies the kernel knows, by ``compiled_as``
(TIME_DEPENDENT, HARDLINER, TIT_FOR_TAT_TALKS, GRIT) = range(1, 5)
NEGOTIATORS = {"time_dependent": TIME_DEPENDENT, "hardliner": HARDLINER,
               "tit_for_tat": TIT_FOR_TAT_TALKS, "grit": GRIT}
TOL = 1e-9          # offers.EPS, talks.TOL, rules.TOL, deadlock's
#: the issues a talk round's NumPy row sums are reproduced for (np_sum)
MAX_TALK_ISSUES = 128


@njit(**SMALL)
def np_max(a, b):
    """np.maximum(a, b) for one pair."""
    return a if (a >= b or a != a) else b


@njit(**SMALL)
def np_min(a, b):
    """np.minimum(a, b) for one pair."""
    return a if (a <= b or a != a) else b


@njit(**SMALL)
def np_clip(x, lo, hi):
    """np.clip(x, lo, hi) for one number: min(max(x, lo), hi), NaN kept."""
    t = x if (x > lo or x != x) else lo
    return t if (t < hi or t != t) else hi


@njit(**SMALL)
def np_sign(x):
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x            # 0.0, -0.0 or NaN, as np.sign


@njit(**RUN)
def np_sum(v, n):
    """``v[:n].sum()`` as NumPy adds a contiguous row (n <= 128): left to right from 0
    below 8 numbers, else eight running sums combined pairwise, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += v[i]
        return res
    r0, r1, r2, r3, r4, r5, r6, r7 = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
    i = 8
    end = n - n % 8
    while i < end:
        r0 += v[i]
        r1 += v[i + 1]
        r2 += v[i + 2]
        r3 += v[i + 3]
        r4 += v[i + 4]
        r5 += v[i + 5]
        r6 += v[i + 6]
        r7 += v[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += v[i]
        i += 1
    return res



@njit(**RUN)
def _utility(x, ideal_ai, span_i, cares, side_ai, any_side):
    """offers.utility_where for one actor and issue."""
    d = x - ideal_ai
    if any_side and np_sign(d) == side_ai:
        d = 0.0
    u = 1.0 - abs(d) / span_i
    return u if cares else 1.0


@njit(**RUN)
def _package_offer(b, r, p, I, wk, order, start, target, mass, free, need, weight, span,
                   open_, any_side, x):
    """offers.package_offer for run r (row b of the block's start, target, the others'
    gain ``mass`` and ``free``, all (I, B)) into x[:, b]; ``wk`` (5, I) and ``order`` (I,)
    are scratch."""
    w, cost, gap, ratio, dist = wk[0], wk[1], wk[2], wk[3], wk[4]
    for i in range(I):
        w[i] = weight[i, p, r] * (1.0 if open_[i, r] else 0.0)
    total = np_sum(w, I)
    for i in range(I):
        c = (w[i] / total if total > 0 else 0.0) / span[i]
        if any_side and free[i, b]:
            c = 0.0
        cost[i] = c
        gap[i] = abs(target[i, b] - start[i, b]) * (1.0 if open_[i, r] else 0.0)
        g = mass[i, b] / span[i]
        ratio[i] = cost[i] / g if g > 0 else np.inf
        if not open_[i, r]:
            ratio[i] = np.inf
        order[i] = i
    for i in range(1, I):                        # a stable sort, NaN last
        k = order[i]
        j = i - 1
        while j >= 0 and (ratio[k] < ratio[order[j]]
                          or (ratio[order[j]] != ratio[order[j]] and ratio[k] == ratio[k])):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = k
    spent = 0.0
    for m in range(I):
        i = order[m]
        full = cost[i] * gap[i]
        cum = full if m == 0 else spent + full
        spent = cum
        amount = np_clip(need - (cum - full), 0.0, full)
        dist[i] = amount / cost[i] if cost[i] > 0 else gap[i]
    for i in range(I):
        x[i, b] = start[i, b] + np_sign(target[i, b] - start[i, b]) * np_min(dist[i], gap[i])


@njit(**RUN)
def _whole_rows(lo, nb, I, agreed, open_, every):
    """talks._whole_package for runs lo .. lo + nb - 1 of ``agreed`` and ``open_`` (I, n),
    in place; ``every`` (nb,) is scratch."""
    for b in range(nb):
        every[b] = True
    for i in range(I):
        ag, oi = agreed[i, lo:lo + nb], open_[i, lo:lo + nb]
        for b in range(nb):
            every[b] = every[b] & (ag[b] | ~oi[b])
    for i in range(I):
        ag, oi = agreed[i, lo:lo + nb], open_[i, lo:lo + nb]
        for b in range(nb):
            ag[b] = every[b] & oi[b]


@njit(**RUN)
def _linkage_met_row(lo, nb, I, P, links, insisted, agreed, agreed_before, met):
    """``met`` (nb,): whether talks._linkage_met holds for every participant j < P that
    links, in runs lo .. lo + nb - 1: each issue it insists on is agreed, before or now."""
    for b in range(nb):
        met[b] = True
    for j in range(P):
        if not links[j]:
            continue
        for i in range(I):
            if insisted[j, i]:
                ag, bf = agreed[i, lo:lo + nb], agreed_before[i, lo:lo + nb]
                for b in range(nb):
                    met[b] = met[b] & (ag[b] | bf[b])


@njit(**RUN)
def _deadlock(r, I, P, q, who, codes, span, dl_rounds, has_before, has_prev, offer,
              before_offer, open_, agreed, thr, prev_thr, asp, idle, res, opening, still,
              breaks, ended, declared, broke, ended_now, asp_before):
    """deadlock.observe for run r: count a round in which nobody moved, declare a
    deadlock at ``dl_rounds`` of them, let the strategies break it (tit for tat's restart
    gesture, GRIT's renewed steps) or end the session."""
    active = False
    moved = not has_before
    for i in range(I):
        still_open = open_[i, r] and not agreed[i, r]
        active = active or still_open
        if has_before and still_open and \
                not (abs(offer[i, r] - before_offer[i, r]) <= TOL * span[i]):
            moved = True
    if not has_prev:
        moved = True
    elif not moved:
        for j in range(P):
            for i in range(I):
                if thr[i, j, r] != prev_thr[i, j, r]:
                    moved = True
    if active:
        still[r] += 1
    if moved:
        still[r] = 0
    if not (active and still[r] >= dl_rounds):
        return
    declared[r] = True
    anyone = False
    for j in range(P):
        a = who[j]
        for i in range(I):
            asp_before[i, j, r] = asp[i, a, r]
        done = False
        if codes[a] == TIT_FOR_TAT_TALKS and breaks[r, a] == 0:    # unilateral_step
            for i in range(I):
                was = asp[i, a, r]
                asp[i, a, r] = np_max(was - opening[a, r], res[a, r])
                if asp[i, a, r] < was - TOL:
                    done = True
        elif codes[a] == GRIT and breaks[r, a] == 0:
            for i in range(I):
                if asp[i, a, r] > res[a, r] + TOL:
                    done = True
            if done:
                for i in range(I):
                    idle[i, a, r] = 0
        broke[r, j] = done
        if done:
            breaks[r, a] += 1
            anyone = True
    if not anyone:
        ended_now[r] = True
        ended[r] = True
    still[r] = 0


_AF1, _AF3 = _a(nt.float64, 1), _a(nt.float64, 3)
TSPEC = nt.Tuple((_I1, _I1, _I1, _B1, _B2, _B1, _F1, _F1, _B1, _c(nt.int8, 2), _I1))
TPAR = nt.Tuple((_F3, _F3, _F3, _F2, _F2, _F3, _F2, _F2, _F2, _F2, _F2, _F2, _F3, _B2, _B2))
TSTATE = nt.Tuple((_F3, _F3, _F3, _c(nt.int64, 3), _I1, _I2, _B1))
TOUT = nt.Tuple((_F2, _F3, _B3, _B3, _F3, _B3, _B3, _B2, _B1, _B2, _B1, _F3))
TWORK = nt.Tuple((_c(nt.float64, 4), _F3, _F2, _F2, _I1, _B3))


@njit(nt.void(TSPEC, TPAR, TSTATE, TOUT, TWORK), **JIT)
def talk_round(tspec, tpar, tst, tout, twork):
    """One talk round of every run: the proposer concedes and offers, the participants
    answer, unanimity within red lines, packages and linkage decides, the responders
    remember the offer; then the round is counted toward a deadlock, which the
    participants' strategies may break (talks.negotiate, and phases.resolve's
    deadlock.observe). Blocks of runs go through each step together, runs innermost.

    Every array with a run axis has it last (the talks' arrays, runs last in memory,
    transposed): per issue i, actor a or participant j and run r.

    ``tspec``: each actor's negotiator code (A,), GRIT's wait (A,), the participants in
    order ``who`` (P,), the session's participants (A,) bool, what each participant
    insists on (P, I) and whether it insists on anything (P,), span and hi (I,), the
    whole-number issues (I,), the one-sided preferences (A, I) and ``ints``: the
    proposer's place in ``who``, package, any whole, any side, the deadlock's bookkeeping
    (0 none, 1 only remembered by the caller, 2 counted), its rounds, whether the
    proposer offered before in the session and whether thresholds were remembered.
    ``tpar``: ideal, red_lo, red_hi (I, A, m) (m = n where the runs drew their own, else
    1); the proposer's window low and high (I, m); weight (I, A, n); reservation,
    reciprocity, opening, step (A, n); the time-dependent levels (P + 1, n): what each
    participant would ask next, and in row P what the proposer asks now; the proposer's
    previous offer (I, n); the thresholds of the round before (I, P, n); the issues agreed
    before and open now (I, n).
    ``tst`` (changed in place): aspiration, last and previous utility received (I, A, n);
    GRIT's idle count (I, A, n); the deadlock's still (n,), breaks (n, A), ended (n,).
    ``tout``: offer (I, n); utility, inside, likes, threshold, linked, accepted (I, P, n);
    agreed (I, n); declared (n,), broke (n, P), ended (n,) and the aspirations before the
    deadlock was broken (I, P, n), where declared.
    ``twork``: the block's ideals and lines (3, I, A, B), windows and working rows
    (9, I, B), per-run numbers (4, B), one run's package (5, I), its order (I,) and
    flags (4, I, B) (B: :data:`TALK_BLOCK` runs, or n if fewer).
    """
    codes, wait, who, part, insisted, links, span, hi_i, whole, side, ints = tspec
    ideal, red_lo, red_hi, win_lo, win_hi, weight, res, recip, opening, stp, levels, \
        before_offer, prev_thr, agreed_before, open_ = tpar
    asp, last, prev, idle, still, breaks, ended = tst
    offer, u, inside, likes, thr, linked, accepted, agreed, declared, broke, ended_now, \
        asp_before = tout
    lines, rows, per_run, wk, order, flags = twork
    q, package, any_whole, any_side = ints[0], ints[1] != 0, ints[2] != 0, ints[3] != 0
    dl_mode, dl_rounds, has_before, has_prev = ints[4], ints[5], ints[6] != 0, ints[7] != 0
    I, n = open_.shape
    P, A, B = who.shape[0], asp.shape[1], lines.shape[3]
    p = who[q]
    code_p = codes[p]
    many_ideal, many_lo, many_hi = ideal.shape[2] > 1, red_lo.shape[2] > 1, \
        red_hi.shape[2] > 1
    many_wlo, many_whi = win_lo.shape[1] > 1, win_hi.shape[1] > 1
    any_link = False
    for j in range(P):
        any_link = any_link or links[j]
    idl, rlo, rhi = lines[0], lines[1], lines[2]
    wlo, whi, start, target, mass, pull, ustart, level, x = (rows[0], rows[1], rows[2],
                                                              rows[3], rows[4], rows[5],
                                                              rows[6], rows[7], rows[8])
    total, w_sum, wu_sum = per_run[0], per_run[1], per_run[2]
    free, unanimous = flags[0], flags[1]
    for lo in range(0, n, B):
        hi = min(lo + B, n)
        nb = hi - lo
        # the block's ideals, lines and window (loops over a row of runs go through 1-D
        # views: LLVM vectorises them)
        for i in range(I):
            for a in range(A):
                for source, many, into in ((ideal, many_ideal, idl), (red_lo, many_lo, rlo),
                                           (red_hi, many_hi, rhi)):
                    row = into[i, a, :nb]
                    if many:
                        drawn = source[i, a, lo:hi]
                        for b in range(nb):
                            row[b] = drawn[b]
                    else:
                        v0 = source[i, a, 0]
                        for b in range(nb):
                            row[b] = v0
            for source, many, into in ((win_lo, many_wlo, wlo), (win_hi, many_whi, whi)):
                row = into[i, :nb]
                if many:
                    drawn = source[i, lo:hi]
                    for b in range(nb):
                        row[b] = drawn[b]
                else:
                    v0 = source[i, 0]
                    for b in range(nb):
                        row[b] = v0
        # -- make_offer: the proposer concedes (tit_for_tat's, grit's concede)
        if code_p == TIT_FOR_TAT_TALKS or code_p == GRIT:
            wait_p = wait[p]
            rp, cp, sp = res[p, lo:hi], recip[p, lo:hi], stp[p, lo:hi]
            for i in range(I):
                la, pr, ap, il = last[i, p, lo:hi], prev[i, p, lo:hi], asp[i, p, lo:hi], \
                    idle[i, p, lo:hi]
                for b in range(nb):
                    d = la[b] - pr[b]
                    g = np_max(d, 0.0) if math.isfinite(d) else 0.0   # received_gain
                    if code_p == TIT_FOR_TAT_TALKS:
                        move = cp[b] * g
                    else:
                        reciprocal = cp[b] * g
                        if g > TOL:
                            il[b] = 0
                        elif math.isfinite(pr[b]):
                            il[b] = il[b] + 1
                        else:
                            il[b] = 0
                        move = sp[b] if il[b] < wait_p else reciprocal
                        if (not math.isfinite(la[b])) and ap[b] >= 1.0:
                            move = sp[b]
                    ap[b] = np_max(ap[b] - move, rp[b])
        # what it asks, where it starts
        lv = levels[P, lo:hi]
        for i in range(I):
            le, st_, ma, pu = level[i, :nb], start[i, :nb], mass[i, :nb], pull[i, :nb]
            ip, wl, wh, ap = idl[i, p, :nb], wlo[i, :nb], whi[i, :nb], asp[i, p, lo:hi]
            for b in range(nb):
                if code_p == TIME_DEPENDENT:
                    le[b] = lv[b]
                elif code_p == HARDLINER:
                    le[b] = 1.0
                else:
                    le[b] = ap[b]
                st_[b] = np_clip(ip[b], wl[b], wh[b])
                ma[b] = 0.0
                pu[b] = 0.0
        tot = total[:nb]
        for o in range(A):                       # offers.start_and_target
            if o == p or not part[o]:
                continue
            w0, o0 = weight[0, o, lo:hi], open_[0, lo:hi]
            for b in range(nb):
                tot[b] = w0[b] * (1.0 if o0[b] else 0.0)
            for i in range(1, I):
                wi, oi = weight[i, o, lo:hi], open_[i, lo:hi]
                for b in range(nb):
                    tot[b] += wi[b] * (1.0 if oi[b] else 0.0)
            for b in range(nb):
                if not tot[b] > 0:
                    tot[b] = 1.0
            for i in range(I):
                wi, oi, io = weight[i, o, lo:hi], open_[i, lo:hi], idl[i, o, :nb]
                ma, pu = mass[i, :nb], pull[i, :nb]
                for b in range(nb):
                    s = wi[b] * (1.0 if oi[b] else 0.0) / tot[b]
                    ma[b] += s
                    pu[b] += s * io[b]
        for i in range(I):
            span_i, side_pi = span[i], side[p, i]
            ma, pu, ta, st_, us, fr = mass[i, :nb], pull[i, :nb], target[i, :nb], \
                start[i, :nb], ustart[i, :nb], free[i, :nb]
            wl, wh, ip, wp = wlo[i, :nb], whi[i, :nb], idl[i, p, :nb], weight[i, p, lo:hi]
            for b in range(nb):
                if ma[b] > 0:
                    ta[b] = np_clip(pu[b] / ma[b], wl[b], wh[b])
                else:
                    ta[b] = st_[b]
                us[b] = _utility(st_[b], ip[b], span_i, wp[b] > 0, side_pi, any_side)
                fr[b] = any_side and side_pi * np_sign(ta[b] - st_[b]) > 0
        if package:
            ws, wus = w_sum[:nb], wu_sum[:nb]
            w0, o0, u0 = weight[0, p, lo:hi], open_[0, lo:hi], ustart[0, :nb]
            for b in range(nb):
                w = w0[b] * (1.0 if o0[b] else 0.0)
                ws[b] = w
                wus[b] = w * u0[b]
            for i in range(1, I):
                wi, oi, ui = weight[i, p, lo:hi], open_[i, lo:hi], ustart[i, :nb]
                for b in range(nb):
                    w = wi[b] * (1.0 if oi[b] else 0.0)
                    ws[b] += w
                    wus[b] += w * ui[b]
            for b in range(nb):
                own = wus[b] / ws[b] if ws[b] > 0 else 1.0
                _package_offer(b, lo + b, p, I, wk, order, start, target, mass, free,
                               np_max(own - level[0, b], 0.0), weight, span, open_,
                               any_side, x)
        else:                                    # offers.issue_offer
            for i in range(I):
                span_i = span[i]
                ta, st_, us, le, fr, xi = target[i, :nb], start[i, :nb], ustart[i, :nb], \
                    level[i, :nb], free[i, :nb], x[i, :nb]
                wp = weight[i, p, lo:hi]
                for b in range(nb):
                    toward = ta[b] - st_[b]
                    gap = abs(toward)
                    d = np_clip((us[b] - le[b]) * span_i, 0.0, gap)
                    if not wp[b] > 0:
                        d = gap
                    if any_side and fr[b]:
                        d = gap
                    xi[b] = np_sign(toward) * d + st_[b]
        for i in range(I):
            rounds_i = any_whole and whole[i]
            xi, st_, wl, wh = x[i, :nb], start[i, :nb], wlo[i, :nb], whi[i, :nb]
            of, oi = offer[i, lo:hi], open_[i, lo:hi]
            for b in range(nb):
                v = xi[b]
                if rounds_i:                     # offers.whole_offer
                    rounded = np.floor(v + TOL) if v > st_[b] else np.ceil(v - TOL)
                    v = np_clip(rounded, np.ceil(wl[b] - TOL), np.floor(wh[b] + TOL)) + 0.0
                of[b] = v if oi[b] else np.nan
        # -- respond: utility, red lines, thresholds
        for j in range(P):
            a = who[j]
            code = codes[a]
            for i in range(I):
                span_i, side_ai, hi_ = span[i], side[a, i], hi_i[i]
                of, oi, wa, ia = offer[i, lo:hi], open_[i, lo:hi], weight[i, a, lo:hi], \
                    idl[i, a, :nb]
                ui, ins, lb, hb = u[i, j, lo:hi], inside[i, j, lo:hi], rlo[i, a, :nb], \
                    rhi[i, a, :nb]
                for b in range(nb):
                    xs = of[b] if oi[b] else hi_
                    ui[b] = _utility(xs, ia[b], span_i, wa[b] > 0, side_ai, any_side)
                    ins[b] = (xs >= lb[b] - TOL) & (xs <= hb[b] + TOL)
            if package:                          # offers.package_utility
                for b in range(nb):
                    r = lo + b
                    w = weight[0, a, r] * (1.0 if open_[0, r] else 0.0)
                    ws_, wus_ = w, w * u[0, j, r]
                    every = inside[0, j, r] or not open_[0, r]
                    for i in range(1, I):
                        w = weight[i, a, r] * (1.0 if open_[i, r] else 0.0)
                        ws_ += w
                        wus_ += w * u[i, j, r]
                        every = every and (inside[i, j, r] or not open_[i, r])
                    whole_u = wus_ / ws_ if ws_ > 0 else 1.0
                    for i in range(I):
                        u[i, j, r] = whole_u
                        inside[i, j, r] = every
            ra, rp, lj = res[a, lo:hi], res[p, lo:hi], levels[j, lo:hi]
            for i in range(I):
                ui, th_, lk, aa = u[i, j, lo:hi], thr[i, j, lo:hi], likes[i, j, lo:hi], \
                    asp[i, a, lo:hi]
                for b in range(nb):
                    if code == TIME_DEPENDENT:
                        th = lj[b]
                    elif code == HARDLINER:
                        th = 1.0 - TOL
                    else:
                        th = aa[b]
                    th = np_max(th, ra[b]) - TOL
                    th_[b] = th
                    if j == q:                   # the proposer stands by its offer
                        lk[b] = ui[b] >= rp[b] - TOL
                    else:
                        lk[b] = ui[b] >= th
        # -- resolve: unanimity, packages, linkage
        for i in range(I):
            ag, un, oi = agreed[i, lo:hi], unanimous[i, :nb], open_[i, lo:hi]
            for b in range(nb):
                ag[b] = oi[b]
            for j in range(P):
                ins, lk, ac = inside[i, j, lo:hi], likes[i, j, lo:hi], accepted[i, j, lo:hi]
                for b in range(nb):
                    ok = ins[b] & lk[b]
                    ac[b] = ok
                    ag[b] = ag[b] & ok
            for b in range(nb):
                un[b] = ag[b]
        # packages and linkage a row of runs at a time (flags[0] is free again: it is the
        # linkage's trial; flags[2, 0] and flags[3, 0] hold a flag per run)
        if package:
            _whole_rows(lo, nb, I, agreed, open_, flags[2, 0, :nb])
        if any_link:                             # talks._with_linkage: the largest
            for _ in range(I + 1):               # consistent set; a run at its fixed
                met = flags[3, 0, :nb]           # point is left as it is by another pass
                _linkage_met_row(lo, nb, I, P, links, insisted, agreed, agreed_before, met)
                for i in range(I):
                    tr, un = flags[0, i, :nb], unanimous[i, :nb]
                    for b in range(nb):
                        tr[b] = un[b] & met[b]
                if package:
                    _whole_rows(0, nb, I, flags[0], open_[:, lo:], flags[2, 0, :nb])
                changed = False
                for i in range(I):
                    tr, ag = flags[0, i, :nb], agreed[i, lo:hi]
                    for b in range(nb):
                        changed = changed | (tr[b] != ag[b])
                        ag[b] = tr[b]
                if not changed:
                    break
        for j in range(P):                       # talks._linkage_met, per participant
            met = linked[0, j, lo:hi]
            _linkage_met_row(lo, nb, I, 1, links[j:j + 1], insisted[j:j + 1], agreed,
                             agreed_before, met)
            for i in range(1, I):
                row = linked[i, j, lo:hi]
                for b in range(nb):
                    row[b] = met[b]
        for j in range(P):                       # talks._remember_offer
            a = who[j]
            if a == p:
                continue
            for i in range(I):
                pv, la, ui = prev[i, a, lo:hi], last[i, a, lo:hi], u[i, j, lo:hi]
                for b in range(nb):
                    pv[b] = la[b]
                    la[b] = ui[b]
        # -- deadlock.observe
        for b in range(nb):
            r = lo + b
            declared[r] = False
            ended_now[r] = False
            if dl_mode == 2:
                _deadlock(r, I, P, q, who, codes, span, dl_rounds, has_before, has_prev,
                          offer, before_offer, open_, agreed, thr, prev_thr, asp, idle, res,
                          opening, still, breaks, ended, declared, broke, ended_now,
                          asp_before)


# -- runs.csv text (armsim.runs_file.csv_bytes) -------------------------------------------
#
# "%.17g" % value, byte for byte, without Python's per-value formatting: a float64
# a = m * 2**e (m < 2**53) is scaled to the 17-digit integer Q = a * 10**(16 - X) exactly,
# in 128-bit integer arithmetic (two uint64 halves), and rounded half to even as C's
# printf rounds the exact binary value. Exact for 1e-10 <= |a| < 2**64 (then 10**(16 - X)
# is 5**p * 2**p with 5**p < 2**63, or a divisor of at most 10**4): a row with a float
# outside that range (besides 0, infinities and NaN) is left to Python's formatting.

_U = np.uint64
_M32 = _U(0xFFFFFFFF)
_POW5 = np.array([5 ** p for p in range(28)], dtype=np.uint64)
_POW10 = np.array([10 ** p for p in range(20)], dtype=np.uint64)
_FAST_LOW, _FAST_HIGH = 1e-10, 18446744073709551616.0
_TRUE = np.frombuffer(b"True", dtype=np.uint8).copy()
_FALSE = np.frombuffer(b"False", dtype=np.uint8).copy()
_INF = np.frombuffer(b"inf", dtype=np.uint8).copy()
(_CHAR_0, _CHAR_MINUS, _CHAR_PLUS, _CHAR_DOT, _CHAR_E, _CHAR_COMMA,
 _CHAR_NL) = (ord(c) for c in "0-+.e,\n")


@njit(**SMALL)
def _mul64(a, b):
    """a * b (uint64) as (high, low) uint64 halves."""
    a_lo, a_hi, b_lo, b_hi = a & _M32, a >> _U(32), b & _M32, b >> _U(32)
    p0, p1, p2, p3 = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi
    mid = (p0 >> _U(32)) + (p1 & _M32) + (p2 & _M32)
    return p3 + (p1 >> _U(32)) + (p2 >> _U(32)) + (mid >> _U(32)), \
        (p0 & _M32) | (mid << _U(32))


@njit(**SMALL)
def _scaled(m, e, p):
    """floor(m * 2**e * 10**p) (m uint64 < 2**53, -4 <= p <= 27, in the fast range) and
    whether rounding half to even takes it one up."""
    if p >= 0:
        hi, lo = _mul64(m, _POW5[p])
        s = e + p
        if s >= 0:
            return lo << _U(s), False
        k = -s                                  # 1 <= k < 128: shift right by k bits
        if k >= 64:
            q = hi >> _U(k - 64)
            half = (hi >> _U(k - 65)) & _U(1) if k > 64 else lo >> _U(63)
            if k > 65:
                below = (hi & ((_U(1) << _U(k - 65)) - _U(1))) != 0 or lo != 0
            elif k == 65:
                below = lo != 0
            else:
                below = (lo & ((_U(1) << _U(63)) - _U(1))) != 0
        else:
            q = (lo >> _U(k)) | ((hi << _U(64 - k)) if k > 0 else _U(0))
            half = (lo >> _U(k - 1)) & _U(1)
            below = (lo & ((_U(1) << _U(k - 1)) - _U(1))) != 0 if k > 1 else False
        up = half != 0 and (below or (q & _U(1)) != 0)
        return q, up
    whole = m << _U(e)                          # e >= 4 here: a >= 2**53
    d = _POW10[-p]
    q, r = whole // d, whole % d
    twice = r + r
    return q, twice > d or (twice == d and (q & _U(1)) != 0)


@njit(**SMALL)
def _put(out, pos, chars):
    for i in range(chars.size):
        out[pos + i] = chars[i]
    return pos + chars.size


@njit(**SMALL)
def _put_padded(out, pos, u, width):
    """The last ``width`` decimal digits of u (uint64), leading zeros kept."""
    for i in range(width):
        out[pos + width - 1 - i] = _CHAR_0 + np.uint8(u % _U(10))
        u = u // _U(10)
    return pos + width


@njit(**SMALL)
def _put_uint(out, pos, u):
    """The decimal digits of u (uint64)."""
    width = 1
    while width < 20 and u >= _POW10[width]:
        width += 1
    return _put_padded(out, pos, u, width)


@njit(**SMALL)
def _put_int(out, pos, v):
    """"%d" % v for an int64."""
    if v < 0:
        out[pos] = _CHAR_MINUS
        return _put_uint(out, pos + 1, _U(-(v + 1)) + _U(1))
    return _put_uint(out, pos, _U(v))


@njit(**SMALL)
def _put_g17(out, pos, v):
    """"%.17g" % v, or -1 where v is outside the exact range; NaN writes nothing (an
    empty field, as pandas writes it)."""
    if v != v:
        return pos
    negative = v < 0.0 or (v == 0.0 and math.copysign(1.0, v) < 0.0)
    if negative:
        out[pos] = _CHAR_MINUS
        pos += 1
    a = abs(v)
    if a == 0.0:
        out[pos] = _CHAR_0
        return pos + 1
    if a == np.inf:
        return _put(out, pos, _INF)
    if not (_FAST_LOW <= a < _FAST_HIGH):
        return -1
    fraction, exponent = math.frexp(a)
    m = _U(fraction * 9007199254740992.0)       # a = m * 2**e exactly
    e = exponent - 53
    x = int(math.floor(math.log10(a)))
    while True:                                 # the estimate may be one off
        q, up = _scaled(m, e, 16 - x)
        if q < _POW10[16]:
            x -= 1
        elif q >= _POW10[17]:
            x += 1
        else:
            break
    if up:
        q += _U(1)
        if q == _POW10[17]:
            q, x = _POW10[16], x + 1
    digits = 17                                 # trailing zeros go (no '#' flag)
    while q % _U(10) == _U(0):
        q, digits = q // _U(10), digits - 1
    if -4 <= x < 17:                            # fixed notation
        if x < 0:
            out[pos], out[pos + 1] = _CHAR_0, _CHAR_DOT
            pos += 2
            for _ in range(-x - 1):
                out[pos] = _CHAR_0
                pos += 1
            return _put_uint(out, pos, q)
        if digits <= x + 1:                     # a whole number
            pos = _put_uint(out, pos, q)
            for _ in range(x + 1 - digits):
                out[pos] = _CHAR_0
                pos += 1
            return pos
        split = _POW10[digits - x - 1]
        pos = _put_uint(out, pos, q // split)
        out[pos] = _CHAR_DOT                    # the fraction's leading zeros kept
        return _put_padded(out, pos + 1, q % split, digits - x - 1)
    lead = _POW10[digits - 1]                   # exponent notation: d.ddd e+XX
    pos = _put_uint(out, pos, q // lead)
    if digits > 1:
        out[pos] = _CHAR_DOT
        pos = _put_padded(out, pos + 1, q % lead, digits - 1)
    out[pos] = _CHAR_E
    out[pos + 1] = _CHAR_MINUS if x < 0 else _CHAR_PLUS
    pos += 2
    if abs(x) < 10:
        out[pos] = _CHAR_0
        pos += 1
    return _put_uint(out, pos, _U(abs(x)))


#: the widest field: '-' and 17 digits, '.', 'e-', 3 exponent digits (24), or an int64 (20)
CSV_FIELD = 25
CSV_INT, CSV_FLOAT, CSV_BOOL = 0, 1, 2


@njit(nt.int64(_I1, _I1, _I2, _F2, _B2, _c(nt.uint8, 1), _I1, _B1), **JIT)
def csv_rows(kinds, index, ints, floats, bools, out, ends, slow):
    """The rows of a runs table as CSV text into ``out`` (at least rows * (columns *
    CSV_FIELD + 1) bytes): column c is ``ints``, ``floats`` or ``bools`` (each (columns
    of that kind, rows)) ``[index[c]]`` by ``kinds[c]``. ``ends[r]`` is where row r's
    text ends; a row with a float outside the exact range is left empty and marked in
    ``slow``. Returns the text's length."""
    pos = 0
    for r in range(ends.size):
        start = pos
        slow[r] = False
        for c in range(kinds.size):
            if c > 0:
                out[pos] = _CHAR_COMMA
                pos += 1
            kind, i = kinds[c], index[c]
            if kind == CSV_INT:
                pos = _put_int(out, pos, ints[i, r])
            elif kind == CSV_BOOL:
                pos = _put(out, pos, _TRUE if bools[i, r] else _FALSE)
            else:
                pos = _put_g17(out, pos, floats[i, r])
                if pos < 0:
                    slow[r] = True
                    pos = start
                    break
        if not slow[r]:
            out[pos] = _CHAR_NL
            pos += 1
        ends[r] = pos
    return pos
