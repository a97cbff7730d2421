"""Chinese for pos_app/ui/texts/products.py and the products / open-price / sales report
screens (pos_app/ui/manager/products*.py, sales_reports*.py, open_price.py)."""

ZH = {
    "The SKU has at most {max_length} characters": "货号最多 {max_length} 个字符",
    "The name has at most {max_length} characters": "品名最多 {max_length} 个字符",
    "The category has at most {max_length} characters": "品类最多 {max_length} 个字符",
    "The SKU is required (or a barcode, which then is the SKU)": "货号必填（或填写条码，条码即作货号）",
    "The name is required": "品名必填",
    "The price is required": "价格必填",
    "Barcode {value} is not a valid EAN-13/EAN-8/UPC (check digit)":
        "条码 {value} 不是有效的 EAN-13/EAN-8/UPC 条码（校验位错误）",
    "Price {value} is not an amount in yuan (e.g. 3.50)": "价格 {value} 不是以元为单位的金额（例如 3.50）",
    "The price must be positive": "价格必须大于零",
    "The price is above {max_fen}": "价格超过上限 {max_fen}",
    "The quick key is a number from 1 to {max}, or empty": "快捷键为 1 到 {max} 的数字，或留空",
    "The scale item code is 1 to 6 digits (not all zeros), or empty":
        "电子秤商品编码为 1 到 6 位数字（不能全为 0），或留空",
    "SKU {value} already belongs to {name}": "货号 {value} 已被 {name} 使用",
    "Barcode {value} already belongs to {name} ({sku})": "条码 {value} 已被 {name}（{sku}）使用",
    "Quick key {value} already belongs to {name} ({sku})": "快捷键 {value} 已被 {name}（{sku}）使用",
    "Scale item code {value} already belongs to {name} ({sku})":
        "电子秤编码 {value} 已被 {name}（{sku}）使用",
    "This product is no longer in the catalogue": "该商品已不在商品库中",
    "Saved {name}": "已保存 {name}",
    "Exported {count} products to {path}": "已导出 {count} 个商品到 {path}",
    "Cannot write {path}: {reason}": "无法写入 {path}：{reason}",
    "No product with barcode {barcode} — Ctrl+N adds it (manager)":
        "没有条码为 {barcode} 的商品 — 按 Ctrl+N 新增（需店长）",
    "No product has scale item code {item_code}: set it in the products":
        "没有电子秤编码为 {item_code} 的商品：请在商品管理中设置",
    "Choose the category the amount is sold under": "请选择该金额所属的品类",
    "Type a positive amount in yuan (e.g. 12.50)": "请输入大于零的金额（元，例如 12.50）",
    "The amount is above {max_fen}": "金额超过上限 {max_fen}",
    "The first day must not be after the last day": "开始日期不能晚于结束日期",
    "A report covers at most {max_days} days": "报表最多覆盖 {max_days} 天",
}
