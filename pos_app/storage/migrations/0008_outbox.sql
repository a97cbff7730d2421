-- The transactional outbox for the store hub (wire protocol: pos_app/hub/protocol.py).
-- Triggers append one row per committed change IN THE SAME TRANSACTION as the change: a
-- rolled-back change leaves no row, a committed one always has its row. ``seq`` is gapless
-- per till: it comes from outbox_state.last_seq, bumped in the same transaction (a rollback
-- rolls the bump back too). Only this till's changes are recorded, and only while the till
-- is enrolled at a hub (``enabled``); the sender deletes rows the hub acknowledged.
-- Payloads are built by one view per kind (the same view serves enrolment's first snapshot);
-- local states are spelled in the protocol's vocabulary here and nowhere else.

CREATE TABLE outbox_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    till_id     TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    last_seq    INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    acked_seq   INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0 AND acked_seq <= last_seq)
);
INSERT INTO outbox_state (id, till_id) VALUES (1, :till_id);

CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    payload      TEXT NOT NULL CHECK (json_valid(payload))
);

CREATE VIEW outbox_order_v AS
SELECT o.id AS id, o.till_id AS till_id, o.updated_at AS committed_at,
       json_object('order_id', CAST(o.id AS TEXT),
                   'status', CASE o.status WHEN 'voided' THEN 'cancelled' ELSE o.status END,
                   'total_fen', o.total_fen, 'cashier', substr(o.cashier, 1, 200),
                   'shift_id', CAST(o.shift_id AS TEXT)) AS payload
  FROM orders o;

CREATE VIEW outbox_order_line_v AS
SELECT l.id AS id, o.till_id AS till_id, o.updated_at AS committed_at,
       json_object('order_id', CAST(l.order_id AS TEXT), 'line_no', l.line_no,
                   'sku', substr(l.sku, 1, 200), 'name', substr(l.name, 1, 400),
                   'qty', l.quantity, 'unit_price_fen', l.unit_price_fen,
                   'amount_fen', l.net_fen) AS payload
  FROM order_lines l JOIN orders o ON o.id = l.order_id;

CREATE VIEW outbox_attempt_v AS
SELECT a.id AS id, a.till_id AS till_id, a.updated_at AS committed_at,
       json_object('attempt_id', CAST(a.id AS TEXT), 'order_id', CAST(a.order_id AS TEXT),
                   'method', CASE a.method WHEN 'cash' THEN 'cash' ELSE a.channel END,
                   'out_trade_no', a.out_trade_no, 'amount_fen', a.amount_fen,
                   'state', CASE a.state WHEN 'awaiting' THEN 'pending'
                                         WHEN 'reversed' THEN 'cancelled'
                                         WHEN 'uncertain' THEN 'unknown' ELSE a.state END
       ) AS payload
  FROM payment_attempts a;

CREATE VIEW outbox_attempt_event_v AS
SELECT e.id AS id, a.till_id AS till_id, e.at AS committed_at,
       json_object('attempt_id', CAST(e.attempt_id AS TEXT),
                   'state', CASE e.to_state WHEN 'awaiting' THEN 'pending'
                                            WHEN 'reversed' THEN 'cancelled'
                                            WHEN 'uncertain' THEN 'unknown' ELSE e.to_state END,
                   'detail', substr(e.note, 1, 2000)) AS payload
  FROM attempt_events e JOIN payment_attempts a ON a.id = e.attempt_id;

-- refund_id on the wire is out_refund_no: unique per merchant, so the hub's reservation of a
-- refund made at another till names the same refund.
CREATE VIEW outbox_refund_v AS
SELECT r.id AS id, r.till_id AS till_id, r.updated_at AS committed_at,
       json_object('refund_id', r.out_refund_no, 'order_id', CAST(r.order_id AS TEXT),
                   'order_till', o.till_id, 'out_refund_no', r.out_refund_no,
                   'amount_fen', r.amount_fen,
                   'state', CASE r.state WHEN 'pending' THEN 'created'
                                         WHEN 'failed' THEN 'closed' ELSE r.state END,
                   'cashier', substr(r.requested_by, 1, 200)) AS payload
  FROM refunds r JOIN orders o ON o.id = r.order_id;

CREATE VIEW outbox_refund_event_v AS
SELECT e.id AS id, r.till_id AS till_id, e.at AS committed_at,
       json_object('refund_id', r.out_refund_no,
                   'state', CASE e.to_state WHEN 'pending' THEN 'created'
                                            WHEN 'failed' THEN 'closed' ELSE e.to_state END,
                   'detail', substr(e.note, 1, 2000)) AS payload
  FROM refund_events e JOIN refunds r ON r.id = e.refund_id;

CREATE VIEW outbox_shift_v AS
SELECT s.id AS id, s.till_id AS till_id, COALESCE(s.closed_at, s.opened_at) AS committed_at,
       json_object('shift_id', CAST(s.id AS TEXT), 'cashier', substr(s.opened_by, 1, 200),
                   'opened_at', s.opened_at, 'closed_at', s.closed_at,
                   'opening_float_fen', s.float_fen) AS payload
  FROM shifts s;

-- a cash movement: money into the drawer is positive, out of it negative
CREATE VIEW outbox_cash_movement_v AS
SELECT c.id AS id, c.till_id AS till_id, c.at AS committed_at,
       json_object('movement_id', CAST(c.id AS TEXT), 'shift_id', CAST(c.shift_id AS TEXT),
                   'amount_fen', CASE c.direction WHEN 'out' THEN -c.amount_fen
                                                  ELSE c.amount_fen END,
                   'reason', substr(c.reason, 1, 2000)) AS payload
  FROM cash_movements c;

-- the audit log has no till column: an entry belongs to the till owning this database
CREATE VIEW outbox_audit_v AS
SELECT l.id AS id, (SELECT till_id FROM outbox_state WHERE id = 1) AS till_id,
       l.at AS committed_at,
       json_object('action', substr(l.what, 1, 200), 'actor', substr(l.who, 1, 200),
                   'detail', substr(l.detail, 1, 2000)) AS payload
  FROM audit_log l;

-- one pair of statements per trigger: bump the sequence, append the row with it
CREATE TRIGGER outbox_order_ins AFTER INSERT ON orders
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'order', v.committed_at, v.payload
    FROM outbox_state s, outbox_order_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_order_upd AFTER UPDATE OF status, total_fen ON orders
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
 AND (OLD.status IS NOT NEW.status OR OLD.total_fen IS NOT NEW.total_fen)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'order', v.committed_at, v.payload
    FROM outbox_state s, outbox_order_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_order_line_ins AFTER INSERT ON order_lines
WHEN (SELECT till_id FROM orders WHERE id = NEW.order_id)
     = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'order_line', v.committed_at, v.payload
    FROM outbox_state s, outbox_order_line_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

-- a zero-amount attempt (a fully discounted sale) moves no money: the protocol has no such
-- payment, and its events then update nothing at the hub
CREATE TRIGGER outbox_attempt_ins AFTER INSERT ON payment_attempts
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
 AND NEW.amount_fen > 0
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'payment_attempt', v.committed_at, v.payload
    FROM outbox_state s, outbox_attempt_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_attempt_event_ins AFTER INSERT ON attempt_events
WHEN (SELECT till_id FROM payment_attempts WHERE id = NEW.attempt_id)
     = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'attempt_event', v.committed_at, v.payload
    FROM outbox_state s, outbox_attempt_event_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_refund_ins AFTER INSERT ON refunds
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'refund', v.committed_at, v.payload
    FROM outbox_state s, outbox_refund_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_refund_event_ins AFTER INSERT ON refund_events
WHEN (SELECT till_id FROM refunds WHERE id = NEW.refund_id)
     = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'refund_event', v.committed_at, v.payload
    FROM outbox_state s, outbox_refund_event_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_shift_ins AFTER INSERT ON shifts
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'shift', v.committed_at, v.payload
    FROM outbox_state s, outbox_shift_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_shift_upd AFTER UPDATE OF closed_at ON shifts
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
 AND OLD.closed_at IS NOT NEW.closed_at
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'shift', v.committed_at, v.payload
    FROM outbox_state s, outbox_shift_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_cash_movement_ins AFTER INSERT ON cash_movements
WHEN NEW.till_id = (SELECT till_id FROM outbox_state WHERE id = 1 AND enabled = 1)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'cash_movement', v.committed_at, v.payload
    FROM outbox_state s, outbox_cash_movement_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_audit_ins AFTER INSERT ON audit_log
WHEN (SELECT enabled FROM outbox_state WHERE id = 1) = 1
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'audit', v.committed_at, v.payload
    FROM outbox_state s, outbox_audit_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

-- a row is never edited; it is deleted only once the hub holds it (seq <= acked_seq)
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox rows are immutable'); END;
CREATE TRIGGER outbox_delete_acked_only BEFORE DELETE ON outbox
WHEN OLD.seq > (SELECT acked_seq FROM outbox_state WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'outbox row not acknowledged by the hub'); END;

-- Master data from the hub (products and staff go to their own tables) and what the till
-- has seen of the hub: the master version applied and the last flag fetched.
CREATE TABLE hub_sync (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    master_version  INTEGER NOT NULL DEFAULT 0,
    flags_seen      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO hub_sync (id) VALUES (1);

CREATE TABLE master_settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);

-- flags the hub raised about this till's payments (late payment, amount mismatch, a payment
-- no till knows), kept until a manager marks them handled
CREATE TABLE hub_flags (
    id            INTEGER PRIMARY KEY,      -- the hub's flag id
    kind          TEXT NOT NULL,
    till_id       TEXT,
    order_id      TEXT,
    out_trade_no  TEXT NOT NULL,
    amount_fen    INTEGER,
    detail        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    handled_by    TEXT,
    handled_at    TEXT
);
