"""The house style's helpers: titles pinned where matplotlib would place them."""

from __future__ import annotations

import numpy as np
import pytest

from armsim.plot.style import classroom, new_figure, set_title


def _title_box(ymax: float, pinned: bool) -> tuple[np.ndarray, bool]:
    """The title's extent in pixels, drawn, and whether it was left to matplotlib."""
    with classroom():
        fig = new_figure(5, 4, constrained=False)
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [0, ymax / 2, ymax])
        ax.set_ylim(bottom=0)
        if pinned:
            set_title(ax, "a title long enough to reach the left of the panel, or nearly")
        else:
            ax.set_title("a title long enough to reach the left of the panel, or nearly")
        fig.canvas.draw()
        return np.asarray(ax.title.get_window_extent().bounds), ax._autotitlepos


@pytest.mark.parametrize("ymax", [0.01, 1.0, 140_000.0])
def test_a_pinned_title_is_where_matplotlib_places_it(ymax):
    pinned, automatic = _title_box(ymax, True), _title_box(ymax, False)
    np.testing.assert_allclose(pinned[0], automatic[0])
    assert pinned[1] is False and automatic[1] is True


def test_a_title_over_an_axis_with_an_offset_text_is_left_to_matplotlib():
    """Values of a million or more get a "1e6" above the y axis, which may push the
    title up: matplotlib keeps placing it."""
    box, automatic = _title_box(3e6, True)
    assert automatic is True
