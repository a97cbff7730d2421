"""Chinese for pos_app/ui/texts/manager.py."""

ZH = {
    "The PIN must be 4–8 digits": "PIN 必须是 4–8 位数字",
    "The PIN must not repeat one digit": "PIN 不能全是相同数字",
    "The PIN must not be a run like 1-2-3-4": "PIN 不能是连续数字（如 1-2-3-4）",
    "The new PIN must differ from the old": "新 PIN 不能与旧 PIN 相同",
    "Wrong user or PIN": "用户名或 PIN 错误",
    "Wrong user or PIN ({left} tries left)": "用户名或 PIN 错误（还可尝试 {left} 次）",
    "Too many wrong PINs: account locked, try again later":
        "PIN 错误次数过多，账户已锁定，请稍后再试",
    "Too many wrong PINs: account locked for a while": "PIN 错误次数过多，账户已锁定 5 分钟",
    "This user may not approve this action": "该用户无权批准此操作",
    "This needs an approval for that action": "需要相应权限的批准",
    "The user name must be 1–32 characters": "用户名需 1–32 个字符",
    "That user name is taken": "用户名已存在",
    "No such user": "没有此用户",
    "The first account must be an admin (--role admin)": "第一个账号必须是管理员（admin）",
    "This needs --approver NAME (an admin)": "需要管理员批准（--approver）",
    "The two PINs differ": "两次输入的 PIN 不一致",
    "A shift is already open": "已有未交班的班次",
    "No such open shift": "班次不存在或已交班",
    "No open shift: open one first": "没有进行中的班次，请先开班",
    "The opening float must be between 0 and {max_fen}": "备用金必须在 0 到 {max_fen} 之间",
    "The counted cash must be between 0 and {max_fen}": "实点现金必须在 0 到 {max_fen} 之间",
    "{count} payment(s) still unresolved: settle them before closing the shift":
        "还有 {count} 笔支付结果未确定，请先处理再交班",
    "Refund exceeds the refundable amount {refundable_fen}": "退款金额超过可退金额 {refundable_fen}",
    "A refund reason is required": "请填写退款原因",
    "The reason may be at most {max} characters": "退款原因最多 {max} 个字",
    "Choose a full, by-line, by-amount or paid-twice refund":
        "请选择整单、按商品、按金额或重复付款退款",
    "Nothing is owed back on this order: it was not paid twice, or the extra payment has "
    "been refunded": "此订单没有待退的重复付款：未重复付款，或多付的那笔已退回",
    "The extra payment has only {left_fen} left to refund, less than the {owed_fen} owed: "
    "refund by amount instead": "多付的那笔仅剩 {left_fen} 可退，少于应退的 {owed_fen}：请改为按金额退款",
    "Amount must be integer fen": "金额必须以分为单位的整数",
    "Nothing to refund": "没有可退的金额",
    "Original order not found": "找不到原订单",
    "Refund not found": "找不到退款记录",
    "Offline: WeChat refunds unavailable": "离线：微信退款暂不可用",
    "Invalid refund line or quantity": "退货商品或数量无效",
    "At most {remaining} of {name} can still be refunded": "{name} 最多还能退 {remaining} 件",
    "Paid more than a year ago: cannot refund to WeChat Pay": "支付已超过一年，不能原路退款",
    "This payment already has {max} refunds (the maximum)": "该笔支付退款次数已达上限（{max} 次）",
    "Refund outcome unknown: retry later (same refund number, no double refund)":
        "退款结果未知，请稍后重试（将使用同一退款单号，不会重复退款）",
    "Refund processing: balance ~5 min, bank card 1–3 working days":
        "退款处理中：零钱约 5 分钟到账，银行卡 1–3 个工作日",
    "Refund succeeded": "退款成功",
    "Refund closed, nothing was refunded; start a new refund if needed":
        "退款已关闭，款项未退出；如需退款请重新发起",
    "Refund abnormal: the customer's account cannot receive it (card "
    "cancelled or frozen). In the merchant portal use abnormal-refund handling to "
    "refund to another account of the customer, or refund offline and mark it there":
        "退款异常：用户收款账户异常（银行卡已注销或冻结）。请在商户平台使用“异常退款处理”"
        "退至用户的其他账户，或线下退款后在商户平台标记",
    "Refund refused, nothing was refunded: the merchant account balance is "
    "too low. Top up the balance in the merchant portal, then refund again":
        "退款被拒绝，款项未退出：商户账户余额不足。请在商户平台充值后重新退款",
    "WeChat Pay did not accept the refund yet (refunds of one order must be "
    "a minute apart, or too many requests). Retry after {at}: same refund number, "
    "no double refund":
        "微信支付暂未受理该退款（同一订单的退款须间隔一分钟，或请求过于频繁）。"
        "请于 {at} 后重试：使用同一退款单号，不会重复退款",
    "Refund still processing: refunds to a bank card take up to {days} "
    "working days; nothing to do, check again later":
        "退款仍在处理中：退至银行卡最长需 {days} 个工作日；无需操作，请稍后查看",
    "Refund refused, nothing was refunded": "退款被拒绝，款项未退出",
    "Paid more than 3 months ago: Alipay no longer refunds it (give the money back another "
    "way)":
        "付款已超过 3 个月：支付宝不再受理退款（请用其他方式退还）",
    "Refund refused, nothing was refunded: {detail}": "退款被拒绝，款项未退出：{detail}",
    "Give back {amount_fen} in cash from the drawer": "请从钱箱退还现金 {amount_fen}",
    "That day is not over yet: a day's bill is ready after 10:00 the next morning. "
    "Choose yesterday or earlier":
        "该日尚未结束：账单在次日 10:00 后生成。请选择昨天或更早的日期",
    "The bill for that day is not available yet (generated after 10:00 the next "
    "morning): try again later":
        "该日的账单尚未生成（次日 10:00 后生成），请稍后再试",
    "The payment channel has no trades of this shop on that day": "支付渠道显示本店该日没有交易",
    "Settlement differs (a merchant-funded coupon?)": "应结金额不一致（商户出资的优惠券？）",
    "Malformed trade bill: {why}": "账单格式错误：{why}",
    "Paid in the bill, missing locally": "账单已收款，本地无记录",
    "Paid locally, not in the bill": "本地已收款，账单中没有",
    "Amounts differ": "金额不一致",
    "Refund in the bill, missing locally": "账单有退款，本地无记录",
    "Local refund, not in the bill": "本地有退款，账单中没有",
    "Refund amounts differ": "退款金额不一致",
    "Refund states differ": "退款状态不一致",
    "This mismatch cannot be fixed automatically": "此差异不能自动修复",
    "Re-query: not paid at the payment channel, nothing recorded": "复查结果：支付渠道未收款，不予补录",
    "Re-queried amount differs from the bill: check by hand": "复查金额与账单不符，请人工处理",
    "The local attempt is final ({state}): check by hand (a refund may be owed)":
        "本地支付记录已是“{state}”终态，请人工核对后处理（可能需退款）",
    # the printed X/Z report
    "X REPORT (mid-shift)": "X 报表（班中）",
    "Z REPORT (shift close)": "Z 报表（交班）",
    "Shift": "班次",
    "Opened": "开班",
    "Closed": "交班",
    "Printed": "打印",
    "By": "操作员",
    "Sales": "销售",
    "Refunds": "退款",
    "Net": "净额",
    "Total": "合计",
    "Refunds in progress": "退款处理中",
    "Opening float": "备用金",
    "Cash sales": "现金销售",
    "Cash refunds": "现金退款",
    "Expected cash": "应有现金",
    "Counted cash": "实点现金",
    "Difference": "差额",
    "Unresolved payments (not in sales)": "支付结果未确定（未计入销售）",
    "Channel coupons": "支付渠道优惠券",
    "Order total": "订单金额",
    "Customers paid": "顾客实付",
    "Channels settle": "渠道结算金额",
    "QR payment": "扫码收款",
    "Payment-code payment": "付款码收款",
    "By channel": "按支付渠道",
    "Refunds owed (paid twice)": "待退款（重复付款）",
    "WeChat Pay": "微信支付",
    "Alipay": "支付宝",
    "Cash": "现金",
    "Refund {out_refund_no} of {amount_fen}: succeeded": "退款 {out_refund_no}（{amount_fen}）：退款成功",
    "Refund {out_refund_no} of {amount_fen}: closed by the payment service, nothing refunded":
        "退款 {out_refund_no}（{amount_fen}）：已被支付平台关闭，未退款",
    "Refund {out_refund_no} of {amount_fen}: abnormal, the customer's account cannot receive "
    "it — handle it in the merchant portal":
        "退款 {out_refund_no}（{amount_fen}）：退款异常，顾客账户无法入账——请在商户平台处理",
}
