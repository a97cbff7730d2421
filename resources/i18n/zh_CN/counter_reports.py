"""Chinese for the X/Z report's discount, cash-movement, approval and blind-count labels,
the cash in / cash out refusals and the cash in / out screen."""

ZH = {
    "Approved by": "批准人",
    "Discounts given": "优惠合计",
    "Line amounts": "单品减价",
    "Percentages": "折扣（百分比）",
    "Order amounts": "整单减价",
    "Rounding (抹零)": "抹零",
    "Cash in / out": "存取款",
    "Cash in": "存入现金",
    "Cash out": "取出现金",
    "Expected cash: counted blind at the Z": "应有现金：交班（Z）时盲点",
    "The amount must be more than ¥0 and at most {max_fen}": "金额须大于 ¥0，且不超过 {max_fen}",
    "A reason is required": "请填写原因",
    "The reason may be at most {max} characters": "原因最多 {max} 个字",
    "That is more cash than the drawer should hold": "取出金额超过钱箱应有现金",
}
