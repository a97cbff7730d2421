"""Test doubles shared by the suites (kept out of the product)."""
