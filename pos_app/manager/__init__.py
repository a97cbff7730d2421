"""Manager features (Qt-free): PINs and roles, refunds, shifts with X/Z reports,
daily reconciliation against the WeChat Pay trade bill, CSV export.

Every service here talks to storage through the small protocols in
:mod:`pos_app.manager.store`, implemented over SQLite by :mod:`pos_app.manager.shop_store`.
"""
