"""Payment-code (付款码) orders: charge a scanned code and reverse (撤销) it.

The ¥1000 rule (``Realism.password_above_fen``) follows wechatpay-api.md §8a "Password
rules: amount > ¥1000 requires password": a code that would pay at once (``success``,
``coupon``…) answers USERPAYING instead and the customer confirms after
``password_delay_s``; reverse is refused while the password box is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pos_app.simulator.records import (
    ERROR_MESSAGES,
    REVERSE_WINDOW_S,
    STATE_DESC,
    CodepayOutcome,
    Coupon,
    OrderRecord,
    ReverseOutcome,
    SimError,
    fingerprint,
)
from pos_app.simulator.scenarios import scenario_of
from pos_app.simulator.store import EngineCore


class PaymentCodes(EngineCore):
    """Payment-code operations of the engine."""

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
        device_id: str = "",
        max_description_bytes: int = 127,
    ) -> CodepayOutcome:
        """Charge a payment code (scenario chosen by the code, see ``scenarios``).

        ``device_id`` (v3 ``scene_info.device_id`` / v2 ``device_info``) is recorded;
        ``max_description_bytes`` is 127 for v3 ``description`` and 128 for v2 ``body``."""
        try:
            self._validate_order(out_trade_no, description, total, max_description_bytes=max_description_bytes)
        except SimError as exc:
            return CodepayOutcome(None, exc.code, exc.message)
        now = self.clock()
        fp = fingerprint({"appid": appid, "description": description, "total": total, "auth_code": auth_code,
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
            o = OrderRecord(
                mchid=mchid, appid=appid, out_trade_no=out_trade_no, trade_type="MICROPAY", fingerprint=fp,
                description=description, total=total, created_at=now, trade_state="USERPAYING",
                trade_state_desc=STATE_DESC["USERPAYING"], attach=attach, scenario=name, scenario_s=secs,
                device_id=device_id,
            )
            if name in ("coupon", "coupon_cash"):
                o.coupon_plan = asdict(Coupon(max(1, secs) * 100, "NOCASH" if name == "coupon" else "CASH"))
                name = "success"
            threshold = self.realism.password_above_fen
            if name == "success" and threshold is not None and total > threshold:
                name, secs = "userpaying_then_success", max(1, int(self.realism.password_delay_s))
                o.scenario, o.scenario_s = name, secs
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

    def _codepay_again(self, o: OrderRecord, fp: str) -> CodepayOutcome:
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

