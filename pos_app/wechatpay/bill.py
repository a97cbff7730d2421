"""Trade bill (对账单) integrity: the file download is unsigned, so its SHA1 is checked
against ``hash_value`` from the signed ``/v3/bill/tradebill`` answer instead."""

from __future__ import annotations

import hashlib
import hmac
import zlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from pos_app.wechatpay.errors import MalformedResponseError, ResponseTooLargeError, SignatureError
from pos_app.wechatpay.models import TradeBill

BILL_DOWNLOAD_PATH = "/v3/billdownload/file"
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class BillTicket:
    """What ``/v3/bill/tradebill`` returns: where the file is and which hash it must have."""

    hash_type: str
    hash_value: str
    download_url: str

    @property
    def download_path(self) -> str:
        """``path?query`` of the download URL (requested against our own ``base_url``)."""
        parts = urlsplit(self.download_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> BillTicket:
        fields = {}
        for name in ("hash_type", "hash_value", "download_url"):
            value = doc.get(name)
            if not isinstance(value, str) or not value:
                raise MalformedResponseError(f"/v3/bill/tradebill: {name!r} missing")
            fields[name] = value
        ticket = cls(**fields)
        if ticket.hash_type.upper() != "SHA1":
            raise MalformedResponseError(
                f"/v3/bill/tradebill: unsupported hash_type {ticket.hash_type!r}"
            )
        if urlsplit(ticket.download_url).path != BILL_DOWNLOAD_PATH:
            raise MalformedResponseError(
                f"/v3/bill/tradebill: download_url does not point at {BILL_DOWNLOAD_PATH}"
            )
        return ticket


def checked_bill(
    bill_date: date, ticket: BillTicket, content: bytes, *, max_bytes: int = 64 << 20
) -> TradeBill:
    """Gunzip if needed (at most ``max_bytes`` once inflated: a gzip bomb stops there),
    check SHA1, decode UTF-8 (BOM stripped) → :class:`TradeBill`."""
    if len(content) > max_bytes:
        raise ResponseTooLargeError(f"trade bill: {len(content)} bytes exceeds the {max_bytes}-byte cap")
    if content.startswith(_GZIP_MAGIC):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            inflated = inflater.decompress(content, max_bytes + 1)
        except zlib.error as exc:
            raise MalformedResponseError("trade bill: corrupt gzip data") from exc
        if len(inflated) > max_bytes or inflater.unconsumed_tail:
            raise ResponseTooLargeError(f"trade bill: more than {max_bytes} bytes once decompressed")
        if not inflater.eof:
            raise MalformedResponseError("trade bill: corrupt gzip data (truncated)")
        content = inflated
    digest = hashlib.sha1(content).hexdigest()
    if not hmac.compare_digest(digest.encode(), ticket.hash_value.lower().encode()):
        raise SignatureError(
            f"trade bill {bill_date.isoformat()}: SHA1 {digest} does not match hash_value "
            f"{ticket.hash_value} from the signed /v3/bill/tradebill answer"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedResponseError("trade bill: content is not UTF-8") from exc
    return TradeBill(
        bill_date=bill_date.isoformat(),
        text=text,
        hash_type=ticket.hash_type,
        hash_value=ticket.hash_value,
    )
