"""``pos-app hub``: run the store hub, or administer it.

    pos-app hub [serve] [--data-dir D] [--config hub.toml] [--port N] [--no-tls]
    pos-app hub enrol-code     # one-time code + CA fingerprint for a new till (admin)
    pos-app hub tills          # list tills
    pos-app hub revoke TILL_ID
    pos-app hub staff          # the shop's staff (master data): name, role, PIN set or not
    pos-app hub set-pin NAME [--role cashier|manager|admin]
                               # set a staff PIN (read from the terminal, or one line of
                               # stdin), hashed with the shop's pepper; --role adds or edits

``--port 0`` picks a free port; the port actually bound is written to ``<data dir>/hub.port``.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pos_app.hub.config import HubConfig, load_config
from pos_app.hub.db import make_engine, migrate
from pos_app.hub.shop_pepper import hub_shop_pepper
from pos_app.hub.store import HubStore
from pos_app.hub.tls import TlsFiles, ensure_tls

log = logging.getLogger("pos_app.hub")


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("pos-app")) / "hub"


def open_store(config: HubConfig) -> HubStore:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(config.data_dir, 0o700)
    engine = make_engine(config.database_url)
    migrate(engine)
    store = HubStore(engine)
    store.shop_pepper_id = hub_shop_pepper(config.data_dir).id
    return store


def serve(config: HubConfig) -> int:
    import uvicorn

    from pos_app.hub.alipay_notify import AlipayNotifyReceiver
    from pos_app.hub.app import create_app
    from pos_app.hub.notify import NotifyReceiver

    store = open_store(config)
    tls: TlsFiles | None = ensure_tls(config.data_dir / "tls", config.hostnames) if config.tls else None
    notify = NotifyReceiver(store, config.notify) if config.notify else None
    alipay = AlipayNotifyReceiver(store, config.alipay_notify) if config.alipay_notify else None
    app = create_app(store, notify=notify, alipay_notify=alipay,
                     ca_pem=tls.ca_cert.read_bytes() if tls else None,
                     shop_pepper=hub_shop_pepper(config.data_dir))
    sock = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    port = sock.getsockname()[1]
    (config.data_dir / "hub.port").write_text(f"{port}\n")
    scheme = "https" if tls else "http"
    log.info("hub listening on %s://%s:%d (%s)", scheme, config.host, port,
             store.engine.dialect.name)
    if tls:
        log.info("CA fingerprint (tills pin it at enrolment): %s", tls.fingerprint)
    server = uvicorn.Server(uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=2,
        ssl_certfile=str(tls.cert) if tls else None, ssl_keyfile=str(tls.key) if tls else None,
    ))
    server.run(sockets=[sock])
    return 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app hub", description="the store hub")
    parser.add_argument("command", nargs="?", default="serve",
                        choices=["serve", "enrol-code", "tills", "revoke", "staff", "set-pin"])
    parser.add_argument("till_id", nargs="?", help="revoke: the till; set-pin: the staff name")
    parser.add_argument("--role", choices=["cashier", "manager", "admin"], default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--config", type=Path, default=None, help="hub.toml")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--host", default=None)
    parser.add_argument("--no-tls", action="store_true")
    ns = parser.parse_args(list(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(ns.data_dir or default_data_dir(), ns.config)
    if ns.port is not None:
        config = replace(config, port=ns.port)
    if ns.host is not None:
        config = replace(config, host=ns.host)
    if ns.no_tls:
        config = replace(config, tls=False)
    if ns.command == "serve":
        return serve(config)
    store = open_store(config)
    if ns.command == "enrol-code":
        code = store.create_enrol_code()
        print(f"enrolment code (valid 24 h, once): {code}")
        if config.tls:
            print(f"hub CA fingerprint: {ensure_tls(config.data_dir / 'tls', config.hostnames).fingerprint}")
        return 0
    if ns.command == "tills":
        for till in store.tills():
            state = "revoked" if till.revoked else f"seq {till.high_seq}, backlog {till.backlog}"
            print(f"{till.till_id}  {till.name}  {state}  last seen {till.last_seen_at or '-'}")
        return 0
    if ns.command == "staff":
        for member in store.staff():
            pin = "PIN set" if member["pin_hash"] else "no PIN"
            state = "active" if member["active"] else "inactive"
            print(f"{member['name']}  {member['role']}  {state}  {pin}")
        return 0
    if ns.command == "set-pin":
        if not ns.till_id:
            parser.error("set-pin needs a staff name")
        return set_pin(config, store, ns.till_id.strip(), ns.role)
    if not ns.till_id:
        parser.error("revoke needs a till id")
    if not store.revoke(ns.till_id):
        print(f"no till {ns.till_id}", file=sys.stderr)
        return 1
    print(f"revoked {ns.till_id}")
    return 0


_PIN_RULES = {"length": "a PIN is 4 to 8 digits", "one_digit": "not all the same digit",
              "sequence": "not a run like 1234 or 9876"}


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def set_pin(config: HubConfig, store: HubStore, name: str, role: str | None) -> int:
    """Set ``name``'s PIN in the master data, hashed with the shop's pepper (the PIN is
    read, checked against the PIN rules, hashed; never printed, never logged)."""
    from pos_app.domain.pin_hash import hash_pin_shop, pin_rule_broken

    if not name or len(name) > 32:
        print("a staff name is 1 to 32 characters", file=sys.stderr)
        return 2
    if not config.tls:   # tills get the shop pepper over TLS only: they could not verify it
        print("shop-wide PINs need the hub's TLS (the tills get the shop's pepper over it);"
              " nothing changed", file=sys.stderr)
        return 2
    pin = _read_pin(f"PIN for {name}: ")
    if sys.stdin.isatty() and _read_pin("Repeat the PIN: ") != pin:
        print("the PINs differ; nothing changed", file=sys.stderr)
        return 2
    broken = pin_rule_broken(pin)
    if broken is not None:
        print(f"PIN refused: {_PIN_RULES[broken]}; nothing changed", file=sys.stderr)
        return 2
    try:
        version = store.set_staff(name, role=role,
                                  pin_hash=hash_pin_shop(pin, hub_shop_pepper(config.data_dir).value))
    except KeyError:
        print(f"no staff member {name}: give --role to add one", file=sys.stderr)
        return 1
    log.info("staff PIN set at the hub for %s", name)
    print(f"PIN set for {name} (master data version {version}); the tills get it at their next pull")
    return 0
