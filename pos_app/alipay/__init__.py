"""Qt-free Alipay open-platform client (当面付): RSA2 signing, response verification in
public-key and public-key-certificate modes, the cashier's APIs, notifications, bills.

Layout: :mod:`.config` (merchant config), :mod:`.signing` (RSA2, keys), :mod:`.certs`
(certificate SNs), :mod:`.verifier` (exact-text response verification), :mod:`.client`
(APIs and the outcome rules), :mod:`.models`, :mod:`.amounts` (yuan ⇄ fen),
:mod:`.notify`, :mod:`.bill`, :mod:`.errors`.
"""

from pos_app.alipay.client import AlipayClient
from pos_app.alipay.config import AlipayConfig, load_alipay_config
from pos_app.alipay.errors import (
    AlipayError,
    ConfigError,
    ErrorKind,
    GatewayError,
    MalformedResponseError,
    RequestTimeoutError,
    ResponseValidationError,
    SignatureError,
    TransportError,
)
from pos_app.alipay.models import (
    Bill,
    BillRow,
    CancelAction,
    CancelResult,
    Notification,
    QrCode,
    RefundRecord,
    RefundResult,
    Trade,
    TradeStatus,
)

__all__ = [
    "AlipayClient",
    "AlipayConfig",
    "AlipayError",
    "Bill",
    "BillRow",
    "CancelAction",
    "CancelResult",
    "ConfigError",
    "ErrorKind",
    "GatewayError",
    "MalformedResponseError",
    "Notification",
    "QrCode",
    "RefundRecord",
    "RefundResult",
    "RequestTimeoutError",
    "ResponseValidationError",
    "SignatureError",
    "Trade",
    "TradeStatus",
    "TransportError",
    "load_alipay_config",
]
