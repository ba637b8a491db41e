"""runs.csv's rows formatted by the compiled kernel (runs_file.csv_bytes) are Python's
``"%.17g" % value`` (and ``%d``, ``%s``) byte for byte: Python's own formatting is the
oracle, on the values where the kernel's 128-bit arithmetic is exercised hardest (ties
that round half to even, powers of ten and their neighbours, a carry that moves the
exponent, the ends of the exact range) and on random bit patterns; values outside its
exact range are handed to Python, row by row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsim.core import compiled
from armsim.runs_file import csv_bytes, csv_text

pytestmark = pytest.mark.skipif(not compiled.available(), reason="numba is not installed")


@pytest.fixture(autouse=True)
def kernel_formats_every_table(monkeypatch):
    monkeypatch.setattr("armsim.runs_file.COMPILED_FROM", 1)
    compiled.use("compiled")
    yield
    compiled.use(None)


def python_text(columns) -> bytes:
    head = ",".join(columns) + "\n"
    rows = zip(*(np.asarray(v).tolist() for v in columns.values()))
    fields = {"b": "%s", "i": "%d", "u": "%d", "f": "%.17g"}
    template = ",".join(fields[np.asarray(v).dtype.kind] for v in columns.values()) + "\n"
    return (head + "".join(template % row for row in rows)).replace(",nan", ",").encode()


def same(values) -> None:
    values = np.asarray(values, dtype=np.float64)
    columns = {"run": np.arange(values.size), "x": values, "minus": -values}
    assert csv_bytes(columns) == python_text(columns)


def test_ties_round_half_to_even():
    # 1234567890 + k/256 has 18 significant digits ending in 5 for odd k: the 17th digit
    # is kept when even, raised when odd ("1234567890.0039062", "...0117188")
    k = np.arange(1, 256, 2)
    same(1234567890 + k / 256)
    same(2 ** 40 + k / 64 + 0.5)          # 13 + 7 digits: ties on the 17th place
    assert "%.17g" % (1234567890 + 1 / 256) == "1234567890.0039062"
    assert csv_bytes({"run": np.arange(1), "x": np.array([1234567890 + 3 / 256])}) \
        == b"run,x\n0,1234567890.0117188\n"


def test_powers_of_ten_and_their_neighbours_across_the_range():
    p = 10.0 ** np.arange(-12, 22)
    same(np.concatenate([p, np.nextafter(p, 0), np.nextafter(p, np.inf),
                         np.nextafter(np.nextafter(p, 0), 0)]))


def test_a_carry_moves_the_exponent_and_the_notation():
    # 9.99999999999999999e-5 rounds to 1e-4 (fixed notation from -4 on); 99999999999999999
    # to 1e+17 (exponent notation from 17 digits on)
    same([9.99999999999999999e-5, 99999999999999999.0, 9.999999999999999e16,
          0.99999999999999999, 9.9999999999999999e-11, 1e-4, 1e-5, 1e16, 1e17])


def test_the_ends_of_the_exact_range_and_what_lies_beyond():
    same([1e-10, np.nextafter(1e-10, 0), 2.0 ** 64, np.nextafter(2.0 ** 64, 0),
          5e-324, 2.2250738585072014e-308, 1e-300, 1.7976931348623157e308, 1e300,
          0.0, -0.0, np.inf, -np.inf, np.nan])


def test_whole_numbers_fractions_and_exponents():
    same([1, 2, 10, 100, 123456, 0.5, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 123.456, 1.5e-5,
          3.0e-7, 12345678901234567.0, 1.2345e18, 4503599627370496.5, 7e15 + 0.25])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=40))
def test_any_float(values):
    same(values)


def test_random_bit_patterns_in_and_around_the_exact_range():
    rng = np.random.default_rng(2026)
    mantissa = rng.integers(0, 2 ** 52, 200_000, dtype=np.uint64)
    exponent = rng.integers(1023 - 40, 1023 + 70, 200_000).astype(np.uint64)  # 2^-40..2^70
    same((mantissa | (exponent << np.uint64(52))).view(np.float64))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-2 ** 63, 2 ** 63 - 1), st.booleans(),
                          st.floats(allow_nan=True)), min_size=1, max_size=30))
def test_integers_booleans_and_floats_in_one_table(rows):
    ints, flags, floats = (np.array(c) for c in zip(*rows))
    columns = {"run": np.arange(len(rows)), "n": ints.astype(np.int64), "ok": flags,
               "x": floats.astype(np.float64), "round": -ints.astype(np.int64) // 3}
    assert csv_bytes(columns) == python_text(columns)
    assert csv_bytes(columns, header=False) == csv_text(columns, header=False).encode()
