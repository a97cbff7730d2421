-- Staff added or edited at this till go up to the store hub (protocol kind ``staff``, see
-- pos_app/hub/protocol.py), like 0008_outbox's rows: a trigger appends the row in the same
-- transaction as the edit, only while the till is enrolled (``enabled``).
--
-- Only what the shop's master data carries is sent: name, role, active and the PIN *hash*
-- (a PIN is never stored anywhere, so it cannot be sent). The login state (failed attempts,
-- lock) is this till's own and sends nothing. The hub takes a hash into its master data only
-- when it was made with the shop's pepper (scheme scrypt-shop, pos_app/manager/pins.py).
--
-- Echo guard: staff written by applying the hub's master data (OutboxRepository.
-- apply_master) are NOT sent back up: apply_master sets ``master_apply_guard.applying`` to 1
-- for the length of its transaction (the table is 0009_product_outbox's; created here too
-- when missing, so either migration may come first in a branch).

CREATE TABLE IF NOT EXISTS master_apply_guard (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    applying  INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
);
INSERT OR IGNORE INTO master_apply_guard (id) VALUES (1);

-- users have no till and no change time: the till is the one owning this database, the time
-- is the commit's (UTC, with its offset as the protocol wants)
CREATE VIEW outbox_staff_v AS
SELECT u.id AS id, (SELECT till_id FROM outbox_state WHERE id = 1) AS till_id,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') AS committed_at,
       json_object('name', u.name, 'role', u.role,
                   'active', json(CASE u.active WHEN 0 THEN 'false' ELSE 'true' END),
                   'pin_hash', u.pin_hash) AS payload
  FROM users u;

CREATE TRIGGER outbox_staff_ins AFTER INSERT ON users
WHEN (SELECT enabled FROM outbox_state WHERE id = 1) = 1
 AND (SELECT applying FROM master_apply_guard WHERE id = 1) = 0
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'staff', v.committed_at, v.payload
    FROM outbox_state s, outbox_staff_v v WHERE s.id = 1 AND v.id = NEW.id;
END;

CREATE TRIGGER outbox_staff_upd AFTER UPDATE OF name, role, active, pin_hash ON users
WHEN (SELECT enabled FROM outbox_state WHERE id = 1) = 1
 AND (SELECT applying FROM master_apply_guard WHERE id = 1) = 0
 AND (OLD.name IS NOT NEW.name OR OLD.role IS NOT NEW.role
      OR (OLD.active <> 0) IS NOT (NEW.active <> 0) OR OLD.pin_hash IS NOT NEW.pin_hash)
BEGIN
  UPDATE outbox_state SET last_seq = last_seq + 1 WHERE id = 1;
  INSERT INTO outbox (seq, kind, committed_at, payload)
  SELECT s.last_seq, 'staff', v.committed_at, v.payload
    FROM outbox_state s, outbox_staff_v v WHERE s.id = 1 AND v.id = NEW.id;
END;
