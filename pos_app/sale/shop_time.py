"""The shop's wall clock for what the till shows and prints (receipts included): one
time zone, :data:`pos_app.domain.clock.SHOP_TZ` (Asia/Shanghai), whatever the machine's
own zone is — the same zone business days, bills and reports use."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.clock import SHOP_TZ


def shop_clock() -> datetime:
    """Now, as an aware datetime on the shop's wall clock."""
    return datetime.now(UTC).astimezone(SHOP_TZ)


def on_shop_clock(at: datetime) -> datetime:
    """``at`` (aware; naive is taken as UTC) on the shop's wall clock."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(SHOP_TZ)
