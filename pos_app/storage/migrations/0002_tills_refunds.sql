-- pos_app schema v2: several tills on one database; refunds with real columns, lines,
-- a state CHECK and an append-only event log; a payment's paid time in a column.
-- ``:till_id`` is the configured till id (existing rows belong to it).

ALTER TABLE orders ADD COLUMN till_id TEXT NOT NULL DEFAULT '01';
UPDATE orders SET till_id = :till_id;
CREATE INDEX orders_till ON orders(till_id, status);
CREATE INDEX orders_shift ON orders(shift_id);

ALTER TABLE payment_attempts ADD COLUMN till_id TEXT NOT NULL DEFAULT '01';
UPDATE payment_attempts SET till_id = :till_id;
ALTER TABLE payment_attempts ADD COLUMN paid_at TEXT;
-- a payment repaired by reconciliation was booked at the payment service's time
-- (audit entry ``reconcile.paid_at:<attempt id>``), every other one at its → paid event.
UPDATE payment_attempts SET paid_at = COALESCE(
    (SELECT MIN(json_extract(l.detail, '$.paid_at')) FROM audit_log l
      WHERE l.what = 'reconcile.paid_at:' || payment_attempts.id AND json_valid(l.detail)),
    (SELECT MIN(e.at) FROM attempt_events e
      WHERE e.attempt_id = payment_attempts.id AND e.to_state = 'paid'),
    updated_at)
  WHERE state = 'paid';
CREATE INDEX payment_attempts_till ON payment_attempts(till_id, state);
CREATE INDEX payment_attempts_paid ON payment_attempts(paid_at);

ALTER TABLE shifts ADD COLUMN till_id TEXT NOT NULL DEFAULT '01';
UPDATE shifts SET till_id = :till_id;
-- at most one open shift per till, enforced by the database (v1 never allowed two; were
-- there two anyway, the older ones are closed so the index can exist)
UPDATE shifts SET closed_at = opened_at, closed_by = 'migration 0002'
 WHERE closed_at IS NULL AND id <> (SELECT MAX(id) FROM shifts WHERE closed_at IS NULL);
CREATE UNIQUE INDEX shifts_one_open ON shifts(till_id) WHERE closed_at IS NULL;

CREATE TABLE refunds_v2 (
    id              INTEGER PRIMARY KEY,
    till_id         TEXT NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    attempt_id      INTEGER REFERENCES payment_attempts(id),
    out_refund_no   TEXT NOT NULL UNIQUE,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    reason          TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'processing', 'success', 'closed',
                                     'abnormal', 'failed')),
    requested_by    TEXT NOT NULL,
    approved_by     TEXT NOT NULL,
    refund_id       TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
INSERT INTO refunds_v2 (id, till_id, order_id, attempt_id, out_refund_no, amount_fen, reason,
                        state, requested_by, approved_by, refund_id, message, created_at,
                        updated_at)
SELECT r.id, :till_id, r.order_id,
       COALESCE(r.attempt_id, (SELECT o.paid_attempt_id FROM orders o WHERE o.id = r.order_id)),
       r.out_refund_no, r.amount_fen, r.reason,
       CASE r.status WHEN 'created' THEN 'pending' WHEN 'PROCESSING' THEN 'processing'
                     WHEN 'SUCCESS' THEN 'success' WHEN 'CLOSED' THEN 'closed'
                     WHEN 'ABNORMAL' THEN 'abnormal' WHEN 'failed' THEN 'failed'
                     ELSE 'pending' END,
       COALESCE((SELECT l.who FROM audit_log l WHERE l.what = 'refund.intent:' || r.out_refund_no
                 ORDER BY l.id LIMIT 1), ''),
       r.manager, r.refund_id, r.last_error, r.created_at, r.updated_at
  FROM refunds r;
DROP TABLE refunds;
ALTER TABLE refunds_v2 RENAME TO refunds;
CREATE INDEX refunds_order ON refunds(order_id);
CREATE INDEX refunds_till_created ON refunds(till_id, created_at);
CREATE INDEX refunds_state ON refunds(state);

CREATE TABLE refund_lines (
    refund_id   INTEGER NOT NULL REFERENCES refunds(id),
    line_no     INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (refund_id, line_no)
);
INSERT INTO refund_lines (refund_id, line_no, quantity)
SELECT r.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
  FROM refunds r
  JOIN audit_log l ON l.what = 'refund.intent:' || r.out_refund_no,
       json_each(CASE WHEN json_valid(l.detail) THEN json_extract(l.detail, '$.lines')
                      ELSE '[]' END) j
 WHERE json_extract(j.value, '$[1]') >= 1;

CREATE TABLE refund_events (
    id          INTEGER PRIMARY KEY,
    refund_id   INTEGER NOT NULL REFERENCES refunds(id),
    at          TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refund_events_refund ON refund_events(refund_id);
INSERT INTO refund_events (refund_id, at, from_state, to_state, note)
SELECT id, updated_at, NULL, state, 'migrated from schema v1' FROM refunds;
CREATE TRIGGER refund_events_no_update BEFORE UPDATE ON refund_events
BEGIN SELECT RAISE(ABORT, 'refund_events is append-only'); END;
CREATE TRIGGER refund_events_no_delete BEFORE DELETE ON refund_events
BEGIN SELECT RAISE(ABORT, 'refund_events is append-only'); END;
