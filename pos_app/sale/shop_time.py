"""The shop's time zone: the one place that says which wall clock the till shows and
prints (receipts, reports, order lists). Default Asia/Shanghai (Beijing time), whatever
the machine's own zone is; a setting may name another IANA zone.

Until the persistence work puts a shop time-zone constant in ``pos_app.domain`` this is
it; the manager screens' fixed UTC+8 (``manager.refunds.CHINA_TZ``) is the same clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SHOP_ZONE = "Asia/Shanghai"
_BEIJING = timezone(timedelta(hours=8), DEFAULT_SHOP_ZONE)  # no tz database installed


def known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name == DEFAULT_SHOP_ZONE
    return True


def shop_zone(name: str = DEFAULT_SHOP_ZONE) -> tzinfo:
    """The zone called ``name``; the default (Beijing, fixed UTC+8) if it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _BEIJING


def shop_clock(name: str = DEFAULT_SHOP_ZONE) -> datetime:
    """Now, as an aware datetime on the shop's wall clock."""
    return datetime.now(UTC).astimezone(shop_zone(name))


def on_shop_clock(at: datetime, name: str = DEFAULT_SHOP_ZONE) -> datetime:
    """``at`` (aware; naive is taken as UTC) on the shop's wall clock."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(shop_zone(name))
