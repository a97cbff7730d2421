"""Bilingual (zh_CN / en) messages for the manager features."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Msg:
    """A user-facing message in both UI languages."""

    zh: str
    en: str

    def text(self, lang: str = "zh_CN") -> str:
        return self.zh if lang.startswith("zh") else self.en

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class ManagerError(Exception):
    """A refused manager action; ``msg`` is cashier-facing, nothing was changed."""

    def __init__(self, msg: Msg) -> None:
        self.msg = msg
        super().__init__(str(msg))
