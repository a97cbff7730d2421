"""Bill zip parsing guards (GBK names/text, header by name, exact amounts)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from pos_app.alipay import MalformedResponseError
from pos_app.alipay.bill import parse_bill_csv, parse_bill_zip
from pos_app.simulator.alipay.bill import HEADER, bill_zip

ROW = ["2026011522001\t", "T1\t", "交易", "测试", "2026-01-15 10:00:00", "2026-01-15 10:00:01", "S1", "", "", "",
       "159****1234", "10.00", "10.00", *["0.00"] * 5, "", "0.00", "0.00", "", "0.00", "0.00", ""]
REFUND = [*ROW[:2], "退款", *ROW[3:11], "-3.00", "-3.00", *ROW[13:21], "R001\t", *ROW[22:]]


def test_gbk_zip_with_trade_and_refund() -> None:
    data = bill_zip("2088000000000001", dt.date(2026, 1, 15), [ROW, REFUND], exported="2026-01-16 10:00:00")
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert info.flag_bits & 0x800 == 0  # GBK name, no UTF-8 flag, like Alipay's
    bill = parse_bill_zip(data, "2026-01-15")
    assert [(r.kind.value, r.amount_fen, r.out_request_no, r.trade_no) for r in bill.rows] == [
        ("交易", 1000, "", "2026011522001"), ("退款", -300, "R001", "2026011522001")]
    assert bill.file_name.endswith("_业务明细.csv")


def test_not_a_zip_and_no_detail_entry() -> None:
    with pytest.raises(MalformedResponseError):
        parse_bill_zip(b"PK\x03\x04junk", "d")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("other.csv", "x")
    with pytest.raises(MalformedResponseError, match="业务明细"):
        parse_bill_zip(buf.getvalue(), "d")


def _csv(header: list[str], row: list[str]) -> str:
    return "#支付宝业务明细查询\n#-----业务明细列表-----\n" + ",".join(header) + "\n" + ",".join(row) + "\n#-----业务明细列表结束-----\n"


def test_missing_column_and_bad_amount() -> None:
    with pytest.raises(MalformedResponseError, match="columns missing"):
        parse_bill_csv(_csv(HEADER[:5], ROW[:5]), "d")
    bad = [*ROW[:11], "10.5", *ROW[12:]]
    with pytest.raises(MalformedResponseError, match="T1"):
        parse_bill_csv(_csv(HEADER, bad), "d")
    with pytest.raises(MalformedResponseError, match="fewer cells"):
        parse_bill_csv(_csv(HEADER, ROW[:20]), "d")
    with pytest.raises(MalformedResponseError, match="block"):
        parse_bill_csv("#nothing\n", "d")
