"""Refunds: apply (idempotent by out_refund_no) and query — including the ways they go wrong.

Follows wechatpay-api.md §7:

- ``status`` ABNORMAL ("退款异常": the card was cancelled; handle via apply-abnormal-refund or
  the merchant portal, i.e. refund to another account or offline) and CLOSED ("退款关闭":
  re-apply needs a NEW out_refund_no) — per order with ``set_refund_behaviour``;
- long PROCESSING ("零钱 refunds usually within 5 min, bank cards 1–3 working days"):
  ``set_refund_behaviour(no, "bank_card")`` completes after 2 days (``after_s``);
- "403 NOT_ENOUGH 余额不足" when ``Realism.merchant_balance_fen`` cannot pay the refund;
- "for consecutive partial refunds … wait ≥1 minute" (``Realism.refund_spacing_s``) and the
  "150 QPS" rate (``Realism.refund_rate_per_s``): 429 FREQUENCY_LIMITED, nothing accepted.
"""

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

REFUND_OUTCOMES = ("success", "abnormal", "closed", "bank_card", "not_enough")
BANK_CARD_ACCOUNT = "招商银行信用卡0403"
BANK_CARD_DAYS_S = 2 * 86400


class Refunds(EngineCore):
    """Refund operations of the engine."""

    def set_refund_behaviour(self, out_trade_no: str, outcome: str, *, after_s: float | None = None) -> None:
        """How the next refunds of ``out_trade_no`` end (see module docstring).

        ``success`` (default), ``abnormal`` (PROCESSING → ABNORMAL), ``closed`` (→ CLOSED),
        ``bank_card`` (PROCESSING for ``after_s``, default 2 days, then SUCCESS to a card),
        ``not_enough`` (refused 403 NOT_ENOUGH). ``after_s`` overrides when it settles."""
        if outcome not in REFUND_OUTCOMES:
            raise ValueError(f"unknown refund outcome {outcome!r}; known: {REFUND_OUTCOMES}")
        with self._lock:
            self._refund_behaviours[out_trade_no] = (outcome, after_s)

    def _rate_limited(self, now: float) -> bool:
        limit = self.realism.refund_rate_per_s
        with self._lock:
            self._refund_times = [t for t in self._refund_times if now - t < 1.0]
            if limit is not None and len(self._refund_times) >= limit:
                return True
            self._refund_times.append(now)
        return False

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
        if self._rate_limited(self.clock()):
            raise SimError("FREQUENCY_LIMITED", "频率限制，该笔退款未受理，请降低频率后用原参数重试")
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
            spacing = self.realism.refund_spacing_s
            if previous and now - max(r.created_at for r in previous) < spacing:
                raise SimError("FREQUENCY_LIMITED", "同一订单的多次部分退款须间隔1分钟以上，该笔退款未受理")
            outcome, after = self._refund_behaviours.get(o.out_trade_no, ("success", None))
            balance = self.realism.merchant_balance_fen
            if outcome == "not_enough" or (balance is not None and refund > balance - self._balance_used):
                raise SimError("NOTENOUGH", "基本账户余额不足，请充值后重新发起")
            delay = self.refund_delay_s if after is None else after
            if outcome == "bank_card" and after is None:
                delay = BANK_CARD_DAYS_S
            r = RefundRecord(
                mchid=mchid, out_refund_no=out_refund_no,
                refund_id="5030" + rand_digits(4) + dt.datetime.fromtimestamp(now, CST).strftime("%Y%m%d")
                + rand_digits(13),
                out_trade_no=o.out_trade_no, transaction_id=o.transaction_id, refund=refund, total=total,
                reason=reason, created_at=now, complete_at=now + delay, fingerprint=fp,
                final_status={"abnormal": "ABNORMAL", "closed": "CLOSED"}.get(outcome, "SUCCESS"),
                user_received_account=BANK_CARD_ACCOUNT if outcome in ("bank_card", "abnormal") else "支付用户零钱",
            )
            with self._lock:
                self._balance_used += refund
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

