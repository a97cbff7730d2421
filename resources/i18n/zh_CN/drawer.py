"""Chinese for pos_app/ui/texts/drawer.py."""

ZH = {
    "The cash drawer did not open: open it with its key": "钱箱未能打开：请用钥匙打开",
    "Opening the drawer without a sale needs a manager": "无销售开钱箱需要店长授权",
}
