"""WeChat Pay APIv2 (XML) for the payment-code flow: micropay, orderquery, reverse."""

from pos_app.wechatpay.v2.client import MicropayV2Client
from pos_app.wechatpay.v2.signing import sign_params, signed_xml, verify_sign
from pos_app.wechatpay.v2.xml import XmlError, parse_xml, to_xml

__all__ = [
    "MicropayV2Client",
    "XmlError",
    "parse_xml",
    "sign_params",
    "signed_xml",
    "to_xml",
    "verify_sign",
]
