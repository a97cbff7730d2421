"""Moved to :mod:`pos_app.payments.channels.wechat` (re-export for other branches)."""
from pos_app.payments.channels.wechat import WechatGateway as WechatGateway
