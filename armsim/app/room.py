"""Rooms: one run shared by a class, each student at a state's seat from their own browser.

A :class:`Room` holds one :class:`~armsim.app.classroom.ClassroomModel` and everything
around it that several browsers share: who holds which seat (a state, or a team sharing
one), whether the run plays by itself, the turn timer, whether private information is
revealed, the latest ensemble. Every state at a table is a seat; a seat nobody holds is
played by its strategy.

Students are known by a per-browser token (solara's session cookie: a reload, or the
room's link opened again, finds the same seat). A student whose pages have all gone
(closed, or the network lost) for longer than ``grace`` seconds leaves the seat, and
the agent plays it; one who comes back takes it again if it is still free.

Everything changes under the room's lock, and each change bumps ``version`` and tells
the pages that listen (:meth:`Room.attach`), from one notifier thread, outside the
lock. Play runs a driver thread that plays a round every ``pace`` seconds while no turn
waits; Pause and Reset stop it before its next round (a generation count tells an old
driver it is no longer wanted), so neither ever plays one round more.

:data:`armsim.app.rooms.ROOMS` is the process's registry, whose janitor thread checks
presence, turn timers and idle rooms every half second; :mod:`armsim.app.notify` tells
the pages. No solara here: a page passes a ``probe`` that says whether it is still
connected.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from armsim.app import controls
from armsim.app.classroom import ClassroomModel
from armsim.app.notify import NOTIFIER
from armsim.app.play import Decision
from armsim.app.settings import Settings

log = logging.getLogger(__name__)

GRACE = float(os.environ.get("ARMSIM_APP_GRACE", "15"))   # seconds away before leaving
PACES = {"slow": 2.0, "steady": 0.8, "fast": 0.25, "fastest": 0.0}


@dataclass
class Holder:
    """A student at a seat: ``token`` (their browser), ``name`` as the class knows them."""

    token: str
    name: str
    seat: str
    away_since: float | None = None


@dataclass
class Listener:
    """A page watching a room: ``notify(version)`` after each change; ``probe()`` says
    whether the page is still connected; ``token`` whose browser it is; pages of a lower
    ``rank`` are told first (the teacher's 0, the projector's 1, the students' 2)."""

    token: str
    notify: Callable[[int], None]
    probe: Callable[[], bool]
    rank: int = 2


@dataclass
class Room:
    """One shared run (see the module's docstring)."""

    code: str
    teacher_key: str
    settings: Settings
    shared: bool = True
    grace: float = GRACE
    model: ClassroomModel = field(init=False)
    holders: dict[str, Holder] = field(default_factory=dict)
    started: bool = False
    playing: bool = False
    pace: float = PACES["steady"]
    timer: float = 0.0              # seconds a turn may wait before its strategy decides
    revealed: bool = False
    news: list[str] = field(default_factory=list)
    ensemble: Any = None            # (Ensemble A, Ensemble B or None), shown to every page
    ensemble_busy: str | None = None
    ensembles_run: int = 0          # how many ensembles finished (a page marks it)
    version: int = 0
    opened: dict[str, float] = field(default_factory=dict)   # when each waiting turn opened
    touched: float = field(default_factory=time.monotonic)
    seen_tokens: set[str] = field(default_factory=set)    # browsers that had a page here

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.wake = threading.Condition(self.lock)
        self.generation = 0
        self.listeners: dict[int, Listener] = {}
        self._ids = itertools.count()
        self._cache: dict[Any, tuple[int, Any]] = {}
        self.model = self._new_model()

    # --- the run ----------------------------------------------------------------------

    def _new_model(self) -> ClassroomModel:
        scenario = self.settings.loaded
        at_table = [a for a in scenario.actors if any(a in s.participants
                                                      for s in scenario.sessions)]
        held = [seat for seat in at_table if self.team(seat)]
        return ClassroomModel(**self.settings.model_kwargs(), seats=at_table,
                              away=set(at_table) - set(held),
                              players={seat: self.team_names(seat) for seat in held})

    def seats(self) -> list[str]:
        """Every state a student may take, in the scenario's order."""
        return list(self.model.seats)

    def start(self) -> None:
        """The class begins: turns open to the students, and the run plays by itself."""
        with self.lock:
            self.started = True
            self._say("The teacher started the run.")
            self._play()

    def play(self) -> None:
        with self.lock:
            self.started = True
            self._play()

    def _play(self) -> None:
        if self.playing or self.model.finished:
            self._changed()
            return
        self.playing = True
        self.generation += 1
        now = time.monotonic()                      # the turn timer ran not while paused
        self.opened = dict.fromkeys(self.model.turns, now)
        threading.Thread(target=self._drive, args=(self.generation,), daemon=True,
                         name=f"armsim-room-{self.code}").start()
        self._changed()

    def pause(self) -> None:
        """No round is played after this returns (a round being played finishes)."""
        with self.lock:
            self.playing = False
            self.generation += 1
            self.wake.notify_all()
            self._changed()

    def advance(self) -> str | None:
        """Play one round; returns why not, if it could not (a turn waits, the run is over)."""
        with self.lock:
            self.started = True
            model = self.model
            if model.finished:
                return "the run is over"
            if model.turns:
                return "waiting for " + ", ".join(self.seat_label(a) for a in model.turns)
            model.step()
            self._changed()
            return None

    def reset(self, settings: Settings | None = None) -> None:
        """A fresh run (with ``settings``, if given); students keep their seats."""
        with self.lock:
            self.playing = False
            self.generation += 1
            self.wake.notify_all()
            if settings is not None:
                self.settings = settings
            old = set(self.seats())
            scenario = self.settings.loaded
            for token, holder in list(self.holders.items()):
                if holder.seat not in scenario.actors:        # another scenario's states
                    del self.holders[token]
            self.model = self._new_model()
            self.revealed = False
            self.ensemble = None
            self.opened.clear()
            if set(self.seats()) != old:
                self._say("A new scenario: choose a seat again if yours is gone.")
            self._say("The teacher started the run afresh.")
            self._changed()

    def _drive(self, generation: int) -> None:
        """Play rounds while playing, this driver is the current one, and no turn waits."""
        while True:
            with self.lock:
                if generation != self.generation or not self.playing:
                    return
                model = self.model
                if model.finished:
                    self.playing = False
                    self._changed()
                    return
                if model.turns:
                    self.wake.wait(0.5)            # a decision, a pause or a timer wakes it
                    continue
                model.step()
                self._changed()
                self.wake.wait(max(self.pace, 0.02))
                # a change of pace or a pause while it waited is seen at the loop's top

    def set_pace(self, name: str) -> None:
        with self.lock:
            self.pace = PACES[name]
            self.wake.notify_all()
            self._changed()

    def set_timer(self, seconds: float) -> None:
        with self.lock:
            self.timer = float(seconds)
            now = time.monotonic()
            self.opened = dict.fromkeys(self.model.turns, now)
            self._changed()

    def open_to_class(self) -> None:
        """A run one person was playing becomes a class's: students may join it. A run
        not begun waits for the teacher's Start."""
        with self.lock:
            self.shared = True
            self.started = self.model.round > 0
            self._say("The run is open to the class.")
            self._changed()

    def reveal(self, on: bool = True) -> None:
        with self.lock:
            self.revealed = on
            self._say("The teacher revealed every seat's private information." if on
                      else "Private information is hidden again.")
            self._changed()

    def run_ensemble(self, a: Settings, b: Settings | None, runs: int) -> None:
        """Run ``a`` (and ``b``) ``runs`` times in a thread; every page shows the result."""
        from armsim.app.ensemble import ensemble

        with self.lock:
            if self.ensemble_busy:
                return
            self.ensemble_busy = f"Running {runs:,} runs{' of each setting' if b else ''}..."
            self._changed()

        def work() -> None:
            result, problem = None, None
            try:
                result = (ensemble(a, runs), ensemble(b, runs) if b is not None else None)
            except Exception as exc:         # a setting the library refuses, say
                problem = f"The ensemble could not run: {exc}"
            with self.lock:
                self.ensemble_busy = None
                self.ensembles_run += 1
                if result is not None:
                    self.ensemble = result
                else:
                    self._say(problem)
                self._changed()

        threading.Thread(target=work, daemon=True, name=f"armsim-ensemble-{self.code}").start()

    # --- seats ------------------------------------------------------------------------

    def team(self, seat: str) -> list[Holder]:
        return [h for h in self.holders.values() if h.seat == seat]

    def team_names(self, seat: str) -> str:
        from armsim.narrative import listing

        return listing([h.name for h in self.team(seat)])

    def seat_label(self, seat: str) -> str:
        return controls.actor_label(self.model.armsim_scenario, seat)

    def holder(self, token: str) -> Holder | None:
        return self.holders.get(token)

    def join(self, token: str, name: str, seat: str) -> None:
        """``token``'s student takes ``seat`` (alone, or joining its team)."""
        with self.lock:
            if seat not in self.model.seats:
                raise ValueError(f"{seat!r} is not a seat of this room; seats: "
                                 f"{', '.join(self.model.seats)}")
            name = " ".join(name.split())[:40] or self._default_name()
            old = self.holders.get(token)
            if old is not None and old.seat != seat:
                self.leave(token, "changed seats")
            self.holders[token] = Holder(token, name, seat)
            self.model.take_seat(seat, self.team_names(seat))
            self._say(f"You play {self.seat_label(seat)}." if name == "you"
                      else f"{name} plays {self.seat_label(seat)}.")
            self._opened()
            self._changed()

    def _default_name(self) -> str:
        taken = {h.name for h in self.holders.values()}
        return next(f"Student {n}" for n in itertools.count(1) if f"Student {n}" not in taken)

    def leave(self, token: str, why: str = "left") -> None:
        """The student leaves the seat; the last to leave a seat hands it to the agent."""
        with self.lock:
            holder = self.holders.pop(token, None)
            if holder is None:
                return
            seat = holder.seat
            if self.team(seat):
                self.model.take_seat(seat, self.team_names(seat))
                self._say(f"{holder.name} {why}; {self.team_names(seat)} play "
                          f"{self.seat_label(seat)}.")
            else:
                self.model.hand_to_agent(seat, f"{holder.name} {why}")
                self._say(f"{holder.name} {why}: the agent plays {self.seat_label(seat)}.")
            self._opened()
            self.wake.notify_all()
            self._changed()

    def submit(self, token: str, decision: Decision) -> None:
        """The decision of ``token``'s seat for its waiting turn."""
        with self.lock:
            holder = self.holders.get(token)
            if holder is None:
                raise ValueError("you hold no seat in this room")
            if not self.started:
                raise ValueError("the teacher has not started the run yet")
            self.model.submit(decision, holder.seat, by=holder.name)
            self._opened()
            self.wake.notify_all()
            self._changed()

    # --- presence, timers (the janitor) ---------------------------------------------------

    def check(self, now: float) -> None:
        """Students away longer than ``grace`` leave; turns past the timer are decided by
        their strategies."""
        with self.lock:
            present = {ls.token for ls in self.listeners.values() if _alive(ls)}
            for token, holder in list(self.holders.items()):
                if token in present or token not in self.seen_tokens:
                    if holder.away_since is not None:
                        holder.away_since = None    # back (or never watched from a page)
                        self._changed()
                elif holder.away_since is None:
                    holder.away_since = now
                    self._changed()
                elif now - holder.away_since >= self.grace:
                    self.leave(token, "lost the connection")
            if self.timer and self.started and self.playing:
                for seat, since in list(self.opened.items()):
                    if seat in self.model.turns and now - since >= self.timer:
                        self.model.decide_for(seat, "the turn timer ran out")
                        self._say(f"Time ran out for {self.seat_label(seat)}: its strategy "
                                  "decided.")
                        self._opened()
                        self.wake.notify_all()
                        self._changed()

    def _opened(self) -> None:
        now = time.monotonic()
        self.opened = {s: self.opened.get(s, now) for s in self.model.turns}

    def time_left(self, seat: str) -> float | None:
        """Seconds before the turn timer decides ``seat``'s waiting turn (None: no timer)."""
        with self.lock:
            if not self.timer or seat not in self.opened:
                return None
            return max(0.0, self.timer - (time.monotonic() - self.opened[seat]))

    # --- pages ------------------------------------------------------------------------

    def attach(self, token: str, notify: Callable[[int], None],
               probe: Callable[[], bool] = lambda: True, rank: int = 2) -> Callable[[], None]:
        """A page listens (told in order of ``rank``); returns the function that
        detaches it."""
        with self.lock:
            key = next(self._ids)
            self.listeners[key] = Listener(token, notify, probe, rank)
            self.seen_tokens.add(token)
            self.touched = time.monotonic()

        def detach() -> None:
            with self.lock:
                self.listeners.pop(key, None)
                self.touched = time.monotonic()

        return detach

    def _changed(self) -> None:
        self.version += 1
        self.touched = time.monotonic()
        self._opened()
        NOTIFIER.mark(self)

    def _say(self, text: str) -> None:
        self.news = (self.news + [text])[-8:]

    def memo(self, key: Any, stamp: Any, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per ``stamp`` (what it depends on, e.g. the round)."""
        with self.lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == ("stamp", stamp):
                return hit[1]
            value = make()
            self._cache[key] = (("stamp", stamp), value)
            return value

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per version of the room (shared by its pages)."""
        with self.lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == self.version:
                return hit[1]
            value = make()
            self._cache[key] = (self.version, value)
            return value


def _alive(listener: Listener) -> bool:
    try:
        return bool(listener.probe())
    except Exception:          # a page torn down under the probe
        return False
