"""Review finding: an exception escaping a lane job must be logged, not vanish in a Future."""

from __future__ import annotations

import logging

import pytest

from pos_app.payments.lanes import PaymentLane


@pytest.mark.logs_errors
def test_lane_logs_exceptions_nobody_reads(caplog: pytest.LogCaptureFixture) -> None:
    lane = PaymentLane("review-lane")
    try:
        with caplog.at_level(logging.ERROR, logger="pos_app.payments"):
            fut = lane.submit(lambda: 1 // 0)
            lane.submit(lambda: None).result(5)  # the lane keeps working
            assert fut.exception(5) is not None
            lane.shutdown(wait=True)
        assert any("ZeroDivisionError" in (r.exc_text or "") or r.exc_info
                   for r in caplog.records), caplog.records
    finally:
        lane.shutdown(wait=True)
