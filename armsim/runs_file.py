"""runs.csv and runs.parquet: one row per run, written part by part, read back.

The CSV text is the one pandas writes with ``to_csv(index=False, float_format="%.17g")``
(which armsim used before), byte for byte: a header line, then per row ``run``, the
outputs in their order, booleans as ``True``/``False``, integers in decimal, floats as
``"%.17g" % value`` (17 significant digits, so every float64 reads back exactly), NaN
as an empty field, each line ended by ``\\n``. :func:`csv_text` makes it with one
``%`` per row over a row template instead of pandas' per-value formatting (about 3x as
fast); :func:`csv_bytes` has the compiled kernel write the same bytes for large tables
(:func:`armsim.core.kernel.csv_rows`: ``%.17g`` worked out exactly in 128-bit integer
arithmetic, about 5x as fast again), which is how the processes running the chunks format
their rows.

:class:`RunsWriter` takes the rows a part (a chunk of runs) at a time and holds only
the part it is writing: its text goes to a temporary file, which is renamed to
``runs.csv`` (or ``runs.parquet``) when :meth:`RunsWriter.close` is called, as
:mod:`armsim.files` writes every file; a writer left unclosed (an error, Ctrl-C)
removes its temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from armsim.files import FILE_MODE, _fsync, _fsync_folder

FORMATS = ("csv", "parquet")
SUFFIX = {"csv": ".csv", "parquet": ".parquet"}
PART_ROWS = 16384        # rows formatted at a time when a whole table is written
TEXT_KEY = "runs.csv text"  # a part's rows as CSV text (armsim.batch.CSV_TEXT)


def _field(values: np.ndarray) -> str:
    if values.dtype == bool:
        return "%s"
    if values.dtype.kind in "iu":
        return "%d"
    if values.dtype.kind == "f":
        return "%.17g"
    raise TypeError(f"runs.csv holds booleans, integers and floats, not {values.dtype}")


#: from this many rows on, the compiled kernel formats the rows where it is wanted
#: (compiled.wanted) and loaded already: every process that ran a large batch
COMPILED_FROM = 256
#: ... and from this many rows on, loading it to format them (about half a second) pays
LOAD_FROM = 20_000


def csv_bytes(columns: Mapping[str, np.ndarray], header: bool = True) -> bytes:
    """:func:`csv_text` encoded in UTF-8; where the compiled kernel is wanted and loaded
    (or worth loading: :data:`COMPILED_FROM`, :data:`LOAD_FROM`), it writes the rows in
    the same bytes (about 5 times as fast), leaving to Python only the rows holding a
    float it does not format exactly (below 1e-10 or from 2**64 on, in magnitude)."""
    from armsim.core import compiled

    arrays = [np.asarray(v) for v in columns.values()]
    rows = len(arrays[0]) if arrays else 0
    if rows < COMPILED_FROM or not compiled.wanted(rows) or not (
            compiled.loaded() or rows >= LOAD_FROM or compiled.mode() == "compiled"):
        return csv_text(columns, header).encode("utf-8")
    for a in arrays:
        _field(a)                               # refuses what runs.csv cannot hold
    if arrays[0].dtype.kind == "f":
        raise ValueError("the first column of runs.csv is the run number, not a float")
    kernel = compiled.load()
    kinds = np.array([kernel.CSV_BOOL if a.dtype == bool else kernel.CSV_FLOAT
                      if a.dtype.kind == "f" else kernel.CSV_INT for a in arrays])
    index = np.zeros(len(arrays), dtype=np.int64)
    groups: dict[int, list[np.ndarray]] = {kernel.CSV_INT: [], kernel.CSV_FLOAT: [],
                                           kernel.CSV_BOOL: []}
    for c, (kind, a) in enumerate(zip(kinds, arrays)):
        index[c] = len(groups[kind])
        groups[kind].append(a)
    ints, floats, bools = ([np.asarray(a, dtype=dtype) for a in groups[kind]]
                           for kind, dtype in ((kernel.CSV_INT, np.int64),
                                               (kernel.CSV_FLOAT, np.float64),
                                               (kernel.CSV_BOOL, bool)))
    if any(a.dtype.kind == "u" and a.max(initial=0) > np.iinfo(np.int64).max
           for a in groups[kernel.CSV_INT]):
        return csv_text(columns, header).encode("utf-8")
    tables = [np.ascontiguousarray(np.stack(g) if g else np.zeros((0, rows), dtype=d))
              for g, d in ((ints, np.int64), (floats, np.float64), (bools, bool))]
    out = np.empty(rows * (len(arrays) * kernel.CSV_FIELD + 1), dtype=np.uint8)
    ends, slow = np.empty(rows, dtype=np.int64), np.empty(rows, dtype=bool)
    size = kernel.csv_rows(kinds.astype(np.int64), index, *tables, out, ends, slow)
    head = (",".join(columns) + "\n").encode("utf-8") if header else b""
    if not slow.any():
        return head + out[:size].tobytes()
    left = np.flatnonzero(slow)
    # Python writes the rows the kernel left; the whole table, where they are many
    texts = csv_text({k: a[left] for k, a in zip(columns, arrays)}, header=False) \
        if len(left) <= rows // 4 else None
    if texts is None:
        return csv_text(columns, header).encode("utf-8")
    parts, done = [head], 0
    for r, text in zip(left, texts.splitlines(keepends=True)):
        parts.append(out[done:ends[r]].tobytes())
        parts.append(text.encode("utf-8"))
        done = ends[r]
    parts.append(out[done:size].tobytes())
    return b"".join(parts)


def csv_text(columns: Mapping[str, np.ndarray], header: bool = True) -> str:
    """The CSV text of ``columns`` (each ``(rows,)``), as pandas' ``to_csv(index=False,
    float_format="%.17g")`` writes it (module doc)."""
    arrays = [np.asarray(v) for v in columns.values()]
    head = ",".join(columns) + "\n" if header else ""
    if not arrays or not len(arrays[0]):
        return head
    if _field(arrays[0]) == "%.17g":
        raise ValueError("the first column of runs.csv is the run number, not a float")
    template = ",".join(_field(a) for a in arrays) + "\n"
    body = "".join(map(template.__mod__, zip(*(a.tolist() for a in arrays))))
    # "%.17g" writes NaN as "nan"; pandas leaves the field empty. No other field holds
    # the letters ",nan" (numbers are digits, signs, ".", "e" and "inf"), and the first
    # field (the run number) is never NaN, so this replaces NaN fields and nothing else.
    return head + body.replace(",nan", ",")


class RunsWriter:
    """``runs.csv`` or ``runs.parquet`` in ``folder``, written part by part.

    ``write(part)`` appends the rows of ``part`` (``{column: (rows,)}``, the same
    columns in the same order every time) and keeps nothing of it; ``close()`` makes
    the file appear whole; ``abort()`` (or leaving a ``with`` block by an exception)
    removes what was written. Use as a context manager.
    """

    def __init__(self, folder: str | os.PathLike[str], format: str = "csv"):
        if format not in FORMATS:
            raise ValueError(f"format is one of {', '.join(FORMATS)}, not {format!r}")
        self.format = format
        self.path = Path(folder) / f"runs{SUFFIX[format]}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                    suffix=".tmp")
        os.close(fd)
        self.tmp = Path(name)
        self.rows = 0
        self._columns: list[str] | None = None
        self._handle: Any = None
        self._parquet: Any = None

    def write(self, part: Mapping[str, np.ndarray]) -> None:
        """Append a part's rows; a part that brings its rows' CSV text already formatted
        (under :data:`armsim.batch.CSV_TEXT`, where its chunk ran) has it written as it
        is."""
        text = part.get(TEXT_KEY) if self.format == "csv" else None
        part = {k: v for k, v in part.items() if k != TEXT_KEY}
        names = list(part)
        if self._columns is None:
            self._columns = names
        elif names != self._columns:
            raise ValueError("every part of runs.csv has the same columns in the same order")
        if self.format == "csv":
            if self._handle is None:
                self._handle = open(self.tmp, "w", encoding="utf-8", newline="")
            if text is None:
                self._handle.flush()
                self._handle.buffer.write(csv_bytes(part, header=self.rows == 0))
            else:
                if self.rows == 0:
                    self._handle.write(csv_text({k: v[:0] for k, v in part.items()}))
                self._handle.flush()
                self._handle.buffer.write(bytes(np.asarray(text).item()))
        else:
            self._write_parquet(part)
        self.rows += len(next(iter(part.values()))) if part else 0

    def _write_parquet(self, part: Mapping[str, np.ndarray]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({k: np.asarray(v) for k, v in part.items()})
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.tmp, table.schema)
        self._parquet.write_table(table)

    def close(self) -> Path:
        """Finish the file (a header only if no row was written) and rename it."""
        try:
            if self._columns is None and self.format == "csv":
                self._handle = open(self.tmp, "w", encoding="utf-8", newline="")
            elif self._columns is None:
                self._write_parquet({})
            for handle in (self._handle, self._parquet):
                if handle is not None:
                    handle.close()
            self._handle = self._parquet = None
            os.chmod(self.tmp, FILE_MODE)
            _fsync(self.tmp)
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise
        _fsync_folder(self.path.parent)
        return self.path

    def abort(self) -> None:
        for handle in (self._handle, self._parquet):
            if handle is not None:
                try:
                    handle.close()
                except Exception:
                    pass
        self._handle = self._parquet = None
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> "RunsWriter":
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if kind is not None:
            self.abort()


def write_runs(folder: str | os.PathLike[str], parts: Iterable[Mapping[str, np.ndarray]],
               format: str = "csv") -> Path:
    """Write ``parts`` (``{column: (rows,)}`` each) to ``folder/runs.csv`` or
    ``runs.parquet``, one part in memory at a time, atomically."""
    with RunsWriter(folder, format) as writer:
        for part in parts:
            writer.write(part)
        return writer.close()


def slices(columns: Mapping[str, np.ndarray], rows: int = PART_ROWS):
    """``columns`` as parts of at most ``rows`` rows (views, nothing copied)."""
    n = len(next(iter(columns.values()))) if columns else 0
    for lo in range(0, n, rows):
        yield {k: v[lo:lo + rows] for k, v in columns.items()}


def read_runs(path: str | os.PathLike[str]):
    """A ``pandas.DataFrame`` of ``runs.csv`` or ``runs.parquet``: ``path`` is the file,
    or a folder ``armsim run`` wrote (runs.parquet if there is one, else runs.csv)."""
    import pandas as pd

    path = Path(path)
    if path.is_dir():
        parquet = path / "runs.parquet"
        path = parquet if parquet.exists() else path / "runs.csv"
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)
