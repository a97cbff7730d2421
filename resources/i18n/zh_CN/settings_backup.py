"""Chinese for the backup tab and the settings checks (pos_app/ui/settings_dialog.py,
settings_model.py) — UI strings, not a message catalog."""

ZH = {
    "Backup": "备份",
    "Back up the till database to a second place: another disk, a USB stick or a "
    "network share. Empty: no backups. Used after a restart.":
        "将收银数据库备份到另一个位置：另一块硬盘、U 盘或网络共享。留空则不备份。重启后生效。",
    "Back up every": "备份间隔",
    "Backups kept": "保留份数",
    "Backup folder": "备份文件夹",
    "The minimum code length must be 1–64": "最短条码长度须为 1–64",
    "The baud rate must be 1200–921600": "波特率须为 1200–921600",
    "The backup folder must be a full path": "备份文件夹须为完整路径",
    "Backups run every 5–1440 minutes": "备份间隔须为 5–1440 分钟",
    "Keep 1–365 backups": "保留 1–365 份备份",
}
