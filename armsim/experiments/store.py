"""The on-disk store of a sweep: a folder that fills chunk by chunk and can resume.

::

    DIR/sweep.json          what is being computed (scenario hash, design, runs, seed,
                            chunking): --resume checks it before adding anything
    DIR/chunks/000012.nc    the per-run outputs of chunk 12 (netCDF-4), written to a
                            temporary name and renamed, so a chunk is whole or absent
    DIR/sweep.nc            the whole dataset, written once every chunk is there

A sweep killed at any moment leaves only whole chunks; resuming computes exactly
the missing ones, and the dataset assembled from the chunks is the one an
uninterrupted sweep writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

MANIFEST = "sweep.json"
DATASET = "sweep.nc"
CHUNKS = "chunks"

# The lock files this process holds. A forked worker (a local process pool) gets a
# copy of each, and flock() keeps a folder locked while any copy is open: were the
# sweep's process killed, its orphaned workers would keep the folder locked and a
# --resume would be refused. A forked child closes its copies at once.
_HELD: set[Any] = set()


def _release_in_child() -> None:
    for handle in _HELD:
        handle.close()
    _HELD.clear()


os.register_at_fork(after_in_child=_release_in_child)


class StoreError(ValueError):
    """A store folder that does not fit the sweep asked for."""


class SweepStore:
    """The folder of one sweep (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)
        self._lock: Any = None
        self._created = False

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
        old = self.manifest()
        if old is None and self.folder.exists() and any(self.folder.iterdir()) \
                and not (self.folder / CHUNKS).exists():
            raise StoreError(f"{self.folder} is not empty and holds no sweep: "
                             "choose a new folder for --out")
        try:
            (self.folder / CHUNKS).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot make the folder {self.folder} ({exc.strerror or exc}): "
                             "choose another --out") from None
        self._take_lock()
        try:
            return self._start(manifest, resume, old)
        except BaseException:
            self.close()
            raise

    def _start(self, manifest: dict[str, Any], resume: bool, old: dict[str, Any] | None
               ) -> set[int]:
        if old is None:
            self._created = True
            _atomic_text(self.manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
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
        import fcntl

        try:
            handle = open(self.folder / ".lock", "a+")
        except OSError as exc:
            raise StoreError(f"cannot write to {self.folder} ({exc.strerror or exc}): "
                             "choose another --out") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreError(f"another armsim sweep is writing to {self.folder} right now: "
                             "wait for it to finish, or choose another --out") from None
        self._lock = handle
        _HELD.add(handle)

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
            _HELD.discard(self._lock)
            self._lock.close()
            self._lock = None

    def done(self) -> set[int]:
        """Indices of the chunks already on disk."""
        folder = self.folder / CHUNKS
        if not folder.exists():
            return set()
        return {int(p.stem) for p in folder.glob("*.nc") if p.stem.isdigit()}

    def write_chunk(self, index: int, start: int, stop: int,
                    outputs: dict[str, np.ndarray]) -> None:
        """Store one chunk's outputs ``(stop - start,)`` atomically."""
        import xarray as xr

        data = xr.Dataset({k: ("row", v) for k, v in outputs.items()},
                          attrs={"start": start, "stop": stop})
        _atomic_dataset(data, self.chunk_path(index))

    def read_chunk(self, index: int) -> dict[str, np.ndarray]:
        import xarray as xr

        with xr.open_dataset(self.chunk_path(index), engine="netcdf4") as data:
            return {k: data[k].values for k in data.data_vars}

    def write_dataset(self, dataset: Any) -> Path:
        _atomic_dataset(dataset, self.dataset_path)
        return self.dataset_path


# manifest entries that may change between a sweep and its resumption
_FREE = {"workers", "executor", "scenario_file"}


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _atomic_dataset(data: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        data.to_netcdf(tmp, engine="netcdf4")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
