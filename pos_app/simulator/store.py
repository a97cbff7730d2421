"""The simulator engine's core: SQLite persistence, time-driven settling, views.

:class:`EngineCore` holds the state every resource module works on (one connection,
one lock, one transaction per public call); the resource modules (:mod:`.orders`,
:mod:`.codepay`, :mod:`.refunds`, :mod:`.bills`) each add the operations on one resource.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pos_app.simulator.faults import Faults
from pos_app.simulator.realism import Realism
from pos_app.simulator.records import (
    CST,
    OUT_TRADE_NO_RE,
    STATE_DESC,
    BillFile,
    Coupon,
    OrderRecord,
    OrderView,
    RefundRecord,
    RefundView,
    SimError,
    load_record,
    rand_alnum,
    rand_digits,
)


class EngineCore:
    """Persistence and shared rules; see :class:`pos_app.simulator.engine.Engine` for the API."""

    def __init__(
        self,
        state_dir: Path,
        *,
        clock: Callable[[], float] = time.time,
        refund_delay_s: float = 1.0,
        native_pay_after_s: float | None = None,
        realism: Realism | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.realism = realism or Realism()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.refund_delay_s = refund_delay_s
        self.native_pay_after_s = native_pay_after_s
        self.faults = Faults()
        self._lock = threading.RLock()
        self._bills: dict[str, BillFile] = {}
        self._behaviours: dict[str, tuple[str, float | None, Coupon | None]] = {}
        self._refund_behaviours: dict[str, tuple[str, float | None]] = {}
        self._refund_times: list[float] = []  # refund requests in the last second (rate limit)
        self._balance_used = 0  # fen refunded from Realism.merchant_balance_fen
        self._db = sqlite3.connect(
            self.state_dir / "simulator.sqlite3", check_same_thread=False, isolation_level=None, timeout=10
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS orders(
                mchid TEXT NOT NULL, out_trade_no TEXT NOT NULL, transaction_id TEXT NOT NULL DEFAULT '',
                code_url TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (mchid, out_trade_no));
            CREATE INDEX IF NOT EXISTS orders_txn ON orders(transaction_id);
            CREATE INDEX IF NOT EXISTS orders_code_url ON orders(code_url);
            CREATE TABLE IF NOT EXISTS refunds(
                mchid TEXT NOT NULL, out_refund_no TEXT NOT NULL, out_trade_no TEXT NOT NULL,
                created_at REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mchid, out_refund_no));
            CREATE TABLE IF NOT EXISTS auth_codes(code TEXT PRIMARY KEY, used_at REAL NOT NULL);
            """
        )


    # ------------------------------------------------------------------ plumbing
    def close_db(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def _get(self, mchid: str, out_trade_no: str) -> OrderRecord | None:
        row = self._db.execute(
            "SELECT data FROM orders WHERE mchid=? AND out_trade_no=?", (mchid, out_trade_no)
        ).fetchone()
        return load_record(OrderRecord, row[0]) if row else None

    def _get_by(self, column: str, value: str, mchid: str | None = None) -> OrderRecord | None:
        assert column in ("transaction_id", "code_url")
        if not value:
            return None
        sql = f"SELECT data FROM orders WHERE {column}=?"
        args: tuple[str, ...] = (value,)
        if mchid is not None:
            sql += " AND mchid=?"
            args += (mchid,)
        row = self._db.execute(sql, args).fetchone()
        return load_record(OrderRecord, row[0]) if row else None

    def _save(self, o: OrderRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO orders(mchid,out_trade_no,transaction_id,code_url,created_at,data) "
            "VALUES(?,?,?,?,?,?)",
            (o.mchid, o.out_trade_no, o.transaction_id, o.code_url, o.created_at,
             json.dumps(asdict(o), ensure_ascii=False)),
        )

    def _get_refund(self, mchid: str, out_refund_no: str) -> RefundRecord | None:
        row = self._db.execute(
            "SELECT data FROM refunds WHERE mchid=? AND out_refund_no=?", (mchid, out_refund_no)
        ).fetchone()
        return load_record(RefundRecord, row[0]) if row else None

    def _refunds_of(self, mchid: str, out_trade_no: str) -> list[RefundRecord]:
        rows = self._db.execute(
            "SELECT data FROM refunds WHERE mchid=? AND out_trade_no=? ORDER BY created_at", (mchid, out_trade_no)
        ).fetchall()
        return [load_record(RefundRecord, r[0]) for r in rows]

    def _save_refund(self, r: RefundRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO refunds(mchid,out_refund_no,out_trade_no,created_at,data) VALUES(?,?,?,?,?)",
            (r.mchid, r.out_refund_no, r.out_trade_no, r.created_at, json.dumps(asdict(r), ensure_ascii=False)),
        )

    def _new_transaction_id(self, now: float) -> str:
        return "4200" + rand_digits(4) + dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d") + rand_digits(12)

    def _mark_paid(self, o: OrderRecord, at: float) -> None:
        o.trade_state = "SUCCESS"
        o.trade_state_desc = STATE_DESC["SUCCESS"]
        o.success_at = at
        o.transaction_id = o.transaction_id or self._new_transaction_id(at)
        o.openid = o.openid or "oUpF8" + rand_alnum(23)
        o.bank_type = o.bank_type or "OTHERS"
        o.pending_state, o.pending_at = "", None
        if o.coupon_plan and not o.promotions:
            coupon = Coupon(**o.coupon_plan)
            if coupon.amount < o.total:  # a coupon never pays the whole order
                o.promotions = [coupon.promotion(rand_digits(10))]

    def _set_state(self, o: OrderRecord, state: str, desc: str | None = None) -> None:
        o.trade_state = state
        o.trade_state_desc = desc or STATE_DESC.get(state, state)

    def _settle(self, o: OrderRecord, now: float) -> bool:
        """Apply due time-driven transitions; True if the order changed."""
        changed = False
        if o.trade_state in ("NOTPAY", "USERPAYING") and o.pending_at is not None and now >= o.pending_at:
            expire = o.time_expire
            if expire is None or o.pending_at < expire or o.trade_type == "MICROPAY":
                if o.pending_state == "SUCCESS":
                    self._mark_paid(o, o.pending_at)
                else:
                    self._set_state(o, o.pending_state or "PAYERROR")
                    o.pending_state, o.pending_at = "", None
                changed = True
        if o.trade_state == "NOTPAY" and o.time_expire is not None and now >= o.time_expire:
            self._set_state(o, "CLOSED", "订单已关闭（超时未支付）")
            o.closed_at = o.time_expire
            o.pending_state, o.pending_at = "", None
            changed = True
        return changed

    def _settled(self, o: OrderRecord) -> OrderRecord:
        if self._settle(o, self.clock()):
            self._save(o)
        return o

    def _settle_refund(self, r: RefundRecord, now: float) -> RefundRecord:
        if r.status == "PROCESSING" and now >= r.complete_at:
            r.status = r.final_status or "SUCCESS"
            r.success_at = r.complete_at if r.status == "SUCCESS" else None
            self._save_refund(r)
        return r

    def _refunded(self, o: OrderRecord) -> int:
        return sum(r.refund for r in self._refunds_of(o.mchid, o.out_trade_no) if r.status in ("PROCESSING", "SUCCESS"))

    def _view(self, o: OrderRecord) -> OrderView:
        return OrderView(
            mchid=o.mchid, appid=o.appid, out_trade_no=o.out_trade_no, trade_type=o.trade_type,
            trade_state=o.trade_state, trade_state_desc=o.trade_state_desc or STATE_DESC.get(o.trade_state, ""),
            total=o.total, description=o.description, attach=o.attach, transaction_id=o.transaction_id,
            success_at=o.success_at, created_at=o.created_at, openid=o.openid, bank_type=o.bank_type,
            code_url=o.code_url, refunded=self._refunded(o), device_id=o.device_id,
            promotions=tuple(o.promotions),
        )

    @staticmethod
    def _rview(r: RefundRecord) -> RefundView:
        return RefundView(
            mchid=r.mchid, out_refund_no=r.out_refund_no, refund_id=r.refund_id, out_trade_no=r.out_trade_no,
            transaction_id=r.transaction_id, refund=r.refund, total=r.total, status=r.status,
            created_at=r.created_at, success_at=r.success_at, reason=r.reason,
            user_received_account=r.user_received_account,
        )

    def _validate_order(
        self, out_trade_no: str, description: str, total: object, *, max_description_bytes: int = 127
    ) -> None:
        """v3 ``description`` is string(127) and v2 ``body`` 128: WeChat counts UTF-8 bytes
        (``description_bytes``; 42 Chinese characters are 126 bytes, 43 are 129)."""
        if not OUT_TRADE_NO_RE.match(out_trade_no or ""):
            raise SimError("PARAM_ERROR", "out_trade_no 须为6-32位字母、数字、_-|*", field_name="/out_trade_no")
        size = len(description.encode("utf-8")) if self.realism.description_bytes else len(description)
        if not description or size > max_description_bytes:
            raise SimError("PARAM_ERROR", f"description 不能为空且不超过{max_description_bytes}字节",
                           field_name="/description")
        if isinstance(total, bool) or not isinstance(total, int) or total < 1:
            raise SimError("PARAM_ERROR", "amount.total 必须为正整数（分）", field_name="/amount/total")


    # ------------------------------------------------------------------ inspection / control
    def orders(self, mchid: str | None = None) -> list[OrderView]:
        with self._tx():
            sql, args = "SELECT data FROM orders", ()
            if mchid:
                sql, args = sql + " WHERE mchid=?", (mchid,)  # type: ignore[assignment]
            rows = self._db.execute(sql + " ORDER BY created_at", args).fetchall()
            return [self._view(self._settled(load_record(OrderRecord, r[0]))) for r in rows]

    def refunds(self, mchid: str | None = None) -> list[RefundView]:
        with self._tx():
            rows = self._db.execute("SELECT data FROM refunds ORDER BY created_at").fetchall()
            out = [self._rview(self._settle_refund(load_record(RefundRecord, r[0]), self.clock())) for r in rows]
        return [r for r in out if mchid is None or r.mchid == mchid]

    def inject(self, kind: str, **kwargs: Any) -> None:
        """Shortcut for ``self.faults.inject`` (see :mod:`pos_app.simulator.faults`)."""
        self.faults.inject(kind, **kwargs)

    def reset_faults(self) -> None:
        self.faults.reset()

    def clear(self) -> None:
        """Forget every order, refund and used auth code (faults untouched)."""
        with self._tx() as db:
            db.execute("DELETE FROM orders")
            db.execute("DELETE FROM refunds")
            db.execute("DELETE FROM auth_codes")
        with self._lock:
            self._bills.clear()
            self._behaviours.clear()
            self._refund_behaviours.clear()
            self._refund_times.clear()
            self._balance_used = 0

    def set_realism(self, realism: Realism) -> None:
        """Switch behaviours for what follows (see :mod:`pos_app.simulator.realism`)."""
        with self._lock:
            self.realism = realism
            self._balance_used = 0

