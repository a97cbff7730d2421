"""Price- and weight-embedded EAN-13 from label scales (in-store prefix 2x) → exact fen.

A label scale prints an EAN-13 whose digits are, left to right::

    flag | item code | [value check digit] | value | EAN check digit

The :class:`ScaleLayout` says how long each part is, whether the value is the total
price or the net weight, and where its decimal point sits. Common Chinese scale formats
(大华 / 顶尖 / 寺冈 style) are in :data:`PRESETS`.

* Price labels: the value is the line amount (in fen when ``value_decimals`` is 2, in
  角 when 1, in 元 when 0).
* Weight labels: the value is the net weight in kg with ``value_decimals`` decimals (3 =
  grams). The line amount is ``unit price per kg × weight``, **rounded half up to the
  fen**, computed with integers only: ``(price_per_kg_fen × grams + 500) // 1000``.

Both check digits are verified: the EAN-13 one always, and the GS1 price/weight
verifier digit (GS1 General Specifications §7.9, for 4- and 5-digit values) where the
layout has one. Anything malformed is refused with a :class:`ScaleText` message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.money import Fen
from pos_app.domain.text import Message, MessageKey, msg, register

EAN13_LENGTH = 13


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@register({
    "scale.wrong_length": ("length",),
    "scale.unit_price_missing": ("item_code",),
    "scale.layout_length": ("total",),
})
class ScaleText(MessageKey):
    NOT_DIGITS = "scale.not_digits"
    WRONG_LENGTH = "scale.wrong_length"
    NOT_A_SCALE_CODE = "scale.not_a_scale_code"
    BAD_CHECK_DIGIT = "scale.bad_check_digit"
    BAD_VALUE_CHECK_DIGIT = "scale.bad_value_check_digit"
    ZERO_VALUE = "scale.zero_value"
    UNIT_PRICE_MISSING = "scale.unit_price_missing"
    UNIT_PRICE_INVALID = "scale.unit_price_invalid"
    LAYOUT_LENGTH = "scale.layout_length"
    LAYOUT_FLAG = "scale.layout_flag"
    LAYOUT_PART = "scale.layout_part"
    LAYOUT_DECIMALS = "scale.layout_decimals"
    LAYOUT_VALUE_CHECK = "scale.layout_value_check"


class ScaleBarcodeError(ValueError):
    """A scale barcode (or layout) that cannot be used; ``message`` says why, for people."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class ValueKind(StrEnum):
    PRICE = "price"    # total price of the line
    WEIGHT = "weight"  # net weight; amount from the item's price per kg


@dataclass(frozen=True)
class ScaleLayout:
    """Where things are in a scale EAN-13 (a shop setting; see :data:`PRESETS`).

    ``flags`` are the accepted leading digits, all ``flag_length`` long and starting
    with 2 (e.g. ``("21", "22")``; ``("2",)`` with ``flag_length`` 1)."""

    name: str
    flags: tuple[str, ...]
    item_length: int
    kind: ValueKind
    value_length: int
    value_decimals: int
    value_check: bool = False  # a GS1 price/weight verifier digit before the value

    def __post_init__(self) -> None:
        total = self.flag_length + self.item_length + int(self.value_check) + self.value_length + 1
        if total != EAN13_LENGTH:
            raise ScaleBarcodeError(msg(ScaleText.LAYOUT_LENGTH, total=total))
        if not self.flags or any(
            len(f) != self.flag_length or not _digits(f) or f[0] != "2" for f in self.flags
        ):
            raise ScaleBarcodeError(msg(ScaleText.LAYOUT_FLAG))
        if self.item_length < 1 or self.value_length < 1:
            raise ScaleBarcodeError(msg(ScaleText.LAYOUT_PART))
        max_decimals = 2 if self.kind is ValueKind.PRICE else 3
        if not 0 <= self.value_decimals <= max_decimals:
            raise ScaleBarcodeError(msg(ScaleText.LAYOUT_DECIMALS))
        if self.value_check and self.value_length not in (4, 5):
            raise ScaleBarcodeError(msg(ScaleText.LAYOUT_VALUE_CHECK))

    @property
    def flag_length(self) -> int:
        return len(self.flags[0]) if self.flags else 0

    def matches(self, code: str) -> bool:
        """Is ``code`` shaped like one of this layout's labels (13 digits, right flag)?"""
        return len(code) == EAN13_LENGTH and _digits(code) and code[: self.flag_length] in self.flags


ALL_2X = tuple(f"2{d}" for d in range(10))

PRESETS: dict[str, ScaleLayout] = {
    layout.name: layout
    for layout in (
        # 大华 / 顶尖 / 寺冈 default 13-digit total-price label: FF CCCCC PPPPP C (price in fen)
        ScaleLayout("ff5-price5-fen", ALL_2X, 5, ValueKind.PRICE, 5, 2),
        # the same with the net weight in grams: FF CCCCC WWWWW C
        ScaleLayout("ff5-weight5-g", ALL_2X, 5, ValueKind.WEIGHT, 5, 3),
        # one flag digit and a 6-digit item code: 2 CCCCCC PPPPP C
        ScaleLayout("f6-price5-fen", ("2",), 6, ValueKind.PRICE, 5, 2),
        ScaleLayout("f6-weight5-g", ("2",), 6, ValueKind.WEIGHT, 5, 3),
        # GS1 style with a price verifier digit: FF CCCCC V PPPP C (up to 99.99 元)
        ScaleLayout("ff5-check-price4-fen", ALL_2X, 5, ValueKind.PRICE, 4, 2, value_check=True),
        ScaleLayout("ff5-check-weight4-g", ALL_2X, 5, ValueKind.WEIGHT, 4, 3, value_check=True),
    )
}


@dataclass(frozen=True)
class ScaleReading:
    """A scale label read from its barcode."""

    code: str
    layout: ScaleLayout
    item_code: str
    price_fen: Fen | None = None   # price labels: the line amount
    weight_g: int | None = None    # weight labels: net weight in grams

    def amount_fen(self, unit_price_fen_per_kg: int | None = None) -> Fen:
        """The exact line amount. Weight labels need the item's price per kg (fen)."""
        if self.price_fen is not None:
            return self.price_fen
        if unit_price_fen_per_kg is None:
            raise ScaleBarcodeError(msg(ScaleText.UNIT_PRICE_MISSING, item_code=self.item_code))
        assert self.weight_g is not None
        return weighed_amount(unit_price_fen_per_kg, self.weight_g)


def weighed_amount(unit_price_fen_per_kg: int, weight_g: int) -> Fen:
    """``unit price × grams / 1000`` rounded half up to the fen, integers only."""
    for v in (unit_price_fen_per_kg, weight_g):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ScaleBarcodeError(msg(ScaleText.UNIT_PRICE_INVALID))
    return Fen((unit_price_fen_per_kg * weight_g + 500) // 1000)


def parse_scale_barcode(code: str, layout: ScaleLayout) -> ScaleReading:
    """Read a scale label; refuses anything malformed with a :class:`ScaleText` message."""
    code = code.strip()
    if not _digits(code):
        raise ScaleBarcodeError(msg(ScaleText.NOT_DIGITS))
    if len(code) != EAN13_LENGTH:
        raise ScaleBarcodeError(msg(ScaleText.WRONG_LENGTH, length=len(code)))
    if code[: layout.flag_length] not in layout.flags:
        raise ScaleBarcodeError(msg(ScaleText.NOT_A_SCALE_CODE))
    if ean13_check_digit(code[:12]) != int(code[12]):
        raise ScaleBarcodeError(msg(ScaleText.BAD_CHECK_DIGIT))
    pos = layout.flag_length
    item_code = code[pos: pos + layout.item_length]
    pos += layout.item_length
    value_start = pos + int(layout.value_check)
    value_digits = code[value_start: value_start + layout.value_length]
    if layout.value_check and value_check_digit(value_digits) != int(code[pos]):
        raise ScaleBarcodeError(msg(ScaleText.BAD_VALUE_CHECK_DIGIT))
    value = int(value_digits)
    if value == 0:
        raise ScaleBarcodeError(msg(ScaleText.ZERO_VALUE))
    if layout.kind is ValueKind.PRICE:
        return ScaleReading(code, layout, item_code,
                            price_fen=Fen(value * 10 ** (2 - layout.value_decimals)))
    return ScaleReading(code, layout, item_code, weight_g=value * 10 ** (3 - layout.value_decimals))


def find_layout(code: str, layouts: tuple[ScaleLayout, ...]) -> ScaleLayout | None:
    """The first configured layout whose flag ``code`` carries (None: an ordinary barcode)."""
    code = code.strip()
    return next((layout for layout in layouts if layout.matches(code)), None)


def ean13_check_digit(first12: str) -> int:
    """EAN-13 check digit: weights 1,3,1,3… from the left, to the next multiple of 10."""
    if len(first12) != 12 or not _digits(first12):
        raise ValueError("need 12 digits")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


# GS1 §7.9 weighting factors, as arithmetic on the product's digits:
#   "2-": 2d, units digit minus tens digit;  "3": 3d, units digit;
#   "5+": 5d, units digit plus tens digit;   "5-": 5d, units digit minus tens digit.
def _w2m(d: int) -> int:
    p = 2 * d
    return (p % 10 - p // 10) % 10


def _w3(d: int) -> int:
    return 3 * d % 10


def _w5p(d: int) -> int:
    p = 5 * d
    return (p % 10 + p // 10) % 10


def _w5m(d: int) -> int:
    p = 5 * d
    return (p % 10 - p // 10) % 10


def value_check_digit(value: str) -> int:
    """GS1 price/weight verifier digit of a 4- or 5-digit value field."""
    if not _digits(value) or len(value) not in (4, 5):
        raise ValueError("need 4 or 5 digits")
    d = [int(c) for c in value]
    if len(d) == 4:
        return 3 * (_w2m(d[0]) + _w2m(d[1]) + _w3(d[2]) + _w5m(d[3])) % 10
    total = _w5p(d[0]) + _w2m(d[1]) + _w5m(d[2]) + _w5p(d[3]) + _w2m(d[4])
    target = (10 - total % 10) % 10
    # the verifier is the digit whose "5-" product equals the target ("5-" is a bijection)
    return next(c for c in range(10) if _w5m(c) == target)

