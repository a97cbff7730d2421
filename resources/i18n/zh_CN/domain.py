"""Chinese for pos_app/ui/texts/domain.py."""

ZH = {
    "The quantity must be at least 1": "数量至少为 1",
    "The quantity must be at most {max}": "数量最多为 {max}",
    "The quantity must be between 1 and {max}": "数量须在 1 到 {max} 之间",
    "The line discount would exceed the line amount": "单品优惠不能超过该行金额",
    "A line discount must be between 0 and the line amount": "单品优惠须在 0 到该行金额之间",
    "The order discount must be between 0 and the subtotal": "整单优惠须在 0 到小计之间",
    "No such line": "没有这一行",
    "Not an amount (for example 12.50)": "金额格式不正确（例如 12.50）",
}
