"""A throw-away PostgreSQL cluster for the hub tests (Debian's ``postgresql`` package).

initdb runs as a non-root user (``postgres`` via runuser when we are root, as CI is), in a
temp dir that user owns, on a free 127.0.0.1 port; the cluster is stopped and removed after.
Missing binaries skip the PostgreSQL tests, unless ``POS_REQUIRE_PG=1`` (CI), then they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def pg_bin() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def pg_cluster() -> Iterator[str]:
    """Yield a superuser URL ``postgresql://hub@127.0.0.1:PORT/postgres``."""
    bindir = pg_bin()
    assert bindir is not None
    root = os.geteuid() == 0
    as_user: list[str] = ["runuser", "-u", "postgres", "--"] if root else []
    tmp = Path(tempfile.mkdtemp(prefix="pos-hub-pg-"))
    data = tmp / "data"
    try:
        if root:
            shutil.chown(tmp, "postgres", "postgres")
        os.chmod(tmp, 0o700)
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                        "-U", "hub", "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True)
        port = free_port()
        opts = (f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -F "
                "-c max_connections=60 -c shared_buffers=32MB")
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts,
                        "-l", str(tmp / "log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True)
        try:
            yield f"postgresql+psycopg://hub@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
