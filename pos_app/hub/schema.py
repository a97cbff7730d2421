"""The hub's tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create them.

Money is BigInteger fen. Times are ISO-8601 text; ``day``/``hour`` are the shop-local
(China, UTC+8) calendar day and hour of the till's ``committed_at``, stored at ingest so
reports are the same SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "hub_meta", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

enrol_codes = Table(
    "enrol_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
)

tills = Table(
    "tills", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("high_seq", BigInteger, nullable=False, default=0),
    Column("backlog", BigInteger, nullable=False, default=0),
    Column("enrolled_at", String(40), nullable=False),
    Column("last_seen_at", String(40)),
)

outbox_rows = Table(
    "outbox_rows", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("committed_at", String(40), nullable=False),
    Column("received_at", String(40), nullable=False),
)

orders = Table(
    "orders", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("order_id", String(64), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("cashier", String(200), nullable=False),
    Column("day", String(10), nullable=False),
    Column("hour", Integer, nullable=False),
)

order_lines = Table(
    "order_lines", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("order_id", String(64), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", BigInteger, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
)

payments = Table(
    "payments", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("attempt_id", String(64), primary_key=True),
    Column("order_id", String(64), nullable=False),
    Column("out_trade_no", String(64), nullable=False, index=True),
    Column("method", String(32), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("state", String(32), nullable=False),
    Column("day", String(10), nullable=False),
    Column("hour", Integer, nullable=False),
)

refunds = Table(
    "refunds", metadata,
    Column("till_id", String(64), primary_key=True),
    Column("refund_id", String(64), primary_key=True),
    Column("order_till", String(64), nullable=False),
    Column("order_id", String(64), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("state", String(32), nullable=False),
    Column("cashier", String(200), nullable=False),
    Column("day", String(10), nullable=False),
)

refund_reservations = Table(
    "refund_reservations", metadata,
    Column("refund_id", String(64), primary_key=True),
    Column("order_till", String(64), nullable=False),
    Column("order_id", String(64), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("released", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
)

master = Table(
    "master", metadata,
    Column("version", BigInteger, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("key", String(200), nullable=False),
    Column("data", Text),
    Column("changed_by", String(64), nullable=False),
    # the latest version of one (kind, key): store.latest_master (migration 0002)
    Index("ix_master_kind_key_version", "kind", "key", "version"),
)

notifications = Table(
    "notifications", metadata,
    Column("notification_id", String(100), primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("out_trade_no", String(64), nullable=False),
    Column("amount_fen", BigInteger),
    Column("trade_state", String(32), nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("processed", Boolean, nullable=False, default=False),
)

flags = Table(
    "flags", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("till_id", String(64)),
    Column("order_id", String(64)),
    Column("out_trade_no", String(64), nullable=False),
    Column("amount_fen", BigInteger),
    Column("detail", String(400), nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("kind", "out_trade_no", name="uq_flags_kind_trade"),
)

reconciliations = Table(
    "reconciliations", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("bill_date", String(10), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("result", Text, nullable=False),
)
