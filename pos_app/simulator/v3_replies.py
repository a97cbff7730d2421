"""What an APIv3 route answers: a :class:`Reply`, the error body shape, and how engine codes
and injected faults map to HTTP status + APIv3 code (wechatpay-api.md §10)."""

from __future__ import annotations

import json
from typing import Any

from pos_app.simulator.engine import SimError

#: engine code → (HTTP status, APIv3 code)
V3_ERRORS: dict[str, tuple[int, str]] = {
    "PARAM_ERROR": (400, "PARAM_ERROR"),
    "INVALID_REQUEST": (400, "INVALID_REQUEST"),
    "APPID_MCHID_NOT_MATCH": (400, "APPID_MCHID_NOT_MATCH"),
    "MCH_NOT_EXISTS": (400, "MCH_NOT_EXISTS"),
    "ORDER_NOT_EXIST": (404, "ORDER_NOT_EXIST"),
    "RESOURCE_NOT_EXISTS": (404, "RESOURCE_NOT_EXISTS"),
    "ORDERPAID": (400, "ORDER_PAID"),
    "ORDERCLOSED": (400, "ORDER_CLOSED"),
    "ORDERREVERSED": (400, "ORDER_REVERSED"),
    "OUT_TRADE_NO_USED": (403, "OUT_TRADE_NO_USED"),
    "TRADE_ERROR": (403, "TRADE_ERROR"),
    "NO_STATEMENT_EXIST": (400, "NO_STATEMENT_EXIST"),
    "USERPAYING": (202, "USERPAYING"),
    "SYSTEMERROR": (500, "SYSTEM_ERROR"),
    "BANKERROR": (500, "BANK_ERROR"),
    "AUTHCODEEXPIRE": (400, "AUTHCODEEXPIRE"),
    "AUTH_CODE_INVALID": (400, "AUTH_CODE_INVALID"),
    "AUTH_CODE_ERROR": (400, "AUTH_CODE_ERROR"),
    "NOTENOUGH": (403, "NOT_ENOUGH"),
    "NOTSUPORTCARD": (403, "NOTSUPORTCARD"),
    "REVERSE_EXPIRE": (400, "REVERSE_EXPIRE"),
    "FREQUENCY_LIMITED": (429, "FREQUENCY_LIMITED"),
    "STATEMENT_CREATING": (400, "STATEMENT_CREATING"),
}

FAULT_ERRORS = {
    "error500": (500, "SYSTEM_ERROR", "系统异常，请稍后重试"),
    "error429": (429, "FREQUENCY_LIMITED", "频率超限"),
    "error503": (503, "SERVICE_UNAVAILABLE", "服务不可用"),
}


class Reply:
    """What a route produced."""

    def __init__(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "application/json; charset=utf-8",
        *,
        sign: bool = True,
        error_code: str = "0",
    ) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.sign = sign and 200 <= status < 300
        self.error_code = error_code


def json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ok(obj: Any, status: int = 200) -> Reply:
    return Reply(status, json_bytes(obj))


def err(status: int, code: str, message: str, detail: Any = None) -> Reply:
    body: dict[str, Any] = {"code": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    # only a 2xx error (202 USERPAYING) ends up signed, like every 2xx
    return Reply(status, json_bytes(body), error_code="268435461")


def sim_err(exc: SimError) -> Reply:
    status, code = V3_ERRORS.get(exc.code, (400, exc.code))
    detail = {"field": exc.field_name, "location": "body", "issue": exc.message} if exc.field_name else None
    return err(status, code, exc.message, detail)


class BadRequest(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply
