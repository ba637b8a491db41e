"""Telling the pages of a room that it changed: one thread, outside the rooms' locks.

A room marks itself dirty after each change (:meth:`Notifier.mark`); the notifier thread
then calls each of its pages' listeners with the room's version, the teacher's page
first. Changes that come while it is busy are told once, at their latest version. The
thread ends after a quiet spell and starts again with the next change (a server forks no
worker while it is idle with threads about).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from armsim.app.room import Room

log = logging.getLogger(__name__)
IDLE = 2.0          # seconds without a change after which the thread ends


class Notifier:
    """One thread that tells the pages of changed rooms, outside the rooms' locks."""

    def __init__(self) -> None:
        self._dirty: dict[str, "Room"] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def mark(self, room: "Room") -> None:
        with self._cond:
            self._dirty[room.code] = room
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="armsim-notifier")
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._dirty:
                    self._cond.wait(IDLE)
                if not self._dirty:            # idle: the thread ends (mark starts another)
                    self._thread = None
                    return
                rooms = list(self._dirty.values())
                self._dirty.clear()
            for room in rooms:
                with room.lock:
                    version = room.version
                    listeners = sorted(room.listeners.values(), key=lambda ls: ls.rank)
                for listener in listeners:
                    try:
                        listener.notify(version)
                    except Exception:     # a closed page must not stop the others
                        log.exception("a page of room %s could not be told of a change",
                                      room.code)


NOTIFIER = Notifier()


NOTIFIER = Notifier()
