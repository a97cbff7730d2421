"""Chinese for pos_app/ui/texts/scale.py."""

ZH = {
    "A scale label barcode has digits only": "电子秤条码只能是数字",
    "A scale label barcode has 13 digits, this one has {length}":
        "电子秤条码应为 13 位，此条码为 {length} 位",
    "Not a scale label of the configured format": "不是所设置格式的电子秤条码",
    "The barcode check digit is wrong: scan the label again": "条码校验位错误：请重新扫描标签",
    "The price or weight check digit is wrong: scan again or reprint the label":
        "金额或重量校验位错误：请重新扫描或重新打印标签",
    "The label shows no price or weight: weigh the item again": "标签上的金额或重量为零：请重新称重",
    "Item {item_code} has no price per kg: set it in the products":
        "商品 {item_code} 没有设置每公斤单价：请在商品管理中设置",
    "The price per kg must be a whole number of fen, zero or more": "每公斤单价必须是不小于零的整数（分）",
    "The scale barcode format must add up to 13 digits (now {total})":
        "电子秤条码格式各部分合计须为 13 位（当前 {total} 位）",
    "The scale barcode flags must be digits starting with 2, all the same length":
        "电子秤条码标志位须为以 2 开头、长度相同的数字",
    "The item code and the value need at least one digit each": "商品编码和数值至少各需 1 位",
    "Decimals: 0 to 2 for a price, 0 to 3 for a weight in kg":
        "小数位：金额为 0 到 2 位，重量（公斤）为 0 到 3 位",
    "A price or weight check digit needs a 4- or 5-digit value": "金额或重量校验位只适用于 4 位或 5 位数值",
}
