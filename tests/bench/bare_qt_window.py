"""The start-up yardstick: a bare PySide6 window (a table and a few buttons) that shows
itself, prints the same marks as ``pos-app --smoke-test`` with POS_APP_STARTUP_PROBE=1
and exits the same way. Run by ``bench_startup.py``; not part of the app."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)


def main() -> int:
    app = QApplication(sys.argv)
    win = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    table = QTableWidget(5, 4)
    layout.addWidget(table)
    row = QHBoxLayout()
    for name in ("F8 WeChat", "F9 Code", "F10 Cash", "F12 Clear"):
        row.addWidget(QPushButton(name))
    layout.addLayout(row)
    win.setCentralWidget(body)
    win.resize(1024, 768)
    win.show()

    def idle() -> None:
        now = time.time()
        cpu = time.process_time()
        print(f"POS_APP_FIRST_IDLE {now:.6f}\nPOS_APP_READY {now:.6f}\n"
              f"POS_APP_CPU_FIRST_IDLE {cpu:.6f}\nPOS_APP_CPU_READY {cpu:.6f}", flush=True)
        QTimer.singleShot(50, quit_now)

    def quit_now() -> None:
        print(f"POS_APP_QUIT {time.time():.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, idle)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
