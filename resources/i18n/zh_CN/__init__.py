"""Chinese for the UI catalogs' English templates: one module per catalog, each with
``ZH = {english template: chinese}``; ``fill_zh_CN.py`` merges them with its own table."""
