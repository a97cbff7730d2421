"""A till process for kill tests: sells cash sales forever while its sender uploads.

``python -m tests.hub.till_proc DB`` with HUB_URL, HUB_TILL, HUB_TOKEN and HUB_CA (a PEM
file) in the environment. Prints ``sold N`` after each committed sale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pos_app.hub.client import Enrolment, HubClient
from pos_app.hub.sender import HubSender
from tests.hub.till_fixtures import TILL, cash_sale, make_till


def main(db: str) -> None:
    enrolment = Enrolment(os.environ["HUB_URL"], os.environ["HUB_TILL"], os.environ["HUB_TOKEN"],
                          Path(os.environ["HUB_CA"]).read_bytes())
    till, outbox = make_till(Path(db), enabled=False)
    outbox.enable(TILL)
    sender = HubSender(outbox, HubClient(enrolment, timeout=5), local_till=TILL,
                       hub_till=enrolment.till_id, batch_rows=5, interval_s=0.005,
                       backoff_s=(0.01,))
    sender.start()
    n = 0
    while True:
        cash_sale(till, 100 + n % 50)
        n += 1
        sender.poke()
        print(f"sold {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
