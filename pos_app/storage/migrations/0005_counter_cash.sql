-- pos_app schema: discounts by kind (the X/Z reports show them), who approved a Z, and
-- cash movements (存取款) of a shift. Self-contained: rows from before this migration keep
-- their amounts and count as amount discounts (their kind was not recorded).
--   orders.discount_kind       how the order discount was given: 'amount' or 'percent'
--   orders.round_off_fen       the part of discount_fen taken off by 抹零 (rounding)
--   order_lines.discount_kind  how the line discount was given: 'amount' or 'percent'
--   shifts.approved_by         the manager whose PIN approved the Z (closing the shift)
ALTER TABLE orders ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'amount'
  CHECK (discount_kind IN ('amount', 'percent'));
ALTER TABLE orders ADD COLUMN round_off_fen INTEGER NOT NULL DEFAULT 0
  CHECK (round_off_fen >= 0 AND round_off_fen <= discount_fen);
ALTER TABLE order_lines ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'amount'
  CHECK (discount_kind IN ('amount', 'percent'));
ALTER TABLE shifts ADD COLUMN approved_by TEXT;
-- Cash put into (float top-up) or taken out of (paying a supplier) the drawer during a
-- shift, with a reason; a cash out names the manager who approved it. Append-only.
CREATE TABLE cash_movements (
    id          INTEGER PRIMARY KEY,
    till_id     TEXT NOT NULL,
    shift_id    INTEGER NOT NULL REFERENCES shifts(id),
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    done_by     TEXT NOT NULL,
    approved_by TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    CHECK (direction = 'in' OR approved_by <> '')
);
CREATE INDEX cash_movements_shift ON cash_movements(shift_id, id);
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash_movements is append-only'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash_movements is append-only'); END;
