<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>CartTableModel</name>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="34" />
      <source>Item</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="35" />
      <source>Qty</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="36" />
      <source>Price</source>
      <translation>单价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="37" />
      <source>Discount</source>
      <translation>优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="38" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
  </context>
  <context>
    <name>CashDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="354" />
      <source>Cash payment</source>
      <translation>现金收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="356" />
      <source>Amount due</source>
      <translation>应收</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="358" />
      <source>Tendered (¥)</source>
      <translation>实收 (¥)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="365" />
      <source>Change</source>
      <translation>找零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="371" />
      <source>Exact</source>
      <translation>正好</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="379" />
      <source>Take cash (Enter)</source>
      <translation>确认收款 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="384" />
      <source>Back (Esc)</source>
      <translation>返回 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="410" />
      <source>not an amount</source>
      <translation>金额无效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="412" />
      <source>%1 short</source>
      <translation>还差 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="425" />
      <source>Enter the amount received, e.g. 100 or 20.50</source>
      <translation>请输入实收金额，例如 100 或 20.50</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="428" />
      <source>Not enough: %1 short</source>
      <translation>金额不足：还差 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="432" />
      <source>Change over ¥1000 — check the amount received</source>
      <translation>找零超过 ¥1000 — 请核对实收金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="439" />
      <source>Recording…</source>
      <translation>正在记账…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="447" />
      <source>Paid — give %1 change</source>
      <translation>已收款 — 请找零 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="450" />
      <source>Done (Enter)</source>
      <translation>完成 (Enter)</translation>
    </message>
  </context>
  <context>
    <name>CodePayDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="270" />
      <source>WeChat Pay — scan payment code</source>
      <translation>微信支付 — 扫付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="271" />
      <source>Scan the customer's WeChat payment code</source>
      <translation>请扫描顾客的微信付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="275" />
      <source>…or type the 18-digit code and press Enter</source>
      <translation>…或输入 18 位付款码后按 Enter</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="279" />
      <source>Ready — scan now</source>
      <translation>就绪 — 请扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="295" />
      <source>A payment is in progress — wait for its outcome</source>
      <translation>支付进行中 — 请等待结果</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="310" />
      <source>Code %1</source>
      <translation>付款码 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="311" />
      <source>Charging…</source>
      <translation>正在扣款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="325" />
      <source>Scan a new code, or close and choose another payment method</source>
      <translation>请重新扫码，或关闭后选择其他支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="340" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
  </context>
  <context>
    <name>CustomerPhoneWindow</name>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="38" />
      <source>Customer phone (demo)</source>
      <translation>顾客手机（演示）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="42" />
      <source>Scan &amp;&amp; pay</source>
      <translation>扫码付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="43" />
      <source>Payment code</source>
      <translation>付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="46" />
      <source>WeChat (simulated)</source>
      <translation>微信（模拟）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="55" />
      <location filename="../../pos_app/ui/customer_phone.py" line="114" />
      <source>No QR code on the till right now</source>
      <translation>收银台当前没有显示二维码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="58" />
      <source>Scan the till's QR and pay</source>
      <translation>扫描收银台二维码并付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="76" />
      <source>Scenario</source>
      <translation>场景</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="90" />
      <source>New code</source>
      <translation>刷新付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="92" />
      <source>Present to scanner</source>
      <translation>出示给扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="107" />
      <source>The till asks for %1</source>
      <translation>收银台请求付款 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="122" />
      <source>Paying…</source>
      <translation>正在付款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="127" />
      <source>Payment sent ✓</source>
      <translation>已付款 ✓</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="131" />
      <source>Payment failed: %1</source>
      <translation>付款失败：%1</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="32" />
      <source>Sign in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="44" />
      <source>4–8 digits</source>
      <translation>4–8 位数字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="46" />
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="47" />
      <source>PIN</source>
      <translation>PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="62" />
      <source>Sign in (Enter)</source>
      <translation>登录 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="71" />
      <source>Cashier</source>
      <translation>收银员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="71" />
      <source>Manager</source>
      <translation>店长</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="72" />
      <source>Administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="78" />
      <source>No users are set up</source>
      <translation>尚未设置用户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="95" />
      <source>Enter your PIN</source>
      <translation>请输入 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="98" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="112" />
      <source>Sign-in failed: %1</source>
      <translation>登录失败：%1</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="101" />
      <source>WeChat Pay cashier — %1</source>
      <translation>微信支付收银台 — %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="111" />
      <source>Checking unfinished payments…</source>
      <translation>正在核实未完成的支付…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="125" />
      <source>Scan, type a barcode or search products (F2)</source>
      <translation>扫码、输入条码或搜索商品 (F2)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="151" />
      <location filename="../../pos_app/ui/main_window.py" line="352" />
      <source>Quantity</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="152" />
      <location filename="../../pos_app/ui/main_window.py" line="363" />
      <source>Line discount</source>
      <translation>单品优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="153" />
      <location filename="../../pos_app/ui/main_window.py" line="374" />
      <source>Order discount</source>
      <translation>整单优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="154" />
      <source>Remove line</source>
      <translation>删除商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="155" />
      <source>Clear sale</source>
      <translation>清空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="174" />
      <source>Items</source>
      <translation>件数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="175" />
      <source>Subtotal</source>
      <translation>小计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="176" />
      <source>Discount</source>
      <translation>优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="181" />
      <source>Total</source>
      <translation>应收合计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="192" />
      <source>WeChat QR</source>
      <translation>微信收款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="193" />
      <source>Payment code</source>
      <translation>付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="194" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="200" />
      <source>Customer phone</source>
      <translation>顾客手机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="203" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="204" />
      <source>Sign out</source>
      <translation>退出登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="211" />
      <source>DEMO MODE — simulated WeChat Pay</source>
      <translation>演示模式 — 模拟微信支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="212" />
      <source>LIVE</source>
      <translation>正式环境</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="214" />
      <source>Cashier: %1</source>
      <translation>收银员：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="260" />
      <source>Recovery: nothing unfinished</source>
      <translation>恢复检查：无未完成支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="266" />
      <source>Recovery: %1 resolved (%2)</source>
      <translation>恢复检查：已处理 %1 笔（%2）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="272" />
      <source>Recovery failed: %1 — unfinished payments stay blocked</source>
      <translation>恢复检查失败：%1 — 未完成的支付保持锁定</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="282" />
      <source>Serial scanner: %1</source>
      <translation>串口扫码枪：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="321" />
      <source>Added %1</source>
      <translation>已添加 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="364" />
      <source>Amount off %1 (¥, up to %2)</source>
      <translation>%1 优惠金额（¥，最多 %2）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="375" />
      <source>Amount off the whole order (¥, up to %1)</source>
      <translation>整单优惠金额（¥，最多 %1）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="442" />
      <source>Finish the current payment first</source>
      <translation>请先完成当前支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="458" />
      <source>No product with barcode %1</source>
      <translation>未找到条码为 %1 的商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="466" />
      <source>Wait: unfinished payments are still being checked</source>
      <translation>请稍候：正在核实未完成的支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="471" />
      <source>The cart is empty</source>
      <translation>购物车为空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="554" />
      <source>Order %1: %2</source>
      <translation>订单 %1：%2</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="564" />
      <source>Payment outcome unknown: do not charge again</source>
      <translation>支付结果未知：请勿重复收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="609" />
      <source>no printer configured (Settings, F11)</source>
      <translation>未配置打印机（设置，F11）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="641" />
      <source>Merchant config saved: restart the till to use it</source>
      <translation>商户配置已保存：重启收银台后生效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="662" />
      <source>A payment is in progress</source>
      <translation>有支付正在进行</translation>
    </message>
  </context>
  <context>
    <name>NativePayDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="218" />
      <source>WeChat Pay — customer scans</source>
      <translation>微信支付 — 顾客扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="219" />
      <source>Ask the customer to scan with WeChat</source>
      <translation>请顾客用微信扫一扫</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="255" />
      <source>QR code expired — closing the order…</source>
      <translation>二维码已过期 — 正在关闭订单…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="258" />
      <source>QR code valid for %1:%2</source>
      <translation>二维码有效期剩余 %1:%2</translation>
    </message>
  </context>
  <context>
    <name>PaymentDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="37" />
      <source>Starting…</source>
      <translation>正在发起…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="39" />
      <source>Contacting WeChat Pay…</source>
      <translation>正在连接微信支付…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="42" />
      <source>Waiting for the customer to scan and pay…</source>
      <translation>等待顾客扫码付款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="44" />
      <source>Waiting for the customer to enter the password…</source>
      <translation>等待顾客输入支付密码…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="47" />
      <source>Paid</source>
      <translation>支付成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="48" />
      <source>Closed — nothing was charged</source>
      <translation>订单已关闭 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="50" />
      <source>Cancelled (reversed) — nothing was charged</source>
      <translation>已撤销 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="52" />
      <source>Failed — nothing was charged</source>
      <translation>支付失败 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="54" />
      <source>Outcome unknown — do NOT charge again; it will be checked</source>
      <translation>结果未知 — 请勿重复收款，系统将继续核实</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="101" />
      <source>Cancel payment (Esc)</source>
      <translation>取消支付 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="103" />
      <source>Done (Enter)</source>
      <translation>完成 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="148" />
      <source>Could not start the payment</source>
      <translation>无法发起支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="181" />
      <source>Cancelling… waiting for WeChat Pay to confirm</source>
      <translation>正在取消… 等待微信支付确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="196" />
      <source>The payment is still running: use Cancel (Esc)</source>
      <translation>支付仍在进行中：请使用“取消支付 (Esc)”</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="203" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
  </context>
  <context>
    <name>ReceiptDialog</name>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="24" />
      <source>Receipt</source>
      <translation>小票</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="48" />
      <source>Print (Ctrl+P)</source>
      <translation>打印 (Ctrl+P)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="51" />
      <source>New sale (Enter)</source>
      <translation>下一单 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="60" />
      <source>Printing…</source>
      <translation>正在打印…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="67" />
      <source>Print failed: %1</source>
      <translation>打印失败：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="70" />
      <source>Printed</source>
      <translation>已打印</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="50" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="57" />
      <source>WeChat Pay merchant</source>
      <translation>微信支付商户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="58" />
      <source>Scanner</source>
      <translation>扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="59" />
      <source>Receipt printer</source>
      <translation>小票打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="82" />
      <source>Merchant config file (JSON or TOML) with mchid, appid, key paths. It is used after a restart; without it the till runs in demo mode.</source>
      <translation>商户配置文件（JSON 或 TOML），包含商户号、AppID 和密钥路径。重启后生效；未配置时以演示模式运行。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="86" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="88" />
      <source>Validate</source>
      <translation>校验</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="101" />
      <source>Merchant config</source>
      <translation>商户配置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="110" />
      <source>No file: the till runs in demo mode</source>
      <translation>未指定文件：以演示模式运行</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="116" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="121" />
      <source>OK: %1</source>
      <translation>可用：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="125" />
      <source>Not usable: %1</source>
      <translation>不可用：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="134" />
      <source>Keyboard (USB HID) scanner</source>
      <translation>键盘口（USB HID）扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="140" />
      <source>Scanner sends Enter/Tab after each code</source>
      <translation>扫码枪在每个条码后发送 Enter/Tab</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="142" />
      <source>Max gap between keys</source>
      <translation>按键最大间隔</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="143" />
      <source>Max average gap</source>
      <translation>平均间隔上限</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="144" />
      <source>Minimum code length</source>
      <translation>最短条码长度</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="146" />
      <source>Serial / USB-CDC scanner</source>
      <translation>串口 / USB 虚拟串口扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="160" />
      <source>none (idle gap)</source>
      <translation>无（按空闲间隔分割）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="164" />
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="165" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="241" />
      <source>Baud rate</source>
      <translation>波特率</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="166" />
      <source>Suffix</source>
      <translation>后缀</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="169" />
      <source>Scan test — scan anything:</source>
      <translation>扫码测试 — 请扫描任意条码：</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="170" />
      <source>Apply now</source>
      <translation>立即应用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="227" />
      <source>No printer</source>
      <translation>不使用打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="227" />
      <source>Serial port</source>
      <translation>串口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="228" />
      <source>File / device node</source>
      <translation>文件 / 设备节点</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="239" />
      <source>Printer</source>
      <translation>打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="240" />
      <source>Port or file</source>
      <translation>端口或文件</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="242" />
      <source>Chinese encoding</source>
      <translation>中文编码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="243" />
      <source>Characters per line</source>
      <translation>每行字符数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="266" />
      <source>Not saved: %1</source>
      <translation>未保存：%1</translation>
    </message>
  </context>
</TS>