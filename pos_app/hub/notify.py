"""WeChat Pay callbacks (notify_url) at the hub.

:meth:`NotifyReceiver.receive` runs inside the HTTP request and does only what must come
before the answer: verify the signature (public-key or platform-certificate mode, see
:mod:`pos_app.wechatpay.verifier`), decrypt, and durably record the notification keyed by
its id (a WeChat retry of the same id is acknowledged and not recorded twice). Checking the
amount against the recorded order and raising a flag (``late_payment`` when the till had
closed or cancelled the order) happens after the answer, in
:meth:`pos_app.hub.store.HubStore.process_notifications`, which also runs at start-up so a
recorded but unprocessed callback survives a crash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from pos_app.hub.config import NotifyConfig
from pos_app.hub.store import HubStore
from pos_app.wechatpay.errors import MalformedResponseError
from pos_app.wechatpay.models import Refund, Transaction
from pos_app.wechatpay.notify import parse_notification

log = logging.getLogger(__name__)


class NotifyReceiver:
    def __init__(self, store: HubStore, config: NotifyConfig) -> None:
        self.store = store
        self.config = config

    def receive(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Verify, decrypt, record. True when new. Raises the ``wechatpay`` errors."""
        event_type, item = parse_notification(
            headers, body, validator=self.config.validator, apiv3_key=self.config.apiv3_key
        )
        notification_id = json.loads(body).get("id")
        if not isinstance(notification_id, str) or not notification_id:
            raise MalformedResponseError("notification: id missing")
        if isinstance(item, Transaction):
            amount, state = item.total, str(item.trade_state)
        else:
            assert isinstance(item, Refund)
            amount, state = item.refund, str(item.status)
        new = self.store.record_notification(
            notification_id, event_type, item.out_trade_no, amount, state
        )
        log.info("wechatpay notification %s %s for %s (%s)", event_type, state,
                 item.out_trade_no, "new" if new else "retry")
        return new
