-- Products edited at this till go up to the store hub (protocol kind ``product``, see
-- pos_app/hub/protocol.py), like 0008_outbox's rows: a trigger appends the row in the same
-- transaction as the edit, only while the till is enrolled (``enabled``).
--
-- Echo guard: a product written by applying the hub's master data (OutboxRepository.
-- apply_master) is NOT sent back up. apply_master sets ``master_apply_guard.applying`` to 1
-- at the start of its transaction and back to 0 before it commits; the triggers do nothing
-- while it is 1. A crash in between rolls the flag back with the rest of the transaction.
--
-- Only what the hub's master data carries is sent: sku, name, price_fen, barcode, and
-- ``active`` (false: the product was taken off sale here; the hub records a deletion).
-- Category, quick key and scale code stay local to each till and send nothing.

CREATE TABLE master_apply_guard (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    applying  INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
);
INSERT INTO master_apply_guard (id) VALUES (1);

-- products have no till and no change time: the till is the one owning this database, the
-- time is the commit's (UTC, with its offset as the protocol wants). ``at_enrolment``: the
-- product was on sale here before the till joined the hub (enrolment's snapshot, or this
-- migration on a till already enrolled): it only fills in a SKU the hub has never held.
CREATE VIEW outbox_product_v AS
SELECT p.id AS id, (SELECT till_id FROM outbox_state WHERE id = 1) AS till_id,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') AS committed_at,
       json_object('sku', p.sku, 'name', substr(p.name, 1, 200), 'price_fen', p.price_fen,
                   'barcode', p.barcode,
                   'active', json(CASE p.active WHEN 0 THEN 'false' ELSE 'true' END),
                   'at_enrolment', json('false')
       ) AS payload
  FROM products p;

CREATE VIEW outbox_product_enrol_v AS
SELECT v.id AS id, v.till_id AS till_id, v.committed_at AS committed_at,
       json_set(v.payload, '$.at_enrolment', json('true')) AS payload
  FROM outbox_product_v v JOIN products p ON p.id = v.id
 WHERE p.active <> 0;

CREATE TRIGGER outbox_product_ins AFTER INSERT ON products
WHEN (SELECT enabled FROM outbox_state WHERE id = 1) = 1
 AND (SELECT applying FROM master_apply_guard WHERE id = 1) = 0
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'product', v.committed_at, v.payload
    FROM outbox_state s, outbox_product_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_product_upd AFTER UPDATE OF sku, name, price_fen, barcode, active
ON products
WHEN (SELECT enabled FROM outbox_state WHERE id = 1) = 1
 AND (SELECT applying FROM master_apply_guard WHERE id = 1) = 0
 AND (OLD.sku IS NOT NEW.sku OR OLD.name IS NOT NEW.name
      OR OLD.price_fen IS NOT NEW.price_fen OR OLD.barcode IS NOT NEW.barcode
      OR (OLD.active <> 0) IS NOT (NEW.active <> 0))
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'product', v.committed_at, v.payload
    FROM outbox_state s, outbox_product_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

-- A till enrolled before this migration: its products go up once, now (a till enrolled
-- later queues them with its enrolment snapshot, storage/outbox.py).
INSERT INTO outbox (seq, kind, committed_at, payload)
SELECT s.last_seq + ROW_NUMBER() OVER (ORDER BY v.id), 'product', v.committed_at, v.payload
  FROM outbox_state s, outbox_product_enrol_v v
 WHERE s.id = 1 AND s.enabled = 1;

UPDATE outbox_state
   SET last_seq = last_seq + (SELECT COUNT(*) FROM products WHERE active <> 0)
 WHERE id = 1 AND enabled = 1;
