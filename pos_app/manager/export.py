"""CSV export of manager data (shift reports, reconciliation results, refunds).

CSV text is produced as ``str``; :func:`write_csv` saves it as UTF-8 with a BOM so that
Excel on Chinese Windows opens it without mojibake. Messages are rendered by the caller's
``render(message, lang)`` (the core does not hold wording).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from pos_app.domain.money import format_yuan
from pos_app.domain.refund import Refund as RefundRecord
from pos_app.domain.text import Message
from pos_app.manager.reconcile import ReconcileReport
from pos_app.manager.reports import ShiftReport, report_csv

__all__ = ["reconcile_csv", "refunds_csv", "report_csv", "shift_report_csv", "write_csv"]


def shift_report_csv(report: ShiftReport) -> str:
    return report_csv(report)


def reconcile_csv(report: ReconcileReport, render: Callable[[Message, str], str]) -> str:
    """One row per mismatch, its message in Chinese and English (``render(message, lang)``
    with lang ``"zh_CN"`` / ``"en"``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["bill_date", "kind", "message_zh", "message_en", "out_trade_no",
                "out_refund_no", "transaction_id", "remote_yuan", "local_yuan", "detail", "channel"])
    for m in report.mismatches:
        w.writerow([report.bill_date, m.kind.value, render(m.message, "zh_CN"), render(m.message, "en"), m.out_trade_no,
                    m.out_refund_no, m.transaction_id,
                    "" if m.remote_amount is None else format_yuan(m.remote_amount),
                    "" if m.local_amount is None else format_yuan(m.local_amount), m.detail,
                    report.channel])
    return buf.getvalue()


def refunds_csv(refunds: Iterable[RefundRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["created_at", "out_refund_no", "out_trade_no", "method", "amount_yuan",
                "state", "reason", "requested_by", "approved_by", "wechat_refund_id", "channel"])
    for r in refunds:
        w.writerow([r.created_at.isoformat(), r.out_refund_no, r.out_trade_no, r.method.value,
                    format_yuan(r.amount), r.state.value, r.reason, r.requested_by,
                    r.approved_by, r.wechat_refund_id, r.channel])
    return buf.getvalue()


def write_csv(path: str | os.PathLike[str], text: str) -> Path:
    """Write atomically (temp file + rename) as UTF-8 with BOM."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8-sig", newline="")
    os.replace(tmp, target)
    return target
