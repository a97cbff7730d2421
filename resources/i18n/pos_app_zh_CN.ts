<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AppSettings</name>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="128" />
      <source>The serial scanner is enabled but no port is given</source>
      <translation>已启用串口扫码枪，但未选择端口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="132" />
      <source>The printer kind must be none, serial, file or network</source>
      <translation>打印机类型须为：无、串口、文件或网络</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="136" />
      <source>The printer port or file is missing</source>
      <translation>未填写打印机端口或文件</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="139" />
      <source>The minimum code length must be 1–64</source>
      <translation>最短条码长度须为 1–64</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="141" />
      <source>The baud rate must be 1200–921600</source>
      <translation>波特率须为 1200–921600</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="145" />
      <source>The backup folder must be a full path</source>
      <translation>备份文件夹须为完整路径</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="147" />
      <source>Backups run every 5–1440 minutes</source>
      <translation>备份间隔须为 5–1440 分钟</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="149" />
      <source>Keep 1–365 backups</source>
      <translation>保留 1–365 份备份</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="151" />
      <source>The printer width must be 16–64 characters</source>
      <translation>打印宽度须为 16–64 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="154" />
      <source>Unknown label scale format: %1</source>
      <translation>未知的电子秤条码格式：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="158" />
      <source>The cashier discount limit must be 0–100 %</source>
      <translation>收银员折扣上限须在 0–100% 之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="167" />
      <source>The network printer needs its address (IP or host name)</source>
      <translation>网络打印机需要填写地址（IP 或主机名）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="170" />
      <source>The printer port must be 1–65535</source>
      <translation>打印机端口须为 1–65535</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="175" />
      <source>The receipt header: one line each, at most 120 characters</source>
      <translation>小票抬头：每项一行，最多 120 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="178" />
      <source>The drawer pin must be 2 or 5</source>
      <translation>钱箱引脚须为 2 或 5</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_model.py" line="181" />
      <source>The customer display screen is missing</source>
      <translation>未选择客显屏幕</translation>
    </message>
  </context>
  <context>
    <name>CartPanel</name>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="74" />
      <location filename="../../pos_app/ui/cart_panel.py" line="177" />
      <source>Quantity</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="75" />
      <location filename="../../pos_app/ui/cart_panel.py" line="124" />
      <location filename="../../pos_app/ui/cart_panel.py" line="188" />
      <source>Line discount</source>
      <translation>单品优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="76" />
      <location filename="../../pos_app/ui/cart_panel.py" line="138" />
      <location filename="../../pos_app/ui/cart_panel.py" line="200" />
      <source>Order discount</source>
      <translation>整单优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="77" />
      <source>Round off</source>
      <translation>抹零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="78" />
      <source>Remove line</source>
      <translation>删除商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="79" />
      <source>Clear sale</source>
      <translation>清空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="151" />
      <source>Round off (抹零)</source>
      <translation>抹零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="189" />
      <source>Amount off %1 (¥ up to %2, or a percentage like 10%)</source>
      <translation>%1 优惠金额（¥，最多 %2；或输入百分比，如 10%）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="201" />
      <source>Amount off the whole order (¥ up to %1, or a percentage like 10%)</source>
      <translation>整单优惠金额（¥，最多 %1；或输入百分比，如 10%）</translation>
    </message>
  </context>
  <context>
    <name>CartTableModel</name>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="59" />
      <source>Item</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="60" />
      <source>Qty</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="61" />
      <source>Price</source>
      <translation>单价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="62" />
      <source>Discount</source>
      <translation>优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_model.py" line="63" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
  </context>
  <context>
    <name>CashDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="494" />
      <source>Cash payment</source>
      <translation>现金收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="496" />
      <source>Amount due</source>
      <translation>应收</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="498" />
      <source>Tendered (¥)</source>
      <translation>实收 (¥)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="505" />
      <source>Change</source>
      <translation>找零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="511" />
      <source>Exact (Enter)</source>
      <translation>刚好 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="528" />
      <source>Take cash (Enter)</source>
      <translation>确认收款 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="533" />
      <source>Back (Esc)</source>
      <translation>返回 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="578" />
      <source>not an amount</source>
      <translation>金额无效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="580" />
      <source>%1 short</source>
      <translation>还差 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="593" />
      <source>Enter the amount received, e.g. 100 or 20.50</source>
      <translation>请输入实收金额，例如 100 或 20.50</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="596" />
      <source>Not enough: %1 short</source>
      <translation>金额不足：还差 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="600" />
      <source>Change over ¥1000 — check the amount received</source>
      <translation>找零超过 ¥1000 — 请核对实收金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="607" />
      <source>Recording…</source>
      <translation>正在记账…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="615" />
      <source>Paid — give %1 change</source>
      <translation>已收款 — 请找零 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="619" />
      <source>Done (Enter)</source>
      <translation>完成 (Enter)</translation>
    </message>
  </context>
  <context>
    <name>CashMovementDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="51" />
      <source>Cash in / out</source>
      <translation>存取款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="59" />
      <source>Cash in / out (存取款)</source>
      <translation>存取款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="63" />
      <source>Cash in (Ctrl+I)</source>
      <translation>存入 (Ctrl+I)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="64" />
      <source>Cash out, manager PIN (Ctrl+O)</source>
      <translation>取出，需经理 PIN (Ctrl+O)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="75" />
      <source>Amount ¥, e.g. 50</source>
      <translation>金额 ¥，如 50</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="77" />
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="102" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="83" />
      <source>Change float top-up</source>
      <translation>补充备用金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="83" />
      <source>Pay a supplier</source>
      <translation>支付供应商</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="84" />
      <source>Bank deposit</source>
      <translation>存入银行</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="84" />
      <source>Petty cash</source>
      <translation>零用现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="88" />
      <source>Why is the cash put in or taken out?</source>
      <translation>为什么存入或取出现金？</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="89" />
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="102" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="92" />
      <source>Record (Enter)</source>
      <translation>记录 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="101" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="101" />
      <source>In / out</source>
      <translation>存/取</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="103" />
      <source>By</source>
      <translation>操作员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="112" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="141" />
      <source>In</source>
      <translation>存入</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="141" />
      <source>Out</source>
      <translation>取出</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="163" />
      <source>Not an amount: %1</source>
      <translation>金额格式不正确：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="168" />
      <source>Enter the amount</source>
      <translation>请输入金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="172" />
      <source>A reason is required</source>
      <translation>请填写原因</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="184" />
      <source>Take %1 out of the drawer: %2</source>
      <translation>从钱箱取出 %1：%2</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="191" />
      <source>Recording…</source>
      <translation>正在记账…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="197" />
      <source>Cash in %1 recorded</source>
      <translation>已记录存入 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/cash_dialog.py" line="198" />
      <source>Cash out %1 recorded</source>
      <translation>已记录取出 %1</translation>
    </message>
  </context>
  <context>
    <name>Channel</name>
    <message>
      <location filename="../../pos_app/ui/text.py" line="40" />
      <source>Alipay</source>
      <translation>支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/text.py" line="42" />
      <source>WeChat Pay</source>
      <translation>微信支付</translation>
    </message>
  </context>
  <context>
    <name>CodePayDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="311" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="353" />
      <source>WeChat Pay — scan payment code</source>
      <translation>微信支付 — 扫付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="312" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="354" />
      <source>Scan the customer's WeChat payment code</source>
      <translation>请扫描顾客的微信付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="317" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="346" />
      <source>…or type the 18-digit code and press Enter</source>
      <translation>…或输入 18 位付款码后按 Enter</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="321" />
      <source>Ready — scan now</source>
      <translation>就绪 — 请扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="382" />
      <source>Payment code read — check the amount, then press Enter to charge</source>
      <translation>已读取付款码 — 请核对金额，按 Enter 收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="388" />
      <source>A payment is in progress — wait for its outcome</source>
      <translation>支付进行中 — 请等待结果</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="380" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="418" />
      <source>Code %1</source>
      <translation>付款码 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="348" />
      <source>…or type the code (WeChat 18 digits, Alipay 16–24) and press Enter</source>
      <translation>…或输入付款码（微信 18 位，支付宝 16–24 位）后按 Enter</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="350" />
      <source>Alipay — scan payment code</source>
      <translation>支付宝 — 扫付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="351" />
      <source>Scan the customer's Alipay payment code</source>
      <translation>请扫描顾客的支付宝付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="356" />
      <source>Payment code — WeChat Pay or Alipay</source>
      <translation>付款码 — 微信支付或支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="357" />
      <source>Scan the customer's payment code (WeChat or Alipay)</source>
      <translation>请扫描顾客的付款码（微信或支付宝）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="393" />
      <source>Press Enter to charge this code</source>
      <translation>按 Enter 用此付款码收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="403" />
      <source>That is a product barcode, not a payment code: scan the customer's WeChat payment code</source>
      <translation>这是商品条码，不是付款码：请扫描顾客的微信付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="417" />
      <source>Cancel payment (Esc)</source>
      <translation>取消支付 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="419" />
      <source>Charging…</source>
      <translation>正在扣款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="441" />
      <source>Scan a new code, or close and choose another payment method</source>
      <translation>请重新扫码，或关闭后选择其他支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="450" />
      <source>Waiting %1 s — the till gives up and reverses in %2 s</source>
      <translation>已等待 %1 秒 — %2 秒后收银机将放弃并撤销</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="475" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
  </context>
  <context>
    <name>CustomerDisplayWindow</name>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="44" />
      <source>Scan with WeChat to pay</source>
      <extracomment>one code on show: what to scan it with (by the code's channel)</extracomment>
      <translation>请使用微信扫码支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="45" />
      <source>Scan with Alipay to pay</source>
      <translation>请使用支付宝扫码支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="47" />
      <source>Scan the code to pay</source>
      <translation>请扫码支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="50" />
      <source>WeChat Pay</source>
      <extracomment>two codes on show: each under its channel's name, in the channel's colour</extracomment>
      <translation>微信支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="51" />
      <source>Alipay</source>
      <translation>支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="117" />
      <source>Customer display</source>
      <translation>客显</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="145" />
      <source>Welcome</source>
      <translation>欢迎光临</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="164" />
      <source>Item</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="164" />
      <source>Qty</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="165" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="177" />
      <location filename="../../pos_app/ui/customer_display.py" line="236" />
      <source>Total</source>
      <translation>应收合计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="235" />
      <source>Amount to pay</source>
      <translation>应付金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="238" />
      <source>%1 items</source>
      <translation>共 %1 件</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="240" />
      <source>you save %1</source>
      <translation>已优惠 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="266" />
      <source>Scan either code to pay</source>
      <translation>请任选一个二维码扫码支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="284" />
      <source>Please pay</source>
      <translation>请付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="285" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="288" />
      <source>Paid ✓</source>
      <translation>支付成功 ✓</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="290" />
      <source>Your change: %1</source>
      <translation>找零：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="295" />
      <source>Both codes were paid: %1 will be refunded to you</source>
      <translation>两个二维码都已付款：多付的 %1 将退还给您</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="301" />
      <source>Checking the payment, please wait</source>
      <translation>正在确认支付结果，请稍候</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_display.py" line="302" />
      <source>Payment failed — nothing was charged</source>
      <translation>支付未成功 — 未扣款</translation>
    </message>
  </context>
  <context>
    <name>CustomerPhone</name>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="32" />
      <source>Pays at once</source>
      <translation>直接支付成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="33" />
      <source>Enters the password, then pays</source>
      <translation>输入密码后支付成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="35" />
      <source>Enters the password, then the payment fails</source>
      <translation>输入密码后支付失败</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="37" />
      <source>Never finishes the password</source>
      <translation>一直未输完密码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="38" />
      <source>System error, but charged</source>
      <translation>系统错误，但已扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="40" />
      <source>System error, not charged</source>
      <translation>系统错误，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="42" />
      <source>Bank error, but charged</source>
      <translation>银行错误，但已扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="43" />
      <source>Bank error, not charged</source>
      <translation>银行错误，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="44" />
      <source>Code expired</source>
      <translation>付款码已过期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="45" />
      <source>Code invalid</source>
      <translation>付款码无效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="46" />
      <source>Balance not enough</source>
      <translation>余额不足</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="47" />
      <source>Card not supported</source>
      <translation>不支持该卡</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="48" />
      <source>Trade error</source>
      <translation>交易错误</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="49" />
      <source>Reverse needs a second call</source>
      <translation>撤销需再次调用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="64" />
      <source>Charged, the answer times out</source>
      <extracomment>The Alipay simulator's scenarios (``alipay:&lt;name&gt;``), where they differ from WeChat's.</extracomment>
      <translation>已扣款，应答超时</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="65" />
      <source>Charged, the answer is lost</source>
      <translation>已扣款，应答丢失</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="66" />
      <source>Charged, bad signature</source>
      <translation>已扣款，签名错误</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="67" />
      <source>Payment fails</source>
      <translation>支付失败</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="69" />
      <source>Trade already closed</source>
      <translation>交易已关闭</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="81" />
      <source>Alipay: %1</source>
      <translation>支付宝：%1</translation>
    </message>
  </context>
  <context>
    <name>CustomerPhoneWindow</name>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="94" />
      <source>Customer phone (demo)</source>
      <translation>顾客手机（演示）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="98" />
      <source>Scan &amp;&amp; pay</source>
      <translation>扫码付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="99" />
      <source>Payment code</source>
      <translation>付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="102" />
      <source>WeChat / Alipay (simulated)</source>
      <translation>微信 / 支付宝（模拟）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="104" />
      <source>WeChat (simulated)</source>
      <translation>微信（模拟）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="113" />
      <location filename="../../pos_app/ui/customer_phone.py" line="193" />
      <source>No QR code on the till right now</source>
      <translation>收银台当前没有显示二维码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="118" />
      <source>Scan the till's QR and pay</source>
      <translation>扫描收银台二维码并付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="137" />
      <source>Scenario</source>
      <translation>场景</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="151" />
      <source>New code</source>
      <translation>刷新付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="153" />
      <source>Present to scanner</source>
      <translation>出示给扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="181" />
      <source>The till asks for %1</source>
      <translation>收银台请求付款 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="197" />
      <source>Scan with WeChat</source>
      <translation>用微信扫</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="197" />
      <source>Scan with Alipay</source>
      <translation>用支付宝扫</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="212" />
      <source>Paying…</source>
      <translation>正在付款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="217" />
      <source>Payment sent ✓</source>
      <translation>已付款 ✓</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/customer_phone.py" line="221" />
      <source>Payment failed: %1</source>
      <translation>付款失败：%1</translation>
    </message>
  </context>
  <context>
    <name>DisplayPage</name>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="209" />
      <source>The customer display shows the cart, the total, the payment QR code and the change on a second screen facing the customer.</source>
      <translation>客显（副屏）在面向顾客的第二块屏幕上显示商品、合计、收款二维码和找零。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="214" />
      <source>Automatic (a second screen if there is one)</source>
      <translation>自动（有第二块屏幕时使用）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="215" />
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="220" />
      <source>Screen %1: %2 (%3×%4)</source>
      <translation>屏幕 %1：%2（%3×%4）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="225" />
      <source>%1 (not connected)</source>
      <translation>%1（未连接）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="229" />
      <source>Show it on</source>
      <translation>显示在</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="231" />
      <source>Only one screen is connected: the customer display is off.</source>
      <translation>只连接了一块屏幕：客显已关闭。</translation>
    </message>
  </context>
  <context>
    <name>HubBadge</name>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="76" />
      <location filename="../../pos_app/ui/hub_panel.py" line="80" />
      <source>Hub: %1 unsent</source>
      <translation>服务器：%1 条未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="77" />
      <source>Hub offline: %1 unsent</source>
      <translation>服务器离线：%1 条未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="78" />
      <source>Hub refused: %1 unsent</source>
      <translation>服务器拒绝：%1 条未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="79" />
      <source>Hub sync stopped: %1 unsent</source>
      <translation>同步已停止：%1 条未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="82" />
      <source>%1 flag(s)</source>
      <translation>%1 条提醒</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="84" />
      <source>%1 flag(s) Shift+F11</source>
      <translation>%1 条提醒 Shift+F11</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="86" />
      <source>The hub cannot be reached: every sale is kept and sent later</source>
      <translation>无法连接总店服务器：所有销售已保存，稍后自动发送</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="87" />
      <source>The hub does not accept this till: enrol it again</source>
      <translation>服务器不接受本收银台：请重新注册</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="88" />
      <source>The hub and this till disagree (a restored backup?): call support; nothing is deleted</source>
      <translation>服务器与本收银台数据不一致（是否恢复过备份？）：请联系技术支持；未删除任何数据</translation>
    </message>
  </context>
  <context>
    <name>HubDialog</name>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="106" />
      <source>Store hub</source>
      <translation>总店服务器</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="120" />
      <source>Hub address</source>
      <translation>服务器地址</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="121" />
      <source>One-time code</source>
      <translation>一次性注册码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="122" />
      <source>Hub CA fingerprint</source>
      <translation>服务器证书指纹</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="123" />
      <source>This till's name</source>
      <translation>本收银台名称</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="124" />
      <source>Enrol (Enter)</source>
      <translation>注册 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="128" />
      <source>Flags from the hub</source>
      <translation>服务器提醒</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="131" />
      <source>Open the order (Enter)</source>
      <translation>打开订单 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="133" />
      <source>Mark handled (Del)</source>
      <translation>标记为已处理 (Del)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="137" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="151" />
      <source>This till is not enrolled at a store hub.</source>
      <translation>本收银台尚未注册到总店服务器。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="156" />
      <source>Hub %1 — %2, %3 unsent</source>
      <translation>服务器 %1 — %2，%3 条未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="162" />
      <source>Paid after the till closed it</source>
      <translation>收银台关单后顾客仍付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="163" />
      <source>Amount differs from WeChat Pay</source>
      <translation>金额与微信支付不符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="164" />
      <source>Paid at WeChat Pay, no till knows it</source>
      <translation>微信支付已收款，但无收银台记录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="166" />
      <source>order %1</source>
      <translation>订单 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="178" />
      <source>The hub's certificate is not the one shown with the code: nothing was sent</source>
      <translation>服务器证书与注册码旁显示的不一致：未发送任何数据</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="181" />
      <source>The hub does not know this code, or it was used or expired</source>
      <translation>服务器不认识此注册码，或已使用、已过期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="183" />
      <source>The hub address must start with https://</source>
      <translation>服务器地址须以 https:// 开头</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="185" />
      <source>Cannot reach the hub at this address</source>
      <translation>无法连接此地址的服务器</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="187" />
      <source>The hub did not accept this (%1)</source>
      <translation>服务器未接受（%1）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="213" />
      <source>Enter the hub address and the one-time code</source>
      <translation>请输入服务器地址和一次性注册码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="216" />
      <source>Enrolling…</source>
      <translation>正在注册…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="220" />
      <source>Enrolled: this till's sales now go to the hub</source>
      <translation>已注册：本收银台的销售数据将同步到服务器</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="234" />
      <source>This flag names no order of this till</source>
      <translation>此提醒不涉及本收银台的订单</translation>
    </message>
  </context>
  <context>
    <name>KeyHelp</name>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="116" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="117" />
      <source>Keys…</source>
      <translation>快捷键…</translation>
    </message>
  </context>
  <context>
    <name>KeyHelpDialog</name>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="51" />
      <source>Search products / type a barcode</source>
      <translation>搜索商品 / 输入条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="52" />
      <source>Quick keys</source>
      <translation>快捷商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="53" />
      <source>Quantity of the selected line</source>
      <translation>修改所选商品数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="54" />
      <source>Line discount (amount or %)</source>
      <translation>单品优惠（金额或 %）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="55" />
      <source>Order discount (amount or %)</source>
      <translation>整单优惠（金额或 %）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="56" />
      <source>Round off (抹零)</source>
      <translation>抹零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="57" />
      <source>Remove the selected line</source>
      <translation>删除所选商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="58" />
      <source>Clear the sale (asks first)</source>
      <translation>清空本单（先确认）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="59" />
      <source>WeChat QR (Native)</source>
      <translation>微信收款码（Native）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="60" />
      <source>Alipay QR (with Alipay enabled)</source>
      <translation>支付宝收款码（已启用支付宝时）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="61" />
      <source>WeChat and Alipay QRs side by side: the customer picks</source>
      <translation>微信、支付宝两个收款码并排：顾客任选</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="62" />
      <source>Payment code (or scan it at the sale field)</source>
      <translation>付款码（或直接在收银栏扫码）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="63" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="64" />
      <source>Hold the sale (挂单)</source>
      <translation>挂单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="65" />
      <source>Recall a held sale (取单)</source>
      <translation>取单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="66" />
      <source>Reprint the last receipt</source>
      <translation>补打上一张小票</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="67" />
      <source>Item without barcode (无码商品): an amount under a category</source>
      <translation>无码商品：按品类输入金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="68" />
      <source>Add the product of the unknown barcode just scanned (manager)</source>
      <translation>新增刚扫描的未知条码商品（需店长）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="69" />
      <source>Customer phone (demo)</source>
      <translation>顾客手机（演示）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="70" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="71" />
      <source>Sign out</source>
      <translation>退出登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="76" />
      <source>Keys</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="79" />
      <source>Every action has a key</source>
      <translation>每个操作都有快捷键</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="83" />
      <source>Key</source>
      <translation>按键</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="83" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/key_help.py" line="94" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="45" />
      <source>Sign in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="54" />
      <source>Demo accounts (PIN): 王芳 2580 cashier · 李经理 1470 manager · 张老板 3690 admin</source>
      <translation>演示账号（PIN）：王芳 2580 收银员 · 李经理 1470 店长 · 张老板 3690 管理员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="66" />
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="67" />
      <source>PIN</source>
      <translation>PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="75" />
      <source>Sign in (Enter)</source>
      <translation>登录 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="83" />
      <source>Cashier</source>
      <translation>收银员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="83" />
      <source>Manager</source>
      <translation>店长</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="84" />
      <source>Administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="100" />
      <source>No users are set up. Create the first one with: pos-app add-user NAME --role admin</source>
      <translation>尚未设置用户。请先运行：pos-app add-user 姓名 --role admin 创建第一个账号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="134" />
      <source>Enter your PIN</source>
      <translation>请输入 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="137" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/login_dialog.py" line="156" />
      <source>Sign-in failed: %1</source>
      <translation>登录失败：%1</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="112" />
      <source>Cashier (WeChat Pay · Alipay) — %1</source>
      <translation>收银台（微信支付 · 支付宝）— %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="113" />
      <source>WeChat Pay cashier — %1</source>
      <translation>微信支付收银台 — %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="148" />
      <source>Checking unfinished payments…</source>
      <translation>正在核实未完成的支付…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="186" />
      <source>WeChat QR</source>
      <translation>微信收款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="187" />
      <source>Payment code</source>
      <translation>付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="188" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="189" />
      <source>Alipay QR</source>
      <translation>支付宝收款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="191" />
      <source>Both QRs</source>
      <translation>双码收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="203" />
      <source>Customer phone</source>
      <translation>顾客手机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="207" />
      <source>No barcode</source>
      <translation>无码商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="208" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="209" />
      <source>Sign out</source>
      <translation>退出登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="226" />
      <source>DEMO MODE — simulated WeChat Pay and Alipay</source>
      <translation>演示模式 — 模拟微信支付和支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="269" />
      <source>Sale on hold (%1) — Ctrl+R recalls it</source>
      <translation>已挂单（%1）— Ctrl+R 取单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="338" />
      <source>A discount over %1% needs a manager's approval</source>
      <translation>超过 %1% 的折扣需要经理批准</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="342" />
      <source>%1: %2 off in all (%3% of the sale), over the cashier limit of %4%</source>
      <translation>%1：共优惠 %2（占本单 %3%），超过收银员上限 %4%</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="430" />
      <source>Added %1</source>
      <translation>已添加 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="448" />
      <source>Clear this sale (%1 items, %2)? Press F12 again to clear, any other key to keep it</source>
      <translation>清空本单（%1 件，%2）？再按 F12 清空，按其他键保留</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="472" />
      <source>Finish the current payment first</source>
      <translation>请先完成当前支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="556" />
      <source>Both QRs need WeChat Pay and Alipay enabled (Settings)</source>
      <translation>双码收款需同时启用微信支付和支付宝（设置）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="621" />
      <source>Order %1: %2</source>
      <translation>订单 %1：%2</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="631" />
      <source>Paid %1</source>
      <translation>已收款 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="633" />
      <source>give %1 change</source>
      <translation>找零 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="640" />
      <source>receipt printing (Ctrl+P reprints)</source>
      <translation>小票打印中（Ctrl+P 补打）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="647" />
      <source>Receipt not printed: %1 (Ctrl+P to retry)</source>
      <translation>小票未打印：%1（Ctrl+P 重试）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="671" />
      <source>Printing a copy of receipt %1</source>
      <translation>正在补打小票 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="684" />
      <source>no printer configured (Settings, F11)</source>
      <translation>未配置打印机（设置，F11）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_flow.py" line="27" />
      <source>Settings are for managers: sign in as a manager</source>
      <translation>设置仅限店长：请用店长账号登录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_flow.py" line="30" />
      <source>Open settings</source>
      <translation>打开设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_flow.py" line="55" />
      <source>Merchant config saved: restart the till to use it</source>
      <translation>商户配置已保存：重启收银台后生效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/main_window.py" line="741" />
      <source>A payment is in progress</source>
      <translation>有支付正在进行</translation>
    </message>
  </context>
  <context>
    <name>ManagerMenu</name>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="47" />
      <source>&amp;Manager</source>
      <extracomment>Opens the refund screen on the last order paid after the cashier cancelled (paid late).</extracomment>
      <translation>管理(&amp;M)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="51" />
      <source>Refund…</source>
      <translation>退款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="52" />
      <source>Shift: open, X / Z report…</source>
      <translation>交班：开班、X / Z 报表…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="53" />
      <source>Reconcile with the payment bills…</source>
      <translation>支付渠道账单对账…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="54" />
      <source>Staff and PINs…</source>
      <translation>员工与 PIN 码…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="55" />
      <source>Cash in / out (存取款)…</source>
      <translation>存取款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="66" />
      <source>Refund the order paid late…</source>
      <translation>退款：取消后仍支付的订单…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="100" />
      <source>Finish the current payment first</source>
      <translation>请先完成当前支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/menu.py" line="126" />
      <source>Reconciliation is for managers</source>
      <translation>对账仅限店长</translation>
    </message>
  </context>
  <context>
    <name>ManagerOverrideDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="40" />
      <source>Manager approval</source>
      <translation>店长授权</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="48" />
      <source>Confirm with your PIN</source>
      <translation>请输入您的 PIN 码确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="49" />
      <source>A manager must approve this: manager, enter your PIN</source>
      <translation>此操作需店长授权：请店长输入 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="55" />
      <source>Manager</source>
      <translation>店长</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="56" />
      <source>PIN</source>
      <translation>PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="65" />
      <source>Cancel (Esc)</source>
      <translation>取消 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="67" />
      <source>Approve (Enter)</source>
      <translation>授权 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="87" />
      <source>No user may approve this</source>
      <translation>没有可授权此操作的用户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="99" />
      <source>Enter the PIN</source>
      <translation>请输入 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/manager_override.py" line="102" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
  </context>
  <context>
    <name>Message</name>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="12" />
      <source>The quantity must be at least 1</source>
      <translation>数量至少为 1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="13" />
      <source>The quantity must be at most {max}</source>
      <translation>数量最多为 {max}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="14" />
      <source>The quantity must be between 1 and {max}</source>
      <translation>数量须在 1 到 {max} 之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="16" />
      <source>The line discount would exceed the line amount</source>
      <translation>单品优惠不能超过该行金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="18" />
      <source>A line discount must be between 0 and the line amount</source>
      <translation>单品优惠须在 0 到该行金额之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="20" />
      <source>The order discount must be between 0 and the subtotal</source>
      <translation>整单优惠须在 0 到小计之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="22" />
      <source>No such line</source>
      <translation>没有这一行</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="23" />
      <source>A percentage must be between 0% and 100% (for example 10% or 12.5%)</source>
      <translation>折扣百分比须在 0% 到 100% 之间（例如 10% 或 12.5%）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="25" />
      <source>Not an amount (for example 12.50)</source>
      <translation>金额格式不正确（例如 12.50）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="26" />
      <source>WeChat payment code</source>
      <translation>微信付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="27" />
      <source>Product barcode</source>
      <translation>商品条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="28" />
      <source>Alipay payment code</source>
      <translation>支付宝付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="29" />
      <source>Alipay is not enabled for this shop; please use another way to pay</source>
      <translation>本店未开通支付宝收款，请使用其他支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="31" />
      <source>Nothing was scanned; please scan again</source>
      <translation>未读取到条码，请重新扫描</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="32" />
      <source>Barcode check digit is wrong; please scan again</source>
      <translation>条码校验位错误，请重新扫描</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="34" />
      <source>Not a valid WeChat payment code (18 digits starting 10–15)</source>
      <translation>不是有效的微信付款码（应为10–15开头的18位数字）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/domain.py" line="36" />
      <source>Unrecognised barcode</source>
      <translation>无法识别的条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="10" />
      <source>Printer ready</source>
      <translation>打印机就绪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="11" />
      <source>The printer is out of paper: load paper, waiting receipts then print</source>
      <translation>打印机缺纸：请装纸，待打印的小票随后自动打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="13" />
      <source>The printer cover is open: close it, waiting receipts then print</source>
      <translation>打印机上盖未合：请合上，待打印的小票随后自动打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="15" />
      <source>The printer reports an error (cutter or overheating): check it</source>
      <translation>打印机报告故障（切刀或过热）：请检查打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="17" />
      <source>The printer is offline</source>
      <translation>打印机离线</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="18" />
      <source>Cannot reach the printer: check that it is on and connected; receipts wait and print when it is back</source>
      <translation>无法连接打印机：请检查电源和网络；小票将排队，恢复后自动打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="21" />
      <source>The printer does not report its status</source>
      <translation>打印机不支持状态查询</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/printer_status.py" line="23" />
      <source>The printer paper roll is nearly empty</source>
      <translation>打印纸即将用完</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="10" />
      <source>A scale label barcode has digits only</source>
      <translation>电子秤条码只能是数字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="11" />
      <source>A scale label barcode has 13 digits, this one has {length}</source>
      <translation>电子秤条码应为 13 位，此条码为 {length} 位</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="13" />
      <source>Not a scale label of the configured format</source>
      <translation>不是所设置格式的电子秤条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="15" />
      <source>The barcode check digit is wrong: scan the label again</source>
      <translation>条码校验位错误：请重新扫描标签</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="17" />
      <source>The price or weight check digit is wrong: scan again or reprint the label</source>
      <translation>金额或重量校验位错误：请重新扫描或重新打印标签</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="19" />
      <source>The label shows no price or weight: weigh the item again</source>
      <translation>标签上的金额或重量为零：请重新称重</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="21" />
      <source>Item {item_code} has no price per kg: set it in the products</source>
      <translation>商品 {item_code} 没有设置每公斤单价：请在商品管理中设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="23" />
      <source>The price per kg must be a whole number of fen, zero or more</source>
      <translation>每公斤单价必须是不小于零的整数（分）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="25" />
      <source>The scale barcode format must add up to 13 digits (now {total})</source>
      <translation>电子秤条码格式各部分合计须为 13 位（当前 {total} 位）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="27" />
      <source>The scale barcode flags must be digits starting with 2, all the same length</source>
      <translation>电子秤条码标志位须为以 2 开头、长度相同的数字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="29" />
      <source>The item code and the value need at least one digit each</source>
      <translation>商品编码和数值至少各需 1 位</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="31" />
      <source>Decimals: 0 to 2 for a price, 0 to 3 for a weight in kg</source>
      <translation>小数位：金额为 0 到 2 位，重量（公斤）为 0 到 3 位</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/scale.py" line="33" />
      <source>A price or weight check digit needs a 4- or 5-digit value</source>
      <translation>金额或重量校验位只适用于 4 位或 5 位数值</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/drawer.py" line="10" />
      <source>The cash drawer did not open: open it with its key</source>
      <translation>钱箱未能打开：请用钥匙打开</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/drawer.py" line="12" />
      <source>Opening the drawer without a sale needs a manager</source>
      <translation>无销售开钱箱需要店长授权</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="11" />
      <source>The PIN must be 4–8 digits</source>
      <translation>PIN 必须是 4–8 位数字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="12" />
      <source>The PIN must not repeat one digit</source>
      <translation>PIN 不能全是相同数字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="13" />
      <source>The PIN must not be a run like 1-2-3-4</source>
      <translation>PIN 不能是连续数字（如 1-2-3-4）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="14" />
      <source>The new PIN must differ from the old</source>
      <translation>新 PIN 不能与旧 PIN 相同</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="15" />
      <source>Wrong user or PIN</source>
      <translation>用户名或 PIN 错误</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="16" />
      <source>Wrong user or PIN ({left} tries left)</source>
      <translation>用户名或 PIN 错误（还可尝试 {left} 次）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="18" />
      <source>Too many wrong PINs: account locked, try again later</source>
      <translation>PIN 错误次数过多，账户已锁定，请稍后再试</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="20" />
      <source>Too many wrong PINs: account locked for a while</source>
      <translation>PIN 错误次数过多，账户已锁定 5 分钟</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="22" />
      <source>This user may not approve this action</source>
      <translation>该用户无权批准此操作</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="23" />
      <source>This needs an approval for that action</source>
      <translation>需要相应权限的批准</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="25" />
      <source>The user name must be 1–32 characters</source>
      <translation>用户名需 1–32 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="26" />
      <source>That user name is taken</source>
      <translation>用户名已存在</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="27" />
      <source>No such user</source>
      <translation>没有此用户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="28" />
      <source>The first account must be an admin (--role admin)</source>
      <translation>第一个账号必须是管理员（admin）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="30" />
      <source>This needs --approver NAME (an admin)</source>
      <translation>需要管理员批准（--approver）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="31" />
      <source>The two PINs differ</source>
      <translation>两次输入的 PIN 不一致</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="32" />
      <source>A shift is already open</source>
      <translation>已有未交班的班次</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="33" />
      <source>No such open shift</source>
      <translation>班次不存在或已交班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="34" />
      <source>No open shift: open one first</source>
      <translation>没有进行中的班次，请先开班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="35" />
      <source>The opening float must be between 0 and {max_fen}</source>
      <translation>备用金必须在 0 到 {max_fen} 之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="37" />
      <source>The counted cash must be between 0 and {max_fen}</source>
      <translation>实点现金必须在 0 到 {max_fen} 之间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="39" />
      <source>{count} payment(s) still unresolved: settle them before closing the shift</source>
      <translation>还有 {count} 笔支付结果未确定，请先处理再交班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="41" />
      <source>Refund exceeds the refundable amount {refundable_fen}</source>
      <translation>退款金额超过可退金额 {refundable_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="43" />
      <source>A refund reason is required</source>
      <translation>请填写退款原因</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="44" />
      <source>The reason may be at most {max} characters</source>
      <translation>退款原因最多 {max} 个字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="48" />
      <source>Amount must be integer fen</source>
      <translation>金额必须以分为单位的整数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="49" />
      <source>Nothing to refund</source>
      <translation>没有可退的金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="50" />
      <source>Original order not found</source>
      <translation>找不到原订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="51" />
      <source>Refund not found</source>
      <translation>找不到退款记录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="52" />
      <source>Offline: WeChat refunds unavailable</source>
      <translation>离线：微信退款暂不可用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="53" />
      <source>Invalid refund line or quantity</source>
      <translation>退货商品或数量无效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="54" />
      <source>At most {remaining} of {name} can still be refunded</source>
      <translation>{name} 最多还能退 {remaining} 件</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="56" />
      <source>Paid more than a year ago: cannot refund to WeChat Pay</source>
      <translation>支付已超过一年，不能原路退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="58" />
      <source>Paid more than 3 months ago: Alipay no longer refunds it (give the money back another way)</source>
      <translation>付款已超过 3 个月：支付宝不再受理退款（请用其他方式退还）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="61" />
      <source>This payment already has {max} refunds (the maximum)</source>
      <translation>该笔支付退款次数已达上限（{max} 次）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="63" />
      <source>Nothing is owed back on this order: it was not paid twice, or the extra payment has been refunded</source>
      <translation>此订单没有待退的重复付款：未重复付款，或多付的那笔已退回</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="66" />
      <source>The extra payment has only {left_fen} left to refund, less than the {owed_fen} owed: refund by amount instead</source>
      <translation>多付的那笔仅剩 {left_fen} 可退，少于应退的 {owed_fen}：请改为按金额退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="69" />
      <source>Refund outcome unknown: retry later (same refund number, no double refund)</source>
      <translation>退款结果未知，请稍后重试（将使用同一退款单号，不会重复退款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="71" />
      <source>Refund processing: balance ~5 min, bank card 1–3 working days</source>
      <translation>退款处理中：零钱约 5 分钟到账，银行卡 1–3 个工作日</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="73" />
      <source>Refund succeeded</source>
      <translation>退款成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="74" />
      <source>Refund closed, nothing was refunded; start a new refund if needed</source>
      <translation>退款已关闭，款项未退出；如需退款请重新发起</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="76" />
      <source>Refund abnormal: the customer's account cannot receive it (card cancelled or frozen). In the merchant portal use abnormal-refund handling to refund to another account of the customer, or refund offline and mark it there</source>
      <translation>退款异常：用户收款账户异常（银行卡已注销或冻结）。请在商户平台使用“异常退款处理”退至用户的其他账户，或线下退款后在商户平台标记</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="80" />
      <source>Refund refused, nothing was refunded: the merchant account balance is too low. Top up the balance in the merchant portal, then refund again</source>
      <translation>退款被拒绝，款项未退出：商户账户余额不足。请在商户平台充值后重新退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="83" />
      <source>WeChat Pay did not accept the refund yet (refunds of one order must be a minute apart, or too many requests). Retry after {at}: same refund number, no double refund</source>
      <translation>微信支付暂未受理该退款（同一订单的退款须间隔一分钟，或请求过于频繁）。请于 {at} 后重试：使用同一退款单号，不会重复退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="87" />
      <source>Refund still processing: refunds to a bank card take up to {days} working days; nothing to do, check again later</source>
      <translation>退款仍在处理中：退至银行卡最长需 {days} 个工作日；无需操作，请稍后查看</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="90" />
      <source>Refund refused, nothing was refunded</source>
      <translation>退款被拒绝，款项未退出</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="91" />
      <source>Refund refused, nothing was refunded: {detail}</source>
      <translation>退款被拒绝，款项未退出：{detail}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="93" />
      <source>Give back {amount_fen} in cash from the drawer</source>
      <translation>请从钱箱退还现金 {amount_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="95" />
      <source>Refund {out_refund_no} of {amount_fen}: succeeded</source>
      <translation>退款 {out_refund_no}（{amount_fen}）：退款成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="97" />
      <source>Refund {out_refund_no} of {amount_fen}: closed by the payment service, nothing refunded</source>
      <translation>退款 {out_refund_no}（{amount_fen}）：已被支付平台关闭，未退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="100" />
      <source>Refund {out_refund_no} of {amount_fen}: abnormal, the customer's account cannot receive it — handle it in the merchant portal</source>
      <translation>退款 {out_refund_no}（{amount_fen}）：退款异常，顾客账户无法入账——请在商户平台处理</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="103" />
      <source>Malformed trade bill: {why}</source>
      <translation>账单格式错误：{why}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="104" />
      <source>That day is not over yet: a day's bill is ready after 10:00 the next morning. Choose yesterday or earlier</source>
      <translation>该日尚未结束：账单在次日 10:00 后生成。请选择昨天或更早的日期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="107" />
      <source>The bill for that day is not available yet (generated after 10:00 the next morning): try again later</source>
      <translation>该日的账单尚未生成（次日 10:00 后生成），请稍后再试</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="112" />
      <source>The payment channel has no trades of this shop on that day</source>
      <translation>支付渠道显示本店该日没有交易</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="114" />
      <source>Paid in the bill, missing locally</source>
      <translation>账单已收款，本地无记录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="117" />
      <source>Refund in the bill, missing locally</source>
      <translation>账单有退款，本地无记录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="124" />
      <source>Re-query: not paid at the payment channel, nothing recorded</source>
      <translation>复查结果：支付渠道未收款，不予补录</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="150" />
      <source>Channel coupons</source>
      <translation>支付渠道优惠券</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="153" />
      <source>Channels settle</source>
      <translation>渠道结算金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="154" />
      <source>QR payment</source>
      <translation>扫码收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="155" />
      <source>Payment-code payment</source>
      <translation>付款码收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="157" />
      <source>By channel</source>
      <translation>按支付渠道</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="158" />
      <source>WeChat Pay</source>
      <translation>微信支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="159" />
      <source>Alipay</source>
      <translation>支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="161" />
      <source>Refunds owed (paid twice)</source>
      <translation>待退款（重复付款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="110" />
      <source>Settlement differs (a merchant-funded coupon?)</source>
      <translation>应结金额不一致（商户出资的优惠券？）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="46" />
      <source>Choose a full, by-line, by-amount or paid-twice refund</source>
      <translation>请选择整单、按商品、按金额或重复付款退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="115" />
      <source>Paid locally, not in the bill</source>
      <translation>本地已收款，账单中没有</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="116" />
      <source>Amounts differ</source>
      <translation>金额不一致</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="119" />
      <source>Local refund, not in the bill</source>
      <translation>本地有退款，账单中没有</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="120" />
      <source>Refund amounts differ</source>
      <translation>退款金额不一致</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="121" />
      <source>Refund states differ</source>
      <translation>退款状态不一致</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="122" />
      <source>This mismatch cannot be fixed automatically</source>
      <translation>此差异不能自动修复</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="126" />
      <source>Re-queried amount differs from the bill: check by hand</source>
      <translation>复查金额与账单不符，请人工处理</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="128" />
      <source>The local attempt is final ({state}): check by hand (a refund may be owed)</source>
      <translation>本地支付记录已是“{state}”终态，请人工核对后处理（可能需退款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="131" />
      <source>X REPORT (mid-shift)</source>
      <translation>X 报表（班中）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="132" />
      <source>Z REPORT (shift close)</source>
      <translation>Z 报表（交班）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="133" />
      <source>Shift</source>
      <translation>班次</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="134" />
      <source>Opened</source>
      <translation>开班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="135" />
      <source>Closed</source>
      <translation>交班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="136" />
      <source>Printed</source>
      <translation>打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="137" />
      <source>By</source>
      <translation>操作员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="138" />
      <source>Sales</source>
      <translation>销售</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="139" />
      <source>Refunds</source>
      <translation>退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="140" />
      <source>Net</source>
      <translation>净额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="141" />
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="142" />
      <source>Refunds in progress</source>
      <translation>退款处理中</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="143" />
      <source>Opening float</source>
      <translation>备用金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="144" />
      <source>Cash sales</source>
      <translation>现金销售</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="145" />
      <source>Cash refunds</source>
      <translation>现金退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="146" />
      <source>Expected cash</source>
      <translation>应有现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="147" />
      <source>Counted cash</source>
      <translation>实点现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="148" />
      <source>Difference</source>
      <translation>差额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="149" />
      <source>Unresolved payments (not in sales)</source>
      <translation>支付结果未确定（未计入销售）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="151" />
      <source>Order total</source>
      <translation>订单金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="152" />
      <source>Customers paid</source>
      <translation>顾客实付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/manager.py" line="156" />
      <location filename="../../pos_app/ui/texts/manager.py" line="160" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="10" />
      <source>Paid</source>
      <translation>支付成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="11" />
      <source>Paid late: the customer's payment went through after all — the sale is paid (refund it if the customer no longer wants it)</source>
      <translation>迟到的付款：顾客的付款最终成功，本单已收款（如顾客不再购买，请办理退款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="14" />
      <source>Waiting for the customer to enter the password…</source>
      <translation>等待顾客输入支付密码…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="17" />
      <source>Charging the payment code…</source>
      <translation>正在扣款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="18" />
      <source>Network problem: checking the result — do not charge again…</source>
      <translation>网络异常，正在查询支付结果，请勿重复收款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="20" />
      <source>Cancelled, nothing charged</source>
      <translation>已取消，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="21" />
      <source>QR code expired, order closed, nothing charged</source>
      <translation>二维码已过期，订单已关闭，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="23" />
      <source>Cancelled, order closed, nothing charged</source>
      <translation>已取消，订单已关闭，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="28" />
      <source>Could not create the QR code (network), nothing charged</source>
      <translation>无法生成付款二维码（网络异常），未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="32" />
      <source>The customer did not pay in time: reversed, nothing charged</source>
      <translation>顾客未在规定时间内完成支付，已撤销，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="34" />
      <source>Cancelled and reversed, nothing charged</source>
      <translation>已取消并撤销，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="35" />
      <source>The customer's payment failed: reversed, nothing charged</source>
      <translation>顾客支付失败，已撤销，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="37" />
      <source>Outcome unknown, reversed: any charge will be refunded</source>
      <translation>支付结果未知，已撤销；如顾客已被扣款将原路退回</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="41" />
      <source>Reverse failed, outcome unknown: do not charge again; retry later</source>
      <translation>撤销未成功，支付结果未知：请勿重复收款，稍后重试确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="43" />
      <source>Close failed, the customer may still pay: do not charge again</source>
      <translation>关单未成功，顾客仍可能付款：请勿重复收款，稍后重试确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="48" />
      <source>Internal error, outcome unknown: do not charge again; retry later</source>
      <translation>内部错误，支付结果未知：请勿重复收款，稍后重试确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="16" />
      <source>Ask the customer to scan the QR code and pay</source>
      <translation>请顾客扫码付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="30" />
      <source>The payment service has no such order, nothing charged</source>
      <translation>支付平台无此订单，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="39" />
      <source>The payment service received no such charge, nothing charged</source>
      <translation>支付平台未收到此笔扣款，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="45" />
      <source>The payment service is unreachable, outcome unknown: do not charge again; retry when online</source>
      <translation>无法连接支付平台，支付结果未知：请勿重复收款，联网后重试确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="50" />
      <source>The payment service reports {paid_fen} paid but {expected_fen} was due: do not charge again, ask the manager to check</source>
      <translation>支付平台实付金额 {paid_fen} 与应收 {expected_fen} 不符：请勿重复收款，请联系店长核对</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="53" />
      <source>Network down: the payment service could not be reached, nothing was charged — take cash, or try again when the network is back</source>
      <translation>网络不通：无法连接支付平台，未扣款——请收现金，或网络恢复后再试</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="56" />
      <source>Payment received, cannot save: free disk space (the till saves it as soon as it can)</source>
      <translation>已收到付款，但无法保存：请清理磁盘空间（收银机会尽快自动保存）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="59" />
      <source>Cannot save the payment result: free disk space — do not charge again (the till retries by itself)</source>
      <translation>无法保存支付结果：请清理磁盘空间——请勿重复收款（收银机会自动重试）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="62" />
      <location filename="../../pos_app/ui/texts/payments.py" line="129" />
      <source>Cannot save: free disk space — no new sale until the till can write</source>
      <translation>无法保存：请清理磁盘空间——在恢复写入前不能开始新交易</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="64" />
      <source>Low disk space: {free_mb} MB free — free some space</source>
      <translation>磁盘空间不足：仅剩 {free_mb} MB——请清理空间</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="66" />
      <source>Cash received, change {change_fen}</source>
      <translation>现金收款完成，找零 {change_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="67" />
      <source>Cash payment not completed, not booked</source>
      <translation>现金收款未完成，未记账</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="68" />
      <source>Payment code expired: ask the customer to refresh it and scan again (nothing charged)</source>
      <translation>付款码已过期，请顾客刷新付款码后重新扫码（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="71" />
      <source>Payment code already used (each code works once): ask the customer to refresh it (nothing charged)</source>
      <translation>付款码无效（每个付款码只能使用一次），请顾客刷新后重新扫码（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="74" />
      <source>Invalid payment code: scan the code shown in the customer's WeChat or Alipay (nothing charged)</source>
      <translation>付款码无效，请扫描顾客微信或支付宝中的付款码（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="93" />
      <source>The merchant account lacks this permission: ask the administrator to check the payment setup (nothing charged)</source>
      <translation>商户无此接口权限，请联系管理员检查支付配置（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="99" />
      <source>Payment channel configuration error: {detail} (nothing charged)</source>
      <translation>支付渠道配置错误：{detail}（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="107" />
      <source>Not a payment code (WeChat: 18 digits starting with 10–15; Alipay: 16–24 digits starting with 25–30): scan again</source>
      <translation>不是付款码（微信：10–15 开头的 18 位数字；支付宝：25–30 开头的 16–24 位数字），请重新扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="110" />
      <source>This payment channel is not enabled for this shop: ask for another way to pay (nothing charged)</source>
      <translation>本店未开通该支付渠道，请顾客换一种支付方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="126" />
      <source>The amount is 0: no payment needed</source>
      <translation>金额为 0，无需支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="77" />
      <source>Insufficient balance: ask the customer to use another card or method (nothing charged)</source>
      <translation>顾客余额不足，请顾客更换银行卡或其他付款方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="24" />
      <source>Paid with the other channel: this QR is closed, nothing charged</source>
      <translation>顾客已用另一渠道支付：此二维码已关闭，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="26" />
      <source>PAID TWICE: the customer also paid the other QR — refund this payment</source>
      <translation>重复支付：顾客两个二维码都付了款 — 请退还这笔付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="80" />
      <source>The customer's card is not supported here: ask for another method (nothing charged)</source>
      <translation>顾客的卡不支持此交易，请更换付款方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="83" />
      <source>The payer does not match the order: start a new sale (nothing charged)</source>
      <translation>付款人与订单不一致，请重新下单（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="85" />
      <source>Payment refused (risk control or no usable method): ask for another method (nothing charged)</source>
      <translation>交易失败（风控或无可用支付方式），请顾客更换付款方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="88" />
      <source>Payment restricted: ask for another method (nothing charged)</source>
      <translation>交易受限，请顾客更换付款方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="90" />
      <source>The customer's account is restricted: ask for another method (nothing charged)</source>
      <translation>顾客账户异常，请更换付款方式（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="96" />
      <source>Signature rejected: ask the administrator to check the merchant certificate (nothing charged)</source>
      <translation>签名错误，请联系管理员检查商户证书配置（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="101" />
      <source>Request refused as invalid, nothing charged</source>
      <translation>请求参数错误，未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="102" />
      <source>Order number already used: start the payment again (nothing charged)</source>
      <translation>商户订单号重复，请重新发起支付（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="104" />
      <source>Payment failed: {detail} (nothing charged)</source>
      <translation>支付失败：{detail}（未扣款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="105" />
      <source>Note: {text}</source>
      <translation>记录：{text}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="106" />
      <location filename="../../pos_app/ui/texts/sale.py" line="12" />
      <source>The cart is empty</source>
      <translation>购物车为空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="113" />
      <source>The amount tendered is not valid</source>
      <translation>收款金额无效</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="114" />
      <source>Tendered {tendered_fen} is less than the {total_fen} due</source>
      <translation>实收 {tendered_fen} 少于应收 {total_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="116" />
      <source>Order {order_id} does not exist</source>
      <translation>订单 {order_id} 不存在</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="117" />
      <source>This order is already paid: do not charge again</source>
      <translation>该订单已付款，请勿重复收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="119" />
      <source>This order was voided or refunded</source>
      <translation>该订单已作废或已退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="120" />
      <source>This order has a payment whose outcome is unknown: do not charge again, confirm it first</source>
      <translation>该订单有一笔结果未知的支付，请勿重复收款，请先确认结果</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="123" />
      <source>This order has a payment in progress</source>
      <translation>该订单有一笔正在进行的支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="124" />
      <source>This order has a payment in progress, with an unknown outcome, or paid</source>
      <translation>该订单有一笔正在进行、结果未知或已成功的支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/payments.py" line="127" />
      <source>Checking unfinished payments, please wait</source>
      <translation>正在核对未完成的支付，请稍候</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="10" />
      <source>Wait: unfinished payments are still being checked</source>
      <translation>请稍候：正在核实未完成的支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="13" />
      <source>A payment was tried for this sale: finish it or clear it (F12), not hold it</source>
      <translation>本单已尝试收款：请完成或清空（F12），不能挂单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="15" />
      <source>Finish or hold the current sale before recalling a held one</source>
      <translation>请先完成或挂起当前订单再取单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="17" />
      <source>No sale is on hold at this till</source>
      <translation>本收银台没有挂起的订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="18" />
      <source>No shift is open on this till: open one with the cash in the drawer first</source>
      <translation>本收银台没有已开的班次：请先输入钱箱备用金开班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="20" />
      <source>Finish the current payment first</source>
      <translation>请先完成当前支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="21" />
      <source>Finish the current payment first: {name} was not added</source>
      <translation>请先完成当前支付：未加入 {name}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="23" />
      <source>{name}: product is inactive, it cannot be sold (nothing added)</source>
      <translation>{name}：商品已停用，不能销售（未加入）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="25" />
      <source>Deactivated since it was rung up, not charged: {names} — remove it (Del) and pay again</source>
      <translation>录入后已停用，未收款：{names} — 请删除该行（Del）后重新收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="28" />
      <source>Product is inactive, removed from the recalled sale: {names}</source>
      <translation>商品已停用，已从取回的挂单中移除：{names}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="30" />
      <source>Payment outcome unknown: do not charge again</source>
      <translation>支付结果未知：请勿重复收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="32" />
      <source>Order {order_id}: outcome unknown, do not charge again. Press F12 again to clear the sale anyway</source>
      <translation>订单 {order_id} 结果未知，请勿重复收款。再按一次 F12 仍要清空本单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="34" />
      <source>Order {order_id} was paid after all: sale finished</source>
      <translation>订单 {order_id} 已确认付款：本单完成</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/sale.py" line="36" />
      <source>Order {order_id} was paid after all: the cart was changed since, check it before charging</source>
      <translation>订单 {order_id} 已确认付款：购物车已改动，收款前请核对</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="10" />
      <source>Cannot read {path}: {reason}</source>
      <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="11" />
      <source>{path} is larger than {max_mb} MB: is it really a product list?</source>
      <translation>{path} 超过 {max_mb} MB：确定是商品表吗？</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="13" />
      <source>line {line}, column {column}: not valid UTF-8 text (save the file as UTF-8 or as Excel's Chinese CSV)</source>
      <translation>第 {line} 行，{column} 列：不是有效的 UTF-8 文本（请另存为 UTF-8 或 Excel 的中文 CSV）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="16" />
      <source>line {line}: the file is neither UTF-8 nor GB18030/GBK text</source>
      <translation>第 {line} 行：文件既不是 UTF-8 也不是 GB18030/GBK 文本</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="18" />
      <source>Read as {encoding} (not UTF-8)</source>
      <translation>已按 {encoding} 编码读取（非 UTF-8）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="19" />
      <source>The first line must name the columns sku,barcode,name,price; missing: {columns}</source>
      <translation>第一行须为列名 sku,barcode,name,price；缺少：{columns}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="22" />
      <source>line {line}: not valid CSV ({reason})</source>
      <translation>第 {line} 行：CSV 格式错误（{reason}）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="23" />
      <source>line {line}, column {column}: required</source>
      <translation>第 {line} 行，{column} 列：不能为空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="24" />
      <source>line {line}, column {column}: {length} characters, at most {max_length}</source>
      <translation>第 {line} 行，{column} 列：{length} 个字符，最多 {max_length} 个</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="26" />
      <source>line {line}, column {column}: {value} appears twice (also on line {first_line})</source>
      <translation>第 {line} 行，{column} 列：{value} 重复（第 {first_line} 行已有）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="29" />
      <source>line {line}, column {column}: barcode {value} already belongs to product {sku}</source>
      <translation>第 {line} 行，{column} 列：条码 {value} 已属于商品 {sku}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="32" />
      <source>line {line}, column {column}: {value} is not a valid EAN-13/EAN-8/UPC barcode</source>
      <translation>第 {line} 行，{column} 列：{value} 不是有效的 EAN-13/EAN-8/UPC 条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="35" />
      <source>line {line}, column {column}: {value} is not an amount in yuan (e.g. 3.50)</source>
      <translation>第 {line} 行，{column} 列：{value} 不是以元为单位的金额（如 3.50）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="37" />
      <source>line {line}, column {column}: the price must be positive</source>
      <translation>第 {line} 行，{column} 列：价格必须大于零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="39" />
      <source>line {line}, column {column}: the price is above {max_fen}</source>
      <translation>第 {line} 行，{column} 列：价格超过 {max_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="41" />
      <source>{path}: no products (expected columns sku,barcode,name,price)</source>
      <translation>{path}：没有商品（应有列 sku,barcode,name,price）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="43" />
      <source>{problems} problem(s): nothing was imported</source>
      <translation>{problems} 处问题：未导入任何商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/product_import.py" line="45" />
      <source>imported {count} products</source>
      <translation>已导入 {count} 个商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="12" />
      <source>Another till is already running on {data_dir} ({holder}): close it first</source>
      <translation>已有收银程序在使用数据目录 {data_dir}（{holder}）：请先关闭它</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="14" />
      <source>Cannot lock the data folder {data_dir}: {reason}</source>
      <translation>无法锁定数据目录 {data_dir}：{reason}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="18" />
      <source>Cannot create or write the folder {folder}: {reason}</source>
      <translation>无法创建或写入文件夹 {folder}：{reason}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="20" />
      <source>The database {path} cannot be written ({reason}): sales stay closed until it can</source>
      <translation>数据库 {path} 无法写入（{reason}）：在恢复可写之前不能收银</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="25" />
      <source>Backup to {folder} failed: {reason}</source>
      <translation>备份到 {folder} 失败：{reason}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="26" />
      <source>{path} is not a usable backup ({reason}): nothing was restored</source>
      <translation>{path} 不是可用的备份（{reason}）：未做任何恢复</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="28" />
      <source>Backup written and verified: {path}</source>
      <translation>备份已写入并校验通过：{path}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/storage.py" line="29" />
      <source>Restored from {path}; the previous database is kept as {kept}</source>
      <translation>已从 {path} 恢复；原数据库保留为 {kept}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="12" />
      <source>Approved by</source>
      <translation>批准人</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="13" />
      <source>Discounts given</source>
      <translation>优惠合计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="14" />
      <source>Line amounts</source>
      <translation>单品减价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="15" />
      <source>Percentages</source>
      <translation>折扣（百分比）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="16" />
      <source>Order amounts</source>
      <translation>整单减价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="17" />
      <source>Rounding off</source>
      <translation>抹零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="18" />
      <source>Cash in / out</source>
      <translation>存取款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="19" />
      <source>Cash in</source>
      <translation>存入现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="20" />
      <source>Cash out</source>
      <translation>取出现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="21" />
      <source>Expected cash: counted blind at the Z</source>
      <translation>应有现金：交班（Z）时盲点</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="22" />
      <source>The amount must be more than ¥0 and at most {max_fen}</source>
      <translation>金额须大于 ¥0，且不超过 {max_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="24" />
      <source>A reason is required</source>
      <translation>请填写原因</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="25" />
      <source>The reason for the cash in or out may be at most {max} characters</source>
      <translation>存取款原因最多 {max} 个字</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/counter_reports.py" line="27" />
      <source>That is more cash than the drawer should hold</source>
      <translation>取出金额超过钱箱应有现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="13" />
      <source>The SKU has at most {max_length} characters</source>
      <translation>货号最多 {max_length} 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="15" />
      <source>The name has at most {max_length} characters</source>
      <translation>品名最多 {max_length} 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="17" />
      <source>The category has at most {max_length} characters</source>
      <translation>品类最多 {max_length} 个字符</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="19" />
      <source>The SKU is required (or a barcode, which then is the SKU)</source>
      <translation>货号必填（或填写条码，条码即作货号）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="21" />
      <source>The name is required</source>
      <translation>品名必填</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="22" />
      <source>The price is required</source>
      <translation>价格必填</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="23" />
      <source>Barcode {value} is not a valid EAN-13/EAN-8/UPC (check digit)</source>
      <translation>条码 {value} 不是有效的 EAN-13/EAN-8/UPC 条码（校验位错误）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="25" />
      <source>Price {value} is not an amount in yuan (e.g. 3.50)</source>
      <translation>价格 {value} 不是以元为单位的金额（例如 3.50）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="27" />
      <source>The price must be positive</source>
      <translation>价格必须大于零</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="28" />
      <source>The price is above {max_fen}</source>
      <translation>价格超过上限 {max_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="30" />
      <source>The quick key is a number from 1 to {max}, or empty</source>
      <translation>快捷键为 1 到 {max} 的数字，或留空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="32" />
      <source>The scale item code is 1 to 6 digits (not all zeros), or empty</source>
      <translation>电子秤商品编码为 1 到 6 位数字（不能全为 0），或留空</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="34" />
      <source>SKU {value} already belongs to {name}</source>
      <translation>货号 {value} 已被 {name} 使用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="36" />
      <source>Barcode {value} already belongs to {name} ({sku})</source>
      <translation>条码 {value} 已被 {name}（{sku}）使用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="38" />
      <source>Quick key {value} already belongs to {name} ({sku})</source>
      <translation>快捷键 {value} 已被 {name}（{sku}）使用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="40" />
      <source>Scale item code {value} already belongs to {name} ({sku})</source>
      <translation>电子秤编码 {value} 已被 {name}（{sku}）使用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="42" />
      <source>This product is no longer in the catalogue</source>
      <translation>该商品已不在商品库中</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="44" />
      <source>Saved {name}</source>
      <translation>已保存 {name}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="45" />
      <source>Deactivated {name}: no longer sold (history and reports keep it)</source>
      <translation>已停用 {name}：不再销售（历史单据和报表仍保留）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="47" />
      <source>Reactivated {name}: it can be sold again</source>
      <translation>已重新启用 {name}：可以继续销售</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="49" />
      <source>Exported {count} products to {path}</source>
      <translation>已导出 {count} 个商品到 {path}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="50" />
      <source>Cannot write {path}: {reason}</source>
      <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="51" />
      <source>No product with barcode {barcode} — Ctrl+N adds it (manager)</source>
      <translation>没有条码为 {barcode} 的商品 — 按 Ctrl+N 新增（需店长）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="53" />
      <source>No product has scale item code {item_code}: set it in the products</source>
      <translation>没有电子秤编码为 {item_code} 的商品：请在商品管理中设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="55" />
      <source>Choose the category the amount is sold under</source>
      <translation>请选择该金额所属的品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="57" />
      <source>Type a positive amount in yuan (e.g. 12.50)</source>
      <translation>请输入大于零的金额（元，例如 12.50）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="59" />
      <source>The amount is above {max_fen}</source>
      <translation>金额超过上限 {max_fen}</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="61" />
      <source>The first day must not be after the last day</source>
      <translation>开始日期不能晚于结束日期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/texts/products.py" line="63" />
      <source>A report covers at most {max_days} days</source>
      <translation>报表最多覆盖 {max_days} 天</translation>
    </message>
  </context>
  <context>
    <name>NativePayDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="243" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="264" />
      <source>WeChat Pay — customer scans</source>
      <translation>微信支付 — 顾客扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="244" />
      <location filename="../../pos_app/ui/payment_dialogs.py" line="265" />
      <source>Ask the customer to scan with WeChat</source>
      <translation>请顾客用微信扫一扫</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="261" />
      <source>Alipay — customer scans</source>
      <translation>支付宝 — 顾客扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="262" />
      <source>Ask the customer to scan with Alipay</source>
      <translation>请顾客用支付宝扫一扫</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="295" />
      <source>QR code expired — closing the order…</source>
      <translation>二维码已过期 — 正在关闭订单…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="298" />
      <source>QR code valid for %1:%2</source>
      <translation>二维码有效期剩余 %1:%2</translation>
    </message>
  </context>
  <context>
    <name>NewProductDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="510" />
      <source>Add this product</source>
      <translation>新增此商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="513" />
      <source>Barcode %1 is not in the catalogue: add it and it goes on the sale</source>
      <translation>条码 %1 不在商品库中：新增后即加入本单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="524" />
      <source>Cancel (Esc)</source>
      <translation>取消 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="526" />
      <source>Save and sell (Enter)</source>
      <translation>保存并销售 (Enter)</translation>
    </message>
  </context>
  <context>
    <name>OpenPriceDialog</name>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="29" />
      <source>Item without barcode</source>
      <translation>无码商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="32" />
      <source>Sell an amount under a category (no barcode)</source>
      <translation>按品类输入金额销售（无条码）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="43" />
      <source>Category</source>
      <translation>品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="44" />
      <source>Amount (¥)</source>
      <translation>金额 (¥)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="51" />
      <source>Cancel (Esc)</source>
      <translation>取消 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/open_price.py" line="53" />
      <source>Add (Enter)</source>
      <translation>添加 (Enter)</translation>
    </message>
  </context>
  <context>
    <name>OpenShiftPrompt</name>
    <message>
      <location filename="../../pos_app/ui/shift_prompt.py" line="28" />
      <source>Open the shift</source>
      <translation>开班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/shift_prompt.py" line="32" />
      <source>No shift is open on this till. Count the cash in the drawer and enter it to open the shift.</source>
      <translation>本收银台还没有开班。请清点钱箱现金并输入金额以开班。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/shift_prompt.py" line="38" />
      <source>Opening float ¥, e.g. 200</source>
      <translation>备用金 ¥，例如 200</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/shift_prompt.py" line="41" />
      <source>Enter: open the shift · Esc: not now (no sales until a shift is open)</source>
      <translation>Enter：开班 · Esc：暂不开班（开班前不能收款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/shift_prompt.py" line="59" />
      <source>Not an amount: %1</source>
      <translation>金额格式不正确：%1</translation>
    </message>
  </context>
  <context>
    <name>PairPayDialog</name>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="42" />
      <source>WeChat Pay · Alipay — customer scans</source>
      <translation>微信支付 · 支付宝 — 顾客扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="43" />
      <source>Ask the customer to scan with WeChat or Alipay</source>
      <translation>请顾客用微信或支付宝扫码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="72" />
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="151" />
      <source>Contacting WeChat Pay and Alipay…</source>
      <translation>正在连接微信支付和支付宝…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="148" />
      <source>Paid with %1</source>
      <translation>已通过%1付款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="153" />
      <source>Waiting for the customer to pay with %1</source>
      <translation>等待顾客用%1付款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/pair_pay_dialog.py" line="173" />
      <source>Cancelling… waiting for WeChat Pay and Alipay to confirm</source>
      <translation>正在取消… 等待微信支付和支付宝确认</translation>
    </message>
  </context>
  <context>
    <name>PaymentDialog</name>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="40" />
      <source>Starting…</source>
      <translation>正在发起…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="43" />
      <source>Contacting Alipay…</source>
      <translation>正在连接支付宝…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="44" />
      <source>Contacting WeChat Pay…</source>
      <translation>正在连接微信支付…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="47" />
      <source>Waiting for the customer to scan and pay…</source>
      <translation>等待顾客扫码付款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="49" />
      <source>Waiting for the customer to enter the password…</source>
      <translation>等待顾客输入支付密码…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="52" />
      <source>Paid</source>
      <translation>支付成功</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="53" />
      <source>Closed — nothing was charged</source>
      <translation>订单已关闭 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="55" />
      <source>Cancelled (reversed) — nothing was charged</source>
      <translation>已撤销 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="57" />
      <source>Failed — nothing was charged</source>
      <translation>支付失败 — 未扣款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="59" />
      <source>Outcome unknown — do NOT charge again; it will be checked</source>
      <translation>结果未知 — 请勿重复收款，系统将继续核实</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="108" />
      <source>Cancel payment (Esc)</source>
      <translation>取消支付 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="110" />
      <source>Done (Enter)</source>
      <translation>完成 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="166" />
      <source>Could not start the payment</source>
      <translation>无法发起支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="201" />
      <source>Cancelling… waiting for Alipay to confirm</source>
      <translation>正在取消… 等待支付宝确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="202" />
      <source>Cancelling… waiting for WeChat Pay to confirm</source>
      <translation>正在取消… 等待微信支付确认</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="221" />
      <source>The payment is still running: use Cancel (Esc)</source>
      <translation>支付仍在进行中：请使用“取消支付 (Esc)”</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/payment_dialogs.py" line="228" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
  </context>
  <context>
    <name>PinEntry</name>
    <message>
      <location filename="../../pos_app/ui/pin_entry.py" line="30" />
      <source>4–8 digits</source>
      <translation>4–8 位数字</translation>
    </message>
  </context>
  <context>
    <name>PrinterPage</name>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="60" />
      <source>No printer</source>
      <translation>不使用打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="60" />
      <source>Serial port</source>
      <translation>串口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="61" />
      <source>File / device node</source>
      <translation>文件 / 设备节点</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="62" />
      <source>Network (Ethernet, port 9100)</source>
      <translation>网络（以太网，端口 9100）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="79" />
      <source>Printer</source>
      <translation>打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="80" />
      <source>Port or file</source>
      <translation>端口或文件</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="81" />
      <source>Baud rate</source>
      <translation>波特率</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="82" />
      <source>Printer address</source>
      <translation>打印机地址</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="83" />
      <source>TCP port</source>
      <translation>TCP 端口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="84" />
      <source>Chinese encoding</source>
      <translation>中文编码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="85" />
      <source>Characters per line</source>
      <translation>每行字符数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="89" />
      <source>Print a test page</source>
      <translation>打印测试页</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="99" />
      <source>Receipt header</source>
      <translation>小票抬头</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="103" />
      <source>the till's shop name</source>
      <translation>默认使用收银台店名</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="110" />
      <source>Shop name</source>
      <translation>店名</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="111" />
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="112" />
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="115" />
      <source>Cash drawer (on the printer's drawer port)</source>
      <translation>钱箱（接在打印机的钱箱口）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="117" />
      <source>Open the drawer for cash sales and refunds</source>
      <translation>现金收款和现金退款时弹开钱箱</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="122" />
      <source>Pin 2 (most drawers)</source>
      <translation>2 脚（大多数钱箱）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="123" />
      <source>Pin 5</source>
      <translation>5 脚</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="126" />
      <source>Kick-out pin</source>
      <translation>弹箱引脚</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="170" />
      <source>Test page</source>
      <translation>测试页</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="171" />
      <source>Printer: %1</source>
      <translation>打印机：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="173" />
      <source>Chinese: 微信支付 收银台 ￥12.34</source>
      <translation>中文：微信支付 收银台 ￥12.34</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="177" />
      <source>Sending the test page…</source>
      <translation>正在发送测试页…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="186" />
      <source>Test page printed (the printer confirmed it)</source>
      <translation>测试页已打印（打印机已确认）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="188" />
      <source>Test page sent: check the paper</source>
      <translation>测试页已发送：请查看出纸</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/device_settings.py" line="195" />
      <source>Test page not printed: %1</source>
      <translation>测试页未打印：%1</translation>
    </message>
  </context>
  <context>
    <name>ProductEntry</name>
    <message>
      <location filename="../../pos_app/ui/product_entry.py" line="55" />
      <source>Scan, type a barcode or search products (F2)</source>
      <extracomment>the text colour of a deactivated product (search results, the products table)</extracomment>
      <translation>扫码、输入条码或搜索商品 (F2)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/product_entry.py" line="137" />
      <source>(inactive)</source>
      <translation>（已停用）</translation>
    </message>
  </context>
  <context>
    <name>ProductForm</name>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="112" />
      <source>empty: the barcode</source>
      <translation>留空：使用条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="120" />
      <source>1–12, empty: none</source>
      <translation>1–12，留空：无</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="122" />
      <source>label scale item code</source>
      <translation>电子秤商品编码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="125" />
      <source>Product name</source>
      <translation>品名</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="126" />
      <source>Barcode</source>
      <translation>条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="131" />
      <source>Sold by weight: the price is per kg</source>
      <translation>称重销售：价格为每公斤单价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="134" />
      <source>Price (¥)</source>
      <translation>单价 (¥)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="136" />
      <source>Category</source>
      <translation>品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="137" />
      <source>SKU</source>
      <translation>货号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="138" />
      <source>Quick key</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="139" />
      <source>Scale item code</source>
      <translation>电子秤编码</translation>
    </message>
  </context>
  <context>
    <name>ProductsDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="199" />
      <source>Saving…</source>
      <translation>正在保存…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="239" />
      <source>Products</source>
      <translation>商品管理</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="246" />
      <source>Search by name, pinyin initials, SKU or barcode (Ctrl+F)</source>
      <translation>按品名、拼音首字母、货号或条码搜索 (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="254" />
      <source>Show inactive products (Ctrl+H)</source>
      <translation>显示已停用商品 (Ctrl+H)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="262" />
      <source>Product</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="262" />
      <source>Price</source>
      <translation>单价</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="262" />
      <source>Category</source>
      <translation>品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="262" />
      <source>Barcode</source>
      <translation>条码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="263" />
      <source>SKU</source>
      <translation>货号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="263" />
      <source>Quick key</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="274" />
      <source>Import CSV… (Ctrl+I)</source>
      <translation>导入 CSV… (Ctrl+I)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="277" />
      <source>Export CSV… (Ctrl+E)</source>
      <translation>导出 CSV… (Ctrl+E)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="287" />
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="385" />
      <source>New product</source>
      <translation>新增商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="295" />
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="392" />
      <source>Deactivate (Ctrl+D)</source>
      <translation>停用 (Ctrl+D)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="300" />
      <source>New (Ctrl+N)</source>
      <translation>新增 (Ctrl+N)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="303" />
      <source>Save (Enter)</source>
      <translation>保存 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="306" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="387" />
      <source>Edit %1</source>
      <translation>编辑 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="389" />
      <source>Edit %1 (inactive: not sold)</source>
      <translation>编辑 %1（已停用：不销售）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="391" />
      <source>Reactivate (Ctrl+D)</source>
      <translation>重新启用 (Ctrl+D)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="465" />
      <source>Import products from CSV</source>
      <translation>从 CSV 导入商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="469" />
      <source>Export products to CSV</source>
      <translation>导出商品到 CSV</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_dialog.py" line="474" />
      <source>Importing %1…</source>
      <translation>正在导入 %1…</translation>
    </message>
  </context>
  <context>
    <name>ProductsMenu</name>
    <message>
      <location filename="../../pos_app/ui/manager/products_menu.py" line="36" />
      <source>Products…</source>
      <translation>商品管理…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_menu.py" line="37" />
      <source>Sales reports…</source>
      <translation>销售报表…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_menu.py" line="60" />
      <source>Products</source>
      <translation>商品管理</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_menu.py" line="67" />
      <source>Sales reports</source>
      <translation>销售报表</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/products_menu.py" line="83" />
      <source>Add product %1</source>
      <translation>新增商品 %1</translation>
    </message>
  </context>
  <context>
    <name>ReceiptDialog</name>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="26" />
      <source>Receipt</source>
      <translation>小票</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="61" />
      <source>Print (Ctrl+P)</source>
      <translation>打印 (Ctrl+P)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="64" />
      <source>New sale (Enter)</source>
      <translation>下一单 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="75" />
      <source>Printing…</source>
      <translation>正在打印…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="82" />
      <source>Print failed: %1</source>
      <translation>打印失败：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/receipt_dialog.py" line="85" />
      <source>Printed</source>
      <translation>已打印</translation>
    </message>
  </context>
  <context>
    <name>ReconcileDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="70" />
      <source>Download bill and compare</source>
      <translation>下载账单并对账</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="73" />
      <source>Business day (Beijing time)</source>
      <translation>营业日（北京时间）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="77" />
      <source>The bill for a day is ready after 10:00 the next morning.</source>
      <translation>当日账单于次日 10:00 后可下载。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="86" />
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="86" />
      <source>Order (out_trade_no)</source>
      <translation>商户订单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="86" />
      <source>In the bill</source>
      <translation>账单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="112" />
      <source>Offline: reconciliation needs a payment channel</source>
      <translation>离线：对账需要连接支付渠道</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="150" />
      <source>%1 %2: %3 payment(s) and %4 refund(s) match. Bill %5 / local %6; refunds %7 / %8. Customers paid %9; the bill settles %10.</source>
      <translation>%1 %2：%3 笔支付、%4 笔退款一致。收款 账单 %5 / 本地 %6；退款 %7 / %8。顾客实付 %9；账单应结 %10。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="203" />
      <source>Re-querying %1 at %2…</source>
      <translation>正在向%2复查 %1…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="87" />
      <source>Local</source>
      <translation>本地</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="51" />
      <source>Reconcile with the payment channel's bill</source>
      <translation>与支付渠道账单对账</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="87" />
      <source>Detail</source>
      <translation>详情</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="87" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="100" />
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="238" />
      <source>Export CSV</source>
      <translation>导出 CSV</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="103" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="138" />
      <source>Downloading the bill for %1…</source>
      <translation>正在下载 %1 的账单…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="163" />
      <source>Everything matches.</source>
      <translation>全部一致。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="166" />
      <source>%1 mismatch(es) to check.</source>
      <translation>有 %1 处差异需核对。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="173" />
      <source>Bill warnings: %1</source>
      <translation>账单提示：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="185" />
      <source>Fix: record it locally</source>
      <translation>修复：补录到本地</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="190" />
      <source>Check by hand</source>
      <translation>请人工核对</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="209" />
      <source>Recorded %1 for %2 (order #%3)</source>
      <translation>已补录 %1（%2，订单 #%3）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/reconcile_dialog.py" line="244" />
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
  </context>
  <context>
    <name>RefundDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="101" />
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="170" />
      <source>Refund</source>
      <translation>退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="111" />
      <source>Original order</source>
      <translation>原订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="115" />
      <source>Scan the receipt QR, or type the order number / out_trade_no</source>
      <translation>扫描小票二维码，或输入订单号 / 商户订单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="116" />
      <source>Find</source>
      <translation>查找</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="126" />
      <source>Total ¥ (optional)</source>
      <translation>金额 ¥（可选）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="127" />
      <source>Search history</source>
      <translation>查历史订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="129" />
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="140" />
      <source>No order loaded</source>
      <translation>未选择订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="150" />
      <source>Paid amount</source>
      <translation>实付金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="151" />
      <source>Already refunded</source>
      <translation>已退金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="152" />
      <source>Refundable</source>
      <translation>可退金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="157" />
      <source>Item</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="157" />
      <source>Sold</source>
      <translation>售出</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="158" />
      <source>Refunded</source>
      <translation>已退</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="158" />
      <source>Left</source>
      <translation>可退</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="159" />
      <source>Refund qty</source>
      <translation>退货数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="179" />
      <source>Everything still refundable</source>
      <translation>整单退款（全部可退部分）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="180" />
      <source>By item quantities</source>
      <translation>按商品数量退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="181" />
      <source>By amount</source>
      <translation>按金额退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="190" />
      <source>Amount ¥, e.g. 4.50</source>
      <translation>金额 ¥，例如 4.50</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="196" />
      <source>Reason (required)</source>
      <translation>退款原因（必填）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="199" />
      <source>Damaged goods</source>
      <translation>商品破损</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="199" />
      <source>Customer changed mind</source>
      <translation>顾客不想要了</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="200" />
      <source>Wrong item or price</source>
      <translation>商品或价格有误</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="200" />
      <source>Charged twice</source>
      <translation>重复收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="204" />
      <source>Why is this refunded?</source>
      <translation>为什么退款？</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="206" />
      <source>Refund (manager PIN)</source>
      <translation>退款（需店长 PIN）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="217" />
      <source>Refund no.</source>
      <translation>退款单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="217" />
      <source>Method</source>
      <translation>支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="218" />
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="218" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="238" />
      <source>Retry / refresh status</source>
      <translation>重试 / 刷新状态</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="240" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="266" />
      <source>Scan or type the receipt's order number</source>
      <translation>请扫描或输入小票上的订单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="269" />
      <source>Looking up…</source>
      <translation>正在查找…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="275" />
      <source>No paid order found for %1</source>
      <translation>找不到已支付的订单：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="286" />
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="468" />
      <source>Not an amount: %1</source>
      <translation>金额格式不正确：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="301" />
      <source>%1 order(s) found</source>
      <translation>找到 %1 笔订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="318" />
      <source>Order #%1 · %2 · %3</source>
      <translation>订单 #%1 · %2 · %3</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="355" />
      <source>Nothing left to refund on this order</source>
      <translation>此订单已无可退金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="364" />
      <source>Paid twice: give back %1 (%2)</source>
      <translation>重复付款：退回多付的 %1（%2）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="443" />
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="447" />
      <source>Refund: —</source>
      <translation>退款：—</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="449" />
      <source>Refund: %1</source>
      <translation>退款：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="471" />
      <source>Choose the quantities to refund</source>
      <translation>请选择退货数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="474" />
      <source>Nothing to refund</source>
      <translation>没有可退的金额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="485" />
      <source>A refund reason is required</source>
      <translation>请填写退款原因</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="490" />
      <source>Give back %1 paid twice on order #%2</source>
      <translation>订单 #%2 重复付款，退回 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="491" />
      <source>Refund %1 on order #%2</source>
      <translation>订单 #%2 退款 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="507" />
      <source>Sending the refund…</source>
      <translation>正在提交退款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="544" />
      <source>Checking the refund…</source>
      <translation>正在查询退款…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="630" />
      <source>Alipay QR</source>
      <translation>支付宝收款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="631" />
      <source>Alipay code</source>
      <translation>支付宝付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="632" />
      <source>WeChat QR</source>
      <translation>微信收款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="632" />
      <source>WeChat code</source>
      <translation>微信付款码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="622" />
      <location filename="../../pos_app/ui/manager/refund_dialog.py" line="628" />
      <source>Cash</source>
      <translation>现金</translation>
    </message>
  </context>
  <context>
    <name>RefundOwed</name>
    <message>
      <location filename="../../pos_app/ui/refund_owed.py" line="36" />
      <source>Order %1 was paid twice: give %2 back to the customer (%3) — a manager refunds it (Shift+F5)</source>
      <translation>订单 %1 被重复支付：须退还顾客 %2（%3）— 由店长退款（Shift+F5）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/refund_owed.py" line="72" />
      <source>⚠ Order %1 paid twice: refund %2 (Shift+F5)</source>
      <translation>⚠ 订单 %1 重复支付：请退 %2（Shift+F5）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/refund_owed.py" line="76" />
      <source>+%1 more</source>
      <translation>另有 %1 单</translation>
    </message>
  </context>
  <context>
    <name>ReprintDialog</name>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="50" />
      <source>Reprint a receipt</source>
      <translation>补打小票</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="54" />
      <source>Receipt number</source>
      <translation>小票单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="57" />
      <source>scan the receipt's QR or type its number</source>
      <translation>扫描小票二维码或输入单号</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="61" />
      <source>Orders of</source>
      <translation>日期</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="66" />
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="78" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="80" />
      <source>Print a copy (Enter)</source>
      <translation>补打 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="105" />
      <source>Looking up…</source>
      <translation>正在查找…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="111" />
      <source>No paid order found for %1</source>
      <translation>找不到已支付的订单：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="134" />
      <source>%1 order(s)</source>
      <translation>%1 笔订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="139" />
      <source>Choose an order first</source>
      <translation>请先选择订单</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="147" />
      <source>Printing a copy of receipt %1</source>
      <translation>正在补打小票 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/reprint_dialog.py" line="152" />
      <source>Receipt %1 not printed: %2</source>
      <translation>小票 %1 未打印：%2</translation>
    </message>
  </context>
  <context>
    <name>SaleStatus</name>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="112" />
      <source>DEMO MODE — simulated WeChat Pay</source>
      <extracomment>How much of a recovery error the tooltip shows (the log has all of it).</extracomment>
      <translation>演示模式 — 模拟微信支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="113" />
      <source>LIVE</source>
      <translation>正式环境</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="115" />
      <source>Manager: %1</source>
      <translation>经理：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="115" />
      <source>Administrator: %1</source>
      <translation>管理员：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="116" />
      <source>Cashier: %1</source>
      <translation>收银员：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="142" />
      <source>Disk low: %1 MB free</source>
      <translation>磁盘空间不足：仅剩 %1 MB</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="150" />
      <source>Serial scanner: %1</source>
      <translation>串口扫码枪：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="159" />
      <source>Recovery: nothing unfinished</source>
      <translation>恢复检查：无未完成支付</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="165" />
      <source>Recovery: %1 resolved (%2)</source>
      <translation>恢复检查：已处理 %1 笔（%2）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="171" />
      <source>order %1: outcome unknown, do not charge again</source>
      <translation>订单 %1 结果未知，请勿重复收款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/sale_status.py" line="184" />
      <source>Recovery failed — unfinished payments stay blocked</source>
      <translation>恢复失败 — 未完成的支付仍被锁定</translation>
    </message>
  </context>
  <context>
    <name>SalesReportsDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="86" />
      <source>Sales reports</source>
      <translation>销售报表</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="95" />
      <source>From</source>
      <translation>从</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="97" />
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="99" />
      <source>Till (Ctrl+T)</source>
      <translation>收银台 (Ctrl+T)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="102" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="243" />
      <source>All tills</source>
      <translation>全部收银台</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="105" />
      <source>Show (Enter)</source>
      <translation>查询 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="109" />
      <source>Export CSV… (Ctrl+E)</source>
      <translation>导出 CSV… (Ctrl+E)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="116" />
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="117" />
      <source>7 days</source>
      <translation>近 7 天</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="118" />
      <source>30 days</source>
      <translation>近 30 天</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="123" />
      <source>This month (Ctrl+4)</source>
      <translation>本月 (Ctrl+4)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="141" />
      <source>By day</source>
      <translation>按日</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="142" />
      <source>By hour</source>
      <translation>按小时</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="144" />
      <source>Product</source>
      <translation>商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="144" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="150" />
      <source>Category</source>
      <translation>品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="145" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="150" />
      <source>Qty</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="145" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="151" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="155" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="158" />
      <source>Sales</source>
      <translation>销售</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="145" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="151" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="155" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="158" />
      <source>Refunds</source>
      <translation>退款</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="146" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="151" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="155" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="158" />
      <source>Net</source>
      <translation>净额</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="148" />
      <source>Top products</source>
      <translation>畅销商品</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="153" />
      <source>Categories</source>
      <translation>品类</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="154" />
      <source>Payment method</source>
      <translation>支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="154" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="157" />
      <source>Payments</source>
      <translation>笔数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="156" />
      <source>Payment methods</source>
      <translation>支付方式</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="157" />
      <source>Cashier</source>
      <translation>收银员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="159" />
      <source>Cashiers</source>
      <translation>收银员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="163" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="179" />
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="244" />
      <source>Till %1</source>
      <translation>收银台 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="226" />
      <source>Computing…</source>
      <translation>正在统计…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="247" />
      <source>%1 to %2: sales %3 (%4 payments) − refunds %5 (%6) = net %7</source>
      <translation>%1 至 %2：销售 %3（%4 笔）− 退款 %5（%6 笔）= 净额 %7</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="252" />
      <source>No sales in this range</source>
      <translation>此期间没有销售</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="257" />
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="296" />
      <source>Export the sales report to CSV</source>
      <translation>导出销售报表到 CSV</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="314" />
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/sales_reports_dialog.py" line="319" />
      <source>Cannot write the file: %1</source>
      <translation>无法写入文件：%1</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="61" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="69" />
      <source>WeChat Pay merchant</source>
      <translation>微信支付商户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="70" />
      <source>Alipay merchant</source>
      <translation>支付宝商户</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="71" />
      <source>Scanner</source>
      <translation>扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="72" />
      <source>Receipt printer</source>
      <translation>小票打印机</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="73" />
      <source>Backup</source>
      <translation>备份</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="74" />
      <source>At the counter</source>
      <translation>收银台</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="76" />
      <source>Customer display</source>
      <translation>客显</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="109" />
      <source>Merchant config file (JSON or TOML) with mchid, appid, key paths. It is used after a restart; without it the till runs in demo mode.</source>
      <translation>商户配置文件（JSON 或 TOML），包含商户号、AppID 和密钥路径。重启后生效；未配置时以演示模式运行。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="113" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="167" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="322" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="115" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="169" />
      <source>Validate</source>
      <translation>校验</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="128" />
      <source>Merchant config</source>
      <translation>商户配置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="137" />
      <source>No file: the till runs in demo mode</source>
      <translation>未指定文件：以演示模式运行</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="143" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="198" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="148" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="203" />
      <source>OK: %1</source>
      <translation>可用：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="152" />
      <location filename="../../pos_app/ui/settings_dialog.py" line="207" />
      <source>Not usable: %1</source>
      <translation>不可用：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="160" />
      <source>Alipay merchant config file (JSON or TOML) with app_id, the app private key and the Alipay public key or the three certificates. It is used after a restart; empty: the till does not take Alipay.</source>
      <translation>支付宝商户配置文件（JSON 或 TOML），含 app_id、应用私钥，以及支付宝公钥或三个证书。重启后生效；留空则本收银台不收支付宝。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="182" />
      <source>Alipay merchant config</source>
      <translation>支付宝商户配置</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="192" />
      <source>No file: the till does not take Alipay</source>
      <translation>未指定文件：本收银台不收支付宝</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="216" />
      <source>Keyboard (USB HID) scanner</source>
      <translation>键盘口（USB HID）扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="222" />
      <source>Scanner sends Enter/Tab after each code</source>
      <translation>扫码枪在每个条码后发送 Enter/Tab</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="224" />
      <source>Max gap between keys</source>
      <translation>按键最大间隔</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="225" />
      <source>Max average gap</source>
      <translation>平均间隔上限</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="226" />
      <source>Minimum code length</source>
      <translation>最短条码长度</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="228" />
      <source>Serial / USB-CDC scanner</source>
      <translation>串口 / USB 虚拟串口扫码枪</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="241" />
      <source>none (idle gap)</source>
      <translation>无（按空闲间隔分割）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="245" />
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="246" />
      <source>Baud rate</source>
      <translation>波特率</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="247" />
      <source>Suffix</source>
      <translation>后缀</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="250" />
      <source>Scan test — scan anything:</source>
      <translation>扫码测试 — 请扫描任意条码：</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="251" />
      <source>Apply now</source>
      <translation>立即应用</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="317" />
      <source>Back up the till database to a second place: another disk, a USB stick or a network share. Empty: no backups. Used after a restart.</source>
      <translation>将收银数据库备份到另一个位置：另一块硬盘、U 盘或网络共享。留空则不备份。重启后生效。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="330" />
      <source>Back up every</source>
      <translation>备份间隔</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="331" />
      <source>Backups kept</source>
      <translation>保留份数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="337" />
      <source>Backup folder</source>
      <translation>备份文件夹</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="352" />
      <source>A payment code scanned at the sale field waits for Enter (otherwise it charges at once)</source>
      <translation>在商品输入框扫到的付款码需按 Enter 确认（否则立即收款）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="355" />
      <source>Full screen (kiosk)</source>
      <translation>全屏（自助模式）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="360" />
      <source>Cashier discount limit (more needs a manager's PIN)</source>
      <translation>收银员折扣上限（超过需店长 PIN）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="363" />
      <source>Label scale barcodes (2x)</source>
      <translation>电子秤条码（2 开头）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/settings_dialog.py" line="389" />
      <source>Not saved: %1</source>
      <translation>未保存：%1</translation>
    </message>
  </context>
  <context>
    <name>ShiftDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="58" />
      <source>Shift: X / Z report</source>
      <translation>交班：X / Z 报表</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="67" />
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="72" />
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="77" />
      <source>Open shift</source>
      <translation>开班</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="75" />
      <source>Opening float ¥, e.g. 200</source>
      <translation>备用金 ¥，例如 200</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="79" />
      <source>Cash in drawer</source>
      <translation>钱箱现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="84" />
      <source>X report (mid-shift)</source>
      <translation>X 报表（班中）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="88" />
      <source>Close shift (Z report)</source>
      <translation>交班（Z 报表）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="91" />
      <source>Counted cash ¥</source>
      <translation>实点现金 ¥</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="93" />
      <source>Count done: close shift (manager PIN)</source>
      <translation>点钞完成：交班（需店长 PIN）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="96" />
      <source>Counted cash</source>
      <translation>实点现金</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="126" />
      <source>Print (Ctrl+P)</source>
      <translation>打印 (Ctrl+P)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="129" />
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="318" />
      <source>Export CSV</source>
      <translation>导出 CSV</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="131" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="154" />
      <source>No open shift</source>
      <translation>当前没有班次</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="157" />
      <source>Shift #%1 open since %2 (%3), float %4</source>
      <translation>班次 #%1 自 %2 开班（%3），备用金 %4</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="179" />
      <source>Not an amount: %1</source>
      <translation>金额格式不正确：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="253" />
      <source>Close shift #%1 with %2 counted</source>
      <translation>班次 #%1 交班，实点现金 %2</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="271" />
      <source>Expected cash: %1</source>
      <translation>应有现金：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="277" />
      <source>Cash matches: difference ¥0.00</source>
      <translation>现金相符：差额 ¥0.00</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="279" />
      <source>Cash SHORT by %1</source>
      <translation>现金短缺 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="282" />
      <source>Cash OVER by %1</source>
      <translation>现金多出 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="300" />
      <source>Printing…</source>
      <translation>正在打印…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="305" />
      <source>Print failed: %1</source>
      <translation>打印失败：%1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="307" />
      <source>Printed</source>
      <translation>已打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/shift_dialog.py" line="326" />
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
  </context>
  <context>
    <name>TillDevices</name>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="81" />
      <source>Reprint a receipt…</source>
      <translation>补打小票…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="82" />
      <source>Open the cash drawer (no sale)…</source>
      <translation>开钱箱（无销售）…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="41" />
      <source>out of paper</source>
      <translation>缺纸</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="42" />
      <source>cover open</source>
      <translation>上盖打开</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="43" />
      <source>error</source>
      <translation>故障</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="44" />
      <source>offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="45" />
      <source>not reachable</source>
      <translation>连不上</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="47" />
      <source>not printing</source>
      <translation>未打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="165" />
      <source>⚠ Printer %1 · %2 waiting</source>
      <translation>⚠ 打印机%1 · %2 张待打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="171" />
      <source>Printing — %1 waiting</source>
      <translation>正在打印 — %1 张待打印</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="183" />
      <source>No cash drawer is set up (Settings, F11)</source>
      <translation>未设置钱箱（设置，F11）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="186" />
      <source>Opening the drawer without a sale needs a manager</source>
      <translation>无销售开钱箱需要店长授权</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="190" />
      <source>Open the cash drawer (no sale)</source>
      <translation>开钱箱（无销售）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="199" />
      <source>Cash drawer opened (no sale, recorded)</source>
      <translation>钱箱已打开（无销售，已记录）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/till_devices.py" line="234" />
      <source>Refund slip not printed: %1</source>
      <translation>退款凭条未打印：%1</translation>
    </message>
  </context>
  <context>
    <name>TotalsPanel</name>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="222" />
      <source>Items</source>
      <translation>件数</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="223" />
      <source>Subtotal</source>
      <translation>小计</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="224" />
      <source>Discount</source>
      <translation>优惠</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/cart_panel.py" line="229" />
      <source>Total</source>
      <translation>应收合计</translation>
    </message>
  </context>
  <context>
    <name>UsersDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="52" />
      <source>Staff and PINs</source>
      <translation>员工与 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="57" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="90" />
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="57" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="91" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="58" />
      <source>Sign-in</source>
      <translation>登录状态</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="67" />
      <source>New PIN for the selected user</source>
      <translation>所选员工的新 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="68" />
      <source>Reset PIN</source>
      <translation>重置 PIN</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="70" />
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="79" />
      <source>Add a user (administrator)</source>
      <translation>添加员工（需管理员）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="84" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="137" />
      <source>Cashier</source>
      <translation>收银员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="84" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="137" />
      <source>Manager</source>
      <translation>店长</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="85" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="138" />
      <source>Administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="88" />
      <source>Add user</source>
      <translation>添加员工</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="92" />
      <source>PIN</source>
      <translation>PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="95" />
      <source>Change my PIN (%1)</source>
      <translation>修改我的 PIN 码（%1）</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="100" />
      <source>Change PIN</source>
      <translation>修改 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="102" />
      <source>Current PIN</source>
      <translation>当前 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="103" />
      <source>New PIN</source>
      <translation>新 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="104" />
      <source>New PIN again</source>
      <translation>再次输入新 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="107" />
      <source>PINs: 4–8 digits, not all the same digit, not a run like 1234.</source>
      <translation>PIN 码：4–8 位数字，不能全部相同，也不能是 1234 这样的连续数字。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="114" />
      <source>Close (Esc)</source>
      <translation>关闭 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="143" />
      <source>Locked until %1</source>
      <translation>锁定至 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="146" />
      <source>%1 wrong PIN(s)</source>
      <translation>PIN 错误 %1 次</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="148" />
      <source>Active</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="177" />
      <source>Add user %1</source>
      <translation>添加员工 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="183" />
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="192" />
      <source>Select a user first</source>
      <translation>请先选择员工</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="186" />
      <source>Reset the PIN of %1</source>
      <translation>重置 %1 的 PIN 码</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="194" />
      <source>Unlock %1</source>
      <translation>解锁 %1</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="200" />
      <source>The two new PINs differ</source>
      <translation>两次输入的新 PIN 码不一致</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="204" />
      <source>PIN changed</source>
      <translation>PIN 码已修改</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/users_dialog.py" line="218" />
      <source>Done: %1</source>
      <translation>已完成：%1</translation>
    </message>
  </context>
  <context>
    <name>ZSyncDialog</name>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="55" />
      <source>Store hub: changes not yet sent</source>
      <translation>总店服务器：有数据尚未同步</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="65" />
      <source>The hub can be reached. Wait until they are sent, so that the store's reports hold this whole shift, or close the shift now: they are kept on this till and sent later.</source>
      <translation>服务器可以连接。请等待数据发送完成，使门店报表包含本班次的全部数据；也可以现在交班：数据保存在本收银台，稍后自动发送。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="79" />
      <source>Wait for the sync (Enter)</source>
      <translation>等待同步 (Enter)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="83" />
      <source>Close anyway (%1)</source>
      <translation>仍然交班 (%1)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="86" />
      <source>Cancel (Esc)</source>
      <translation>取消 (Esc)</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="97" />
      <source>%1 changes not yet sent to the hub</source>
      <translation>%1 条数据尚未发送到服务器</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="114" />
      <source>Sending to the hub…</source>
      <translation>正在发送到服务器…</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="143" />
      <source>The hub stopped answering: the changes are kept and sent later. Wait, or close anyway.</source>
      <translation>服务器已无响应：数据已保存，稍后自动发送。可继续等待，或仍然交班。</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="146" />
      <source>Sending to the hub… %1 left</source>
      <translation>正在发送到服务器… 剩余 %1 条</translation>
    </message>
    <message>
      <location filename="../../pos_app/ui/manager/hub_sync_warning.py" line="151" />
      <source>The count could not be read: %1</source>
      <translation>无法读取未同步数量：%1</translation>
    </message>
  </context>
  <context>
    <name>badge</name>
    <message>
      <location filename="../../pos_app/ui/hub_panel.py" line="266" />
      <source>Store hub…</source>
      <translation>总店服务器…</translation>
    </message>
  </context>
</TS>