"""The simulator's control API (no auth, loopback clients only): the customer pays, Native
and refund behaviours, faults, realism switches, inspection (see :mod:`.server`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from pos_app.simulator.engine import Engine, SimError
from pos_app.simulator.provision import SimIdentity
from pos_app.simulator.realism import Realism
from pos_app.simulator.records import Coupon
from pos_app.simulator.v3_replies import (
    Reply,
    err,
    json_bytes,
)


class ControlApi:
    """``/simulator/*`` endpoints of :class:`~pos_app.simulator.server.SimulatorServer`."""

    engine: Engine
    identity: SimIdentity

    def set_realism(self, realism: Realism | None = None, **changes: Any) -> Realism:
        raise NotImplementedError

    def control(self, method: str, raw_path: str, body: bytes) -> Reply:
        path = urlsplit(raw_path).path
        try:
            doc = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            return err(400, "PARAM_ERROR", "body must be JSON")
        if not isinstance(doc, dict):
            return err(400, "PARAM_ERROR", "body must be a JSON object")
        e = self.engine
        try:
            if path == "/simulator/health" and method == "GET":
                return Reply(200, json_bytes({"ok": True, "mchid": self.identity.mchid}), sign=False)
            if path == "/simulator/orders" and method == "GET":
                return Reply(200, json_bytes({
                    "orders": [o.as_dict() for o in e.orders()],
                    "refunds": [asdict(r) for r in e.refunds()],
                }), sign=False)
            if method != "POST":
                return err(405, "METHOD_NOT_ALLOWED", f"{method} not allowed on {path}")
            if path == "/simulator/pay":
                view = e.pay(code_url=doc.get("code_url"), out_trade_no=doc.get("out_trade_no"))
                return Reply(200, json_bytes(view.as_dict()), sign=False)
            if path == "/simulator/native-behaviour":
                coupon = doc.get("coupon")
                e.set_native_behaviour(
                    str(doc["out_trade_no"]), pay_after_s=doc.get("pay_after_s"),
                    never=bool(doc.get("never", False)), fail=bool(doc.get("fail", False)),
                    coupon=Coupon(**coupon) if isinstance(coupon, dict) else None,
                )
                return Reply(200, b'{"ok":true}', sign=False)
            if path == "/simulator/refund-behaviour":
                e.set_refund_behaviour(str(doc["out_trade_no"]), str(doc["outcome"]), after_s=doc.get("after_s"))
                return Reply(200, b'{"ok":true}', sign=False)
            if path == "/simulator/realism":
                return Reply(200, json_bytes(asdict(self.set_realism(**doc))), sign=False)
            if path == "/simulator/faults":
                e.inject(
                    str(doc.get("kind", "")), path_prefix=str(doc.get("path_prefix", "/")),
                    count=int(doc.get("count", 1)), seconds=doc.get("seconds"), method=doc.get("method"),
                )
                return Reply(200, json_bytes({"faults": e.faults.snapshot()}), sign=False)
            if path == "/simulator/reset-faults":
                e.reset_faults()
                return Reply(200, b'{"ok":true}', sign=False)
            if path == "/simulator/clear":
                e.clear()
                return Reply(200, b'{"ok":true}', sign=False)
        except SimError as exc:
            status = {"ORDER_NOT_EXIST": 404}.get(exc.code, 409)
            return err(status, exc.code, exc.message)
        except (KeyError, ValueError, TypeError) as exc:
            return err(400, "PARAM_ERROR", str(exc))
        return err(404, "RESOURCE_NOT_EXISTS", f"no control endpoint {path}")
