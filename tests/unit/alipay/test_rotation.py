"""Certificate mode: a rotated Alipay certificate is downloaded, chain-checked and adopted."""

from __future__ import annotations

import base64
import datetime as dt
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from pos_app.alipay import AlipayClient, SignatureError, load_alipay_config
from pos_app.alipay.certs import cert_sn
from pos_app.alipay.errors import UnknownCertificateError
from pos_app.alipay.rotation import root_certificates, trusted_key
from pos_app.simulator.alipay.scenarios import random_success_code
from pos_app.simulator.alipay.server import AlipaySimulatorServer
from tests.unit.alipay.conftest import new_no


def test_rotation_end_to_end(tmp_path: Path) -> None:
    sim = AlipaySimulatorServer(tmp_path / "s").start()
    try:
        with AlipayClient.from_config(load_alipay_config(sim.merchant_certmode_config_path)) as c:
            no = new_no()
            c.pay(out_trade_no=no, auth_code=random_success_code(), total_fen=100, subject="x")
            new_sn = sim.rotate_alipay_cert()
            trade = c.query(no)  # answered under the new SN: downloaded, checked, adopted
            assert trade is not None and trade.paid
            assert isinstance(c._keys, type(c._keys)) and c._keys.known(new_sn)  # type: ignore[attr-defined]
        # restart: the rotated certificate is still the one in use
        sim.stop()
        sim = AlipaySimulatorServer(tmp_path / "s").start()
        assert sim.identity.alipay_cert_sn == new_sn
    finally:
        sim.stop()


def test_rotation_needs_the_root_bundle(tmp_path: Path) -> None:
    sim = AlipaySimulatorServer(tmp_path / "s").start()
    try:
        cfg = load_alipay_config(sim.merchant_certmode_config_path)
        c = AlipayClient.from_config(cfg)
        c._root_certs = []  # nothing to chain to → never adopt
        sim.rotate_alipay_cert()
        with c, pytest.raises(UnknownCertificateError) as exc:
            c.query(new_no())
        assert exc.value.outcome_unknown
    finally:
        sim.stop()


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(subject: str, key: rsa.RSAPrivateKey, issuer: x509.Name, signer: rsa.RSAPrivateKey,
           *, days: tuple[int, int] = (-1, 30)) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0])).not_valid_after(now + dt.timedelta(days=days[1]))
        .sign(signer, hashes.SHA256())
    )


def _b64(*certs: x509.Certificate) -> str:
    return base64.b64encode(b"\n".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)).decode()


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ROOT = _issue("Root", KEY, _name("Root"), KEY)
MID = _issue("Class 2", KEY, ROOT.subject, KEY)
LEAF = _issue("Alipay", KEY, MID.subject, KEY)
NOW = time.time()


def test_trusted_key_accepts_a_chain_through_an_intermediate() -> None:
    assert trusted_key(_b64(LEAF, MID), cert_sn(LEAF), [ROOT], NOW) is not None


@pytest.mark.parametrize(
    ("content", "sn", "message"),
    [
        (_b64(LEAF), cert_sn(LEAF), "chain"),                    # intermediate missing
        (_b64(LEAF, MID), "0" * 32, "SN differs"),
        (_b64(_issue("Alipay", KEY, MID.subject, KEY, days=(-30, -1)), MID), None, "expired"),
        (_b64(_issue("Forged", KEY, _name("Forged"), rsa.generate_private_key(public_exponent=65537, key_size=2048))), None, "chain"),
        ("not base64!", cert_sn(LEAF), "not a certificate"),
        ("", cert_sn(LEAF), "missing"),
    ],
)
def test_trusted_key_refusals(content: str, sn: str | None, message: str) -> None:
    if sn is None:
        pem = base64.b64decode(content)
        sn = cert_sn(x509.load_pem_x509_certificate(pem))
    with pytest.raises(SignatureError, match=message):
        trusted_key(content, sn, [ROOT], NOW)


def test_root_certificates_skip_non_rsa(tmp_path: Path) -> None:
    from pos_app.simulator.alipay.provision import provision

    roots = root_certificates((provision(tmp_path / "s").state_dir / "alipayRootCert.crt").read_bytes())
    assert len(roots) == 1 and isinstance(roots[0].public_key(), rsa.RSAPublicKey)


def test_download_answer_must_verify_too(tmp_path: Path) -> None:
    sim = AlipaySimulatorServer(tmp_path / "s").start()
    try:
        with AlipayClient.from_config(load_alipay_config(sim.merchant_certmode_config_path)) as c:
            sim.rotate_alipay_cert()
            sim.inject("bad_signature", method="alipay.open.app.alipaycert.download")
            with pytest.raises(SignatureError):
                c.query(new_no())
            assert c.query(new_no()) is None  # next time the download verifies
    finally:
        sim.stop()
