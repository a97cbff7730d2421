"""Fill resources/i18n/pos_app_zh_CN.ts from the table below, then compile the .qm.

Run ``bash resources/i18n/update.sh`` (pyside6-lupdate over pos_app/ui and app.py,
then this script). The table below holds the UI's own strings; the message catalogs'
Chinese is in ``zh_CN/*.py`` (one ``ZH`` dict per catalog) and is merged in here.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
TS = HERE / "pos_app_zh_CN.ts"
QM = HERE / "pos_app_zh_CN.qm"

ZH: dict[str, str] = {
    # cart
    "Item": "商品", "Qty": "数量", "Price": "单价", "Discount": "优惠", "Amount": "金额",
    # payment states
    "Starting…": "正在发起…",
    "Contacting WeChat Pay…": "正在连接微信支付…",
    "Contacting Alipay…": "正在连接支付宝…",
    "Cancelling… waiting for Alipay to confirm": "正在取消… 等待支付宝确认",
    "Alipay — customer scans": "支付宝 — 顾客扫码",
    "Ask the customer to scan with Alipay": "请顾客用支付宝扫一扫",
    "Alipay — scan payment code": "支付宝 — 扫付款码",
    "Scan the customer's Alipay payment code": "请扫描顾客的支付宝付款码",
    "Payment code — WeChat Pay or Alipay": "付款码 — 微信支付或支付宝",
    "Scan the customer's payment code (WeChat or Alipay)": "请扫描顾客的付款码（微信或支付宝）",
    "Waiting for the customer to scan and pay…": "等待顾客扫码付款…",
    "Waiting for the customer to enter the password…": "等待顾客输入支付密码…",
    "Paid": "支付成功",
    "Closed — nothing was charged": "订单已关闭 — 未扣款",
    "Cancelled (reversed) — nothing was charged": "已撤销 — 未扣款",
    "Failed — nothing was charged": "支付失败 — 未扣款",
    "Outcome unknown — do NOT charge again; it will be checked":
        "结果未知 — 请勿重复收款，系统将继续核实",
    # payment dialogs
    "Cancel payment (Esc)": "取消支付 (Esc)",
    "Done (Enter)": "完成 (Enter)",
    "Could not start the payment": "无法发起支付",
    "Cancelling… waiting for WeChat Pay to confirm": "正在取消… 等待微信支付确认",
    "The payment is still running: use Cancel (Esc)": "支付仍在进行中：请使用“取消支付 (Esc)”",
    "Close (Esc)": "关闭 (Esc)",
    "WeChat Pay — customer scans": "微信支付 — 顾客扫码",
    "Ask the customer to scan with WeChat": "请顾客用微信扫一扫",
    "QR code expired — closing the order…": "二维码已过期 — 正在关闭订单…",
    "QR code valid for %1:%2": "二维码有效期剩余 %1:%2",
    "WeChat Pay — scan payment code": "微信支付 — 扫付款码",
    "Scan the customer's WeChat payment code": "请扫描顾客的微信付款码",
    "…or type the 18-digit code and press Enter": "…或输入 18 位付款码后按 Enter",
    "Ready — scan now": "就绪 — 请扫码",
    "A payment is in progress — wait for its outcome": "支付进行中 — 请等待结果",
    "Code %1": "付款码 %1",
    "Charging…": "正在扣款…",
    "Scan a new code, or close and choose another payment method":
        "请重新扫码，或关闭后选择其他支付方式",
    "Cash payment": "现金收款",
    "Amount due": "应收",
    "Tendered (¥)": "实收 (¥)",
    "Change": "找零",
    "Exact": "正好",
    "Take cash (Enter)": "确认收款 (Enter)",
    "Back (Esc)": "返回 (Esc)",
    "not an amount": "金额无效",
    "%1 short": "还差 %1",
    "Enter the amount received, e.g. 100 or 20.50": "请输入实收金额，例如 100 或 20.50",
    "Not enough: %1 short": "金额不足：还差 %1",
    "Change over ¥1000 — check the amount received": "找零超过 ¥1000 — 请核对实收金额",
    "Recording…": "正在记账…",
    "Paid — give %1 change": "已收款 — 请找零 %1",
    # customer phone
    "Customer phone (demo)": "顾客手机（演示）",
    "Scan && pay": "扫码付款",
    "Payment code": "付款码",
    "WeChat (simulated)": "微信（模拟）",
    "No QR code on the till right now": "收银台当前没有显示二维码",
    "Scan the till's QR and pay": "扫描收银台二维码并付款",
    "Scenario": "场景",
    "New code": "刷新付款码",
    "Present to scanner": "出示给扫码枪",
    "The till asks for %1": "收银台请求付款 %1",
    "Paying…": "正在付款…",
    "Payment sent ✓": "已付款 ✓",
    "Payment failed: %1": "付款失败：%1",
    # login
    "Sign in": "登录",
    "4–8 digits": "4–8 位数字",
    "User": "用户",
    "PIN": "PIN 码",
    "Sign in (Enter)": "登录 (Enter)",
    "Cashier": "收银员",
    "Manager": "店长",
    "Administrator": "管理员",
    "Demo accounts (PIN): 王芳 2580 cashier · 李经理 1470 manager · 张老板 3690 admin":
        "演示账号（PIN）：王芳 2580 收银员 · 李经理 1470 店长 · 张老板 3690 管理员",
    "Settings are for managers: sign in as a manager": "设置仅限店长：请用店长账号登录",
    "Open settings": "打开设置",
    "Order %1: outcome unknown, do not charge again. Press F12 again to clear the sale anyway":
        "订单 %1 结果未知，请勿重复收款。再按一次 F12 仍要清空本单",
    "Payment code read — check the amount, then press Enter to charge": "已读取付款码 — 请核对金额，按 Enter 收款",
    "Press Enter to charge this code": "按 Enter 用此付款码收款",
    "That is a product barcode, not a payment code: scan the customer's WeChat payment code": "这是商品条码，不是付款码：请扫描顾客的微信付款码",
    "Finish the current payment first: %1 was not added": "请先完成当前支付：未加入 %1",
    "Order %1 was paid after all: sale finished": "订单 %1 已确认付款：本单完成",
    "Order %1 was paid after all: the cart was changed since, check it before charging": "订单 %1 已确认付款：购物车已改动，收款前请核对",
    "order %1: outcome unknown, do not charge again": "订单 %1 结果未知，请勿重复收款",
    "No users are set up. Create the first one with: pos-app add-user NAME --role admin":
        "尚未设置用户。请先运行：pos-app add-user 姓名 --role admin 创建第一个账号",
    "Enter your PIN": "请输入 PIN 码",
    "Checking…": "正在验证…",
    "Sign-in failed: %1": "登录失败：%1",
    # main window
    "WeChat Pay cashier — %1": "微信支付收银台 — %1",
    "Checking unfinished payments…": "正在核实未完成的支付…",
    "Scan, type a barcode or search products (F2)": "扫码、输入条码或搜索商品 (F2)",
    "Quantity": "数量",
    "Line discount": "单品优惠",
    "Order discount": "整单优惠",
    "Remove line": "删除商品",
    "Clear sale": "清空",
    "Items": "件数",
    "Subtotal": "小计",
    "Total": "应收合计",
    "WeChat QR": "微信收款码",
    "Alipay QR": "支付宝收款码",
    "Alipay code": "支付宝付款码",
    "WeChat / Alipay (simulated)": "微信 / 支付宝（模拟）",
    "Cash": "现金",
    "Customer phone": "顾客手机",
    "Settings": "设置",
    "Sign out": "退出登录",
    "DEMO MODE — simulated WeChat Pay": "演示模式 — 模拟微信支付",
    "LIVE": "正式环境",
    "Cashier: %1": "收银员：%1",
    "Recovery: nothing unfinished": "恢复检查：无未完成支付",
    "Recovery: %1 resolved (%2)": "恢复检查：已处理 %1 笔（%2）",
    "Recovery failed: %1 — unfinished payments stay blocked":
        "恢复检查失败：%1 — 未完成的支付保持锁定",
    "Serial scanner: %1": "串口扫码枪：%1",
    "Added %1": "已添加 %1",
    "Amount off %1 (¥, up to %2)": "%1 优惠金额（¥，最多 %2）",
    "Amount off the whole order (¥, up to %1)": "整单优惠金额（¥，最多 %1）",
    "Finish the current payment first": "请先完成当前支付",
    "No product with barcode %1": "未找到条码为 %1 的商品",
    "Wait: unfinished payments are still being checked": "请稍候：正在核实未完成的支付",
    "The cart is empty": "购物车为空",
    "Order %1: %2": "订单 %1：%2",
    "Payment outcome unknown: do not charge again": "支付结果未知：请勿重复收款",
    "no printer configured (Settings, F11)": "未配置打印机（设置，F11）",
    "Merchant config saved: restart the till to use it": "商户配置已保存：重启收银台后生效",
    "A payment is in progress": "有支付正在进行",
    # receipt
    "Receipt": "小票",
    "Print (Ctrl+P)": "打印 (Ctrl+P)",
    "New sale (Enter)": "下一单 (Enter)",
    "Printing…": "正在打印…",
    "Print failed: %1": "打印失败：%1",
    "Printed": "已打印",
    # settings
    "WeChat Pay merchant": "微信支付商户",
    "Alipay merchant": "支付宝商户",
    "…or type the code (WeChat 18 digits, Alipay 16–24) and press Enter":
        "…或输入付款码（微信 18 位，支付宝 16–24 位）后按 Enter",
    "Cashier (WeChat Pay · Alipay) — %1": "收银台（微信支付 · 支付宝）— %1",
    "DEMO MODE — simulated WeChat Pay and Alipay": "演示模式 — 模拟微信支付和支付宝",
    "Alipay merchant config file (JSON or TOML) with app_id, the app private key and the "
    "Alipay public key or the three certificates. It is used after a restart; empty: the "
    "till does not take Alipay.":
        "支付宝商户配置文件（JSON 或 TOML），含 app_id、应用私钥，以及支付宝公钥或三个证书。"
        "重启后生效；留空则本收银台不收支付宝。",
    "Alipay merchant config": "支付宝商户配置",
    "No file: the till does not take Alipay": "未指定文件：本收银台不收支付宝",
    "Scanner": "扫码枪",
    "Receipt printer": "小票打印机",
    "Merchant config file (JSON or TOML) with mchid, appid, key paths. "
    "It is used after a restart; without it the till runs in demo mode.":
        "商户配置文件（JSON 或 TOML），包含商户号、AppID 和密钥路径。重启后生效；未配置时以演示模式运行。",
    "Browse…": "浏览…",
    "Validate": "校验",
    "Merchant config": "商户配置",
    "No file: the till runs in demo mode": "未指定文件：以演示模式运行",
    "OK: %1": "可用：%1",
    "Not usable: %1": "不可用：%1",
    "Keyboard (USB HID) scanner": "键盘口（USB HID）扫码枪",
    "Scanner sends Enter/Tab after each code": "扫码枪在每个条码后发送 Enter/Tab",
    "Max gap between keys": "按键最大间隔",
    "Max average gap": "平均间隔上限",
    "Minimum code length": "最短条码长度",
    "Serial / USB-CDC scanner": "串口 / USB 虚拟串口扫码枪",
    "none (idle gap)": "无（按空闲间隔分割）",
    "Port": "端口",
    "Baud rate": "波特率",
    "Suffix": "后缀",
    "Scan test — scan anything:": "扫码测试 — 请扫描任意条码：",
    "Apply now": "立即应用",
    "No printer": "不使用打印机",
    "Serial port": "串口",
    "File / device node": "文件 / 设备节点",
    "Printer": "打印机",
    "Port or file": "端口或文件",
    "Chinese encoding": "中文编码",
    "Characters per line": "每行字符数",
    "Not saved: %1": "未保存：%1",
    # manager screens (pos_app/ui/manager)
    'Manager approval': '店长授权',
    'Confirm with your PIN': '请输入您的 PIN 码确认',
    'A manager must approve this: manager, enter your PIN': '此操作需店长授权：请店长输入 PIN 码',
    'Approve (Enter)': '授权 (Enter)',
    'Cancel (Esc)': '取消 (Esc)',
    'No user may approve this': '没有可授权此操作的用户',
    'Enter the PIN': '请输入 PIN 码',
    'Refund': '退款',
    'Original order': '原订单',
    'Scan the receipt QR, or type the order number / out_trade_no': '扫描小票二维码，或输入订单号 / 商户订单号',
    'Find': '查找',
    'Total ¥ (optional)': '金额 ¥（可选）',
    'Search history': '查历史订单',
    'Date': '日期',
    'No order loaded': '未选择订单',
    'Paid amount': '实付金额',
    'Already refunded': '已退金额',
    'Refundable': '可退金额',
    'Sold': '售出',
    'Refunded': '已退',
    'Left': '可退',
    'Refund qty': '退货数量',
    'Everything still refundable': '整单退款（全部可退部分）',
    'By item quantities': '按商品数量退款',
    'By amount': '按金额退款',
    'Paid twice: give back %1 (%2)': '重复付款：退回多付的 %1（%2）',
    'Give back %1 paid twice on order #%2': '订单 #%2 重复付款，退回 %1',
    'Amount ¥, e.g. 4.50': '金额 ¥，例如 4.50',
    'Reason (required)': '退款原因（必填）',
    'Damaged goods': '商品破损',
    'Customer changed mind': '顾客不想要了',
    'Wrong item or price': '商品或价格有误',
    'Charged twice': '重复收款',
    'Why is this refunded?': '为什么退款？',
    'Refund (manager PIN)': '退款（需店长 PIN）',
    'Refund no.': '退款单号',
    'Method': '支付方式',
    'Status': '状态',
    'Retry / refresh status': '重试 / 刷新状态',
    "Scan or type the receipt's order number": '请扫描或输入小票上的订单号',
    'Looking up…': '正在查找…',
    'No paid order found for %1': '找不到已支付的订单：%1',
    'Not an amount: %1': '金额格式不正确：%1',
    '%1 order(s) found': '找到 %1 笔订单',
    'Order #%1 · %2 · %3': '订单 #%1 · %2 · %3',
    'Nothing left to refund on this order': '此订单已无可退金额',
    'Refund: %1': '退款：%1',
    'Refund: —': '退款：—',
    'Choose the quantities to refund': '请选择退货数量',
    'Nothing to refund': '没有可退的金额',
    'A refund reason is required': '请填写退款原因',
    'Refund %1 on order #%2': '订单 #%2 退款 %1',
    'Sending the refund…': '正在提交退款…',
    'Checking the refund…': '正在查询退款…',
    'WeChat code': '微信付款码',
    'Shift: X / Z report': '交班：X / Z 报表',
    'Loading…': '正在加载…',
    'Open shift': '开班',
    'Opening float ¥, e.g. 200': '备用金 ¥，例如 200',
    'Cash in drawer': '钱箱现金',
    'X report (mid-shift)': 'X 报表（班中）',
    'Close shift (Z report)': '交班（Z 报表）',
    'Counted cash ¥': '实点现金 ¥',
    'Count done: close shift (manager PIN)': '点钞完成：交班（需店长 PIN）',
    'Counted cash': '实点现金',
    'Export CSV': '导出 CSV',
    'No open shift': '当前没有班次',
    'Shift #%1 open since %2 (%3), float %4': '班次 #%1 自 %2 开班（%3），备用金 %4',
    'Close shift #%1 with %2 counted': '班次 #%1 交班，实点现金 %2',
    'Expected cash: %1': '应有现金：%1',
    'Cash matches: difference ¥0.00': '现金相符：差额 ¥0.00',
    'Cash SHORT by %1': '现金短缺 %1',
    'Cash OVER by %1': '现金多出 %1',
    'Saved %1': '已保存 %1',
    "Reconcile with the payment channel's bill": '与支付渠道账单对账',
    'Download bill and compare': '下载账单并对账',
    'Business day (Beijing time)': '营业日（北京时间）',
    'The bill for a day is ready after 10:00 the next morning.': '当日账单于次日 10:00 后可下载。',
    'Problem': '问题',
    'Order (out_trade_no)': '商户订单号',
    'WeChat Pay': '微信支付',
    'Local': '本地',
    'Detail': '详情',
    'Action': '操作',
    'Offline: reconciliation needs a payment channel': '离线：对账需要连接支付渠道',
    'In the bill': '账单',
    'Downloading the bill for %1…': '正在下载 %1 的账单…',
    '%1 %2: %3 payment(s) and %4 refund(s) match. Bill %5 / local %6; refunds %7 / %8. '
    'Customers paid %9; the bill settles %10.':
        '%1 %2：%3 笔支付、%4 笔退款一致。收款 账单 %5 / 本地 %6；退款 %7 / %8。'
        '顾客实付 %9；账单应结 %10。',
    'Everything matches.': '全部一致。',
    'Order %1 was paid after the cancel: the sale is paid. To give the money back, refund it (Shift+F5)':
        '订单 %1 在取消后仍被支付：该笔销售已收款。如需退还顾客，请退款（Shift+F5）',
    'Refund the order paid late…': '退款：取消后仍支付的订单…',
    '%1 mismatch(es) to check.': '有 %1 处差异需核对。',
    'Bill warnings: %1': '账单提示：%1',
    'Fix: record it locally': '修复：补录到本地',
    'Check by hand': '请人工核对',
    'Re-querying %1 at %2…': '正在向%2复查 %1…',
    'Recorded %1 for %2 (order #%3)': '已补录 %1（%2，订单 #%3）',
    'Staff and PINs': '员工与 PIN 码',
    'Name': '姓名',
    'Role': '角色',
    'Sign-in': '登录状态',
    'New PIN for the selected user': '所选员工的新 PIN 码',
    'Reset PIN': '重置 PIN',
    'Unlock': '解锁',
    'Add a user (administrator)': '添加员工（需管理员）',
    'Add user': '添加员工',
    'Change my PIN (%1)': '修改我的 PIN 码（%1）',
    'Current PIN': '当前 PIN 码',
    'New PIN': '新 PIN 码',
    'New PIN again': '再次输入新 PIN 码',
    'Change PIN': '修改 PIN 码',
    'PINs: 4–8 digits, not all the same digit, not a run like 1234.':
        'PIN 码：4–8 位数字，不能全部相同，也不能是 1234 这样的连续数字。',
    'Locked until %1': '锁定至 %1',
    '%1 wrong PIN(s)': 'PIN 错误 %1 次',
    'Active': '正常',
    'Add user %1': '添加员工 %1',
    'Reset the PIN of %1': '重置 %1 的 PIN 码',
    'Unlock %1': '解锁 %1',
    'Select a user first': '请先选择员工',
    'The two new PINs differ': '两次输入的新 PIN 码不一致',
    'PIN changed': 'PIN 码已修改',
    'Done: %1': '已完成：%1',
    '&Manager': '管理(&M)',
    'Refund…': '退款…',
    'Shift: open, X / Z report…': '交班：开班、X / Z 报表…',
    'Reconcile with the payment bills…': '支付渠道账单对账…',
    'Staff and PINs…': '员工与 PIN 码…',
    'Reconciliation is for managers': '对账仅限店长',
    # settings validation (AppSettings.validate)
    'The serial scanner is enabled but no port is given': '已启用串口扫码枪，但未选择端口',
    'The printer kind must be none, serial or file': '打印机类型须为无、串口或文件',
    'The printer port or file is missing': '未填写打印机端口或文件',
    'The printer width must be 16–64 characters': '打印宽度须为 16–64 个字符',
}


def catalog_zh() -> dict[str, str]:
    """The ``ZH`` dicts of ``zh_CN/*.py``; a source text in two of them must agree."""
    merged: dict[str, str] = {}
    for path in sorted((HERE / "zh_CN").glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"zh_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for source, zh in getattr(module, "ZH", {}).items():
            if merged.get(source, zh) != zh:
                raise SystemExit(f"{path.name}: conflicting translation for {source!r}")
            merged[source] = zh
    return merged


def main() -> int:
    catalogs = catalog_zh()
    # the message catalogs' Chinese wins in their context ("Message"), this table elsewhere
    tables = {"Message": {**ZH, **catalogs}}
    default = {**catalogs, **ZH}
    tree = ET.parse(TS)
    missing: list[str] = []
    for context in tree.iter("context"):
        table = tables.get(context.findtext("name") or "", default)
        for msg in context.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            assert tr is not None
            if source in table:
                tr.text = table[source]
                tr.attrib.pop("type", None)
            else:
                missing.append(source)
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    for m in missing:
        print(f"untranslated: {m!r}", file=sys.stderr)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(QM)], check=True)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
