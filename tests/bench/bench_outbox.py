"""What the transactional outbox costs a sale (a script, not a timed test).

    .venv/bin/python -m tests.bench.bench_outbox [SALES]

The same cash sale (order + lines + attempt + events + order paid: three transactions,
each fsynced — synchronous=FULL) on a real SQLite file, interleaving a till that is not
enrolled (the yardstick: triggers present, nothing recorded) with an enrolled one (every
change also appends its outbox row). Prints the median time per sale and the rows and
bytes the outbox holds per sale.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from pos_app.payments.till import TillService
from tests.hub.till_fixtures import cash_sale, make_till


def _size(till: TillService) -> int:
    return int(till.db.connection().execute(
        "SELECT COALESCE(SUM(LENGTH(payload) + LENGTH(committed_at) + LENGTH(kind)), 0)"
        " FROM outbox").fetchone()[0])


def main() -> None:
    sales = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        off, _ = make_till(Path(tmp) / "off.sqlite3", enabled=False)
        on, outbox = make_till(Path(tmp) / "on.sqlite3", enabled=True)
        times: dict[bool, list[float]] = {False: [], True: []}
        for i in range(sales + 10):                 # interleaved: the machine's load hits both
            pair = (off, on) if i % 2 else (on, off)
            for till in pair:
                t0 = time.perf_counter()
                cash_sale(till, 100 + i % 50)
                if i >= 10:                          # the first ten warm up
                    times[till is on].append(time.perf_counter() - t0)
        rows, size = outbox.state().last_seq, _size(on)
        for till in (off, on):
            till.shutdown()
            till.db.close()
    b, o = (statistics.median(times[k]) * 1000 for k in (False, True))
    paired = statistics.median(y - x for x, y in zip(times[False], times[True], strict=True))
    print(f"{sales} interleaved cash sales each; median per sale: not enrolled {b:.2f} ms, "
          f"enrolled {o:.2f} ms; median paired difference {paired * 1000:+.2f} ms "
          f"({paired * 1000 / b:+.1%})")
    print(f"outbox: {rows / (sales + 10):.1f} rows and {size / (sales + 10):.0f} bytes per sale")


if __name__ == "__main__":
    main()
