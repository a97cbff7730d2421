"""The WeChat channel built from a merchant configuration: the APIv2 client exists
exactly when the payment-code protocol needs it (issue 17, a survivor of the sampler)."""

from __future__ import annotations

import dataclasses

import pytest

from pos_app.payments.channels.wechat import WechatChannel
from pos_app.wechatpay.config import MerchantConfig
from pos_app.wechatpay.errors import ConfigError


def test_v2_client_only_when_the_protocol_needs_it(cfg: MerchantConfig) -> None:
    assert cfg.apiv2_key
    v3_only = WechatChannel.from_config(dataclasses.replace(cfg, codepay_protocol="v3"))
    assert v3_only.v2 is None and v3_only.protocol == "v3"
    for protocol in ("v2", "v3_with_v2_fallback"):
        channel = WechatChannel.from_config(dataclasses.replace(cfg, codepay_protocol=protocol))
        assert channel.v2 is not None and channel.protocol == protocol
    with pytest.raises(ConfigError):
        WechatChannel.from_config(dataclasses.replace(cfg, codepay_protocol="v2", apiv2_key=""))
