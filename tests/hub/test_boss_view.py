"""The boss's view in a real headless Chromium (Debian package), with a screenshot to look at.

``POS_HUB_SCREENSHOT_DIR=docs/screenshots`` keeps the screenshots (hub_boss_<backend>.png).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.clock import SHOP_TZ
from pos_app.hub.db import make_engine
from pos_app.hub.protocol import Batch
from pos_app.hub.reconcile import BillRow, reconcile
from pos_app.hub.store import HubStore
from tests.hub.proc import HubProcess
from tests.hub.rows import TillRows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("POS_REQUIRE_CHROMIUM") == "1":
            pytest.fail("POS_REQUIRE_CHROMIUM=1 but chromium is not installed")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return found


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90, check=True,
    )


def today_rows(till: str, hour: int, minute: int = 5) -> TillRows:
    now = datetime.now(UTC).astimezone(SHOP_TZ)
    return TillRows(till, now.replace(hour=hour, minute=minute, second=0,
                                      microsecond=0).isoformat())


@pytest.fixture
def shop(tmp_path: Path, db_url: str) -> Iterator[tuple[str, HubStore]]:
    hub = HubProcess(tmp_path / "hub", db_url, tls=False)
    url = hub.start()
    store = HubStore(make_engine(db_url))
    lane1, _ = store.enrol(store.create_enrol_code(), "Lane 1 · 一号台")
    lane2, _ = store.enrol(store.create_enrol_code(), "Lane 2 · 二号台")
    store.enrol(store.create_enrol_code(), "Back office")
    sales: dict[str, list[tuple[int, str, int, str, str]]] = {
        lane1: [(8, "O1", 350, "Water 矿泉水", "王芳"), (9, "O2", 1200, "Rice 大米", "王芳"),
                (12, "O3", 2599, "Oil 食用油", "李强"), (18, "O4", 800, "Bread 面包", "李强")],
        lane2: [(12, "O1", 450, "Water 矿泉水", "张伟"), (13, "O2", 3000, "Rice 大米", "张伟")],
    }
    for till, items in sales.items():
        rows = []
        seq = 0
        for hour, order, fen, name, cashier in items:
            maker = today_rows(till, hour)
            maker.seq = seq
            rows += maker.sale(order, fen, sku=name.split()[0], name=name, cashier=cashier)
            seq = maker.seq
        store.ingest(till, Batch(2 if till == lane2 else 0, tuple(rows)))
    late = today_rows(lane1, 19)
    late.seq = 20
    store.ingest(lane1, Batch(0, tuple(late.sale("O5", 990, order_status="cancelled",
                                                 attempt_state="closed"))))
    store.record_notification("n1", "TRANSACTION.SUCCESS", "NO5", 990, "SUCCESS")
    store.process_notifications()
    store.save_reconciliation("2026-12-01", reconcile(
        [BillRow("NO1", 350), BillRow("NX", 10)], store.paid_attempts()).to_json())
    try:
        yield url, store
    finally:
        hub.stop()
        store.engine.dispose()


def test_boss_view_in_chromium(chromium: str, shop: tuple[str, HubStore], tmp_path: Path) -> None:
    url, _store = shop
    dom = run_chromium(chromium, tmp_path / "p1", "--dump-dom", url + "/?lang=en").stdout
    assert 'id="takings">¥83.99<' in dom  # 3.50+12+25.99+8+4.50+30
    assert dom.count('class="bar"') == 24
    assert 'data-hour="12" data-fen="3049"' in dom
    assert "Rice 大米" in dom and "¥42.00" in dom  # by product: 12 + 30
    assert "Lane 2 · 二号台" in dom and "2 rows waiting" in dom and "never synced" in dom
    assert "Paid after the till closed the order" in dom and "NO5" in dom
    assert "2026-12-01" in dom  # the reconciliation run
    zh = run_chromium(chromium, tmp_path / "p2", "--accept-lang=zh-CN", "--dump-dom",
                      url + "/").stdout
    assert "今日" in zh and "2 条待同步" in zh and "收银台关单后才付款" in zh
    keep = os.environ.get("POS_HUB_SCREENSHOT_DIR")
    for lang in ("zh_CN", "en"):
        shot = tmp_path / f"boss_{lang}.png"
        run_chromium(chromium, tmp_path / f"s_{lang}", "--hide-scrollbars",
                     "--window-size=1200,1160", f"--screenshot={shot}", f"{url}/?lang={lang}")
        assert shot.stat().st_size > 20_000
        if keep:
            shutil.copy(shot, Path(keep) / f"hub_boss_{lang}.png")
