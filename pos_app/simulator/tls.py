"""Throw-away TLS material for the simulator's APIv2 HTTPS listener.

One test CA signs (a) a server certificate for ``127.0.0.1``/``localhost`` and (b) the
merchant API client certificate (``apiclient_cert.pem``) for the merchant's existing
RSA key (``apiclient_key.pem``), exactly like the real pair. Nothing here is a real
credential. Files already present and consistent are reused.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pos_app.simulator.keys import cert_pem, new_rsa_key, write_public, write_secret
from pos_app.wechatpay.crypto import private_key_pem

CA_CERT = "sim_ca.pem"
CA_KEY = "sim_ca_key.pem"
SERVER_CERT = "sim_server_cert.pem"
SERVER_KEY = "sim_server_key.pem"
# Not ``apiclient_cert.pem``: the provisioning code owns that (self-signed, its serial is
# merchant_serial_no). Ours is CA-issued for the same key and keeps the same serial.
CLIENT_CERT = "apiclient_cert_mtls.pem"


@dataclass(frozen=True)
class TlsMaterial:
    """Paths of the generated PEM files."""

    ca_cert_path: Path
    server_cert_path: Path
    server_key_path: Path
    client_cert_path: Path
    client_key_path: Path


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _validity(builder: x509.CertificateBuilder, years: int) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return builder.not_valid_before(now - dt.timedelta(days=1)).not_valid_after(
        now + dt.timedelta(days=365 * years)
    )


def _key_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _make_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("pos_app simulator test CA", "pos_app simulator")
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        _validity(x509.CertificateBuilder(), 10)
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    subject: x509.Name,
    *,
    server: bool,
    serial: int | None = None,
) -> x509.Certificate:
    builder = (
        _validity(x509.CertificateBuilder(), 5)
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(serial or x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(ca_key, hashes.SHA256())


def _load_rsa(path: Path) -> rsa.RSAPrivateKey | None:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def _cert_matches(cert_path: Path, key: rsa.RSAPrivateKey, ca_path: Path) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    except (OSError, ValueError):
        return False
    same_key = cert.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]
    return same_key and cert.issuer == ca.subject


def _serial_of(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        return x509.load_pem_x509_certificate(path.read_bytes()).serial_number
    except (OSError, ValueError):
        return None


def ensure_tls_material(
    directory: Path,
    *,
    mchid: str,
    merchant_key_path: Path | None = None,
    merchant_cert_path: Path | None = None,
) -> TlsMaterial:
    """Create (or reuse) CA, server and client certificates under ``directory``.

    The client certificate is issued for the key in ``merchant_key_path`` when it is
    an RSA key (otherwise a fresh key is written to ``apiclient_key.pem`` beside it),
    with the serial of ``merchant_cert_path`` when given (so it names the same
    merchant certificate serial the APIv3 requests use).
    """
    directory.mkdir(parents=True, exist_ok=True)
    ca_path, ca_key_path = directory / CA_CERT, directory / CA_KEY
    srv_cert, srv_key = directory / SERVER_CERT, directory / SERVER_KEY
    client_cert = directory / CLIENT_CERT
    client_key_path = merchant_key_path or directory / "apiclient_key.pem"
    merchant_key = _load_rsa(client_key_path)
    if merchant_key is None:
        merchant_key = new_rsa_key()
        write_secret(client_key_path, private_key_pem(merchant_key))

    have_all = all(p.exists() for p in (ca_path, ca_key_path, srv_cert, srv_key, client_cert))
    if have_all and _cert_matches(client_cert, merchant_key, ca_path):
        return TlsMaterial(ca_path, srv_cert, srv_key, client_cert, client_key_path)

    ca_key, ca_cert = _make_ca()
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _leaf(
        ca_key, ca_cert, server_key.public_key(),
        _name("127.0.0.1", "pos_app simulator"), server=True,
    )
    mch_cert = _leaf(
        ca_key, ca_cert, merchant_key.public_key(),
        _name(mchid, "pos_app simulator merchant"), server=False,
        serial=_serial_of(merchant_cert_path),
    )
    write_secret(ca_key_path, _key_pem(ca_key))
    write_public(ca_path, cert_pem(ca_cert))
    write_secret(srv_key, _key_pem(server_key))
    write_public(srv_cert, cert_pem(server_cert))
    write_public(client_cert, cert_pem(mch_cert))
    return TlsMaterial(ca_path, srv_cert, srv_key, client_cert, client_key_path)


def server_ssl_context(material: TlsMaterial) -> ssl.SSLContext:
    """Server context: presents the server cert; client certificates OPTIONAL, checked
    against the test CA (routes under ``/secapi/`` then insist on one)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(material.server_cert_path), str(material.server_key_path))
    ctx.load_verify_locations(cafile=str(material.ca_cert_path))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx
