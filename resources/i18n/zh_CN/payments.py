"""Chinese for pos_app/ui/texts/payments.py (the texts the till showed before keys)."""

ZH = {
    "Paid with the other channel: this QR is closed, nothing charged":
        "顾客已用另一渠道支付：此二维码已关闭，未扣款",
    "PAID TWICE: the customer also paid the other QR — refund this payment":
        "重复支付：顾客两个二维码都付了款 — 请退还这笔付款",
    "Paid": "支付成功",
    "Paid late: the customer's payment went through after all — the sale is paid (refund "
    "it if the customer no longer wants it)":
        "迟到的付款：顾客的付款最终成功，本单已收款（如顾客不再购买，请办理退款）",
    "Waiting for the customer to enter the password…": "等待顾客输入支付密码…",
    "Ask the customer to scan the QR code and pay": "请顾客扫码付款",
    "Charging the payment code…": "正在扣款…",
    "Network problem: checking the result — do not charge again…":
        "网络异常，正在查询支付结果，请勿重复收款…",
    "Cancelled, nothing charged": "已取消，未扣款",
    "QR code expired, order closed, nothing charged": "二维码已过期，订单已关闭，未扣款",
    "Cancelled, order closed, nothing charged": "已取消，订单已关闭，未扣款",
    "Could not create the QR code (network), nothing charged":
        "无法生成付款二维码（网络异常），未扣款",
    "The payment service has no such order, nothing charged": "支付平台无此订单，未扣款",
    "The customer did not pay in time: reversed, nothing charged":
        "顾客未在规定时间内完成支付，已撤销，未扣款",
    "Cancelled and reversed, nothing charged": "已取消并撤销，未扣款",
    "The customer's payment failed: reversed, nothing charged": "顾客支付失败，已撤销，未扣款",
    "Outcome unknown, reversed: any charge will be refunded":
        "支付结果未知，已撤销；如顾客已被扣款将原路退回",
    "The payment service received no such charge, nothing charged": "支付平台未收到此笔扣款，未扣款",
    "Reverse failed, outcome unknown: do not charge again; retry later":
        "撤销未成功，支付结果未知：请勿重复收款，稍后重试确认",
    "Close failed, the customer may still pay: do not charge again":
        "关单未成功，顾客仍可能付款：请勿重复收款，稍后重试确认",
    "The payment service is unreachable, outcome unknown: do not charge again; retry when online":
        "无法连接支付平台，支付结果未知：请勿重复收款，联网后重试确认",
    "Internal error, outcome unknown: do not charge again; retry later":
        "内部错误，支付结果未知：请勿重复收款，稍后重试确认",
    "The payment service reports {paid_fen} paid but {expected_fen} was due: do not charge "
    "again, ask the manager to check":
        "支付平台实付金额 {paid_fen} 与应收 {expected_fen} 不符：请勿重复收款，请联系店长核对",
    "Cash received, change {change_fen}": "现金收款完成，找零 {change_fen}",
    "Cash payment not completed, not booked": "现金收款未完成，未记账",
    "Payment code expired: ask the customer to refresh it and scan again (nothing charged)":
        "付款码已过期，请顾客刷新付款码后重新扫码（未扣款）",
    "Payment code already used (each code works once): ask the customer to refresh it "
    "(nothing charged)":
        "付款码无效（每个付款码只能使用一次），请顾客刷新后重新扫码（未扣款）",
    "Invalid payment code: scan the code shown in the customer's WeChat or Alipay (nothing "
    "charged)":
        "付款码无效，请扫描顾客微信或支付宝中的付款码（未扣款）",
    "Insufficient balance: ask the customer to use another card or method (nothing charged)":
        "顾客余额不足，请顾客更换银行卡或其他付款方式（未扣款）",
    "The customer's card is not supported here: ask for another method (nothing charged)":
        "顾客的卡不支持此交易，请更换付款方式（未扣款）",
    "The payer does not match the order: start a new sale (nothing charged)":
        "付款人与订单不一致，请重新下单（未扣款）",
    "Payment refused (risk control or no usable method): ask for another method "
    "(nothing charged)":
        "交易失败（风控或无可用支付方式），请顾客更换付款方式（未扣款）",
    "Payment restricted: ask for another method (nothing charged)":
        "交易受限，请顾客更换付款方式（未扣款）",
    "The customer's account is restricted: ask for another method (nothing charged)":
        "顾客账户异常，请更换付款方式（未扣款）",
    "The merchant account lacks this permission: ask the administrator to check the payment "
    "setup (nothing charged)":
        "商户无此接口权限，请联系管理员检查支付配置（未扣款）",
    "Signature rejected: ask the administrator to check the merchant certificate "
    "(nothing charged)":
        "签名错误，请联系管理员检查商户证书配置（未扣款）",
    "Payment channel configuration error: {detail} (nothing charged)":
        "支付渠道配置错误：{detail}（未扣款）",
    "Request refused as invalid, nothing charged": "请求参数错误，未扣款",
    "Order number already used: start the payment again (nothing charged)":
        "商户订单号重复，请重新发起支付（未扣款）",
    "Payment failed: {detail} (nothing charged)": "支付失败：{detail}（未扣款）",
    "Note: {text}": "记录：{text}",
    "The cart is empty": "购物车为空",
    "Not a payment code (WeChat: 18 digits starting with 10–15; Alipay: "
    "16–24 digits starting with 25–30): scan again":
        "不是付款码（微信：10–15 开头的 18 位数字；支付宝：25–30 开头的 16–24 位数字），请重新扫码",
    "This payment channel is not enabled for this shop: ask for another way "
    "to pay (nothing charged)":
        "本店未开通该支付渠道，请顾客换一种支付方式（未扣款）",
    "The amount tendered is not valid": "收款金额无效",
    "Tendered {tendered_fen} is less than the {total_fen} due":
        "实收 {tendered_fen} 少于应收 {total_fen}",
    "Order {order_id} does not exist": "订单 {order_id} 不存在",
    "This order is already paid: do not charge again": "该订单已付款，请勿重复收款",
    "This order was voided or refunded": "该订单已作废或已退款",
    "This order has a payment whose outcome is unknown: do not charge again, confirm it first":
        "该订单有一笔结果未知的支付，请勿重复收款，请先确认结果",
    "This order has a payment in progress": "该订单有一笔正在进行的支付",
    "This order has a payment in progress, with an unknown outcome, or paid":
        "该订单有一笔正在进行、结果未知或已成功的支付",
    "The amount is 0: no payment needed": "金额为 0，无需支付",
    "Checking unfinished payments, please wait": "正在核对未完成的支付，请稍候",
    "Network down: the payment service could not be reached, nothing was charged — take cash, "
    "or try again when the network is back":
        "网络不通：无法连接支付平台，未扣款——请收现金，或网络恢复后再试",
    "Payment received, cannot save: free disk space (the till saves it as soon as it can)":
        "已收到付款，但无法保存：请清理磁盘空间（收银机会尽快自动保存）",
    "Cannot save the payment result: free disk space — do not charge again (the till "
    "retries by itself)":
        "无法保存支付结果：请清理磁盘空间——请勿重复收款（收银机会自动重试）",
    "Cannot save: free disk space — no new sale until the till can write":
        "无法保存：请清理磁盘空间——在恢复写入前不能开始新交易",
    "Low disk space: {free_mb} MB free — free some space":
        "磁盘空间不足：仅剩 {free_mb} MB——请清理空间",
}
