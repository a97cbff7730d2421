-- Sales put on hold at a till (挂单) until recalled there (取单); they survive a restart.
-- The cart is stored as JSON (lines with the product as sold, quantities, discounts).
CREATE TABLE held_sales (
    id          INTEGER PRIMARY KEY,
    till_id     TEXT NOT NULL,
    cashier     TEXT NOT NULL,
    held_at     TEXT NOT NULL,
    total_fen   INTEGER NOT NULL,
    cart_json   TEXT NOT NULL
);
CREATE INDEX held_sales_till ON held_sales(till_id, id);
