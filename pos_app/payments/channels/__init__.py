"""Payment channel adapters: each translates one provider's protocol into the neutral
vocabulary of :mod:`pos_app.payments.gateway` (and is the only place that knows the
provider's codes)."""
