"""One way for the core to say something to a person: a message key with parameters.

The Qt-free core never builds user-facing sentences. It returns :class:`Message`
values: a :class:`MessageKey` (a ``StrEnum`` member declared by the package that
emits it, e.g. ``PaymentText.PAID``) plus named parameters. The UI renders them
through Qt's translation files (English source text, ``zh_CN`` translation), so a
message reaches the cashier in the UI language or not at all.

Each key declares the parameters it needs (``MessageKey.params``); :func:`msg`
refuses a missing or unexpected one, so a rendered text is always complete.
Messages survive storage as JSON (:meth:`Message.to_json` / :meth:`Message.from_json`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar


class MessageKey(StrEnum):
    """Base of every package's key enum (values like ``"payment.paid"``)."""

    @property
    def params(self) -> tuple[str, ...]:
        """The parameter names this key needs (declared with :func:`register`)."""
        return _PARAMS.get(self.value, ())


_REGISTRY: dict[str, type[MessageKey]] = {}
_PARAMS: dict[str, tuple[str, ...]] = {}

K = TypeVar("K", bound=type[MessageKey])


def register(params: Mapping[str, tuple[str, ...]] | None = None) -> Callable[[K], K]:
    """Class decorator for a key enum: ``@register({"payment.change": ("change_fen",)})``.

    Makes the keys known to :meth:`Message.from_json` and to the test that checks every
    key renders in both languages; ``params`` maps a key's value to its parameter names
    (default: none). Key values are globally unique."""

    def deco(cls: K) -> K:
        values = {m.value for m in cls}
        unknown = set(params or {}) - values
        if unknown:
            raise ValueError(f"params for undeclared keys: {sorted(unknown)}")
        for value in values:
            owner = _REGISTRY.get(value)
            if owner is not None and owner is not cls:
                raise ValueError(f"message key {value!r} declared twice")
            _REGISTRY[value] = cls
            _PARAMS[value] = tuple((params or {}).get(value, ()))
        return cls

    return deco


def all_keys() -> list[MessageKey]:
    """Every registered key (import the emitting packages first)."""
    return [cls(value) for value, cls in sorted(_REGISTRY.items())]


ParamValue = str | int


@dataclass(frozen=True)
class Message:
    """A key plus its parameters (str or int; money is passed as int fen and named
    ``*_fen`` so the renderer formats it as ¥ yuan)."""

    key: MessageKey
    params: tuple[tuple[str, ParamValue], ...] = ()

    def param_dict(self) -> dict[str, ParamValue]:
        return dict(self.params)

    def to_json(self) -> str:
        return json.dumps({"k": self.key.value, "p": dict(self.params)}, ensure_ascii=False,
                          sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Message:
        """Inverse of :meth:`to_json`; raises ValueError for an unknown key."""
        data = json.loads(text)
        cls = _REGISTRY.get(data["k"])
        if cls is None:
            raise ValueError(f"unknown message key {data['k']!r}")
        return msg(cls(data["k"]), **data.get("p", {}))

    def __str__(self) -> str:  # for logs only, never for people
        args = ", ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.key.value}({args})"


def msg(key: MessageKey, **params: ParamValue) -> Message:
    """Build a message; the parameters must be exactly the key's declared ones."""
    expected = set(key.params)
    if set(params) != expected:
        raise ValueError(f"{key.value}: parameters {sorted(params)} != {sorted(expected)}")
    for name, value in params.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"{key.value}: parameter {name} must be str or int")
    return Message(key, tuple(sorted(params.items())))
