"""The boss's view: one self-contained HTML page (inline SVG chart, no script, no CDN)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any

from pos_app.domain.money import format_yuan
from pos_app.hub.store import SHOP_TZ, HubStore, Till

STALE_AFTER = timedelta(minutes=10)
_CSS = """
body{font-family:"WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
.big{font-size:40px;font-weight:bold;color:#07a35a} .muted{color:#777}
table{border-collapse:collapse;min-width:360px;background:#fff}
td,th{border:1px solid #ddd;padding:4px 10px;text-align:left} td.n{text-align:right}
.warn{color:#b00020;font-weight:bold} .ok{color:#07a35a}
section{display:inline-block;vertical-align:top;margin-right:32px}
"""


def _yuan(fen: int) -> str:
    return "¥" + format_yuan(fen)


def hour_chart(by_hour: dict[int, int]) -> str:
    width, height, bar = 24 * 22, 160, 18
    top = max(by_hour.values(), default=0) or 1
    parts = [f'<svg id="by-hour" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height + 20}" role="img" aria-label="takings by hour">']
    for hour in range(24):
        amount = by_hour.get(hour, 0)
        h = round(height * amount / top)
        x = hour * 22 + 2
        parts.append(f'<rect class="bar" data-hour="{hour}" data-fen="{amount}" x="{x}" '
                     f'y="{height - h}" width="{bar}" height="{h}" fill="#07c160">'
                     f'<title>{hour:02d}:00 {_yuan(amount)}</title></rect>')
        if hour % 3 == 0:
            parts.append(f'<text x="{x}" y="{height + 15}" font-size="11">{hour:02d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _unsynced(tills: list[Till], now: datetime) -> list[tuple[Till, str]]:
    out = []
    for till in tills:
        if till.revoked:
            continue
        if till.last_seen_at is None:
            out.append((till, "never synced"))
        elif till.backlog > 0:
            out.append((till, f"{till.backlog} rows waiting"))
        elif now - datetime.fromisoformat(till.last_seen_at) > STALE_AFTER:
            out.append((till, f"last seen {till.last_seen_at}"))
    return out


def _table(head: list[str], rows: list[list[Any]], table_id: str) -> str:
    if not rows:
        return f'<p id="{table_id}" class="muted">—</p>'
    ths = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join(
        "<tr>" + "".join(
            f'<td class="n">{escape(str(c))}</td>' if i else f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f'<table id="{table_id}"><tr>{ths}</tr>{trs}</table>'


def render_boss(store: HubStore, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    day = now.astimezone(SHOP_TZ).date().isoformat()
    report = store.takings(day)
    tills = store.tills()
    unsynced = _unsynced(tills, now)
    _last, flags = store.flags_since(0)
    recs = store.reconciliations()
    unsynced_html = (
        _table(["Till", "State"], [[t.name, why] for t, why in unsynced], "unsynced")
        if unsynced else '<p id="unsynced" class="ok">All tills synced</p>'
    )
    flag_rows = [[f["kind"], f["out_trade_no"], _yuan(f["amount_fen"] or 0), f["detail"]]
                 for f in flags[-20:]]
    rec_rows = [[r["bill_date"], r["matched"], len(r["missing_locally"]),
                 len(r["missing_at_channel"]), len(r["amount_differs"])] for r in recs]
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Shop today · 今日营业</title>
<style>{_CSS}</style></head><body>
<h1>Today · 今日 {escape(day)}</h1>
<div class="big" id="takings">{_yuan(report["takings_fen"])}</div>
<div class="muted">{report["payments"]} payments · refunded {_yuan(report["refunded_fen"])}</div>
<h2>By hour · 按小时</h2>{hour_chart(report["by_hour"])}
<div>
<section><h2>By product · 按商品</h2>{_table(["Product", "Qty", "Amount"],
    [[p["name"], p["qty"], _yuan(p["amount_fen"])] for p in report["by_product"]], "by-product")}
</section>
<section><h2>By till · 按收银台</h2>{_table(["Till", "Payments", "Amount"],
    [[x["name"], x["payments"], _yuan(x["amount_fen"])] for x in report["by_till"]], "by-till")}
</section>
<section><h2>By cashier · 按收银员</h2>{_table(["Cashier", "Payments", "Amount"],
    [[x["cashier"], x["payments"], _yuan(x["amount_fen"])] for x in report["by_cashier"]],
    "by-cashier")}</section>
</div>
<h2>Unsynced tills · 未同步</h2>{unsynced_html}
<h2 class="{"warn" if flags else ""}">Late payments &amp; alerts · 异常</h2>
{_table(["Kind", "Trade no.", "Amount", "Detail"], flag_rows, "flags")}
<h2>Reconciliation · 对账</h2>
{_table(["Bill date", "Matched", "Missing here", "Missing at WeChat", "Amount differs"],
        rec_rows, "reconciliation")}
<p class="muted">Updated {escape(now.astimezone(SHOP_TZ).strftime("%H:%M:%S"))}</p>
</body></html>"""
