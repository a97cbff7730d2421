"""The store hub: several tills of a shop (or a chain) sync to it; see :mod:`.protocol`.

Layer: above ``manager`` and below ``ui``/``app``; imports ``domain`` and ``wechatpay`` only,
no Qt. Storage is SQLAlchemy Core (:mod:`.store`, the only module with SQL), migrations by
Alembic, on SQLite (embedded default) or PostgreSQL.
"""
