"""The classroom web page: ``armsim app [FILE]`` (solara and Mesa's SolaraViz, offline).

- :mod:`armsim.app.controls`: the scenarios to choose from, the sliders, and the
  overrides they make (no solara);
- :mod:`armsim.app.play`: play a state, :class:`~armsim.app.play.HumanAgent`;
- :mod:`armsim.app.classroom`: :class:`~armsim.app.classroom.ClassroomModel`, the Mesa
  model of one run with its story and a student's seat;
- :mod:`armsim.app.figures`: tension, forces and the dance of the run so far (PNG);
- :mod:`armsim.app.components` and :mod:`armsim.app.page`: the page (solara);
- :mod:`armsim.app.serve`: the offline solara server behind ``armsim app``.

Nothing here is imported by ``import armsim``; solara loads only with the page.
"""
