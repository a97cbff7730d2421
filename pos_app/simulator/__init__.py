"""Protocol-faithful local WeChat Pay simulator (tests, demo and training mode).

Modules: ``provision`` (first-start keys, merchant.json), ``keys`` (throw-away RSA keys
and certificates), ``scenarios`` (payment-code behaviours chosen by the auth code;
``auth_code_for``), ``engine`` (protocol-neutral state machine in SQLite), ``faults``
(fault injection), ``server`` (APIv3 over HTTP on loopback; ``SimulatorServer``, the
``pos-app simulator`` CLI), ``v2``/``tls`` (APIv2 XML listener over mutual TLS).
Nothing is imported here so that importing the package stays cheap.
"""
