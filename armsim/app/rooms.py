"""The rooms of this server process, by code, and the janitor that tends them.

Codes are four characters without 0/O or 1/I (misread on a projector). The janitor
thread checks every half second each room's presence and turn timers
(:meth:`armsim.app.room.Room.check`), and closes rooms nobody has watched for long: a
class's after 12 hours, a run of one's own after 10 minutes.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time

from armsim.app.room import GRACE, Room
from armsim.app.settings import Settings

log = logging.getLogger(__name__)

#: characters of a room's code: no 0/O or 1/I to misread on a projector
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
IDLE = 12 * 3600.0                                          # a room nobody watches, closed


class Rooms:
    """The rooms of this process, by code."""

    def __init__(self) -> None:
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None

    def open(self, settings: Settings, shared: bool = True, grace: float = GRACE) -> Room:
        with self._lock:
            code = self._new_code()
            room = Room(code, secrets.token_urlsafe(9), settings, shared=shared, grace=grace)
            if not shared:
                room.started = True
            self._rooms[code] = room
            self._start_janitor()
            return room

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
            if code not in self._rooms:
                return code

    def get(self, code: str | None) -> Room | None:
        if not code:
            return None
        with self._lock:
            return self._rooms.get(code.strip().upper())

    def close(self, code: str) -> None:
        with self._lock:
            room = self._rooms.pop(code, None)
        if room is not None:
            room.pause()

    def __len__(self) -> int:
        return len(self._rooms)

    def _start_janitor(self) -> None:
        if self._janitor is None or not self._janitor.is_alive():
            self._janitor = threading.Thread(target=self._tend, daemon=True,
                                             name="armsim-janitor")
            self._janitor.start()

    def close_all(self) -> None:
        for code in list(self._rooms):
            self.close(code)

    def _tend(self) -> None:
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            with self._lock:
                rooms = list(self._rooms.values())
                if not rooms:                  # nothing to tend: the thread ends
                    self._janitor = None
                    return
            for room in rooms:
                try:
                    room.check(now)
                except Exception:          # one room's trouble must not stop the others'
                    log.exception("room %s: presence and timers could not be checked",
                                  room.code)
                if not room.listeners and now - room.touched > (IDLE if room.shared else 600):
                    self.close(room.code)


ROOMS = Rooms()
