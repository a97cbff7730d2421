"""The Alipay simulator's trade book: 当面付 business rules over SQLite state.

State lives in ``<state_dir>/alipay_simulator.sqlite3`` (one JSON document per trade,
plus the payment codes already used), so trades survive a restart. Time-driven
transitions (the customer entering a password) are evaluated lazily against an
injectable clock. Every public method takes the parsed ``biz_content`` and returns a
:class:`Reply` (the ``*_response`` fields plus an optional delivery effect the server
applies: hold the answer, drop the connection, or spoil the signature).

Unkind on purpose, where the real gateway is: codes are single-use; a precreated QR has
no trade until scanned (query/close/cancel → ``ACQ.TRADE_NOT_EXIST``) and stays payable
until it expires, even after such a cancel; amounts must be yuan with exactly two
decimals; a partial refund without ``out_request_no`` is refused; a repeated
``out_request_no`` refunds once (``fund_change=N``); ``close`` of a paid or closed trade
is ``ACQ.TRADE_STATUS_ERROR``; a paid trade cannot be cancelled after 24 h; a refund
shows in ``fastpay.refund.query`` only ``refund_query_lag_s`` (default 10 s, "query ≥10 s
after refunding") after it was made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pos_app.alipay.amounts import MAX_FEN
from pos_app.simulator.alipay.scenarios import scenario_of

BEIJING = dt.timezone(dt.timedelta(hours=8))
CANCEL_WINDOW_S = 24 * 3600
QR_DEFAULT_TIMEOUT_S = 2 * 3600
_NO_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_YUAN_RE = re.compile(r"^(0|[1-9][0-9]{0,8})\.([0-9]{2})$")
_EXPRESS_RE = re.compile(r"^([1-9][0-9]{0,4})([mhd])$")

WAIT = "WAIT_BUYER_PAY"
SUCCESS = "TRADE_SUCCESS"
CLOSED = "TRADE_CLOSED"
PRECREATED = "PRECREATED"  # internal: QR issued, not scanned → no trade for the API


def beijing(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, tz=BEIJING).strftime("%Y-%m-%d %H:%M:%S")


#: 当面付 trades can be refunded for three calendar months, then they are TRADE_FINISHED.
REFUND_MONTHS = 3


def refund_deadline(paid_at: float) -> float:
    """The last moment a trade paid at ``paid_at`` accepts a refund (Beijing calendar)."""
    paid = dt.datetime.fromtimestamp(paid_at, tz=BEIJING)
    months = paid.month - 1 + REFUND_MONTHS
    year, month = paid.year + months // 12, months % 12 + 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return paid.replace(year=year, month=month, day=min(paid.day, last_day)).timestamp()


def fmt_fen(n: int) -> str:
    sign = "-" if n < 0 else ""
    return f"{sign}{abs(n) // 100}.{abs(n) % 100:02d}"


@dataclass
class Reply:
    fields: dict[str, Any]
    effect: str | None = None   # "timeout" | "drop" | "bad_signature"
    hold_s: float = 0.0


def ok(**fields: Any) -> Reply:
    return Reply({"code": "10000", "msg": "Success", **fields})


def fail(sub_code: str, sub_msg: str, *, code: str = "40004", msg: str = "Business Failed", **extra: Any) -> Reply:
    return Reply({"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, **extra})


def invalid(sub_msg: str) -> Reply:
    return fail("ACQ.INVALID_PARAMETER", sub_msg)


def _fen(text: object) -> int | None:
    if not isinstance(text, str):
        return None
    m = _YUAN_RE.match(text)
    if m is None:
        return None
    value = int(m.group(1)) * 100 + int(m.group(2))
    return value if 0 < value <= MAX_FEN else None


@dataclass
class RefundEntry:
    out_request_no: str
    amount_fen: int
    at: float
    reason: str = ""


@dataclass
class TradeDoc:
    out_trade_no: str
    trade_no: str
    kind: str                      # "bar_code" | "qr"
    total_fen: int
    subject: str
    status: str
    created: float
    scenario: str = "success"
    resolve_at: float | None = None
    resolve_to: str | None = None
    paid_at: float | None = None
    closed_at: float | None = None
    qr_code: str = ""
    qr_expires: float | None = None
    cancel_retries: int = 0
    cancel_action: str = ""
    buyer_user_id: str = ""
    buyer_logon_id: str = ""
    store_id: str = ""
    notify_url: str = ""           # the precreate's notify_url (异步通知 goes there once paid)
    refunds: list[RefundEntry] = field(default_factory=list)

    @property
    def refunded_fen(self) -> int:
        return sum(r.amount_fen for r in self.refunds)

    @staticmethod
    def from_json(text: str) -> TradeDoc:
        raw = json.loads(text)
        raw["refunds"] = [RefundEntry(**r) for r in raw.get("refunds", [])]
        return TradeDoc(**raw)


class AlipayEngine:
    """Thread-safe (and process-safe through SQLite) trade book for one app."""

    def __init__(
        self, state_dir: Path, *, seller_id: str, clock: Callable[[], float] | None = None,
        refund_query_lag_s: float = 10.0,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.seller_id = seller_id
        self.refund_query_lag_s = refund_query_lag_s
        self.clock = clock or time.time
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.state_dir / "alipay_simulator.sqlite3", check_same_thread=False, isolation_level=None, timeout=10
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS trades (out_trade_no TEXT PRIMARY KEY, qr_code TEXT, doc TEXT NOT NULL)"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS used_codes (auth_code TEXT PRIMARY KEY, at REAL NOT NULL)")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _load(self, out_trade_no: str) -> TradeDoc | None:
        row = self._db.execute("SELECT doc FROM trades WHERE out_trade_no = ?", (out_trade_no,)).fetchone()
        if row is None:
            return None
        doc = TradeDoc.from_json(row[0])
        self._settle(doc)
        return doc

    def _save(self, doc: TradeDoc) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO trades (out_trade_no, qr_code, doc) VALUES (?, ?, ?)",
            (doc.out_trade_no, doc.qr_code or None, json.dumps(asdict(doc), ensure_ascii=False)),
        )

    def _settle(self, doc: TradeDoc) -> None:
        """Apply a due time-driven transition (password entered / given up)."""
        if doc.status == WAIT and doc.resolve_at is not None and self.clock() >= doc.resolve_at:
            doc.status = doc.resolve_to or WAIT
            if doc.status == SUCCESS:
                doc.paid_at = doc.resolve_at
            elif doc.status == CLOSED:
                doc.closed_at = doc.resolve_at
            doc.resolve_at = doc.resolve_to = None

    def _new_trade_no(self) -> str:
        day = dt.datetime.fromtimestamp(self.clock(), tz=BEIJING).strftime("%Y%m%d")
        return day + "22001" + "".join(secrets.choice("0123456789") for _ in range(15))

    def _trade_fields(self, doc: TradeDoc) -> dict[str, Any]:
        paid = doc.paid_at is not None
        out: dict[str, Any] = {
            "trade_no": doc.trade_no,
            "out_trade_no": doc.out_trade_no,
            "buyer_logon_id": doc.buyer_logon_id,
            "total_amount": fmt_fen(doc.total_fen),
            "buyer_user_id": doc.buyer_user_id,
        }
        if paid:
            assert doc.paid_at is not None
            out.update({
                "receipt_amount": fmt_fen(doc.total_fen),
                "buyer_pay_amount": fmt_fen(doc.total_fen),
                "point_amount": "0.00",
                "invoice_amount": fmt_fen(doc.total_fen),
                "fund_bill_list": [{"fund_channel": "ALIPAYACCOUNT", "amount": fmt_fen(doc.total_fen)}],
            })
        return out

    # -- alipay.trade.pay ---------------------------------------------------------------

    def pay(self, biz: dict[str, Any]) -> Reply:
        out_trade_no, auth_code = biz.get("out_trade_no"), biz.get("auth_code")
        if not isinstance(out_trade_no, str) or not _NO_RE.match(out_trade_no):
            return invalid("out_trade_no 格式错误")
        if biz.get("scene") not in ("bar_code", "security_code"):
            return invalid("scene 不合法")
        total = _fen(biz.get("total_amount"))
        if total is None:
            return invalid("total_amount 格式错误（须为两位小数的元）")
        subject = biz.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            return fail("ACQ.INVALID_PARAMETER", "subject 不能为空")
        if not isinstance(auth_code, str):
            return fail("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款")
        with self._tx():
            existing = self._load(out_trade_no)
            if existing is not None:
                return self._repeat_pay(existing, total)
            scenario = scenario_of(auth_code)
            used = self._db.execute("SELECT 1 FROM used_codes WHERE auth_code = ?", (auth_code,)).fetchone()
            if scenario is None or used is not None or scenario.name == "auth_code_invalid":
                return fail("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款")
            now = self.clock()
            self._db.execute("INSERT INTO used_codes (auth_code, at) VALUES (?, ?)", (auth_code, now))
            doc = TradeDoc(
                out_trade_no=out_trade_no, trade_no=self._new_trade_no(), kind="bar_code",
                total_fen=total, subject=subject, status=SUCCESS, created=now, scenario=scenario.name,
                buyer_user_id="2088" + "".join(secrets.choice("0123456789") for _ in range(12)),
                buyer_logon_id="159****" + "".join(secrets.choice("0123456789") for _ in range(4)),
                store_id=str(biz.get("store_id") or ""),
            )
            name, pp = scenario.name, float(scenario.seconds)
            reply: Reply
            if name in ("success", "timeout_after_commit", "drop_after_commit", "bad_signature"):
                doc.paid_at = now
                reply = ok(**self._trade_fields(doc), gmt_payment=beijing(now))
                if name == "timeout_after_commit":
                    reply.effect, reply.hold_s = "timeout", pp
                elif name == "drop_after_commit":
                    reply.effect = "drop"
                elif name == "bad_signature":
                    reply.effect = "bad_signature"
            elif name in ("wait_then_success", "wait_then_fail", "wait_forever"):
                doc.status = WAIT
                if name != "wait_forever":
                    doc.resolve_at = now + pp
                    doc.resolve_to = SUCCESS if name == "wait_then_success" else CLOSED
                reply = Reply({"code": "10003", "msg": " order success pay inprocess", **self._trade_fields(doc)})
            elif name in ("insufficient_balance", "payment_fail", "trade_closed"):
                doc.status, doc.closed_at = CLOSED, now
                sub = {
                    "insufficient_balance": ("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"),
                    "payment_fail": ("ACQ.PAYMENT_FAIL", "支付失败"),
                    "trade_closed": ("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
                }[name]
                reply = fail(*sub, out_trade_no=out_trade_no)
            elif name == "unavailable_but_charged":
                doc.paid_at = now
                reply = fail("isp.unknow-error", "系统繁忙", code="20000", msg="Service Currently Unavailable")
            elif name == "system_error_not_charged":
                doc.status = WAIT
                reply = fail("ACQ.SYSTEM_ERROR", "系统错误")
            elif name == "cancel_retry_once":
                doc.paid_at = now
                doc.cancel_retries = 1
                reply = fail("ACQ.SYSTEM_ERROR", "系统错误")
            else:  # pragma: no cover - every scenario is handled above
                raise AssertionError(name)
            self._save(doc)
            return reply

    def _repeat_pay(self, doc: TradeDoc, total: int) -> Reply:
        if doc.total_fen != total:
            return fail("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
        if doc.status == SUCCESS:
            return fail("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
        if doc.status == CLOSED:
            return fail("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
        if doc.status == PRECREATED or doc.kind != "bar_code":
            return fail("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
        return Reply({"code": "10003", "msg": " order success pay inprocess", **self._trade_fields(doc)})

    # -- alipay.trade.precreate + the customer's phone ----------------------------------

    def precreate(self, biz: dict[str, Any], *, notify_url: str = "") -> Reply:
        """``notify_url``: the request's common parameter (not in biz_content)."""
        out_trade_no = biz.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not _NO_RE.match(out_trade_no):
            return invalid("out_trade_no 格式错误")
        total = _fen(biz.get("total_amount"))
        if total is None:
            return invalid("total_amount 格式错误（须为两位小数的元）")
        subject = biz.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            return fail("ACQ.INVALID_PARAMETER", "subject 不能为空")
        timeout_s = float(QR_DEFAULT_TIMEOUT_S)
        express = biz.get("qr_code_timeout_express")
        if express is not None:
            m = _EXPRESS_RE.match(str(express))
            if m is None:
                return invalid("qr_code_timeout_express 格式错误")
            timeout_s = int(m.group(1)) * {"m": 60, "h": 3600, "d": 86400}[m.group(2)]
        with self._tx():
            doc = self._load(out_trade_no)
            now = self.clock()
            if doc is not None:
                if doc.total_fen != total or doc.kind != "qr":
                    return fail("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
                if doc.status == SUCCESS:
                    return fail("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
                if doc.status == CLOSED:
                    return fail("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
                return ok(out_trade_no=out_trade_no, qr_code=doc.qr_code)
            doc = TradeDoc(
                out_trade_no=out_trade_no, trade_no=self._new_trade_no(), kind="qr", total_fen=total,
                subject=subject, status=PRECREATED, created=now,
                qr_code="https://qr.alipay.com/bax" + secrets.token_hex(12), qr_expires=now + timeout_s,
                store_id=str(biz.get("store_id") or ""), notify_url=notify_url,
            )
            self._save(doc)
            return ok(out_trade_no=out_trade_no, qr_code=doc.qr_code)

    def customer_scan(self, *, qr_code: str | None = None, out_trade_no: str | None = None,
                      action: str = "pay", after_s: float = 0.0) -> TradeDoc:
        """Demo/test hook: the customer scans a QR and ``pay``s, or only ``scan``s (password
        pending; ``after_s`` > 0 pays that much later), or ``give_up``."""
        if action not in ("pay", "scan", "give_up"):
            raise ValueError("action must be pay, scan or give_up")
        with self._tx():
            if qr_code:
                row = self._db.execute("SELECT out_trade_no FROM trades WHERE qr_code = ?", (qr_code,)).fetchone()
                out_trade_no = row[0] if row else None
            doc = self._load(out_trade_no) if out_trade_no else None
            if doc is None or doc.kind != "qr":
                raise LookupError("no such QR code")
            now = self.clock()
            if doc.status == PRECREATED:
                if doc.qr_expires is not None and now > doc.qr_expires:
                    raise LookupError("二维码已过期")
                doc.status = WAIT
                doc.buyer_user_id = "2088" + "".join(secrets.choice("0123456789") for _ in range(12))
                doc.buyer_logon_id = "138****" + "".join(secrets.choice("0123456789") for _ in range(4))
            if doc.status != WAIT:
                raise LookupError(f"trade is {doc.status}")
            if action == "pay" and after_s <= 0:
                doc.status, doc.paid_at = SUCCESS, now
            elif action == "pay":
                doc.resolve_at, doc.resolve_to = now + after_s, SUCCESS
            elif action == "give_up":
                doc.status, doc.closed_at = CLOSED, now
            self._save(doc)
            return doc

    # -- query / cancel / close -----------------------------------------------------------

    def _target(self, biz: dict[str, Any]) -> TradeDoc | None:
        out_trade_no, trade_no = biz.get("out_trade_no"), biz.get("trade_no")
        doc = None
        if isinstance(trade_no, str) and trade_no:
            if not trade_no.isascii() or not trade_no.isdigit():
                return None
            row = self._db.execute("SELECT doc FROM trades WHERE doc LIKE ?", (f'%"trade_no": "{trade_no}"%',)).fetchone()
            doc = TradeDoc.from_json(row[0]) if row else None
            if doc is not None and doc.trade_no == trade_no:
                self._settle(doc)
            else:
                doc = None
        elif isinstance(out_trade_no, str) and out_trade_no:
            doc = self._load(out_trade_no)
        if doc is None or doc.status == PRECREATED:
            return None
        return doc

    def query(self, biz: dict[str, Any]) -> Reply:
        if not biz.get("out_trade_no") and not biz.get("trade_no"):
            return invalid("out_trade_no 和 trade_no 不能同时为空")
        with self._tx():
            doc = self._target(biz)
            if doc is None:
                return fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
            self._save(doc)
            fields = self._trade_fields(doc)
            fields["trade_status"] = doc.status
            if doc.paid_at is not None:
                fields["send_pay_date"] = beijing(doc.paid_at)
            if doc.store_id:
                fields["store_id"] = doc.store_id
            return ok(**fields)

    def cancel(self, biz: dict[str, Any]) -> Reply:
        if not biz.get("out_trade_no") and not biz.get("trade_no"):
            return invalid("out_trade_no 和 trade_no 不能同时为空")
        with self._tx():
            doc = self._target(biz)
            if doc is None:
                return fail("ACQ.TRADE_NOT_EXIST", "交易不存在", retry_flag="N")
            now = self.clock()
            ids = {"trade_no": doc.trade_no, "out_trade_no": doc.out_trade_no}
            if doc.cancel_retries > 0:
                doc.cancel_retries -= 1
                self._save(doc)
                return fail("ACQ.SYSTEM_ERROR", "系统错误", retry_flag="Y", **ids)
            if doc.cancel_action:
                return ok(**ids, retry_flag="N", action=doc.cancel_action)
            if doc.status == SUCCESS and now - doc.created > CANCEL_WINDOW_S:
                return fail("ACQ.TRADE_STATUS_ERROR", "超过撤销时间范围，请使用退款", retry_flag="N", **ids)
            if doc.status == SUCCESS:
                remaining = doc.total_fen - doc.refunded_fen
                if remaining > 0:
                    doc.refunds.append(RefundEntry(doc.out_trade_no + "_cancel", remaining, now, "撤销"))
                doc.status, doc.closed_at, doc.cancel_action = CLOSED, now, "refund"
            elif doc.status == WAIT:
                doc.status, doc.closed_at, doc.cancel_action = CLOSED, now, "close"
                doc.resolve_at = doc.resolve_to = None
            else:
                doc.cancel_action = "refund" if doc.refunds else "close"
            self._save(doc)
            extra = {"gmt_refund_pay": beijing(now)} if doc.cancel_action == "refund" else {}
            return ok(**ids, retry_flag="N", action=doc.cancel_action, **extra)

    def close_trade(self, biz: dict[str, Any]) -> Reply:
        if not biz.get("out_trade_no") and not biz.get("trade_no"):
            return invalid("out_trade_no 和 trade_no 不能同时为空")
        with self._tx():
            doc = self._target(biz)
            if doc is None:
                return fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
            if doc.status != WAIT:
                return fail("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            doc.status, doc.closed_at = CLOSED, self.clock()
            doc.resolve_at = doc.resolve_to = None
            self._save(doc)
            return ok(trade_no=doc.trade_no, out_trade_no=doc.out_trade_no)

    # -- refunds ----------------------------------------------------------------------------

    def refund(self, biz: dict[str, Any]) -> Reply:
        amount = _fen(biz.get("refund_amount"))
        if amount is None:
            return invalid("refund_amount 格式错误（须为两位小数的元）")
        request_no = biz.get("out_request_no")
        if request_no is not None and (not isinstance(request_no, str) or not _NO_RE.match(request_no)):
            return invalid("out_request_no 格式错误")
        with self._tx():
            doc = self._target(biz)
            if doc is None:
                return fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
            key = request_no or doc.out_trade_no
            ids = {"trade_no": doc.trade_no, "out_trade_no": doc.out_trade_no, "buyer_logon_id": doc.buyer_logon_id}
            done = next((r for r in doc.refunds if r.out_request_no == key), None)
            if done is not None:
                if done.amount_fen != amount:
                    return fail("ACQ.CONTEXT_INCONSISTENT", "退款请求号对应的退款金额不一致")
                return ok(**ids, fund_change="N", refund_fee=fmt_fen(doc.refunded_fen),
                          gmt_refund_pay=beijing(done.at), out_request_no=key)
            if doc.paid_at is None or doc.status != SUCCESS:
                return fail("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            if self.clock() > refund_deadline(doc.paid_at):   # TRADE_FINISHED by now
                return fail("ACQ.TRADE_STATUS_ERROR", "交易已完结，不能退款")
            remaining = doc.total_fen - doc.refunded_fen
            if request_no is None and amount != doc.total_fen:
                return fail("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与交易金额不一致（部分退款须传 out_request_no）")
            if amount > remaining:
                return fail("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额超限")
            now = self.clock()
            doc.refunds.append(RefundEntry(key, amount, now, str(biz.get("refund_reason") or "")))
            if doc.refunded_fen == doc.total_fen:
                doc.status, doc.closed_at = CLOSED, now
            self._save(doc)
            return ok(**ids, fund_change="Y", refund_fee=fmt_fen(doc.refunded_fen),
                      gmt_refund_pay=beijing(now), out_request_no=key)

    def refund_query(self, biz: dict[str, Any]) -> Reply:
        request_no = biz.get("out_request_no")
        if not isinstance(request_no, str) or not request_no:
            return fail("ACQ.INVALID_PARAMETER", "out_request_no 不能为空")
        with self._tx():
            doc = self._target(biz)
            if doc is None:
                return fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
            ids = {"trade_no": doc.trade_no, "out_trade_no": doc.out_trade_no}
            done = next((r for r in doc.refunds if r.out_request_no == request_no), None)
            if done is None or self.clock() - done.at < self.refund_query_lag_s:
                return ok(**ids)  # not (yet) visible: the caller retries the refund, same out_request_no
            return ok(**ids, out_request_no=request_no, refund_status="REFUND_SUCCESS",
                      refund_amount=fmt_fen(done.amount_fen), total_amount=fmt_fen(doc.total_fen),
                      gmt_refund_pay=beijing(done.at))

    # -- bills, notifications, inspection ------------------------------------------------------

    def all_trades(self) -> list[TradeDoc]:
        with self._lock:
            rows = self._db.execute("SELECT doc FROM trades ORDER BY rowid").fetchall()
        docs = [TradeDoc.from_json(r[0]) for r in rows]
        for d in docs:
            self._settle(d)
        return docs

    def get(self, out_trade_no: str) -> TradeDoc | None:
        with self._lock:
            return self._load(out_trade_no)

    def clear(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM trades")
            db.execute("DELETE FROM used_codes")

    def bill_rows(self, day: dt.date) -> list[list[str]]:
        """Detail rows (25 columns) for trades paid and refunds made on ``day`` (Beijing)."""
        def on_day(ts: float | None) -> bool:
            return ts is not None and dt.datetime.fromtimestamp(ts, tz=BEIJING).date() == day

        rows: list[list[str]] = []
        for d in self.all_trades():
            if on_day(d.paid_at):
                assert d.paid_at is not None
                rows.append(self._bill_row(d, "交易", d.total_fen, "", d.created, d.paid_at))
            for r in d.refunds:
                if on_day(r.at):
                    rows.append(self._bill_row(d, "退款", -r.amount_fen, r.out_request_no, d.created, r.at))
        return rows

    def _bill_row(self, d: TradeDoc, kind: str, amount: int, request_no: str, created: float, done: float) -> list[str]:
        money = fmt_fen(amount)
        return [
            d.trade_no + "\t", d.out_trade_no + "\t", kind, d.subject, beijing(created), beijing(done),
            d.store_id, "", "", "", d.buyer_logon_id, money, money, "0.00", "0.00", "0.00", "0.00", "0.00", "",
            "0.00", "0.00", request_no + ("\t" if request_no else ""), "0.00", "0.00", "",
        ]

    def notification_fields(self, out_trade_no: str, app_id: str) -> dict[str, str]:
        """The trade_status_sync fields Alipay would POST for a paid trade (unsigned)."""
        doc = self.get(out_trade_no)
        if doc is None or doc.paid_at is None:
            raise LookupError("no paid trade with that out_trade_no")
        return self.paid_notification_fields(doc, app_id)

    def paid_notification_fields(self, doc: TradeDoc, app_id: str) -> dict[str, str]:
        """:meth:`notification_fields` of a trade in hand (its ``paid_at`` set)."""
        assert doc.paid_at is not None
        now = self.clock()
        money = fmt_fen(doc.total_fen)
        return {
            "notify_time": beijing(now), "notify_type": "trade_status_sync",
            "notify_id": "2026" + secrets.token_hex(15), "app_id": app_id, "auth_app_id": app_id,
            "charset": "utf-8", "version": "1.0", "sign_type": "RSA2",
            "trade_no": doc.trade_no, "out_trade_no": doc.out_trade_no, "buyer_id": doc.buyer_user_id,
            "seller_id": self.seller_id, "trade_status": doc.status if doc.status != CLOSED else SUCCESS,
            "total_amount": money, "receipt_amount": money, "invoice_amount": money,
            "buyer_pay_amount": money, "point_amount": "0.00", "subject": doc.subject,
            "gmt_create": beijing(doc.created), "gmt_payment": beijing(doc.paid_at),
            "fund_bill_list": json.dumps([{"amount": money, "fundChannel": "ALIPAYACCOUNT"}], separators=(",", ":")),
        }
