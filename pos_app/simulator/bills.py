"""Trade bills (交易账单): generation in WeChat's CSV format and download tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pos_app.domain.money import format_yuan
from pos_app.simulator.records import (
    CST,
    BillFile,
    OrderRecord,
    RefundRecord,
    SimError,
    load_record,
    rand_alnum,
)
from pos_app.simulator.store import EngineCore


class Bills(EngineCore):
    """Trade-bill operations of the engine."""

    # ------------------------------------------------------------------ bills
    def trade_bill(self, mchid: str, bill_date: dt.date, bill_type: str = "ALL") -> bytes:
        """The ALL-format trade bill (UTF-8 with BOM) of ``bill_date`` (China time)."""
        if bill_type != "ALL":
            raise SimError("PARAM_ERROR", "模拟器仅支持 bill_type=ALL", field_name="bill_type")
        start = dt.datetime.combine(bill_date, dt.time(), CST).timestamp()
        end = start + 86400
        with self._tx():
            orders = [self._settled(load_record(OrderRecord, r[0])) for r in
                      self._db.execute("SELECT data FROM orders WHERE mchid=? ORDER BY created_at", (mchid,))]
            refunds = [self._settle_refund(load_record(RefundRecord, r[0]), self.clock()) for r in self._db.execute(
                "SELECT data FROM refunds WHERE mchid=? AND created_at>=? AND created_at<? ORDER BY created_at",
                (mchid, start, end))]
        by_no = {o.out_trade_no: o for o in orders}
        return render_bill(mchid, start, end, orders, refunds, by_no)

    def put_bill(self, data: bytes, *, gzip: bool = False, ttl_s: float = 300.0) -> str:
        """Remember a generated bill for download; returns the token."""
        token = rand_alnum(32)
        with self._lock:
            now = self.clock()
            self._bills = {k: b for k, b in self._bills.items() if b.expires_at > now}
            self._bills[token] = BillFile(data, now + ttl_s, gzip)
        return token

    def get_bill(self, token: str) -> tuple[bytes, bool] | None:
        with self._lock:
            b = self._bills.get(token)
            if b is None or b.expires_at <= self.clock():
                return None
            return b.data, b.gzip




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
    mchid: str, start: float, end: float, orders: list[OrderRecord], refunds: list[RefundRecord], by_no: Mapping[str, OrderRecord]
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
