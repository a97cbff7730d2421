"""Alipay trade bills: the ``…_业务明细.csv`` inside the downloaded zip (GBK names and text).

Layout (docs §4): ``#`` comment lines, a ``#---…业务明细列表…---`` line, the header row,
data rows up to the next ``#`` line. Columns are mapped by name (new ones may appear);
every cell is stripped (Alipay pads many with ``\\t``); amounts become fen exactly.
"""

from __future__ import annotations

import csv
import io
import zipfile

from pos_app.alipay.amounts import signed_yuan_to_fen
from pos_app.alipay.errors import MalformedResponseError
from pos_app.alipay.models import Bill, BillRow, BillRowKind

DETAIL_SUFFIX = "_业务明细.csv"
_MAX_ENTRY_BYTES = 50_000_000
_REQUIRED = ("支付宝交易号", "商户订单号", "业务类型", "订单金额（元）", "商家实收（元）")


def _detail_entry(zf: zipfile.ZipFile) -> zipfile.ZipInfo:
    for info in zf.infolist():
        if info.filename.endswith(DETAIL_SUFFIX):
            if info.file_size > _MAX_ENTRY_BYTES:
                raise MalformedResponseError("bill: detail file too large")
            return info
    raise MalformedResponseError("bill: the zip holds no 业务明细 file")


def parse_bill_csv(text: str, bill_date: str, file_name: str = "") -> Bill:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("#") and "业务明细列表" in line), None)
    if start is None or start + 1 >= len(lines):
        raise MalformedResponseError("bill: no 业务明细列表 block")
    block = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        block.append(line)
    reader = csv.reader(block)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise MalformedResponseError("bill: header row missing") from exc
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise MalformedResponseError(f"bill: columns missing: {', '.join(missing)}")
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            raise MalformedResponseError("bill: a row has fewer cells than the header")
        col = {h: c.strip() for h, c in zip(header, cells, strict=False)}
        try:
            kind = BillRowKind(col["业务类型"])
            amount = signed_yuan_to_fen(col["订单金额（元）"])
            received = signed_yuan_to_fen(col["商家实收（元）"])
        except ValueError as exc:
            raise MalformedResponseError(f"bill: bad row for {col['商户订单号']!r}: {exc}") from exc
        rows.append(
            BillRow(
                trade_no=col["支付宝交易号"],
                out_trade_no=col["商户订单号"],
                kind=kind,
                amount_fen=amount,
                received_fen=received,
                out_request_no=col.get("退款批次号/请求号", ""),
                created=col.get("创建时间", ""),
                finished=col.get("完成时间", ""),
                store_id=col.get("门店编号", ""),
                columns=col,
            )
        )
    return Bill(bill_date=bill_date, rows=tuple(rows), file_name=file_name)


def parse_bill_zip(data: bytes, bill_date: str) -> Bill:
    """Parse the downloaded ``csv.zip`` (entry names GBK unless the UTF-8 flag is set)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk") as zf:
            info = _detail_entry(zf)
            raw = zf.read(info)
    except (zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise MalformedResponseError(f"bill: not a readable zip ({exc})") from exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise MalformedResponseError("bill: detail file is not GBK text") from exc
    return parse_bill_csv(text, bill_date, info.filename)
