"""Chinese for pos_app/ui/texts/domain.py."""

ZH = {
    "The quantity must be at least 1": "数量至少为 1",
    "The quantity must be at most {max}": "数量最多为 {max}",
    "The quantity must be between 1 and {max}": "数量须在 1 到 {max} 之间",
    "The line discount would exceed the line amount": "单品优惠不能超过该行金额",
    "A line discount must be between 0 and the line amount": "单品优惠须在 0 到该行金额之间",
    "The order discount must be between 0 and the subtotal": "整单优惠须在 0 到小计之间",
    "No such line": "没有这一行",
    "A percentage must be between 0% and 100% (for example 10% or 12.5%)":
        "折扣百分比须在 0% 到 100% 之间（例如 10% 或 12.5%）",
    "Not an amount (for example 12.50)": "金额格式不正确（例如 12.50）",
    "WeChat payment code": "微信付款码",
    "Product barcode": "商品条码",
    "Alipay payment code": "支付宝付款码",
    "Alipay is not enabled for this shop; please use another way to pay":
        "本店未开通支付宝收款，请使用其他支付方式",
    "Nothing was scanned; please scan again": "未读取到条码，请重新扫描",
    "Barcode check digit is wrong; please scan again": "条码校验位错误，请重新扫描",
    "Not a valid WeChat payment code (18 digits starting 10–15)":
        "不是有效的微信付款码（应为10–15开头的18位数字）",
    "Unrecognised barcode": "无法识别的条码",
}
