-- pos_app schema v1. Money is integer fen everywhere. Times are ISO-8601 UTC text.

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    barcode     TEXT UNIQUE,
    name        TEXT NOT NULL,
    price_fen   INTEGER NOT NULL CHECK (price_fen >= 0),
    quick_key   INTEGER UNIQUE,
    active      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    cashier         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'paid', 'voided', 'refunded', 'partially_refunded')),
    subtotal_fen    INTEGER NOT NULL CHECK (subtotal_fen >= 0),
    discount_fen    INTEGER NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
    total_fen       INTEGER NOT NULL CHECK (total_fen >= 0),
    paid_attempt_id INTEGER,
    shift_id        INTEGER REFERENCES shifts(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX orders_created ON orders(created_at);

CREATE TABLE order_lines (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    line_no         INTEGER NOT NULL,
    sku             TEXT NOT NULL,
    name            TEXT NOT NULL,
    barcode         TEXT NOT NULL DEFAULT '',
    unit_price_fen  INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    quantity        INTEGER NOT NULL CHECK (quantity >= 1),
    discount_fen    INTEGER NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
    net_fen         INTEGER NOT NULL CHECK (net_fen >= 0),
    UNIQUE (order_id, line_no)
);

CREATE TABLE payment_attempts (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    method          TEXT NOT NULL CHECK (method IN ('native', 'codepay', 'cash')),
    out_trade_no    TEXT NOT NULL UNIQUE,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    state           TEXT NOT NULL DEFAULT 'created'
                    CHECK (state IN ('created', 'awaiting', 'paid', 'closed', 'reversed',
                                     'failed', 'uncertain')),
    auth_code_masked TEXT NOT NULL DEFAULT '',
    code_url        TEXT NOT NULL DEFAULT '',
    expires_at      TEXT,
    transaction_id  TEXT NOT NULL DEFAULT '',
    tendered_fen    INTEGER,
    change_fen      INTEGER,
    message         TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX payment_attempts_order ON payment_attempts(order_id);
CREATE INDEX payment_attempts_state ON payment_attempts(state);

CREATE TABLE attempt_events (
    id          INTEGER PRIMARY KEY,
    attempt_id  INTEGER NOT NULL REFERENCES payment_attempts(id),
    at          TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempt_events_attempt ON attempt_events(attempt_id);
CREATE TRIGGER attempt_events_no_update BEFORE UPDATE ON attempt_events
BEGIN SELECT RAISE(ABORT, 'attempt_events is append-only'); END;
CREATE TRIGGER attempt_events_no_delete BEFORE DELETE ON attempt_events
BEGIN SELECT RAISE(ABORT, 'attempt_events is append-only'); END;

CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    attempt_id      INTEGER REFERENCES payment_attempts(id),
    out_refund_no   TEXT NOT NULL UNIQUE,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'created',
    manager         TEXT NOT NULL,
    refund_id       TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds(order_id);

CREATE TABLE shifts (
    id              INTEGER PRIMARY KEY,
    opened_by       TEXT NOT NULL,
    float_fen       INTEGER NOT NULL CHECK (float_fen >= 0),
    opened_at       TEXT NOT NULL,
    closed_by       TEXT,
    closed_at       TEXT,
    counted_cash_fen INTEGER
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin')),
    pin_hash        TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    active          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    who     TEXT NOT NULL,
    what    TEXT NOT NULL,
    at      TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
