"""The simulator's bill files: a ``csv.zip`` shaped like Alipay's (GBK entry names, no
UTF-8 flag, GBK text, ``\\t``-padded cells, a 业务明细 and a 业务明细(汇总) entry)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

HEADER = [
    "支付宝交易号", "商户订单号", "业务类型", "商品名称", "创建时间", "完成时间", "门店编号", "门店名称",
    "操作员", "终端号", "对方账户", "订单金额（元）", "商家实收（元）", "支付宝红包（元）", "集分宝（元）",
    "支付宝优惠（元）", "商家优惠（元）", "券核销金额（元）", "券名称", "商家红包消费金额（元）",
    "卡消费金额（元）", "退款批次号/请求号", "服务费（元）", "分润（元）", "备注",
]


class _GbkZipInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored as GBK bytes without the UTF-8 flag (like Alipay's)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _csv(lines: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return "\r\n".join(lines[:4]) + "\r\n" + buf.getvalue() + "\r\n".join(lines[4:]) + "\r\n"


def bill_zip(pid: str, day: dt.date, rows: list[list[str]], *, exported: str) -> bytes:
    start = f"{day.year}年{day.month:02d}月{day.day:02d}日 00:00:00"
    nxt = day + dt.timedelta(days=1)
    end = f"{nxt.year}年{nxt.month:02d}月{nxt.day:02d}日 00:00:00"
    trades = [r for r in rows if r[2] == "交易"]
    refunds = [r for r in rows if r[2] == "退款"]

    def total(rs: list[list[str]]) -> str:
        fen = sum(int(r[11].replace(".", "")) for r in rs)
        sign = "-" if fen < 0 else ""
        return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"

    detail = _csv(
        [
            "#支付宝业务明细查询",
            f"#账号：[{pid}0156]",
            f"#起始日期：[{start}]   终止日期：[{end}]",
            "#-----------------------------------------业务明细列表----------------------------------------",
            "#-----------------------------------------业务明细列表结束------------------------------------",
            f"#交易合计：{len(trades)}笔，商家实收共{total(trades)}元，商家优惠共0.00元",
            f"#退款合计：{len(refunds)}笔，商家实收退款共{total(refunds)}元，商家优惠退款共0.00元",
            f"#导出时间：[{exported}]",
        ],
        rows,
    )
    summary = (
        "#支付宝业务汇总查询\r\n#-----------------------------------------业务汇总列表----------------------------------------\r\n"
        "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,"
        "卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）\r\n"
        f"合计,,{len(trades)},{len(refunds)},{total(rows) if rows else '0.00'},{total(rows) if rows else '0.00'},"
        "0.00,0.00,0.00,0.00,0.00,0.00\r\n"
        "#-----------------------------------------业务汇总列表结束------------------------------------\r\n"
    )
    stem = f"{pid}0156_{day:%Y%m%d}"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in ((f"{stem}_业务明细.csv", detail), (f"{stem}_业务明细(汇总).csv", summary)):
            info = _GbkZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("gbk"))
    return buf.getvalue()
