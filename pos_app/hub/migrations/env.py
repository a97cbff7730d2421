"""Alembic environment of the hub database (run by :func:`pos_app.hub.db.migrate`, which
passes an open connection in ``config.attributes``). ``migrations/`` is a plain directory,
not a package: only Alembic loads these files."""

from __future__ import annotations

from alembic import context

from pos_app.hub.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
