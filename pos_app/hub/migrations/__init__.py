"""Alembic migrations of the hub database (run by :func:`pos_app.hub.db.migrate`)."""
