"""Chinese for pos_app/ui/texts/printer_status.py."""

ZH = {
    "Printer ready": "打印机就绪",
    "The printer is out of paper: load paper, waiting receipts then print":
        "打印机缺纸：请装纸，待打印的小票随后自动打印",
    "The printer cover is open: close it, waiting receipts then print":
        "打印机上盖未合：请合上，待打印的小票随后自动打印",
    "The printer reports an error (cutter or overheating): check it":
        "打印机报告故障（切刀或过热）：请检查打印机",
    "The printer is offline": "打印机离线",
    "Cannot reach the printer: check that it is on and connected; receipts wait and print when it is back":
        "无法连接打印机：请检查电源和网络；小票将排队，恢复后自动打印",
    "The printer does not report its status": "打印机不支持状态查询",
    "The printer paper roll is nearly empty": "打印纸即将用完",
}
