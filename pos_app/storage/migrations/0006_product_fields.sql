-- pos_app schema: products at the till. A product gets a category (open-price keys sell
-- under one; sales reports group by it) and an optional scale item code (the item
-- number a label scale prints into a 2x-prefix EAN-13; for a weight label the product's
-- price is its price per kg). quick_key exists since v1.

ALTER TABLE products ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN scale_code TEXT;
CREATE UNIQUE INDEX products_scale_code ON products(scale_code) WHERE scale_code IS NOT NULL;
CREATE INDEX order_lines_sku ON order_lines(sku);
