"""Classify a scanned string: WeChat payment code, Alipay code, product barcode or junk.

Scanners add CR/LF/TAB suffixes, GS separators, NUL bytes, AIM symbology identifiers
(``]E0``, ``]C1``…) and, through an IME, full-width digits. :func:`classify` cleans
all of that, then decides:

* ``^1[0-5][0-9]{16}$`` → WeChat payment code (付款码);
* ``^(2[5-9]|30)[0-9]{14,22}$`` → Alipay payment code (付款码), paid with Alipay when
  the shop has it enabled;
* EAN-13 / UPC-A / EAN-8 / UPC-E with a valid check digit → product barcode;
* anything else (bad check digit, unknown 18-digit prefix, letters, empty) → invalid.

Every result carries a message key (:class:`ScanText`, rendered by the UI). Payment codes are
secrets for logs: use :func:`mask_code` (``1300****6789``); ``repr`` masks too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from pos_app.domain.text import Message, MessageKey, msg, register


class ScanKind(StrEnum):
    WECHAT_CODE = "WECHAT_CODE"
    ALIPAY_CODE = "ALIPAY_CODE"
    PRODUCT_BARCODE = "PRODUCT_BARCODE"
    INVALID = "INVALID"


class Symbology(StrEnum):
    NONE = ""
    EAN13 = "EAN-13"
    UPCA = "UPC-A"
    EAN8 = "EAN-8"
    UPCE = "UPC-E"


@register()
class ScanText(MessageKey):
    """What a scan was (or why it is refused), for the cashier."""

    WECHAT = "scan.wechat"
    ALIPAY = "scan.alipay"
    PRODUCT = "scan.product"
    ALIPAY_REFUSED = "scan.alipay_refused"
    EMPTY = "scan.empty"
    BAD_CHECK_DIGIT = "scan.bad_check_digit"
    NOT_WECHAT = "scan.not_wechat"
    UNRECOGNISED = "scan.unrecognised"

_WECHAT_RE = re.compile(r"1[0-5][0-9]{16}")
_ALIPAY_RE = re.compile(r"(?:2[5-9]|30)[0-9]{14,22}")
_DIGITS_RE = re.compile(r"[0-9]+")
# AIM symbology identifier: "]" + code character + modifier character.
_AIM_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True)
class ScanResult:
    """Outcome of :func:`classify`. ``text`` is the cleaned code (masked in ``repr``)."""

    kind: ScanKind
    text: str = field(repr=False)
    message_key: ScanText
    symbology: Symbology = Symbology.NONE

    @property
    def message(self) -> Message:
        return msg(self.message_key)

    @property
    def is_payment_code(self) -> bool:
        return self.kind in (ScanKind.WECHAT_CODE, ScanKind.ALIPAY_CODE)

    @property
    def log_text(self) -> str:
        """What may go into a log: product codes as-is, everything else masked."""
        return self.text if self.kind is ScanKind.PRODUCT_BARCODE else mask_code(self.text)

    def __repr__(self) -> str:
        return (
            f"ScanResult(kind={self.kind.value}, text={self.log_text!r}, "
            f"message_key={self.message_key.value!r}, symbology={self.symbology.value!r})"
        )


def mask_code(code: str) -> str:
    """``130061098828009406`` → ``1300****9406``; short strings are fully hidden."""
    if len(code) >= 12:
        return f"{code[:4]}****{code[-4:]}"
    if len(code) >= 8:
        return f"{code[:2]}****{code[-2:]}"
    return "****" if code else ""


#: A payment code inside free text: WeChat (10–15…) and Alipay (25–30…), 16–24 digits.
PAYMENT_CODE_IN_TEXT = re.compile(r"(?<!\d)(?:1[0-5]|2[5-9]|30)\d{14,22}(?!\d)")


def mask_codes_in(text: str) -> str:
    """``text`` with every payment code in it replaced by its :func:`mask_code` form."""
    return PAYMENT_CODE_IN_TEXT.sub(lambda m: mask_code(m.group(0)), text)


def clean(raw: str) -> str:
    """Remove scanner noise: AIM prefix, control/format chars, whitespace; NFKC digits."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
    )
    if _AIM_RE.match(text):
        text = text[3:]
    return text


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits *before* the check digit."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def _gtin_ok(code: str) -> bool:
    return gtin_check_digit(code[:-1]) == int(code[-1])


def upce_to_upca(code: str) -> str | None:
    """Expand an 8-digit UPC-E (number system 0/1) to UPC-A; ``None`` if not UPC-E shaped."""
    if len(code) != 8 or code[0] not in "01" or not code.isdigit():
        return None
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check


def _product(code: str) -> ScanResult | None:
    n = len(code)
    if n == 13:
        sym = Symbology.EAN13
        ok = _gtin_ok(code)
    elif n == 12:
        sym = Symbology.UPCA
        ok = _gtin_ok(code)
    elif n == 8:
        if _gtin_ok(code):
            return ScanResult(ScanKind.PRODUCT_BARCODE, code, ScanText.PRODUCT, Symbology.EAN8)
        upca = upce_to_upca(code)
        if upca is not None and _gtin_ok(upca):
            return ScanResult(ScanKind.PRODUCT_BARCODE, code, ScanText.PRODUCT, Symbology.UPCE)
        sym, ok = Symbology.EAN8, False
    else:
        return None
    if ok:
        return ScanResult(ScanKind.PRODUCT_BARCODE, code, ScanText.PRODUCT, sym)
    return ScanResult(ScanKind.INVALID, code, ScanText.BAD_CHECK_DIGIT, sym)


def classify(raw: str) -> ScanResult:
    """Decide what a scanned (or typed) string is. Never raises."""
    text = clean(raw)
    if not text:
        return ScanResult(ScanKind.INVALID, "", ScanText.EMPTY)
    if not _DIGITS_RE.fullmatch(text):
        return ScanResult(ScanKind.INVALID, text, ScanText.UNRECOGNISED)
    if _WECHAT_RE.fullmatch(text):
        return ScanResult(ScanKind.WECHAT_CODE, text, ScanText.WECHAT)
    if _ALIPAY_RE.fullmatch(text):
        return ScanResult(ScanKind.ALIPAY_CODE, text, ScanText.ALIPAY)
    product = _product(text)
    if product is not None:
        return product
    if len(text) == 18:
        return ScanResult(ScanKind.INVALID, text, ScanText.NOT_WECHAT)
    return ScanResult(ScanKind.INVALID, text, ScanText.UNRECOGNISED)
