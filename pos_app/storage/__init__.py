"""SQLite persistence — the only package with SQL: connections and migrations
(:mod:`~pos_app.storage.db`, :mod:`~pos_app.storage.migrate`), one repository per
aggregate (catalog, orders, payments, refunds, shifts, staff, audit) mapping rows to the
records of :mod:`pos_app.domain` (:mod:`~pos_app.storage.rows`), and the PIN pepper kept
outside the database (:mod:`~pos_app.storage.pepper`). Several tills may share one
database: rows carry ``till_id`` and each repository is bound to one till."""
