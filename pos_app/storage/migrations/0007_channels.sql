-- pos_app schema v7: the payment channel ('wechat', 'alipay' …; 'cash' for cash) each
-- attempt and each refund went through. A channel is a name, not a list in the schema:
-- adding one needs no migration. Existing electronic rows were WeChat Pay.

ALTER TABLE payment_attempts ADD COLUMN channel TEXT NOT NULL DEFAULT 'wechat'
    CHECK (channel <> '');
UPDATE payment_attempts SET channel = 'cash' WHERE method = 'cash';
CREATE INDEX payment_attempts_channel ON payment_attempts(channel, paid_at);

ALTER TABLE refunds ADD COLUMN channel TEXT NOT NULL DEFAULT 'wechat' CHECK (channel <> '');
UPDATE refunds SET channel = COALESCE(
    (SELECT a.channel FROM payment_attempts a WHERE a.id = refunds.attempt_id), 'cash');
