"""The on-disk store of a sweep: a folder that fills chunk by chunk and can resume.

::

    DIR/sweep.json          what is being computed (scenario hash, design, runs, seed,
                            chunking): --resume checks it before adding anything
    DIR/.lock               held while a sweep (or armsim run) writes into DIR
    DIR/chunks/000012.nc    the per-run outputs of chunk 12 (netCDF-4), written to a
                            temporary name and renamed, so a chunk is whole or absent;
                            marked with the sweep's fingerprint (of sweep.json)
    DIR/sweep.nc            the whole dataset, written once every chunk is there

A sweep killed at any moment leaves only whole chunks; resuming checks them (a damaged
or foreign one is computed again, with a warning), computes exactly the missing ones,
and the dataset assembled from the chunks is the one an uninterrupted sweep writes. A
write that fails (a full disk) is a :class:`StoreError` saying what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from armsim.files import (LOCK_NAME, FolderBusy, FolderError, FolderLock, atomic_write,
                          atomic_write_with, busy_message, free_bytes, is_full)

MANIFEST = "sweep.json"
DATASET = "sweep.nc"
CHUNKS = "chunks"
FULL_BELOW = 1 << 20    # a write that fails with less free space than this: the disk is full

class StoreError(ValueError):
    """A store folder that does not fit the sweep asked for, or cannot be written."""


class StoreWarning(UserWarning):
    """A stored chunk that could not be used (damaged, or another sweep's): it is
    computed again."""


class SweepStore:
    """The folder of one sweep (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)
        self._lock: Any = None
        self._created = False
        self._fingerprint: str | None = None

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    @property
    def dataset_path(self) -> Path:
        return self.folder / DATASET

    def chunk_path(self, index: int) -> Path:
        return self.folder / CHUNKS / f"{index:06d}.nc"

    def manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{self.manifest_path} cannot be read ({exc}); it is not an "
                             "armsim sweep folder: choose another --out") from None

    def open(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Start the store, or reopen it with ``resume``; returns the chunks done.

        The folder stays locked (``.lock``) until :meth:`close`: a second sweep into
        it is refused rather than left to compute the same chunks.
        """
        self._fingerprint = fingerprint(manifest)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot make the folder {self.folder} ({exc.strerror or exc}): "
                             "choose another --out") from None
        self._take_lock()
        try:
            old = self.manifest()
            if old is None and not (self.folder / CHUNKS).exists() and any(
                    p.name != LOCK_NAME for p in self.folder.iterdir()):
                self._lock.release(unlink=True)     # leave the folder as it was
                raise StoreError(f"{self.folder} is not empty and holds no sweep: "
                                 "choose a new folder for --out")
            (self.folder / CHUNKS).mkdir(exist_ok=True)
        except OSError as exc:
            self.close()
            raise StoreError(f"cannot make the folder {self.folder / CHUNKS} "
                             f"({exc.strerror or exc}): choose another --out") from None
        except BaseException:
            self.close()
            raise
        try:
            return self._start(manifest, resume, old)
        except BaseException:
            self.close(computed=False)     # a store it had just started is removed
            raise

    def _start(self, manifest: dict[str, Any], resume: bool, old: dict[str, Any] | None
               ) -> set[int]:
        if old is None:
            self._created = True
            atomic_write(self.manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
            return self.done()
        if not resume:
            raise StoreError(f"{self.folder} already holds a sweep: add --resume to finish it, "
                             "or choose a new folder for --out")
        differs = [k for k in sorted(set(manifest) | set(old))
                   if k not in _FREE and manifest.get(k) != old.get(k)]
        if differs:
            raise StoreError(f"{self.folder} holds a different sweep ({', '.join(differs)} "
                             "differ): resume it with the same scenario, --param, --design, "
                             "--n, --runs, --seed and --chunk, or choose a new folder for --out")
        for stale in (self.folder / CHUNKS).glob(".*.tmp"):   # a chunk cut off by a kill
            stale.unlink(missing_ok=True)
        return self.done()

    def _take_lock(self) -> None:
        try:
            self._lock = FolderLock(self.folder).acquire(busy_message(self.folder))
        except FolderBusy as exc:
            raise StoreError(str(exc)) from None
        except FolderError as exc:
            raise StoreError(f"{exc}: choose another --out") from None

    def close(self, computed: bool = True) -> None:
        """Release the folder; a store started by this sweep that got no chunk at all
        (the executor failed at once) is removed, so the same command can run again."""
        if self._created and not computed and not self.done():
            self.manifest_path.unlink(missing_ok=True)
            for leftover in (self.folder / CHUNKS).glob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            (self.folder / CHUNKS).rmdir()
            (self.folder / ".lock").unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def done(self) -> set[int]:
        """Indices of the chunks already on disk."""
        folder = self.folder / CHUNKS
        if not folder.exists():
            return set()
        return {int(p.stem) for p in folder.glob("*.nc") if p.stem.isdigit()}

    def write_chunk(self, index: int, start: int, stop: int,
                    outputs: dict[str, np.ndarray]) -> None:
        """Store one chunk's outputs ``(stop - start,)`` atomically, marked with the
        sweep's fingerprint (see :func:`fingerprint`)."""
        import xarray as xr

        attrs = {"start": start, "stop": stop, "sweep": self._fingerprint or ""}
        data = xr.Dataset({k: ("row", v) for k, v in outputs.items()}, attrs=attrs)
        try:
            _write_netcdf(data, self.chunk_path(index))
        except (OSError, RuntimeError) as exc:
            raise StoreError(self._cannot_write(f"chunk {index}", exc)) from None

    def _cannot_write(self, what: str, exc: BaseException) -> str:
        """What a failed write means and what to do (a full disk, most often)."""
        kept = len(self.done())
        stored = f"the {kept} chunk{'s' if kept != 1 else ''} stored so far are kept"
        free = free_bytes(self.folder)
        if is_full(exc) or (free is not None and free < FULL_BELOW):
            return (f"the disk holding {self.folder} is full: {what} could not be written; "
                    f"{stored}. Free some space, then run the same command with --resume")
        why = getattr(exc, "strerror", None) or str(exc)
        return (f"cannot write {what} to {self.folder} ({why}); {stored}: run the same command "
                "with --resume once the folder can be written again")

    def check_chunks(self, chunks: Sequence[tuple[int, int]]) -> tuple[set[int], list[str]]:
        """The stored chunks that belong to this sweep, whole, and what was wrong with
        the others: a damaged file (cut short, not netCDF) or one of another sweep
        (another seed, design, scenario...: another fingerprint) is removed, so that it
        is computed again, with a message saying so."""
        good, notes = set(), []
        for index in sorted(self.done()):
            why = self._chunk_problem(index, chunks)
            if why is None:
                good.add(index)
                continue
            self.chunk_path(index).unlink(missing_ok=True)
            notes.append(f"{self.chunk_path(index)} {why}: it is computed again")
        return good, notes

    def _chunk_problem(self, index: int, chunks: Sequence[tuple[int, int]]) -> str | None:
        import xarray as xr

        if index >= len(chunks):
            return "is not a chunk of this sweep (it has fewer chunks)"
        try:
            with xr.open_dataset(self.chunk_path(index), engine="netcdf4") as data:
                attrs, sizes = dict(data.attrs), dict(data.sizes)
        except Exception as exc:  # netCDF4/HDF5 raise OSError, RuntimeError, ValueError...
            return f"is damaged ({type(exc).__name__}: {exc})"
        if "sweep" not in attrs:
            return "carries no sweep fingerprint (an older armsim wrote it)"
        if attrs["sweep"] != self._fingerprint:
            return "belongs to another sweep (its fingerprint differs from sweep.json's)"
        start, stop = chunks[index]
        if (attrs.get("start"), attrs.get("stop")) != (start, stop) \
                or sizes.get("row", 0) != stop - start:
            return f"does not hold rows {start} to {stop - 1}"
        return None

    def read_chunk(self, index: int) -> dict[str, np.ndarray]:
        import xarray as xr

        try:
            with xr.open_dataset(self.chunk_path(index), engine="netcdf4") as data:
                return {k: data[k].values for k in data.data_vars}
        except Exception as exc:
            raise StoreError(f"{self.chunk_path(index)} cannot be read ({exc}): run the "
                             "same command with --resume to compute it again") from None

    def write_dataset(self, dataset: Any) -> Path:
        try:
            _write_netcdf(dataset, self.dataset_path)
        except (OSError, RuntimeError) as exc:
            raise StoreError(self._cannot_write(DATASET, exc)) from None
        return self.dataset_path


@contextmanager
def reporting(echo: Callable[[str], Any]) -> Iterator[None]:
    """Within this block, each :class:`StoreWarning` goes to ``echo`` as one line
    (``warning: ...``) as it happens; other warnings are shown as usual."""
    shown = warnings.showwarning

    def show(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
        if issubclass(category, StoreWarning):
            echo(f"warning: {message}")
        else:
            shown(message, category, *args, **kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("always", StoreWarning)
        warnings.showwarning = show
        yield


def fingerprint(manifest: dict[str, Any]) -> str:
    """SHA-256 of what a sweep computes (its manifest, less what may change between a
    sweep and its resumption): every chunk carries it, so that a chunk copied in from
    another sweep is never taken for one of this sweep's."""
    kept = {k: v for k, v in manifest.items() if k not in _FREE}
    text = json.dumps(kept, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# manifest entries that may change between a sweep and its resumption
_FREE = {"workers", "executor", "scenario_file"}


def _write_netcdf(data: Any, path: Path) -> None:
    atomic_write_with(path, lambda tmp: data.to_netcdf(tmp, engine="netcdf4"))
