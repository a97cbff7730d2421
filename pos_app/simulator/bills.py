"""Trade bills (交易账单): when WeChat serves them, their CSV formats, download tokens.

Follows wechatpay-api.md §12 (and the published format-trade page it cites):

- **When**: "generated from 09:00 next day, fetch after 10:00; only last 3 months". Today's
  and future dates answer 400 INVALID_REQUEST, dates older than ``Realism.bill_keep_days``
  400 INVALID_REQUEST, yesterday before ``Realism.bill_ready_hour`` (China time) 400
  STATEMENT_CREATING "账单生成中", a settled day without trades 400 NO_STATEMENT_EXIST.
- **Which rows**: the day's successful payments and the refunds initiated that day (status
  as at export time); unpaid orders never appear.
- **Formats**: ``ALL`` (27 columns), ``SUCCESS`` (20 columns: payments only, no refund
  columns; summary 总交易单数,应结订单总金额,手续费总金额,订单总金额) and ``REFUND`` (ALL's
  columns with 退款申请时间,退款成功时间 after 代金券金额; refund rows only). Every field is
  prefixed with a backtick; a summary header and row close the file; UTF-8 with BOM.
- **Coupons**: 应结订单金额 is what the shop is settled (the total less merchant-funded
  NOCASH coupons), 代金券金额 the NOCASH coupon amount, 订单金额 the order total; a CASH
  (pre-funded) coupon leaves 应结订单金额 = 订单金额. The fee is charged on the settlement.
- **A reversed (撤销) payment-code sale**: WeChat's bill state is the money movement, not
  the order state — "SUCCESS: 收入; REFUND: 支出-退款; REVOKED: 支出-撤销 … 只有发生过支付（进账）
  的订单，在撤销后才会发生支出并出现在对账单里" (published bill-format notes). So a sale paid and
  then reversed has two rows: its SUCCESS row (at payment) and a REVOKED row (at reversal)
  carrying the amount in 退款金额/申请退款金额 with 退款类型 ORIGINAL and 退款状态 SUCCESS;
  a reversal of an unpaid code writes nothing. The published format does not say what the
  refund-number columns hold on a REVOKED row: the simulator writes the transaction id as
  微信退款单号 and ``REVERSE`` as 商户退款单号 (an assumption, recorded here). A REVOKED row
  is not a refund: reconciliation must match it to the reversal, never report it as one.
  The REFUND bill carries REVOKED rows too (they are outflows).
"""

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
    settlement_total,
)
from pos_app.simulator.store import EngineCore

BILL_TYPES = ("ALL", "SUCCESS", "REFUND")


class Bills(EngineCore):
    """Trade-bill operations of the engine."""

    def check_bill_date(self, bill_date: dt.date) -> None:
        """Refuse a date WeChat has no bill for yet / any more (see module docstring)."""
        ready_hour = self.realism.bill_ready_hour
        if ready_hour is None:
            return
        now = dt.datetime.fromtimestamp(self.clock(), CST)
        today = now.date()
        if bill_date >= today:
            raise SimError("INVALID_REQUEST", "账单日期须早于当天（当天及以后的账单尚未生成）", field_name="bill_date")
        if bill_date < today - dt.timedelta(days=self.realism.bill_keep_days):
            raise SimError("INVALID_REQUEST", "仅支持下载三个月以内的账单", field_name="bill_date")
        if bill_date == today - dt.timedelta(days=1) and now.hour < ready_hour:
            raise SimError("STATEMENT_CREATING", f"账单生成中，请于{ready_hour}点后再下载")

    def trade_bill(self, mchid: str, bill_date: dt.date, bill_type: str = "ALL") -> bytes:
        """The ``bill_type`` trade bill (UTF-8 with BOM) of ``bill_date`` (China time)."""
        if bill_type not in BILL_TYPES:
            raise SimError("PARAM_ERROR", f"bill_type 仅支持 {'/'.join(BILL_TYPES)}", field_name="bill_type")
        self.check_bill_date(bill_date)
        start = dt.datetime.combine(bill_date, dt.time(), CST).timestamp()
        end = start + 86400
        with self._tx():
            orders = [self._settled(load_record(OrderRecord, r[0])) for r in
                      self._db.execute("SELECT data FROM orders WHERE mchid=? ORDER BY created_at", (mchid,))]
            refunds = [self._settle_refund(load_record(RefundRecord, r[0]), self.clock()) for r in self._db.execute(
                "SELECT data FROM refunds WHERE mchid=? AND created_at>=? AND created_at<? ORDER BY created_at",
                (mchid, start, end))]
        by_no = {o.out_trade_no: o for o in orders}
        return render_bill(mchid, start, end, orders, refunds, by_no, bill_type)

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
_COMMON = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类"
ALL_HEADER = (
    _COMMON + ",应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
SUCCESS_HEADER = _COMMON + ",应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注"
REFUND_HEADER = (
    _COMMON + ",应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
SUCCESS_SUMMARY_HEADER = "总交易单数,应结订单总金额,手续费总金额,订单总金额"
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


def _ts(t: float | None) -> str:
    return "" if t is None else dt.datetime.fromtimestamp(t, CST).strftime("%Y-%m-%d %H:%M:%S")


def _nocash(o: OrderRecord) -> int:
    return o.total - settlement_total(o.promotions, o.total)


def render_bill(
    mchid: str,
    start: float,
    end: float,
    orders: list[OrderRecord],
    refunds: list[RefundRecord],
    by_no: Mapping[str, OrderRecord],
    bill_type: str = "ALL",
) -> bytes:
    """The day's bill in WeChat's CSV layout for ``bill_type`` (see module docstring)."""
    del mchid
    settled = fee_units = refunded = order_total = refund_applied = 0
    events: list[tuple[float, dict[str, str]]] = []

    def base(o: OrderRecord, when: float, state: str) -> dict[str, str]:
        return {
            "交易时间": _ts(when), "公众账号ID": o.appid, "商户号": o.mchid, "特约商户号": "0", "设备号": o.device_id,
            "微信订单号": o.transaction_id, "商户订单号": o.out_trade_no, "用户标识": o.openid,
            "交易类型": o.trade_type, "交易状态": state, "付款银行": o.bank_type or "OTHERS", "货币种类": "CNY",
            "商品名称": o.description, "商户数据包": o.attach, "费率": "0.60%", "费率备注": "",
            "充值券退款金额": "0.00",
        }

    if bill_type in ("ALL", "SUCCESS"):
        for o in orders:
            if o.success_at is None or not (start <= o.success_at < end):
                continue
            settle = settlement_total(o.promotions, o.total)
            settled += settle
            fee_units += settle * FEE_RATE_PER_MILLE
            order_total += o.total
            events.append((o.success_at, {
                **base(o, o.success_at, "SUCCESS"), "应结订单金额": format_yuan(settle),
                "代金券金额": format_yuan(_nocash(o)), "微信退款单号": "0", "商户退款单号": "0", "退款金额": "0.00",
                "退款类型": "", "退款状态": "", "手续费": _fee_text(settle), "订单金额": format_yuan(o.total),
                "申请退款金额": "0.00",
            }))
    if bill_type in ("ALL", "REFUND"):
        for o in orders:  # paid-then-reversed payment-code orders: money went back (支出-撤销)
            if o.reversed_after_paid and o.reversed_at is not None and start <= o.reversed_at < end:
                settle = settlement_total(o.promotions, o.total)
                refunded += settle
                refund_applied += o.total
                fee_units -= settle * FEE_RATE_PER_MILLE
                events.append((o.reversed_at, {
                    **base(o, o.reversed_at if bill_type == "ALL" else o.success_at or o.reversed_at, "REVOKED"),
                    "应结订单金额": "0.00", "代金券金额": "0.00", "退款申请时间": _ts(o.reversed_at),
                    "退款成功时间": _ts(o.reversed_at), "微信退款单号": o.transaction_id, "商户退款单号": "REVERSE",
                    "退款金额": format_yuan(settle), "退款类型": "ORIGINAL", "退款状态": "SUCCESS",
                    "手续费": _fee_text(-settle), "订单金额": "0.00", "申请退款金额": format_yuan(o.total),
                }))
        for r in refunds:
            ro = by_no.get(r.out_trade_no)
            if ro is None:
                continue
            o = ro
            refunded += r.refund
            refund_applied += r.refund
            fee_units -= r.refund * FEE_RATE_PER_MILLE
            events.append((r.created_at, {
                **base(o, r.created_at if bill_type == "ALL" else o.success_at or r.created_at, "REFUND"),
                "应结订单金额": "0.00", "代金券金额": "0.00", "退款申请时间": _ts(r.created_at),
                "退款成功时间": _ts(r.success_at), "微信退款单号": r.refund_id, "商户退款单号": r.out_refund_no,
                "退款金额": format_yuan(r.refund), "退款类型": "ORIGINAL", "退款状态": r.status,
                "手续费": _fee_text(-r.refund), "订单金额": "0.00", "申请退款金额": format_yuan(r.refund),
            }))
    if not events:
        raise SimError("NO_STATEMENT_EXIST", "账单文件不存在")
    events.sort(key=lambda e: e[0])
    header = {"ALL": ALL_HEADER, "SUCCESS": SUCCESS_HEADER, "REFUND": REFUND_HEADER}[bill_type]
    columns = header.split(",")
    lines = [header] + [",".join(_csv_cell(row[c]) for c in columns) for _, row in events]
    fee_text = ("-" if fee_units < 0 else "") + f"{abs(fee_units) // 100000}.{abs(fee_units) % 100000:05d}"
    if bill_type == "SUCCESS":
        lines.append(SUCCESS_SUMMARY_HEADER)
        summary = [str(len(events)), format_yuan(settled), fee_text, format_yuan(order_total)]
    else:
        lines.append(SUMMARY_HEADER)
        summary = [str(len(events)), format_yuan(settled), format_yuan(refunded), "0.00", fee_text,
                   format_yuan(order_total), format_yuan(refund_applied)]
    lines.append(",".join("`" + x for x in summary))
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")
