"""Manager features (Qt-free): PINs and roles, refunds, shifts with X/Z reports,
daily reconciliation against the WeChat Pay trade bill, CSV export.

Every service here talks to storage through the small protocols in
:mod:`pos_app.manager.store`, so it runs over SQLite or the in-memory store alike.
"""
