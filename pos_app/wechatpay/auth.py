"""``WechatPayAuth``: an :class:`httpx.Auth` that signs requests and verifies responses.

httpx reads the request body before :meth:`auth_flow` runs and the response body before
control returns to it (``requires_request_body`` / ``requires_response_body``), so the
signature covers exactly the bytes on the wire and every 2xx answer — including an empty
204 — is verified over its raw body before the client sees it, as is every error answer
that carries a signature. A verification failure is
raised as :class:`SignatureError` out of ``httpx.Client.send``.
"""

from __future__ import annotations

import platform
from collections.abc import Generator

import httpx

from pos_app import __version__
from pos_app.wechatpay.errors import SignatureError
from pos_app.wechatpay.signer import Signer
from pos_app.wechatpay.verifier import ResponseValidator

#: Responses WeChat Pay does not sign (checked another way: the bill's SHA1 hash).
UNSIGNED_RESPONSE_PATHS = frozenset({"/v3/billdownload/file"})

USER_AGENT = (
    f"pos_app/{__version__} ({platform.system() or 'unknown'}) Python/{platform.python_version()}"
)


class WechatPayAuth(httpx.Auth):
    """Signs with ``signer``; verifies 2xx responses with ``validator`` (``None``: sign only)."""

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        signer: Signer,
        validator: ResponseValidator | None,
        *,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.signer = signer
        self.validator = validator
        self.user_agent = user_agent

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.prepare(request)
        response = yield request
        self.check_response(request, response)

    def prepare(self, request: httpx.Request) -> None:
        """Sign ``request`` and set the headers WeChat Pay requires."""
        path = request.url.path
        canonical_url = request.url.raw_path.decode("ascii")  # escaped path + ?query as sent
        request.headers["Authorization"] = self.signer.authorization(
            request.method, canonical_url, request.content
        )
        request.headers["Accept"] = "*/*" if path in UNSIGNED_RESPONSE_PATHS else "application/json"
        request.headers["Content-Type"] = "application/json"
        request.headers["User-Agent"] = self.user_agent
        serial = self.validator.verifier.accept_serial if self.validator else None
        if serial:
            request.headers["Wechatpay-Serial"] = serial

    def check_response(self, request: httpx.Request, response: httpx.Response) -> None:
        """Verify a (fully read) response; raise :class:`SignatureError` if untrusted."""
        path = request.url.path
        # Every 2xx must be signed. An error answer that carries a signature is verified
        # too: a refusal we cannot trust must not be taken as "nothing was charged".
        signed_error = not response.is_success and "Wechatpay-Signature" in response.headers
        if (
            self.validator is not None
            and (response.is_success or signed_error)
            and path not in UNSIGNED_RESPONSE_PATHS
        ):
            try:
                self.validator.validate(response.headers, response.content)
            except SignatureError as exc:
                rid = response.headers.get("Request-ID")
                where = f"{request.method} {path} → HTTP {response.status_code}"
                raise SignatureError(
                    f"{exc} [{where}{', Request-ID ' + rid if rid else ''}]"
                ) from exc
