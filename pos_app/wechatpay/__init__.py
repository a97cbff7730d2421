"""wechatpay package."""
