"""Refunds: apply (idempotent by out_refund_no) and query."""

from __future__ import annotations

import datetime as dt

from pos_app.simulator.records import (
    CST,
    MAX_REFUNDS,
    OUT_REFUND_NO_RE,
    REFUND_WINDOW_S,
    RefundRecord,
    RefundView,
    SimError,
    fingerprint,
    rand_digits,
)
from pos_app.simulator.store import EngineCore


class Refunds(EngineCore):
    """Refund operations of the engine."""

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
            fp = fingerprint({"out_trade_no": o.out_trade_no, "refund": refund, "total": total})
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
            r = RefundRecord(
                mchid=mchid, out_refund_no=out_refund_no,
                refund_id="5030" + rand_digits(4) + dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d")
                + rand_digits(13),
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

