"""The APIv3 routes of the simulator: Native, payment code, query, close, reverse, refunds,
certificates, trade bills (see :mod:`pos_app.simulator.server` for the list)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pos_app.simulator.engine import Engine, SimError
from pos_app.simulator.provision import SimIdentity
from pos_app.simulator.v3_bodies import certificates_body, order_json, refund_json
from pos_app.simulator.v3_replies import (
    BadRequest,
    Reply,
    err,
    ok,
)

#: Realism.v3_codepay → the refusal a merchant without v3 payment code gets (wechatpay-api.md
#: §8b: availability is permission-gated; SKILLS 2026 "付款码支付没有 V3 版本"). Shapes follow
#: §10: an unknown route is 404, a product not opened 403 NO_AUTH, a request the gateway
#: does not accept 400 INVALID_REQUEST, and an internal failure 500 SYSTEM_ERROR.
CODEPAY_NOT_ENABLED: dict[str, tuple[int, str, str]] = {
    "NOT_FOUND": (404, "NOT_FOUND", "请求的资源不存在"),
    "NO_AUTH": (403, "NO_AUTH", "商户号该产品权限未开通，请前往商户平台>产品中心检查后重试"),
    "INVALID_REQUEST": (400, "INVALID_REQUEST", "商户未开通付款码支付V3接口"),
    "SYSTEM_ERROR": (500, "SYSTEM_ERROR", "系统异常，请稍后重试"),
}


def device_id_of(doc: dict[str, Any]) -> str:
    scene = doc.get("scene_info")
    value = scene.get("device_id", "") if isinstance(scene, dict) else ""
    return str(value)


def has_null(obj: Any) -> bool:
    if obj is None:
        return True
    if isinstance(obj, dict):
        return any(has_null(v) for v in obj.values())
    if isinstance(obj, list):
        return any(has_null(v) for v in obj)
    return False


class V3Routes:
    """Routing of :class:`~pos_app.simulator.server.SimulatorServer` (after authentication)."""

    engine: Engine
    identity: SimIdentity
    codepay_userpaying_status: int

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def _json_body(self, body: bytes, header_mchid: str) -> dict[str, Any]:
        try:
            doc = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            raise BadRequest(err(400, "PARAM_ERROR", "请求体不是合法的JSON")) from None
        if not isinstance(doc, dict):
            raise BadRequest(err(400, "PARAM_ERROR", "请求体须为JSON对象"))
        if has_null(doc):
            raise BadRequest(err(400, "PARAM_ERROR", "请求参数不允许为null"))
        if "mchid" in doc and str(doc["mchid"]) != header_mchid:
            raise BadRequest(err(400, "INVALID_REQUEST", "http header中的mchid与post payload中的mchid不匹配"))
        if "appid" in doc and str(doc["appid"]) != self.identity.appid:
            raise BadRequest(err(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"))
        return doc

    @staticmethod
    def _require(doc: dict[str, Any], *names: str) -> None:
        for name in names:
            node: Any = doc
            for part in name.split("/"):
                if not isinstance(node, dict) or part not in node or node[part] in ("", None):
                    raise BadRequest(err(400, "PARAM_ERROR", f"缺少参数 {name}",
                                           {"field": "/" + name, "location": "body", "issue": "missing"}))
                node = node[part]

    def _query_mchid(self, query: dict[str, list[str]], mchid: str) -> None:
        q = query.get("mchid", [""])[0]
        if not q:
            raise BadRequest(err(400, "PARAM_ERROR", "缺少参数 mchid"))
        if q != mchid:
            raise BadRequest(err(400, "INVALID_REQUEST", "http header中的mchid与请求参数中的mchid不匹配"))

    def route(self, method: str, raw_path: str, mchid: str, body: bytes) -> Reply:
        parts = urlsplit(raw_path)
        path = parts.path
        query = parse_qs(parts.query)
        seg = [unquote(s) for s in path.strip("/").split("/")]
        e = self.engine
        if path.startswith("/v3/pay/transactions/"):
            if seg[3:] == ["native"] and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "appid", "mchid", "description", "out_trade_no", "notify_url", "amount/total")
                notify = urlsplit(str(doc["notify_url"]))
                if notify.scheme != "https" or not notify.netloc or len(str(doc["notify_url"])) > 255:
                    raise SimError("PARAM_ERROR", "notify_url 须为不超过255字符的 https 地址", field_name="/notify_url")
                if notify.query or notify.fragment or "?" in str(doc["notify_url"]):
                    raise SimError("PARAM_ERROR", "notify_url 不能携带参数", field_name="/notify_url")
                if doc.get("amount", {}).get("currency", "CNY") != "CNY":
                    raise SimError("PARAM_ERROR", "仅支持CNY", field_name="/amount/currency")
                if "scene_info" in doc:
                    self._require(doc, "scene_info/payer_client_ip")
                extra = {k: v for k, v in doc.items() if k not in (
                    "appid", "mchid", "description", "out_trade_no", "time_expire", "attach", "notify_url")}
                code_url = e.create_native(
                    mchid, str(doc["appid"]), str(doc["out_trade_no"]), str(doc["description"]),
                    doc["amount"]["total"], time_expire=doc.get("time_expire"), attach=str(doc.get("attach", "")),
                    notify_url=str(doc["notify_url"]), fingerprint_extra=extra, device_id=device_id_of(doc),
                )
                return ok({"code_url": code_url})
            if seg[3:] == ["codepay"] and method == "POST":
                return self._codepay(mchid, body)
            if len(seg) == 5 and seg[3] == "out-trade-no" and method == "GET":
                self._query_mchid(query, mchid)
                return ok(order_json(e.query(mchid, out_trade_no=seg[4])))
            if len(seg) == 5 and seg[3] == "id" and method == "GET":
                self._query_mchid(query, mchid)
                return ok(order_json(e.query(mchid, transaction_id=seg[4])))
            if len(seg) == 6 and seg[3] == "out-trade-no" and seg[5] == "close" and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "mchid")
                e.close(mchid, seg[4])
                return Reply(204)
            if len(seg) == 6 and seg[3] == "out-trade-no" and seg[5] == "reverse" and method == "POST":
                doc = self._json_body(body, mchid)
                self._require(doc, "mchid")
                outcome = e.reverse(mchid, seg[4])
                if outcome.error_code is None:
                    return ok({"appid": self.identity.appid, "mchid": mchid, "out_trade_no": seg[4]})
                if outcome.error_code == "USERPAYING":  # refused, never a 2xx: nothing was reversed
                    return err(400, "USERPAYING", outcome.error_message)
                raise SimError(outcome.error_code, outcome.error_message)
        if path == "/v3/refund/domestic/refunds" and method == "POST":
            doc = self._json_body(body, mchid)
            self._require(doc, "out_refund_no", "amount/refund", "amount/total", "amount/currency")
            if not doc.get("out_trade_no") and not doc.get("transaction_id"):
                raise SimError("PARAM_ERROR", "transaction_id 和 out_trade_no 必须二选一", field_name="/out_trade_no")
            if doc["amount"]["currency"] != "CNY":
                raise SimError("PARAM_ERROR", "仅支持CNY", field_name="/amount/currency")
            r = e.refund(
                mchid, str(doc["out_refund_no"]), doc["amount"]["refund"], doc["amount"]["total"],
                out_trade_no=doc.get("out_trade_no"), transaction_id=doc.get("transaction_id"),
                reason=str(doc.get("reason", "")),
            )
            return ok(refund_json(r))
        if path.startswith("/v3/refund/domestic/refunds/") and len(seg) == 5 and method == "GET":
            return ok(refund_json(e.query_refund(mchid, seg[4])))
        if path == "/v3/certificates" and method == "GET":
            return ok(certificates_body(self.identity))
        if path == "/v3/bill/tradebill" and method == "GET":
            return self._tradebill(mchid, query)
        if path == "/v3/billdownload/file" and method == "GET":
            token = query.get("token", [""])[0]
            got = e.get_bill(token)
            if got is None:
                raise SimError("INVALID_REQUEST", "下载链接已失效，请重新申请账单")
            data, gz = got
            if gz:
                return Reply(200, gzip.compress(data), "application/x-gzip", sign=False)
            return Reply(200, data, "text/plain; charset=utf-8", sign=False)
        return err(404, "RESOURCE_NOT_EXISTS", f"{method} {path} 无此接口")

    def _codepay(self, mchid: str, body: bytes) -> Reply:
        refusal = CODEPAY_NOT_ENABLED.get(self.engine.realism.v3_codepay)
        if refusal is not None:  # before anything is read or charged: the code is not consumed
            return err(*refusal)
        doc = self._json_body(body, mchid)
        self._require(doc, "appid", "mchid", "description", "out_trade_no", "payer/auth_code", "amount/total",
                      "scene_info/store_info")
        extra = {k: v for k, v in doc.items() if k not in (
            "appid", "mchid", "description", "out_trade_no", "attach", "payer")}
        outcome = self.engine.codepay(
            mchid, str(doc["appid"]), str(doc["out_trade_no"]), str(doc["description"]), doc["amount"]["total"],
            str(doc["payer"]["auth_code"]), attach=str(doc.get("attach", "")), fingerprint_extra=extra,
            device_id=device_id_of(doc),
        )
        if outcome.error_code is None and outcome.order is not None:
            return ok(order_json(outcome.order))
        if outcome.error_code == "USERPAYING" and outcome.order is not None and self.codepay_userpaying_status == 200:
            return ok(order_json(outcome.order))
        raise SimError(outcome.error_code or "SYSTEMERROR", outcome.error_message)

    def _tradebill(self, mchid: str, query: dict[str, list[str]]) -> Reply:
        raw_date = query.get("bill_date", [""])[0]
        try:
            bill_date = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise SimError("INVALID_REQUEST", "bill_date 格式须为 yyyy-MM-DD") from None
        tar = query.get("tar_type", [""])[0]
        if tar not in ("", "GZIP"):
            raise SimError("PARAM_ERROR", "tar_type 仅支持 GZIP")
        data = self.engine.trade_bill(mchid, bill_date, query.get("bill_type", ["ALL"])[0])
        token = self.engine.put_bill(data, gzip=tar == "GZIP")
        return ok({
            "hash_type": "SHA1",
            "hash_value": hashlib.sha1(data).hexdigest(),
            "download_url": f"{self.base_url}/v3/billdownload/file?token={token}",
        })
