"""Logging setup with a redaction filter: no secrets in logs.

Payment codes (18-digit WeChat / 16–24-digit Alipay codes) are masked to
``1300****6789``; PEM blocks, ``Authorization`` headers, signatures, PINs and
anything labelled key/secret/password are replaced by ``***``.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

from pos_app.domain.scan import mask_codes_in

_PEM = re.compile(r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", re.S)
_AUTH = re.compile(r"(WECHATPAY2-SHA256-RSA2048\s+)[^\r\n]+")
_LABELLED = re.compile(
    r"(?i)\b((?:api_?v[23]_?)?key|secret|password|passwd|pin|signature|sign|auth_code)"
    r"(\"?\s*[:=]\s*\"?|>)([^\s\",<&]+)"
)


def redact(text: str) -> str:
    """Return ``text`` with secrets masked (idempotent)."""
    text = _PEM.sub("-----REDACTED PEM-----", text)
    text = _AUTH.sub(r"\1***", text)
    text = _LABELLED.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return mask_codes_in(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(log_dir: Path | None, *, level: int = logging.INFO) -> None:
    """Log to stderr (when there is one: a windowed Windows build has none) and, when
    ``log_dir`` is given, to a rotating file there. Calling it again replaces its handlers."""
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "_pos_app", False)]:
        root.removeHandler(old)
        old.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()] if sys.stderr else []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir / "pos_app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
        )
    for h in handlers:
        h._pos_app = True  # type: ignore[attr-defined]
        h.setFormatter(fmt)
        h.addFilter(RedactingFilter())
        root.addHandler(h)
