"""The boss's view: one self-contained HTML page (inline SVG chart, no script, no CDN).

Its wording (Chinese and English) lives in ``boss_text.json`` beside this module, the
language picked by ``?lang=`` or the browser's Accept-Language; the page is not a Qt view.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from pos_app.domain.clock import SHOP_TZ
from pos_app.domain.money import format_yuan
from pos_app.hub.store import HubStore, Till

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


LANGS = ("zh_CN", "en")
_TEXT: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).with_name("boss_text.json")).read_text(encoding="utf-8")
)


def pick_lang(query: str | None, accept_language: str) -> str:
    """``?lang=`` wins; else the first of Accept-Language that we have; else Chinese."""
    if query in LANGS:
        return query
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return "zh_CN"


def _unsynced(tills: list[Till], now: datetime, text: dict[str, str]) -> list[tuple[Till, str]]:
    out = []
    for till in tills:
        if till.revoked:
            continue
        if till.last_seen_at is None:
            out.append((till, text["never_synced"]))
        elif till.backlog > 0:
            out.append((till, text["rows_waiting"].format(n=till.backlog)))
        elif now - datetime.fromisoformat(till.last_seen_at) > STALE_AFTER:
            out.append((till, text["last_seen"].format(when=till.last_seen_at)))
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


def render_boss(store: HubStore, lang: str = "zh_CN", now: datetime | None = None) -> str:
    x = _TEXT[lang]
    now = now or datetime.now(UTC)
    day = now.astimezone(SHOP_TZ).date().isoformat()
    report = store.takings(day)
    tills = store.tills()
    names = {t.till_id: t.name for t in tills}
    unsynced = _unsynced(tills, now, x)
    _last, flags = store.flags_since(0)
    recs = store.reconciliations()
    unsynced_html = (
        _table([x["col_till"], x["col_state"]], [[t.name, why] for t, why in unsynced],
               "unsynced")
        if unsynced else f'<p id="unsynced" class="ok">{escape(x["all_synced"])}</p>'
    )
    flag_rows = [[x.get(f"flag_{f['kind']}", f["kind"]), f["out_trade_no"],
                  names.get(f["till_id"] or "", "—"), _yuan(f["amount_fen"] or 0)]
                 for f in flags[-20:]]
    rec_rows = [[r["bill_date"], r["matched"], len(r["missing_locally"]),
                 len(r["missing_at_channel"]), len(r["amount_differs"])] for r in recs]
    products = _table([x["col_product"], x["col_qty"], x["col_amount"]],
                      [[p["name"], p["qty"], _yuan(p["amount_fen"])] for p in report["by_product"]],
                      "by-product")
    by_till = _table([x["col_till"], x["col_payments"], x["col_amount"]],
                     [[t["name"], t["payments"], _yuan(t["amount_fen"])] for t in report["by_till"]],
                     "by-till")
    by_cashier = _table([x["col_cashier"], x["col_payments"], x["col_amount"]],
                        [[c["cashier"], c["payments"], _yuan(c["amount_fen"])]
                         for c in report["by_cashier"]], "by-cashier")
    alerts = _table([x["col_kind"], x["col_trade"], x["col_till"], x["col_amount"]], flag_rows,
                    "flags")
    reconciliation = _table([x["col_bill_date"], x["col_matched"], x["col_missing_here"],
                             x["col_missing_channel"], x["col_amount_differs"]], rec_rows,
                            "reconciliation")
    summary = x["summary"].format(payments=report["payments"],
                                  refunded=_yuan(report["refunded_fen"]))
    updated = x["updated"].format(time=now.astimezone(SHOP_TZ).strftime("%H:%M:%S"))
    html_lang = "zh-CN" if lang == "zh_CN" else "en"
    return f"""<!DOCTYPE html>
<html lang="{html_lang}"><head><meta charset="utf-8"><title>{escape(x["title"])}</title>
<style>{_CSS}</style></head><body>
<h1>{escape(x["today"].format(day=day))}</h1>
<div class="big" id="takings">{_yuan(report["takings_fen"])}</div>
<div class="muted">{escape(summary)}</div>
<h2>{escape(x["by_hour"])}</h2>{hour_chart(report["by_hour"])}
<div>
<section><h2>{escape(x["by_product"])}</h2>{products}</section>
<section><h2>{escape(x["by_till"])}</h2>{by_till}</section>
<section><h2>{escape(x["by_cashier"])}</h2>{by_cashier}</section>
</div>
<h2>{escape(x["unsynced"])}</h2>{unsynced_html}
<h2 class="{"warn" if flags else ""}">{escape(x["alerts"])}</h2>
{alerts}
<h2>{escape(x["reconciliation"])}</h2>
{reconciliation}
<p class="muted">{escape(updated)}</p>
</body></html>"""
