"""Protocol-neutral WeChat Pay simulator state machine, persisted in SQLite.

One :class:`Engine` per process and state dir; every public method is thread-safe and
runs in one SQLite transaction, so several processes (``pos-app simulator`` restarts,
test workers) can share ``<state_dir>/simulator.sqlite3``. Time-driven transitions
(customer pays after N s, refund completes, ``time_expire``) are applied lazily when
an order is read, using the injectable ``clock`` (unix seconds), so tests need no sleeps.

Errors are raised as :class:`SimError` with a *neutral* code (v2-style spellings where
v2 and v3 differ: ``ORDERPAID``, ``ORDERCLOSED``, ``ORDERREVERSED``, ``NOTENOUGH``,
``SYSTEMERROR``, ``BANKERROR``; plus ``ORDER_NOT_EXIST``, ``RESOURCE_NOT_EXISTS``,
``INVALID_REQUEST``, ``PARAM_ERROR``, ``OUT_TRADE_NO_USED``, ``TRADE_ERROR``,
``NO_STATEMENT_EXIST``, ``USERPAYING``, ``REVERSE_EXPIRE``, ``AUTHCODEEXPIRE``,
``AUTH_CODE_INVALID``, ``NOTSUPORTCARD``). Each listener maps them to its protocol
(v3: ``server.V3_ERRORS``). Payment code and reverse return outcome objects instead of
raising for business results, so v3 (JSON) and v2 (XML) can render them alike.

Public API (used by ``server.py`` and helper C's ``v2.py``)::

    Engine(state_dir, *, clock=time.time, refund_delay_s=1.0, native_pay_after_s=None)
    .create_native(mchid, appid, out_trade_no, description, total, *, time_expire=None,
                   attach="", notify_url="", fingerprint_extra=None) -> code_url
    .pay(*, code_url=None, out_trade_no=None, mchid=None) -> OrderView      # the customer pays
    .set_native_behaviour(out_trade_no, *, pay_after_s=None, never=False, fail=False)
    .close(mchid, out_trade_no) -> None
    .query(mchid, *, out_trade_no=None, transaction_id=None) -> OrderView
    .codepay(mchid, appid, out_trade_no, description, total, auth_code, *, attach="",
             fingerprint_extra=None) -> CodepayOutcome
    .reverse(mchid, out_trade_no=None, *, transaction_id=None) -> ReverseOutcome
    .refund(mchid, out_refund_no, refund, total, *, out_trade_no=None, transaction_id=None,
            reason="") -> RefundView
    .query_refund(mchid, out_refund_no) -> RefundView
    .trade_bill(mchid, bill_date, bill_type="ALL") -> bytes   # CSV, UTF-8 with BOM
    .orders(mchid=None) -> list[OrderView]
    .faults (Faults) / .inject(kind, **kw) / .reset_faults()
    .clear()  # forget all orders/refunds/used codes
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from pos_app.domain.money import format_yuan
from pos_app.simulator.faults import Faults
from pos_app.simulator.scenarios import scenario_of

CST = dt.timezone(dt.timedelta(hours=8))
OUT_TRADE_NO_RE = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")
#: ``yyyy-MM-DDTHH:mm:ss[.frac]+08:00`` (or ``Z``); Python's fromisoformat alone accepts far more.
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?([+-]\d{2}:\d{2}|Z)$")
OUT_REFUND_NO_RE = re.compile(r"^[0-9A-Za-z_\-|*@]{1,64}$")
CODE_URL_PREFIX = "weixin://wxpay/bizpayurl?pr="
DEFAULT_EXPIRY_S = 7 * 86400
REVERSE_WINDOW_S = 7 * 86400
REFUND_WINDOW_S = 365 * 86400
MAX_REFUNDS = 50

STATE_DESC = {
    "SUCCESS": "支付成功",
    "REFUND": "转入退款",
    "NOTPAY": "未支付",
    "CLOSED": "已关闭",
    "REVOKED": "已撤销",
    "USERPAYING": "用户支付中，需要输入密码",
    "PAYERROR": "支付失败，请撤销订单",
}

ERROR_MESSAGES = {
    "SYSTEMERROR": "系统超时，请稍后重试",
    "BANKERROR": "银行系统异常",
    "USERPAYING": "用户支付中，需要输入密码",
    "AUTHCODEEXPIRE": "二维码已过期，请用户在微信上刷新后再试",
    "AUTH_CODE_INVALID": "101 付款码无效，请重新扫码",
    "NOTENOUGH": "余额不足",
    "NOTSUPORTCARD": "不支持卡类型",
    "TRADE_ERROR": "交易错误",
    "ORDERPAID": "订单已支付",
    "ORDERCLOSED": "订单已关闭",
    "ORDERREVERSED": "订单已撤销",
    "ORDER_NOT_EXIST": "订单不存在",
    "INVALID_REQUEST": "请求重入时，参数与首次请求时不一致",
    "REVERSE_EXPIRE": "订单已超过撤销期限，请使用退款",
}


class SimError(Exception):
    """A business/validation refusal with a neutral code (see module docstring)."""

    def __init__(self, code: str, message: str | None = None, *, field_name: str | None = None) -> None:
        self.code = code
        self.message = message or ERROR_MESSAGES.get(code, code)
        self.field_name = field_name
        super().__init__(f"{code}: {self.message}")


def fmt_rfc3339(ts: float | None) -> str:
    """Unix seconds → ``2026-11-23T12:34:56+08:00`` (empty for None)."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, CST).replace(microsecond=0).isoformat()


def fmt_v2_time(ts: float | None) -> str:
    """Unix seconds → ``yyyyMMddHHmmss`` (China time) for APIv2 ``time_end``."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, CST).strftime("%Y%m%d%H%M%S")


def _rand_digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def _rand_alnum(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


@dataclass
class _Order:
    mchid: str
    appid: str
    out_trade_no: str
    trade_type: str  # NATIVE | MICROPAY
    fingerprint: str
    description: str
    total: int
    created_at: float
    trade_state: str
    attach: str = ""
    notify_url: str = ""
    code_url: str = ""
    time_expire: float | None = None
    transaction_id: str = ""
    success_at: float | None = None
    closed_at: float | None = None
    openid: str = ""
    bank_type: str = ""
    trade_state_desc: str = ""
    scenario: str = ""
    scenario_s: int = 0
    pending_state: str = ""
    pending_at: float | None = None
    box_open_until: float = 0.0
    failure_code: str = ""
    native_behaviour: str = "manual"  # manual | never | fail
    reverse_count: int = 0
    reversed_after_paid: bool = False
    reversed_at: float | None = None


@dataclass
class _Refund:
    mchid: str
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    reason: str
    created_at: float
    complete_at: float
    fingerprint: str
    status: str = "PROCESSING"
    success_at: float | None = None


@dataclass(frozen=True)
class OrderView:
    """An order as any protocol reports it (times are unix seconds; use fmt_* helpers)."""

    mchid: str
    appid: str
    out_trade_no: str
    trade_type: str
    trade_state: str
    trade_state_desc: str
    total: int
    description: str
    attach: str
    transaction_id: str
    success_at: float | None
    created_at: float
    openid: str
    bank_type: str
    code_url: str
    refunded: int = 0

    @property
    def paid(self) -> bool:
        return self.trade_state in ("SUCCESS", "REFUND") or (
            self.trade_state == "REVOKED" and bool(self.transaction_id)
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RefundView:
    mchid: str
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    status: str
    created_at: float
    success_at: float | None
    reason: str = ""


@dataclass(frozen=True)
class CodepayOutcome:
    """Result of a payment-code charge: ``error_code`` None ⇒ ``order.trade_state`` is final.

    ``order`` is present whenever an order exists (also with SYSTEMERROR/USERPAYING);
    ``error_code`` is e.g. USERPAYING, SYSTEMERROR, BANKERROR, AUTHCODEEXPIRE,
    AUTH_CODE_INVALID, NOTENOUGH, NOTSUPORTCARD, TRADE_ERROR, ORDERPAID,
    ORDERREVERSED, ORDERCLOSED, INVALID_REQUEST, OUT_TRADE_NO_USED, PARAM_ERROR.
    """

    order: OrderView | None
    error_code: str | None = None
    error_message: str = ""

    @property
    def trade_state(self) -> str | None:
        return self.order.trade_state if self.order else None


@dataclass(frozen=True)
class ReverseOutcome:
    """``recall`` True ⇒ the caller must call reverse again (v2 ``recall=Y``)."""

    recall: bool
    error_code: str | None = None
    error_message: str = ""


@dataclass
class _Bill:
    data: bytes
    expires_at: float
    gzip: bool = False


def _fingerprint(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _load(cls: type[Any], text: str) -> Any:
    raw = json.loads(text)
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in names})


class Engine:
    """Thread-safe simulator state (see module docstring for the API)."""

    def __init__(
        self,
        state_dir: Path,
        *,
        clock: Callable[[], float] = time.time,
        refund_delay_s: float = 1.0,
        native_pay_after_s: float | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.clock = clock
        self.refund_delay_s = refund_delay_s
        self.native_pay_after_s = native_pay_after_s
        self.faults = Faults()
        self._lock = threading.RLock()
        self._bills: dict[str, _Bill] = {}
        self._behaviours: dict[str, tuple[str, float | None]] = {}
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

    def _get(self, mchid: str, out_trade_no: str) -> _Order | None:
        row = self._db.execute(
            "SELECT data FROM orders WHERE mchid=? AND out_trade_no=?", (mchid, out_trade_no)
        ).fetchone()
        return _load(_Order, row[0]) if row else None

    def _get_by(self, column: str, value: str, mchid: str | None = None) -> _Order | None:
        assert column in ("transaction_id", "code_url")
        if not value:
            return None
        sql = f"SELECT data FROM orders WHERE {column}=?"
        args: tuple[str, ...] = (value,)
        if mchid is not None:
            sql += " AND mchid=?"
            args += (mchid,)
        row = self._db.execute(sql, args).fetchone()
        return _load(_Order, row[0]) if row else None

    def _save(self, o: _Order) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO orders(mchid,out_trade_no,transaction_id,code_url,created_at,data) "
            "VALUES(?,?,?,?,?,?)",
            (o.mchid, o.out_trade_no, o.transaction_id, o.code_url, o.created_at,
             json.dumps(asdict(o), ensure_ascii=False)),
        )

    def _get_refund(self, mchid: str, out_refund_no: str) -> _Refund | None:
        row = self._db.execute(
            "SELECT data FROM refunds WHERE mchid=? AND out_refund_no=?", (mchid, out_refund_no)
        ).fetchone()
        return _load(_Refund, row[0]) if row else None

    def _refunds_of(self, mchid: str, out_trade_no: str) -> list[_Refund]:
        rows = self._db.execute(
            "SELECT data FROM refunds WHERE mchid=? AND out_trade_no=? ORDER BY created_at", (mchid, out_trade_no)
        ).fetchall()
        return [_load(_Refund, r[0]) for r in rows]

    def _save_refund(self, r: _Refund) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO refunds(mchid,out_refund_no,out_trade_no,created_at,data) VALUES(?,?,?,?,?)",
            (r.mchid, r.out_refund_no, r.out_trade_no, r.created_at, json.dumps(asdict(r), ensure_ascii=False)),
        )

    def _new_transaction_id(self, now: float) -> str:
        return "4200" + _rand_digits(4) + dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d") + _rand_digits(12)

    def _mark_paid(self, o: _Order, at: float) -> None:
        o.trade_state = "SUCCESS"
        o.trade_state_desc = STATE_DESC["SUCCESS"]
        o.success_at = at
        o.transaction_id = o.transaction_id or self._new_transaction_id(at)
        o.openid = o.openid or "oUpF8" + _rand_alnum(23)
        o.bank_type = o.bank_type or "OTHERS"
        o.pending_state, o.pending_at = "", None

    def _set_state(self, o: _Order, state: str, desc: str | None = None) -> None:
        o.trade_state = state
        o.trade_state_desc = desc or STATE_DESC.get(state, state)

    def _settle(self, o: _Order, now: float) -> bool:
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

    def _settled(self, o: _Order) -> _Order:
        if self._settle(o, self.clock()):
            self._save(o)
        return o

    def _settle_refund(self, r: _Refund, now: float) -> _Refund:
        if r.status == "PROCESSING" and now >= r.complete_at:
            r.status = "SUCCESS"
            r.success_at = r.complete_at
            self._save_refund(r)
        return r

    def _refunded(self, o: _Order) -> int:
        return sum(r.refund for r in self._refunds_of(o.mchid, o.out_trade_no) if r.status in ("PROCESSING", "SUCCESS"))

    def _view(self, o: _Order) -> OrderView:
        return OrderView(
            mchid=o.mchid, appid=o.appid, out_trade_no=o.out_trade_no, trade_type=o.trade_type,
            trade_state=o.trade_state, trade_state_desc=o.trade_state_desc or STATE_DESC.get(o.trade_state, ""),
            total=o.total, description=o.description, attach=o.attach, transaction_id=o.transaction_id,
            success_at=o.success_at, created_at=o.created_at, openid=o.openid, bank_type=o.bank_type,
            code_url=o.code_url, refunded=self._refunded(o),
        )

    @staticmethod
    def _rview(r: _Refund) -> RefundView:
        return RefundView(
            mchid=r.mchid, out_refund_no=r.out_refund_no, refund_id=r.refund_id, out_trade_no=r.out_trade_no,
            transaction_id=r.transaction_id, refund=r.refund, total=r.total, status=r.status,
            created_at=r.created_at, success_at=r.success_at, reason=r.reason,
        )

    @staticmethod
    def _validate_order(out_trade_no: str, description: str, total: object) -> None:
        if not OUT_TRADE_NO_RE.match(out_trade_no or ""):
            raise SimError("PARAM_ERROR", "out_trade_no 须为6-32位字母、数字、_-|*", field_name="/out_trade_no")
        if not description or len(description) > 127:
            raise SimError("PARAM_ERROR", "description 不能为空且不超过127字符", field_name="/description")
        if isinstance(total, bool) or not isinstance(total, int) or total < 1:
            raise SimError("PARAM_ERROR", "amount.total 必须为正整数（分）", field_name="/amount/total")

    # ------------------------------------------------------------------ Native
    def create_native(
        self,
        mchid: str,
        appid: str,
        out_trade_no: str,
        description: str,
        total: int,
        *,
        time_expire: str | None = None,
        attach: str = "",
        notify_url: str = "",
        fingerprint_extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Create (or idempotently re-create) a Native order; returns its ``code_url``."""
        self._validate_order(out_trade_no, description, total)
        now = self.clock()
        expire_at: float | None = None
        if time_expire:
            if not RFC3339_RE.match(time_expire):
                raise SimError("PARAM_ERROR", "time_expire 须为RFC3339格式 yyyy-MM-DDTHH:mm:ss+TIMEZONE",
                               field_name="/time_expire")
            try:
                parsed = dt.datetime.fromisoformat(time_expire)
            except ValueError as exc:
                raise SimError("PARAM_ERROR", "time_expire 格式错误", field_name="/time_expire") from exc
            if parsed.tzinfo is None:
                raise SimError("PARAM_ERROR", "time_expire 须带时区 (RFC3339)", field_name="/time_expire")
            expire_at = min(max(parsed.timestamp(), now + 60), now + 90 * 86400)
        fp = _fingerprint({
            "appid": appid, "description": description, "total": total, "time_expire": time_expire or "",
            "attach": attach, "notify_url": notify_url, **(fingerprint_extra or {}),
        })
        with self._tx():
            o = self._get(mchid, out_trade_no)
            if o is not None:
                if o.trade_type != "NATIVE":
                    raise SimError("OUT_TRADE_NO_USED", "商户订单号重复")
                if o.fingerprint != fp:
                    raise SimError("INVALID_REQUEST")
                self._settled(o)
                if o.trade_state in ("SUCCESS", "REFUND"):
                    raise SimError("ORDERPAID")
                if o.trade_state in ("CLOSED", "REVOKED"):
                    raise SimError("ORDERCLOSED")
                return o.code_url
            o = _Order(
                mchid=mchid, appid=appid, out_trade_no=out_trade_no, trade_type="NATIVE", fingerprint=fp,
                description=description, total=total, created_at=now, trade_state="NOTPAY",
                trade_state_desc=STATE_DESC["NOTPAY"], attach=attach, notify_url=notify_url,
                time_expire=expire_at if expire_at is not None else now + DEFAULT_EXPIRY_S,
            )
            while True:
                o.code_url = CODE_URL_PREFIX + _rand_alnum(9)
                if self._get_by("code_url", o.code_url) is None:
                    break
            behaviour = self._behaviours.pop(out_trade_no, None)
            if behaviour is not None:
                self._apply_behaviour(o, behaviour, now)
            elif self.native_pay_after_s is not None:
                o.pending_state, o.pending_at = "SUCCESS", now + self.native_pay_after_s
            self._save(o)
            return o.code_url

    def _apply_behaviour(self, o: _Order, behaviour: tuple[str, float | None], now: float) -> None:
        kind, after = behaviour
        o.native_behaviour = kind
        o.pending_state, o.pending_at = "", None
        if kind == "manual" and after is not None:
            o.pending_state, o.pending_at = "SUCCESS", now + after
        elif kind == "fail":
            o.pending_state, o.pending_at = "PAYERROR", now + (after or 0.0)

    def set_native_behaviour(
        self,
        out_trade_no: str,
        *,
        pay_after_s: float | None = None,
        never: bool = False,
        fail: bool = False,
        mchid: str | None = None,
    ) -> None:
        """How the "customer" treats a Native order (existing, or created later with that number).

        ``pay_after_s``: pays that many seconds after now/creation; ``never``: never pays
        (``pay()`` is refused); ``fail``: the payment fails (PAYERROR, after ``pay_after_s``
        or at once).
        """
        kind = "never" if never else "fail" if fail else "manual"
        with self._tx():
            row = self._db.execute(
                "SELECT mchid FROM orders WHERE out_trade_no=?" + (" AND mchid=?" if mchid else ""),
                (out_trade_no, mchid) if mchid else (out_trade_no,),
            ).fetchone()
            if row is None:
                self._behaviours[out_trade_no] = (kind, pay_after_s)
                return
            o = self._get(row[0], out_trade_no)
            assert o is not None
            self._settled(o)
            if o.trade_state == "NOTPAY":
                self._apply_behaviour(o, (kind, pay_after_s), self.clock())
                self._save(o)

    def pay(self, *, code_url: str | None = None, out_trade_no: str | None = None, mchid: str | None = None) -> OrderView:
        """The customer scans a shown Native QR and pays. Idempotent for a paid order."""
        with self._tx():
            o: _Order | None
            if code_url:
                o = self._get_by("code_url", code_url, mchid)
            elif out_trade_no:
                row = self._db.execute(
                    "SELECT mchid FROM orders WHERE out_trade_no=?" + (" AND mchid=?" if mchid else ""),
                    (out_trade_no, mchid) if mchid else (out_trade_no,),
                ).fetchone()
                o = self._get(row[0], out_trade_no) if row else None
            else:
                raise SimError("PARAM_ERROR", "code_url 或 out_trade_no 必填")
            if o is None:
                raise SimError("ORDER_NOT_EXIST")
            if o.trade_type != "NATIVE":
                raise SimError("TRADE_ERROR", "付款码订单不能扫码支付")
            now = self.clock()
            self._settle(o, now)
            if o.trade_state == "NOTPAY":
                if o.native_behaviour == "never":
                    raise SimError("TRADE_ERROR", "顾客未支付（never）")
                if o.native_behaviour == "fail":
                    self._set_state(o, "PAYERROR")
                    o.pending_state, o.pending_at = "", None
                else:
                    self._mark_paid(o, now)
                self._save(o)
            elif o.trade_state in ("CLOSED", "REVOKED"):
                self._save(o)
                raise SimError("ORDERCLOSED")
            else:
                self._save(o)
            return self._view(o)

    def close(self, mchid: str, out_trade_no: str) -> None:
        """Close an unpaid order (idempotent). ORDERPAID if paid; TRADE_ERROR for payment-code orders."""
        with self._tx():
            o = self._get(mchid, out_trade_no)
            if o is None:
                raise SimError("ORDER_NOT_EXIST")
            self._settle(o, self.clock())
            if o.trade_type == "MICROPAY":
                self._save(o)
                raise SimError("TRADE_ERROR", "当前交易不允许进行普通关单（只能撤销）")
            if o.trade_state in ("SUCCESS", "REFUND"):
                self._save(o)
                raise SimError("ORDERPAID")
            if o.trade_state not in ("CLOSED", "REVOKED"):
                self._set_state(o, "CLOSED")
                o.closed_at = self.clock()
                o.pending_state, o.pending_at = "", None
            self._save(o)

    def query(self, mchid: str, *, out_trade_no: str | None = None, transaction_id: str | None = None) -> OrderView:
        """Current state (ORDER_NOT_EXIST if unknown; unpaid orders are not found by transaction_id)."""
        with self._tx():
            if out_trade_no:
                o = self._get(mchid, out_trade_no)
            elif transaction_id:
                o = self._get_by("transaction_id", transaction_id, mchid)
            else:
                raise SimError("PARAM_ERROR", "out_trade_no 或 transaction_id 必填")
            if o is None:
                raise SimError("ORDER_NOT_EXIST")
            return self._view(self._settled(o))

    # ------------------------------------------------------------------ payment code
    def codepay(
        self,
        mchid: str,
        appid: str,
        out_trade_no: str,
        description: str,
        total: int,
        auth_code: str,
        *,
        attach: str = "",
        fingerprint_extra: Mapping[str, Any] | None = None,
    ) -> CodepayOutcome:
        """Charge a payment code (scenario chosen by the code, see ``scenarios``)."""
        try:
            self._validate_order(out_trade_no, description, total)
        except SimError as exc:
            return CodepayOutcome(None, exc.code, exc.message)
        now = self.clock()
        fp = _fingerprint({"appid": appid, "description": description, "total": total, "auth_code": auth_code,
                           "attach": attach, **(fingerprint_extra or {})})
        with self._tx():
            o = self._get(mchid, out_trade_no)
            if o is not None:
                return self._codepay_again(o, fp)
            scenario = scenario_of(auth_code)
            if scenario is None:
                return CodepayOutcome(
                    None, "AUTH_CODE_INVALID", "请扫描微信支付授权码(以10/11/12/13/14/15为前缀的18位数字)"
                )
            if self._db.execute("SELECT 1 FROM auth_codes WHERE code=?", (auth_code,)).fetchone():
                return CodepayOutcome(None, "AUTH_CODE_INVALID", ERROR_MESSAGES["AUTH_CODE_INVALID"])
            self._db.execute("INSERT INTO auth_codes(code, used_at) VALUES(?,?)", (auth_code, now))
            name, secs = scenario.name, scenario.seconds
            if name in ("authcodeexpire", "auth_code_invalid"):
                code = "AUTHCODEEXPIRE" if name == "authcodeexpire" else "AUTH_CODE_INVALID"
                return CodepayOutcome(None, code, ERROR_MESSAGES[code])
            o = _Order(
                mchid=mchid, appid=appid, out_trade_no=out_trade_no, trade_type="MICROPAY", fingerprint=fp,
                description=description, total=total, created_at=now, trade_state="USERPAYING",
                trade_state_desc=STATE_DESC["USERPAYING"], attach=attach, scenario=name, scenario_s=secs,
            )
            error: str | None = None
            if name in ("success", "systemerror_but_charged", "bankerror_but_charged", "reverse_recall_once"):
                self._mark_paid(o, now)
                error = {"success": None, "bankerror_but_charged": "BANKERROR"}.get(name, "SYSTEMERROR")
            elif name in ("userpaying_then_success", "userpaying_then_payerror"):
                o.pending_state = "SUCCESS" if name == "userpaying_then_success" else "PAYERROR"
                o.pending_at = now + secs
                o.box_open_until = now + secs
                error = "USERPAYING"
            elif name == "userpaying_forever":
                o.box_open_until = now + secs
                error = "USERPAYING"
            else:
                error = {
                    "systemerror_not_charged": "SYSTEMERROR", "bankerror_not_charged": "BANKERROR",
                    "notenough": "NOTENOUGH", "notsupportcard": "NOTSUPORTCARD", "trade_error": "TRADE_ERROR",
                }[name]
                self._set_state(o, "PAYERROR")
                o.failure_code = error
            self._save(o)
            return CodepayOutcome(self._view(o), error, ERROR_MESSAGES.get(error, "") if error else "")

    def _codepay_again(self, o: _Order, fp: str) -> CodepayOutcome:
        if o.trade_type != "MICROPAY":
            return CodepayOutcome(None, "OUT_TRADE_NO_USED", "商户订单号重复")
        self._settled(o)
        view = self._view(o)
        state = o.trade_state
        if o.fingerprint != fp:
            code = {"SUCCESS": "ORDERPAID", "REFUND": "ORDERPAID", "REVOKED": "ORDERREVERSED",
                    "CLOSED": "ORDERCLOSED"}.get(state, "INVALID_REQUEST")
            return CodepayOutcome(view, code, ERROR_MESSAGES[code])
        # identical retry: report the current state
        if state in ("SUCCESS", "REFUND"):
            return CodepayOutcome(view)
        if state == "USERPAYING":
            return CodepayOutcome(view, "USERPAYING", ERROR_MESSAGES["USERPAYING"])
        if state == "REVOKED":
            return CodepayOutcome(view, "ORDERREVERSED", ERROR_MESSAGES["ORDERREVERSED"])
        if state == "CLOSED":
            return CodepayOutcome(view, "ORDERCLOSED", ERROR_MESSAGES["ORDERCLOSED"])
        code = o.failure_code or "TRADE_ERROR"
        return CodepayOutcome(view, code, ERROR_MESSAGES.get(code, code))

    def reverse(self, mchid: str, out_trade_no: str | None = None, *, transaction_id: str | None = None) -> ReverseOutcome:
        """Reverse (撤销) a payment-code order: unpaid → REVOKED; paid → money back, REVOKED."""
        with self._tx():
            o = (self._get(mchid, out_trade_no) if out_trade_no
                 else self._get_by("transaction_id", transaction_id or "", mchid))
            if o is None:
                return ReverseOutcome(False, "ORDER_NOT_EXIST", ERROR_MESSAGES["ORDER_NOT_EXIST"])
            now = self.clock()
            self._settle(o, now)
            if o.trade_type != "MICROPAY":
                self._save(o)
                return ReverseOutcome(False, "TRADE_ERROR", "非付款码订单不能撤销，请关单")
            if now - o.created_at > REVERSE_WINDOW_S:
                self._save(o)
                return ReverseOutcome(False, "REVERSE_EXPIRE", ERROR_MESSAGES["REVERSE_EXPIRE"])
            if o.trade_state == "USERPAYING" and now < o.box_open_until:
                self._save(o)
                return ReverseOutcome(True, "USERPAYING", "正在支付中不能发起撤销")
            if o.scenario == "reverse_recall_once" and o.reverse_count == 0:
                o.reverse_count += 1
                self._save(o)
                return ReverseOutcome(True, "SYSTEMERROR", ERROR_MESSAGES["SYSTEMERROR"])
            if o.trade_state == "REFUND":
                self._save(o)
                return ReverseOutcome(False, "TRADE_ERROR", "订单已发生退款，不能撤销")
            o.reverse_count += 1
            if o.trade_state not in ("REVOKED", "CLOSED"):
                o.reversed_after_paid = o.trade_state == "SUCCESS"
                o.reversed_at = now
                self._set_state(o, "REVOKED")
                o.pending_state, o.pending_at = "", None
            self._save(o)
            return ReverseOutcome(False)

    # ------------------------------------------------------------------ refunds
    def refund(
        self,
        mchid: str,
        out_refund_no: str,
        refund: int,
        total: int,
        *,
        out_trade_no: str | None = None,
        transaction_id: str | None = None,
        reason: str = "",
    ) -> RefundView:
        """Apply for a refund (idempotent by ``out_refund_no``); status PROCESSING → SUCCESS."""
        if not OUT_REFUND_NO_RE.match(out_refund_no or ""):
            raise SimError("PARAM_ERROR", "out_refund_no 格式错误", field_name="/out_refund_no")
        for name, value in (("refund", refund), ("total", total)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SimError("PARAM_ERROR", f"amount.{name} 必须为正整数（分）", field_name=f"/amount/{name}")
        with self._tx():
            now = self.clock()
            if out_trade_no:
                o = self._get(mchid, out_trade_no)
            elif transaction_id:
                o = self._get_by("transaction_id", transaction_id, mchid)
            else:
                raise SimError("PARAM_ERROR", "transaction_id 或 out_trade_no 必填")
            if o is None:
                raise SimError("RESOURCE_NOT_EXISTS", "订单不存在")
            self._settled(o)
            fp = _fingerprint({"out_trade_no": o.out_trade_no, "refund": refund, "total": total})
            existing = self._get_refund(mchid, out_refund_no)
            if existing is not None:
                if existing.fingerprint != fp:
                    raise SimError("INVALID_REQUEST", "同一退款单号的退款参数与首次请求不一致")
                return self._rview(self._settle_refund(existing, now))
            if o.trade_state not in ("SUCCESS", "REFUND"):
                raise SimError("RESOURCE_NOT_EXISTS", "订单不存在" if o.trade_state != "REVOKED" else "订单已撤销")
            if o.success_at is not None and now - o.success_at > REFUND_WINDOW_S:
                raise SimError("INVALID_REQUEST", "订单已超过退款期限")
            if total != o.total:
                raise SimError("INVALID_REQUEST", "订单金额与原订单不一致")
            previous = [r for r in self._refunds_of(mchid, o.out_trade_no)]
            if len(previous) >= MAX_REFUNDS:
                raise SimError("INVALID_REQUEST", "订单退款次数超过限制（50次）")
            refunded = sum(r.refund for r in previous if r.status in ("PROCESSING", "SUCCESS"))
            if refund > o.total - refunded:
                raise SimError("INVALID_REQUEST", "申请退款金额超过订单可退金额")
            r = _Refund(
                mchid=mchid, out_refund_no=out_refund_no,
                refund_id="5030" + _rand_digits(4) + dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d")
                + _rand_digits(13),
                out_trade_no=o.out_trade_no, transaction_id=o.transaction_id, refund=refund, total=total,
                reason=reason, created_at=now, complete_at=now + self.refund_delay_s, fingerprint=fp,
            )
            self._save_refund(r)
            self._set_state(o, "REFUND")
            self._save(o)
            return self._rview(r)

    def query_refund(self, mchid: str, out_refund_no: str) -> RefundView:
        with self._tx():
            r = self._get_refund(mchid, out_refund_no)
            if r is None:
                raise SimError("RESOURCE_NOT_EXISTS", "退款单不存在")
            return self._rview(self._settle_refund(r, self.clock()))

    # ------------------------------------------------------------------ bills
    def trade_bill(self, mchid: str, bill_date: dt.date, bill_type: str = "ALL") -> bytes:
        """The ALL-format trade bill (UTF-8 with BOM) of ``bill_date`` (China time)."""
        if bill_type != "ALL":
            raise SimError("PARAM_ERROR", "模拟器仅支持 bill_type=ALL", field_name="bill_type")
        start = dt.datetime.combine(bill_date, dt.time(), CST).timestamp()
        end = start + 86400
        with self._tx():
            orders = [self._settled(_load(_Order, r[0])) for r in
                      self._db.execute("SELECT data FROM orders WHERE mchid=? ORDER BY created_at", (mchid,))]
            refunds = [self._settle_refund(_load(_Refund, r[0]), self.clock()) for r in self._db.execute(
                "SELECT data FROM refunds WHERE mchid=? AND created_at>=? AND created_at<? ORDER BY created_at",
                (mchid, start, end))]
        by_no = {o.out_trade_no: o for o in orders}
        return render_bill(mchid, start, end, orders, refunds, by_no)

    def put_bill(self, data: bytes, *, gzip: bool = False, ttl_s: float = 300.0) -> str:
        """Remember a generated bill for download; returns the token."""
        token = _rand_alnum(32)
        with self._lock:
            now = self.clock()
            self._bills = {k: b for k, b in self._bills.items() if b.expires_at > now}
            self._bills[token] = _Bill(data, now + ttl_s, gzip)
        return token

    def get_bill(self, token: str) -> tuple[bytes, bool] | None:
        with self._lock:
            b = self._bills.get(token)
            if b is None or b.expires_at <= self.clock():
                return None
            return b.data, b.gzip

    # ------------------------------------------------------------------ inspection / control
    def orders(self, mchid: str | None = None) -> list[OrderView]:
        with self._tx():
            sql, args = "SELECT data FROM orders", ()
            if mchid:
                sql, args = sql + " WHERE mchid=?", (mchid,)  # type: ignore[assignment]
            rows = self._db.execute(sql + " ORDER BY created_at", args).fetchall()
            return [self._view(self._settled(_load(_Order, r[0]))) for r in rows]

    def refunds(self, mchid: str | None = None) -> list[RefundView]:
        with self._tx():
            rows = self._db.execute("SELECT data FROM refunds ORDER BY created_at").fetchall()
            out = [self._rview(self._settle_refund(_load(_Refund, r[0]), self.clock())) for r in rows]
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


# ---------------------------------------------------------------------- bill rendering
ALL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
FEE_RATE_PER_MILLE = 6  # 0.60 %


def _fee_text(amount_fen: int) -> str:
    """Fee in 元 with 5 decimals: fen × 0.6 % = fen × 6 / 100000 元 (integers only)."""
    units = amount_fen * FEE_RATE_PER_MILLE  # 1e-5 元
    sign = "-" if units < 0 else ""
    units = abs(units)
    return f"{sign}{units // 100000}.{units % 100000:05d}"


def _csv_cell(value: str) -> str:
    value = value.replace(",", "，").replace("\n", " ").replace("\r", " ")
    return "`" + value


def render_bill(
    mchid: str, start: float, end: float, orders: list[_Order], refunds: list[_Refund], by_no: Mapping[str, _Order]
) -> bytes:
    rows: list[list[str]] = []
    settled = fees = refunded = order_total = refund_applied = 0

    def ts(t: float) -> str:
        return dt.datetime.fromtimestamp(t, CST).strftime("%Y-%m-%d %H:%M:%S")

    events: list[tuple[float, list[str]]] = []
    for o in orders:
        if o.success_at is None or not (start <= o.success_at < end):
            continue
        settled += o.total
        fees += o.total * FEE_RATE_PER_MILLE
        order_total += o.total
        events.append((o.success_at, [
            ts(o.success_at), o.appid, o.mchid, "0", "", o.transaction_id, o.out_trade_no, o.openid,
            o.trade_type, "SUCCESS", o.bank_type or "OTHERS", "CNY", format_yuan(o.total), "0.00", "0", "0",
            "0.00", "0.00", "", "", o.description, o.attach, _fee_text(o.total), "0.60%", format_yuan(o.total),
            "0.00", "",
        ]))
    for o in orders:  # paid-then-reversed payment-code orders: money went back the same day
        if o.reversed_after_paid and o.reversed_at is not None and start <= o.reversed_at < end:
            refunded += o.total
            refund_applied += o.total
            fees -= o.total * FEE_RATE_PER_MILLE
            events.append((o.reversed_at, [
                ts(o.reversed_at), o.appid, o.mchid, "0", "", o.transaction_id, o.out_trade_no, o.openid,
                o.trade_type, "REVOKED", o.bank_type or "OTHERS", "CNY", "0.00", "0.00", o.transaction_id, "REVERSE",
                format_yuan(o.total), "0.00", "ORIGINAL", "SUCCESS", o.description, o.attach,
                _fee_text(-o.total), "0.60%", "0.00", format_yuan(o.total), "",
            ]))
    for r in refunds:
        ro = by_no.get(r.out_trade_no)
        if ro is None:
            continue
        o = ro
        refunded += r.refund
        refund_applied += r.refund
        fees -= r.refund * FEE_RATE_PER_MILLE
        events.append((r.created_at, [
            ts(r.created_at), o.appid, o.mchid, "0", "", o.transaction_id, o.out_trade_no, o.openid,
            o.trade_type, "REFUND", o.bank_type or "OTHERS", "CNY", "0.00", "0.00", r.refund_id, r.out_refund_no,
            format_yuan(r.refund), "0.00", "ORIGINAL", r.status, o.description, o.attach,
            _fee_text(-r.refund), "0.60%", "0.00", format_yuan(r.refund), "",
        ]))
    if not events:
        raise SimError("NO_STATEMENT_EXIST", "账单文件不存在")
    events.sort(key=lambda e: e[0])
    rows = [e[1] for e in events]
    lines = [ALL_HEADER]
    lines += [",".join(_csv_cell(c) for c in row) for row in rows]
    lines.append(SUMMARY_HEADER)
    fee_units = fees  # 1e-5 元 units already (amount × 6)
    fee_text = _fee_text(0) if fee_units == 0 else (
        ("-" if fee_units < 0 else "") + f"{abs(fee_units) // 100000}.{abs(fee_units) % 100000:05d}"
    )
    summary = [str(len(rows)), format_yuan(settled), format_yuan(refunded), "0.00", fee_text,
               format_yuan(order_total), format_yuan(refund_applied)]
    lines.append(",".join("`" + s for s in summary))
    del mchid
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")
