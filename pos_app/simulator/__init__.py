"""Protocol-faithful local WeChat Pay simulator (tests, demo and training mode).

Modules: ``provision`` (first-start keys, merchant.json), ``keys`` (throw-away RSA keys
and certificates), ``scenarios`` (payment-code behaviours chosen by the auth code;
``auth_code_for``), ``engine`` (the protocol-neutral state machine, composed of
``store`` (SQLite, settling, views) + one module per resource: ``orders`` (Native),
``codepay`` (payment code, reverse), ``refunds``, ``bills``), ``records`` (records,
views, ``SimError``), ``faults`` (fault injection), ``server`` (APIv3 over HTTP on
loopback; ``SimulatorServer``, the ``pos-app simulator`` CLI), ``v3_bodies`` (APIv3 JSON
answers), ``v2``/``tls`` (APIv2 XML listener over mutual TLS).
Nothing is imported here so that importing the package stays cheap.
"""
