"""Chinese for pos_app/ui/manager/hub_sync_warning.py (the Z report's hub warning)."""

ZH = {
    "Store hub: changes not yet sent": "总店服务器：有数据尚未同步",
    "%1 changes not yet sent to the hub": "%1 条数据尚未发送到服务器",
    "The hub can be reached. Wait until they are sent, so that the store's reports hold "
    "this whole shift, or close the shift now: they are kept on this till and sent later.":
        "服务器可以连接。请等待数据发送完成，使门店报表包含本班次的全部数据；"
        "也可以现在交班：数据保存在本收银台，稍后自动发送。",
    "Wait for the sync (Enter)": "等待同步 (Enter)",
    "Close anyway (%1)": "仍然交班 (%1)",
    "Sending to the hub…": "正在发送到服务器…",
    "Sending to the hub… %1 left": "正在发送到服务器… 剩余 %1 条",
    "The hub stopped answering: the changes are kept and sent later. Wait, or close anyway.":
        "服务器已无响应：数据已保存，稍后自动发送。可继续等待，或仍然交班。",
    "The count could not be read: %1": "无法读取未同步数量：%1",
}
