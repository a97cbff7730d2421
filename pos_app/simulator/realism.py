"""How unkind the simulator is: every way WeChat Pay can lag, refuse or surprise, as switches.

The simulator is the only WeChat Pay the tests and training mode ever see, so every
leniency is an untested app path. Each field below defaults to what the real service does
(see ``/work/shared/docs/wechatpay-api.md``, quoted per field); a scenario switches one off
or picks a variant with ``SimulatorServer(realism=Realism(...))``, ``server.set_realism(...)``
or ``POST /simulator/realism {"field": value, ...}``.

=============================  ==============================================================
field                          doc passage it follows
=============================  ==============================================================
``close_lag_s``,               §6 Close order: "订单生成后不能马上调用关单接口，最短调用时间间隔为
``close_lag_answer``           5分钟" (v2/cloud docs); older v3 page "建议…间隔几分钟（最短5分钟）
                               再调用". Within ``close_lag_s`` of creation a close answers
                               ``close_lag_answer``: ``"NOTPAY_204"`` (204, but the order stays
                               NOTPAY and a customer who scanned can pay until time_expire),
                               ``"SYSTEM_ERROR"`` (500) or ``"ORDER_NOT_EXIST"`` (404).
``v3_codepay``                 §8b: "付款码支付没有 V3 版本，必须使用 V2 接口" (SKILLS 2026) vs the
                               2024 codepay.yaml: availability is permission-gated. ``"enabled"``
                               or the refusal a merchant without it may get: ``"NOT_FOUND"``
                               (404), ``"NO_AUTH"`` (403), ``"INVALID_REQUEST"`` (400),
                               ``"SYSTEM_ERROR"`` (500). Nothing is charged and the code is not
                               consumed. Default ``"enabled"`` (the provisioned merchant.json
                               says ``codepay_protocol: v3``).
``bill_ready_hour``,           §12 Trade bill: "generated from 09:00 next day, fetch after 10:00;
``bill_keep_days``             only last 3 months"; errors "400 NO_STATEMENT_EXIST 账单文件不存在",
                               "400 STATEMENT_CREATING 账单生成中", "400 INVALID_REQUEST (bad
                               bill_date)". Today/future → INVALID_REQUEST; older than
                               ``bill_keep_days`` → INVALID_REQUEST; yesterday before
                               ``bill_ready_hour`` (China time) → STATEMENT_CREATING.
                               ``bill_ready_hour=None`` serves any date (lenient).
``refund_spacing_s``           §7 Refunds: "for consecutive partial refunds use a new
                               out_refund_no **and wait ≥1 minute**"; a sooner one answers
                               429 FREQUENCY_LIMITED ("该笔退款未受理").
``refund_rate_per_s``          §7: "success rate limit 150 QPS" → 429 FREQUENCY_LIMITED beyond.
``merchant_balance_fen``       §7 errors: "403 NOT_ENOUGH 余额不足 (merchant balance)"; ``None`` =
                               unlimited, else refunds are paid from this balance.
``password_above_fen``         §8a: "amount > ¥1000 requires password" → a plain payment code
                               above it answers USERPAYING and succeeds after
                               ``password_delay_s``. ``None`` disables the rule.
``notify_enabled``,            §3 Callbacks: a paid Native order / a final refund of one is POSTed
``notify_retry_scale``,        to its notify_url, signed and AES-GCM encrypted; non-2xx or no
``notify_key``,                answer within 5 s is retried "15s, 15s, 30s, 3m, 10m, 20m, 30m,
``notify_signtest``            30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h" (scale multiplies it; tests
                               shorten it). ``notify_key``: "public_key" (PUB_KEY_ID_…) or
                               "certificate" (platform certificate). ``notify_signtest``: the
                               first delivery carries a WECHATPAY/SIGNTEST/ probe signature
                               (WeChat does this "在极少数…通知回调中"). See simulator/notify.py.
``description_bytes``          §4 ``description`` string(127), §8a ``body`` (127/128): lengths
                               are UTF-8 bytes (v3 127, v2 128), as WeChat counts them; False
                               counts characters (lenient).
=============================  ==============================================================

Per-order behaviours (refund outcomes ABNORMAL / CLOSED / long PROCESSING, coupons) are set
per order through the engine (``set_refund_behaviour``, ``set_native_behaviour(coupon=…)``)
or chosen by the payment code (``scenarios``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

CloseLagAnswer = Literal["NOTPAY_204", "SYSTEM_ERROR", "ORDER_NOT_EXIST"]
NotifyKey = Literal["public_key", "certificate"]
V3Codepay = Literal["enabled", "NOT_FOUND", "NO_AUTH", "INVALID_REQUEST", "SYSTEM_ERROR"]

CLOSE_LAG_ANSWERS: tuple[str, ...] = ("NOTPAY_204", "SYSTEM_ERROR", "ORDER_NOT_EXIST")
V3_CODEPAY_MODES: tuple[str, ...] = ("enabled", "NOT_FOUND", "NO_AUTH", "INVALID_REQUEST", "SYSTEM_ERROR")


@dataclass(frozen=True)
class Realism:
    """The simulator's switches (see the module docstring for what each one follows)."""

    close_lag_s: float = 300.0
    close_lag_answer: CloseLagAnswer = "NOTPAY_204"
    v3_codepay: V3Codepay = "enabled"
    bill_ready_hour: int | None = 10
    bill_keep_days: int = 92
    refund_spacing_s: float = 60.0
    refund_rate_per_s: int | None = 150
    merchant_balance_fen: int | None = None
    password_above_fen: int | None = 100_000
    password_delay_s: float = 5.0
    description_bytes: bool = True
    notify_enabled: bool = True
    notify_retry_scale: float = 1.0
    notify_key: NotifyKey = "public_key"
    notify_signtest: bool = False

    def __post_init__(self) -> None:
        if self.close_lag_answer not in CLOSE_LAG_ANSWERS:
            raise ValueError(f"close_lag_answer must be one of {CLOSE_LAG_ANSWERS}")
        if self.v3_codepay not in V3_CODEPAY_MODES:
            raise ValueError(f"v3_codepay must be one of {V3_CODEPAY_MODES}")
        if self.bill_ready_hour is not None and not 0 <= self.bill_ready_hour <= 23:
            raise ValueError("bill_ready_hour must be 0–23")
        if self.notify_key not in ("public_key", "certificate"):
            raise ValueError("notify_key must be public_key or certificate")
        for name in ("close_lag_s", "refund_spacing_s", "password_delay_s", "notify_retry_scale"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0")

    @classmethod
    def lenient(cls) -> Realism:
        """Everything instant and final (for tests about something else; never the default)."""
        return cls(close_lag_s=0, bill_ready_hour=None, refund_spacing_s=0, refund_rate_per_s=None,
                   password_above_fen=None)

    def updated(self, changes: dict[str, Any]) -> Realism:
        """A copy with ``changes`` applied (unknown names raise ``ValueError``)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown realism switch(es): {sorted(unknown)}; known: {sorted(known)}")
        return replace(self, **changes)
