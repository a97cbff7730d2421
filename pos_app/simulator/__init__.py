"""Protocol-faithful local WeChat Pay simulator (tests, demo and training mode).

Modules: ``provision`` (first-start keys, merchant.json), ``keys`` (throw-away RSA keys
and certificates), ``scenarios`` (payment-code behaviours chosen by the auth code;
``auth_code_for``), ``engine`` (the protocol-neutral state machine, composed of
``store`` (SQLite, settling, views) + one module per resource: ``orders`` (Native),
``codepay`` (payment code, reverse), ``refunds``, ``bills``), ``records`` (records,
views, ``SimError``), ``realism`` (how unkind it is, switch by switch), ``faults`` (fault injection),
``server`` (``SimulatorServer``: APIv3 over HTTP on loopback, the ``pos-app simulator``
CLI) made of ``v3_signing`` (request auth, answer signatures), ``v3_routes``,
``v3_replies`` (reply/error shapes), ``v3_bodies`` (JSON answers) and ``control`` (the
``/simulator/*`` API), ``listener`` (the bounded HTTP server under load), ``v2``/``tls``
(APIv2 XML listener over mutual TLS).
Nothing is imported here so that importing the package stays cheap.
"""
