"""The QPainter bar chart: bar heights proportional to the values on a 1/2/5 axis, a
negative day (more refunds than sales) drawn below the zero line, horizontal bars for
top sellers, an empty range says so."""

from __future__ import annotations

import pytest

from pos_app.domain.money import format_yuan
from pos_app.ui.manager.bar_chart import BarChart, nice_top

pytestmark = pytest.mark.gui


def test_nice_top() -> None:
    assert [nice_top(v) for v in (0, 1, 3, 7, 10, 11, 199_999, 250_001)] == [
        1, 1, 5, 10, 10, 20, 200_000, 500_000]


def test_vertical_bars_are_proportional_and_negative_goes_below_zero(qtbot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.set_data(["a", "b", "c", "d"], [100_000, 50_000, 0, -20_000])
    chart.grab()                                   # paints
    a, b, c, d = chart.bars
    assert a.height() == pytest.approx(2 * b.height()) and c.height() == 0
    zero = a.bottom()
    assert b.bottom() == pytest.approx(zero) and d.top() == pytest.approx(zero)
    assert d.height() == pytest.approx(a.height() * 20_000 / 100_000)
    assert a.left() < b.left() < c.left() < d.left()


def test_horizontal_bars_and_empty(qtbot) -> None:
    chart = BarChart(horizontal=True)
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.set_data(["可乐", "面包"], [900, 300], format_yuan)
    chart.grab()
    cola, bread = chart.bars
    assert cola.width() == pytest.approx(3 * bread.width()) and cola.top() < bread.top()
    chart.set_data([], [], empty_text="none")
    chart.grab()
    assert chart.bars == []
