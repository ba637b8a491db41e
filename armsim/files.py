"""Result files and folders: atomic writes, a folder lock, and checks made before a batch.

Every file armsim writes (runs.csv, summary.json, trajectories.nc, the figures, a
sweep's manifest, chunks and dataset) goes through :func:`atomic_write` or
:func:`atomic_write_with`: it is written to a temporary file in the same folder
(``.NAME.XXXXXXXX.tmp``), flushed to the disk (fsync), given mode 0644 (readable by
everyone, writable by its owner, whatever the umask or the library that wrote it), and
renamed over ``NAME``. A reader sees the old file or the new one, never half of one;
if writing fails (a full disk, Ctrl-C), the temporary file is removed.

A folder is written by one armsim process at a time: :class:`FolderLock` holds
``DIR/.lock`` (``fcntl.flock``) for ``armsim run`` and for sweeps alike.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FILE_MODE = 0o644
LOCK_NAME = ".lock"


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text as UTF-8) to ``path``, whole or not at all."""
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(payload)

    return atomic_write_with(path, write)


def atomic_write_with(path: str | os.PathLike[str], writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp)`` to write a temporary file in ``path``'s folder (netCDF,
    xarray's ``to_netcdf``, pandas' ``to_csv``...), then fsync it, give it mode 0644
    and rename it to ``path``. On any failure the temporary file is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        os.chmod(tmp, FILE_MODE)     # mkstemp makes owner-only files; results are shared
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a folder be fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


# -- checks before a batch ------------------------------------------------------------

class FolderError(ValueError):
    """A folder that results cannot be written to."""


def check_writable(folder: str | os.PathLike[str]) -> Path:
    """Create ``folder`` if needed and prove it writable by creating and removing a
    temporary file there (``os.access`` says yes for /proc and read-only mounts, and
    for root everywhere). Raises :class:`FolderError` saying why not."""
    folder = Path(folder)
    place = folder
    while not place.exists() and place != place.parent:
        place = place.parent
    if place.exists() and not place.is_dir():
        raise FolderError(f"{place} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(f"{place} is not writable: making {folder} fails with "
                          f"{exc.strerror or exc}") from None
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".armsim-probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise FolderError(f"{folder} is not writable: making a file there fails with "
                          f"{exc.strerror or exc}") from None
    return folder


def free_bytes(folder: str | os.PathLike[str]) -> int | None:
    """Bytes this user may still write on the file system of ``folder``."""
    try:
        stat = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    return stat.f_bavail * stat.f_frsize


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def megabytes(size: float) -> str:
    """``1.4 GB``, ``496 MB``: a size for a person (powers of 1000)."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{int(size)} bytes"


# -- one writer per folder -----------------------------------------------------------

# The lock files this process holds. A forked worker (a local process pool) gets a
# copy of each, and flock() keeps a folder locked while any copy is open: were the
# main process killed, its orphaned workers would keep the folder locked. A forked
# child closes its copies at once.
_HELD: set[Any] = set()


def _release_in_child() -> None:
    for handle in _HELD:
        handle.close()
    _HELD.clear()


os.register_at_fork(after_in_child=_release_in_child)


def busy_message(folder: str | os.PathLike[str]) -> str:
    """What a second writer into ``folder`` is told (by a sweep or ``armsim run``)."""
    return (f"another armsim command is writing to {folder} right now: wait for it to "
            "finish, or choose another --out")


class FolderBusy(FolderError):
    """Another armsim process holds the folder's lock."""


class FolderLock:
    """``DIR/.lock``, held (``fcntl.flock``) while this process writes into DIR.

    The lock goes with the process: released on :meth:`release`, at exit, or when the
    process is killed, even by ``kill -9``. ``remove=True`` deletes a lock file this
    lock created when it is released (``armsim run`` leaves no ``.lock`` behind).
    """

    def __init__(self, folder: str | os.PathLike[str], remove: bool = False):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.remove = remove
        self._handle: Any = None
        self._created = False

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self, busy: str) -> "FolderLock":
        """Take the lock, or raise :class:`FolderBusy` with the message ``busy``."""
        import fcntl

        created = not self.path.exists()
        try:
            handle = open(self.path, "a+")
        except OSError as exc:
            raise FolderError(f"cannot write to {self.folder} ({exc.strerror or exc})") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # a lock file removed (and perhaps made again) between open and flock
            # is no longer the folder's lock
            if os.fstat(handle.fileno()).st_ino != os.stat(self.path).st_ino:
                raise OSError(errno.EAGAIN, "lock file replaced")
        except OSError:
            handle.close()
            raise FolderBusy(busy) from None
        self._handle, self._created = handle, created
        _HELD.add(handle)
        return self

    def release(self, unlink: bool | None = None) -> None:
        if self._handle is None:
            return
        if (self.remove if unlink is None else unlink) and self._created:
            self.path.unlink(missing_ok=True)
        _HELD.discard(self._handle)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> "FolderLock":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()
