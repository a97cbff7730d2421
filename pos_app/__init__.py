"""pos_app: a WeChat Pay cashier application with a Qt-free core."""

__version__ = "0.1.0"
