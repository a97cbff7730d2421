"""``pos-app hub``: run the store hub, or administer it.

    pos-app hub [serve] [--data-dir D] [--config hub.toml] [--port N] [--no-tls]
    pos-app hub enrol-code     # one-time code + CA fingerprint for a new till (admin)
    pos-app hub tills          # list tills
    pos-app hub revoke TILL_ID

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
    return HubStore(engine)


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
                     ca_pem=tls.ca_cert.read_bytes() if tls else None)
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
                        choices=["serve", "enrol-code", "tills", "revoke"])
    parser.add_argument("till_id", nargs="?")
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
    if not ns.till_id:
        parser.error("revoke needs a till id")
    if not store.revoke(ns.till_id):
        print(f"no till {ns.till_id}", file=sys.stderr)
        return 1
    print(f"revoked {ns.till_id}")
    return 0
