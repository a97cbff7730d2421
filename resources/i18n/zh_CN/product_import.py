"""Chinese for pos_app/ui/texts/product_import.py."""

ZH = {
    "Cannot read {path}: {reason}": "无法读取 {path}：{reason}",
    "{path} is larger than {max_mb} MB: is it really a product list?":
        "{path} 超过 {max_mb} MB：确定是商品表吗？",
    "line {line}, column {column}: not valid UTF-8 text (save the file as "
    "UTF-8 or as Excel's Chinese CSV)":
        "第 {line} 行，{column} 列：不是有效的 UTF-8 文本（请另存为 UTF-8 或 Excel 的中文 CSV）",
    "line {line}: the file is neither UTF-8 nor GB18030/GBK text":
        "第 {line} 行：文件既不是 UTF-8 也不是 GB18030/GBK 文本",
    "Read as {encoding} (not UTF-8)": "已按 {encoding} 编码读取（非 UTF-8）",
    "The first line must name the columns sku,barcode,name,price; missing: {columns}":
        "第一行须为列名 sku,barcode,name,price；缺少：{columns}",
    "line {line}: not valid CSV ({reason})": "第 {line} 行：CSV 格式错误（{reason}）",
    "line {line}, column {column}: required": "第 {line} 行，{column} 列：不能为空",
    "line {line}, column {column}: {length} characters, at most {max_length}":
        "第 {line} 行，{column} 列：{length} 个字符，最多 {max_length} 个",
    "line {line}, column {column}: {value} appears twice (also on line {first_line})":
        "第 {line} 行，{column} 列：{value} 重复（第 {first_line} 行已有）",
    "line {line}, column {column}: barcode {value} already belongs to product {sku}":
        "第 {line} 行，{column} 列：条码 {value} 已属于商品 {sku}",
    "line {line}, column {column}: {value} is not a valid EAN-13/EAN-8/UPC barcode":
        "第 {line} 行，{column} 列：{value} 不是有效的 EAN-13/EAN-8/UPC 条码",
    "line {line}, column {column}: {value} is not an amount in yuan (e.g. 3.50)":
        "第 {line} 行，{column} 列：{value} 不是以元为单位的金额（如 3.50）",
    "line {line}, column {column}: the price must be positive":
        "第 {line} 行，{column} 列：价格必须大于零",
    "line {line}, column {column}: the price is above {max_fen}":
        "第 {line} 行，{column} 列：价格超过 {max_fen}",
    "{path}: no products (expected columns sku,barcode,name,price)":
        "{path}：没有商品（应有列 sku,barcode,name,price）",
    "{problems} problem(s): nothing was imported": "{problems} 处问题：未导入任何商品",
    "imported {count} products": "已导入 {count} 个商品",
}
