"""Chinese for pos_app/ui/texts/storage.py."""

ZH = {
    "Another till is already running on {data_dir} ({holder}): close it first":
        "已有收银程序在使用数据目录 {data_dir}（{holder}）：请先关闭它",
    "Cannot lock the data folder {data_dir}: {reason}": "无法锁定数据目录 {data_dir}：{reason}",
    "Cannot create or write the folder {folder}: {reason}": "无法创建或写入文件夹 {folder}：{reason}",
    "The database {path} cannot be written ({reason}): sales stay closed until it can":
        "数据库 {path} 无法写入（{reason}）：在恢复可写之前不能收银",
}
