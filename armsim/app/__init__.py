"""The classroom page: ``armsim app [FILE]`` (solara, offline).

- :mod:`armsim.app.controls` and :mod:`armsim.app.settings`: the scenarios to choose
  from, the sliders, the overrides they make, and the address that carries them;
- :mod:`armsim.app.play`: a seat's turn and decision, :class:`~armsim.app.play.HumanAgent`;
- :mod:`armsim.app.classroom`: :class:`~armsim.app.classroom.ClassroomModel`, the Mesa
  model of one run with its story, its public record and seats for people
  (:mod:`armsim.app.seats`: what a seat's decision can change; :mod:`armsim.app.record`:
  the public record and the decision log);
- :mod:`armsim.app.room`: rooms, one run shared by a class (seats, presence, Play and
  Pause, the turn timer); :mod:`armsim.app.ensemble`: a setting run many times;
- :mod:`armsim.app.charts` and :mod:`armsim.app.figures`: the figures, drawn in the
  browser (ECharts) or as PNG; :mod:`armsim.app.views`: what the pages show of a room;
- :mod:`armsim.app.page` and its parts (:mod:`~armsim.app.components`,
  :mod:`~armsim.app.panel`, :mod:`~armsim.app.console`, :mod:`~armsim.app.student`,
  :mod:`~armsim.app.boxes`): the page (solara);
- :mod:`armsim.app.serve`: the offline solara server behind ``armsim app``.

Nothing here is imported by ``import armsim``; solara loads only with the page.
"""
