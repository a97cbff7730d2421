"""One shop time zone, one clock, one auth-code masker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.clock import SHOP_TZ, Clock, SystemClock, day_window, shop_day
from pos_app.domain.scan import mask_code, mask_codes_in
from pos_app.logs import redact
from pos_app.payments.ids import out_trade_no
from pos_app.payments.workflow import describe_error
from pos_app.simulator.scenarios import mask
from tests.helpers.clock import ManualClock


def test_shop_time_zone_is_beijing_time() -> None:
    at = datetime(2026, 11, 21, 16, 30, tzinfo=UTC)           # 00:30 next day in Beijing
    assert at.astimezone(SHOP_TZ).utcoffset() == timedelta(hours=8)
    assert shop_day(at) == date(2026, 11, 22)
    start, end = day_window(date(2026, 11, 22))
    assert start <= at < end and end - start == timedelta(days=1)
    assert start.astimezone(UTC) == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
    assert out_trade_no("P", at, "01", 7)[1:15] == "20261122003000"


def test_one_clock_shape() -> None:
    clocks: list[Clock] = [SystemClock(), ManualClock()]
    for clock in clocks:
        assert clock.now().tzinfo is not None and isinstance(clock.monotonic(), float)
    manual = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    manual.advance(30)
    manual.advance(hours=1)
    assert manual.now() == datetime(2026, 1, 1, 1, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("code", ["134567890123456789", "130061098828009406",
                                  "2851234567890123", "301234567890123456789012"])
def test_codes_are_masked_the_same_everywhere(code: str) -> None:
    masked = mask_code(code)
    assert masked == f"{code[:4]}****{code[-4:]}"
    assert mask(code) == masked                                  # simulator logs
    assert redact(f"auth {code} ok") == f"auth {masked} ok"      # the log filter
    assert mask_codes_in(f"x{code}.") == f"x{masked}."
    assert code not in describe_error(RuntimeError(f"bad code {code}"))
    assert masked in describe_error(RuntimeError(f"bad code {code}"))


def test_short_codes_follow_the_one_rule() -> None:
    assert mask("12345678") == mask_code("12345678") == "12****78"
    assert mask_code("123") == "****" and mask_code("") == ""
