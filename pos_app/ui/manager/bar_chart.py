"""A bar chart drawn with QPainter: vertical bars (days, hours) or horizontal bars (top
sellers). Values are integers (fen); a negative value (a day of more refunds than
sales) is drawn below the zero line in another colour. ``bars`` holds the drawn
rectangles (for tests and tooltips)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

BAR = QColor("#07c160")        # WeChat green
NEGATIVE = QColor("#d9534f")
AXIS = QColor("#888888")
TEXT = QColor("#333333")


def nice_top(value: int) -> int:
    """The axis top: the smallest 1/2/5 × 10ⁿ at or above ``value`` (>= 1)."""
    value = max(1, value)
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.labels: list[str] = []
        self.values: list[int] = []
        self.value_text: Callable[[int], str] = str
        self.empty_text = ""
        self.bars: list[QRectF] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    def set_data(self, labels: Sequence[str], values: Sequence[int],
                 value_text: Callable[[int], str] = str, empty_text: str = "") -> None:
        self.labels, self.values = list(labels), [int(v) for v in values]
        self.value_text, self.empty_text = value_text, empty_text
        self.update()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        self.bars = []
        if not self.values or not any(self.values):
            p.setPen(AXIS)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            p.end()
            return
        if self.horizontal:
            self._paint_horizontal(p)
        else:
            self._paint_vertical(p)
        p.end()

    def _paint_vertical(self, p: QPainter) -> None:
        fm = QFontMetrics(self.font())
        top = nice_top(max(max(self.values), 0))
        bottom = nice_top(-min(self.values)) if min(self.values) < 0 else 0
        left = fm.horizontalAdvance(self.value_text(top)) + 12
        area = QRectF(left, fm.height() + 8, self.width() - left - 8,
                      self.height() - 2 * fm.height() - 20)
        span = top + bottom
        zero_y = area.top() + area.height() * top / span
        # grid: 0, half, top (and the bottom when negative)
        p.setPen(QPen(AXIS, 1, Qt.PenStyle.DotLine))
        for v in (top, top // 2, -bottom):
            y = area.top() + area.height() * (top - v) / span
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(TEXT)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       self.value_text(v))
            p.setPen(QPen(AXIS, 1, Qt.PenStyle.DotLine))
        p.setPen(QPen(AXIS, 1))
        p.drawLine(QPointF(area.left(), zero_y), QPointF(area.right(), zero_y))
        n = len(self.values)
        slot = area.width() / n
        width = max(1.0, slot * 0.7)
        every = max(1, int((fm.horizontalAdvance("00-00") + 8) // max(slot, 1)) + 1)
        for i, (label, v) in enumerate(zip(self.labels, self.values, strict=False)):
            x = area.left() + slot * i + (slot - width) / 2
            h = area.height() * abs(v) / span
            rect = QRectF(x, zero_y - h if v >= 0 else zero_y, width, h)
            self.bars.append(rect)
            p.fillRect(rect, BAR if v >= 0 else NEGATIVE)
            if i % every == 0:
                p.setPen(TEXT)
                p.drawText(QRectF(area.left() + slot * i - slot * (every - 1) / 2,
                                  area.bottom() + 4, slot * every, fm.height()),
                           int(Qt.AlignmentFlag.AlignHCenter), label)
        if n <= 16:  # room for the amounts over the bars
            p.setPen(TEXT)
            for rect, v in zip(self.bars, self.values, strict=False):
                if v:
                    y = rect.top() - fm.height() - 2 if v >= 0 else rect.bottom() + 2
                    p.drawText(QRectF(rect.center().x() - slot / 2, y, slot, fm.height()),
                               int(Qt.AlignmentFlag.AlignHCenter), self.value_text(v))

    def _paint_horizontal(self, p: QPainter) -> None:
        fm = QFontMetrics(self.font())
        n = len(self.values)
        label_w = min(self.width() * 0.4, max(fm.horizontalAdvance(t) for t in self.labels) + 12)
        value_w = max(fm.horizontalAdvance(self.value_text(v)) for v in self.values) + 12
        area = QRectF(label_w, 6, self.width() - label_w - value_w - 6, self.height() - 12)
        top = nice_top(max(max(self.values), 0))
        row = area.height() / n
        height = max(1.0, min(row * 0.7, fm.height() * 1.6))
        for i, (label, v) in enumerate(zip(self.labels, self.values, strict=False)):
            y = area.top() + row * i + (row - height) / 2
            w = area.width() * max(v, 0) / top
            rect = QRectF(area.left(), y, w, height)
            self.bars.append(rect)
            p.fillRect(rect, BAR if v >= 0 else NEGATIVE)
            p.setPen(TEXT)
            p.drawText(QRectF(0, y, label_w - 8, height),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8)))
            p.drawText(QRectF(rect.right() + 6, y, value_w, height),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       self.value_text(v))
        p.setPen(QPen(AXIS, 1))
        p.drawLine(QPointF(area.left(), area.top()), QPointF(area.left(), area.bottom()))

    def event(self, e: object) -> bool:
        if isinstance(e, QHelpEvent):
            for rect, label, v in zip(self.bars, self.labels, self.values, strict=False):
                hit = rect.adjusted(-2, -2000, 2, 2000) if not self.horizontal else \
                    rect.adjusted(-2000, -2, 2000, 2)
                if hit.contains(QPointF(e.pos())):
                    QToolTip.showText(e.globalPos(), f"{label}: {self.value_text(v)}", self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(e)  # type: ignore[arg-type]
