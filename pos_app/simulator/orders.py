"""Native orders: create (QR code), the customer paying, query and close.

Close lag (``Realism.close_lag_s`` / ``close_lag_answer``) follows wechatpay-api.md §6:
"订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟" — a close sooner than that may fail
(SYSTEM_ERROR), not find the order yet (ORDER_NOT_EXIST) or answer 204 without taking effect;
in every case the order stays NOTPAY and a customer who scanned can still pay until
``time_expire``. A close after the lag closes for good.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pos_app.simulator.records import (
    CODE_URL_PREFIX,
    DEFAULT_EXPIRY_S,
    RFC3339_RE,
    STATE_DESC,
    Coupon,
    OrderRecord,
    OrderView,
    SimError,
    fingerprint,
    rand_alnum,
)
from pos_app.simulator.store import EngineCore


class NativeOrders(EngineCore):
    """Native order operations of the engine."""

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
        device_id: str = "",
    ) -> str:
        """Create (or idempotently re-create) a Native order; returns its ``code_url``.

        ``device_id`` (``scene_info.device_id``, the till) is recorded on the order."""
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
        fp = fingerprint({
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
            o = OrderRecord(
                mchid=mchid, appid=appid, out_trade_no=out_trade_no, trade_type="NATIVE", fingerprint=fp,
                description=description, total=total, created_at=now, trade_state="NOTPAY",
                trade_state_desc=STATE_DESC["NOTPAY"], attach=attach, notify_url=notify_url,
                time_expire=expire_at if expire_at is not None else now + DEFAULT_EXPIRY_S,
                device_id=device_id,
            )
            while True:
                o.code_url = CODE_URL_PREFIX + rand_alnum(9)
                if self._get_by("code_url", o.code_url) is None:
                    break
            behaviour = self._behaviours.pop(out_trade_no, None)
            if behaviour is not None:
                self._apply_behaviour(o, behaviour, now)
            elif self.native_pay_after_s is not None:
                o.pending_state, o.pending_at = "SUCCESS", now + self.native_pay_after_s
            self._save(o)
            return o.code_url

    def _apply_behaviour(
        self, o: OrderRecord, behaviour: tuple[str, float | None, Coupon | None], now: float
    ) -> None:
        kind, after, coupon = behaviour
        o.native_behaviour = kind
        o.coupon_plan = asdict(coupon) if coupon is not None else None
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
        coupon: Coupon | None = None,
    ) -> None:
        """How the "customer" treats a Native order (existing, or created later with that number).

        ``pay_after_s``: pays that many seconds after now/creation; ``never``: never pays
        (``pay()`` is refused); ``fail``: the payment fails (PAYERROR, after ``pay_after_s``
        or at once); ``coupon``: the customer pays part with this coupon (promotion_detail).
        """
        kind = "never" if never else "fail" if fail else "manual"
        with self._tx():
            row = self._db.execute(
                "SELECT mchid FROM orders WHERE out_trade_no=?" + (" AND mchid=?" if mchid else ""),
                (out_trade_no, mchid) if mchid else (out_trade_no,),
            ).fetchone()
            if row is None:
                self._behaviours[out_trade_no] = (kind, pay_after_s, coupon)
                return
            o = self._get(row[0], out_trade_no)
            assert o is not None
            self._settled(o)
            if o.trade_state == "NOTPAY":
                self._apply_behaviour(o, (kind, pay_after_s, coupon), self.clock())
                self._save(o)

    def pay(self, *, code_url: str | None = None, out_trade_no: str | None = None, mchid: str | None = None) -> OrderView:
        """The customer scans a shown Native QR and pays. Idempotent for a paid order."""
        with self._tx():
            o: OrderRecord | None
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
        """Close an unpaid order (idempotent). ORDERPAID if paid; TRADE_ERROR for payment-code orders.

        Within ``realism.close_lag_s`` of creation the close does not take effect (see module
        docstring): SYSTEMERROR, ORDER_NOT_EXIST or a silent no-op per ``close_lag_answer``."""
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
            lag = self.realism.close_lag_s
            if o.trade_state == "NOTPAY" and self.clock() - o.created_at < lag:
                self._save(o)
                answer = self.realism.close_lag_answer
                if answer == "SYSTEM_ERROR":
                    raise SimError("SYSTEMERROR")
                if answer == "ORDER_NOT_EXIST":
                    raise SimError("ORDER_NOT_EXIST")
                return  # 204, but the close did not take effect: still NOTPAY and payable
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

