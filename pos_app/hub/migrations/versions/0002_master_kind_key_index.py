"""master: index (kind, key, version) for the latest version of one product or staff member

Revision ID: 0002
Revises: 0001

Every product or staff row a till uploads is looked up in the master data as ``WHERE kind =
? AND key = ? ORDER BY version DESC LIMIT 1`` (``pos_app.hub.store.latest_master``): the
index answers it by one descent to the last entry of (kind, key), where before it scanned
the whole table (master keeps every version, so it only grows). The staff list (``max(version)
… WHERE kind = 'staff' GROUP BY key``) reads the same index in order. Plain CREATE INDEX:
migrations run at hub start, before the hub serves anything (pos_app.hub.db.migrate).
"""

from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_master_kind_key_version', 'master', ['kind', 'key', 'version'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_master_kind_key_version', table_name='master')
