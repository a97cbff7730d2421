"""Products the till sells."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.money import Fen


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Fen
    barcode: str = ""
    quick_key: int | None = None  # position on the quick-key pad (1-based), if any
