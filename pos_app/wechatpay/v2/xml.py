"""Flat APIv2 ``<xml><k>v</k>…</xml>`` documents: safe parsing and serialisation.

Parsing uses expat directly and refuses any DOCTYPE or entity declaration (no
billion-laughs, no external entities); CDATA sections and the predefined entities
(``&lt;`` …) are fine. Duplicate fields are refused (a signed field must not be
ambiguous). Nested elements are skipped (only direct children of ``<xml>`` count).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.parsers import expat

MAX_XML_BYTES = 256 * 1024
_PLAIN_RE = re.compile(r"[0-9A-Za-z_.\-]*")


class XmlError(ValueError):
    """The body is not a safe, flat APIv2 XML document."""


def parse_xml(body: bytes | str) -> dict[str, str]:
    """Parse a flat ``<xml>`` document into ``{field: text}``. Raises :class:`XmlError`."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    if len(data) > MAX_XML_BYTES:
        raise XmlError("XML body too large")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise XmlError("DOCTYPE/ENTITY declarations are not allowed")
    result: dict[str, str] = {}
    stack: list[str] = []
    current: list[str] = []

    def refuse(*_args: object) -> None:
        raise XmlError("DOCTYPE/ENTITY declarations are not allowed")

    def start(name: str, _attrs: dict[str, str]) -> None:
        if not stack and name != "xml":
            raise XmlError(f"root element must be <xml>, got <{name}>")
        stack.append(name)
        if len(stack) == 2:
            current.clear()

    def end(name: str) -> None:
        if len(stack) == 2:
            if name in result:
                raise XmlError(f"duplicate field <{name}>")
            result[name] = "".join(current)
        stack.pop()

    def chars(text: str) -> None:
        if len(stack) == 2:
            current.append(text)

    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(f"malformed XML: {exc}") from exc
    if not result and not data.strip().startswith(b"<"):
        raise XmlError("not XML")
    return result


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(params: Mapping[str, object]) -> bytes:
    """Serialise to ``<xml>…</xml>`` (UTF-8); non-trivial text goes in CDATA."""
    parts = ["<xml>"]
    for key, value in params.items():
        if value is None:
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(f"bad XML field name {key!r}")
        text = str(value)
        body = text if _PLAIN_RE.fullmatch(text) else _cdata(text)
        parts.append(f"<{key}>{body}</{key}>")
    parts.append("</xml>")
    return "".join(parts).encode("utf-8")
