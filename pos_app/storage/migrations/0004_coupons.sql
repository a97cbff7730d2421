-- pos_app schema v4: coupons (代金券/立减) on a channel payment. ``amount_fen`` stays the
-- order amount the attempt paid; the customer may have paid less (a coupon), and a
-- merchant-funded (NOCASH) coupon makes the shop's settlement less than the amount.
--   payer_total_fen        what the customer paid (NULL: not reported / no channel)
--   coupon_fen             every coupon and discount applied by the channel
--   merchant_coupon_fen    the merchant-funded part: settlement = amount − this

ALTER TABLE payment_attempts ADD COLUMN payer_total_fen INTEGER
  CHECK (payer_total_fen IS NULL OR payer_total_fen >= 0);
ALTER TABLE payment_attempts ADD COLUMN coupon_fen INTEGER NOT NULL DEFAULT 0
  CHECK (coupon_fen >= 0);
ALTER TABLE payment_attempts ADD COLUMN merchant_coupon_fen INTEGER NOT NULL DEFAULT 0
  CHECK (merchant_coupon_fen >= 0 AND merchant_coupon_fen <= coupon_fen);
