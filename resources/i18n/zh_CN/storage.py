"""Chinese for pos_app/ui/texts/storage.py."""

ZH = {
    "Another till is already running on {data_dir} ({holder}): close it first":
        "已有收银程序在使用数据目录 {data_dir}（{holder}）：请先关闭它",
    "Cannot lock the data folder {data_dir}: {reason}": "无法锁定数据目录 {data_dir}：{reason}",
    "Cannot create or write the folder {folder}: {reason}": "无法创建或写入文件夹 {folder}：{reason}",
    "The database {path} cannot be written ({reason}): sales stay closed until it can":
        "数据库 {path} 无法写入（{reason}）：在恢复可写之前不能收银",
    "Backup to {folder} failed: {reason}": "备份到 {folder} 失败：{reason}",
    "{path} is not a usable backup ({reason}): nothing was restored":
        "{path} 不是可用的备份（{reason}）：未做任何恢复",
    "Backup written and verified: {path}": "备份已写入并校验通过：{path}",
    "Restored from {path}; the previous database is kept as {kept}":
        "已从 {path} 恢复；原数据库保留为 {kept}",
}
