"""The audit trail: who did what when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    """A row of ``audit_log`` (never PINs, keys or full auth codes in ``detail``)."""

    at: datetime
    actor: str
    action: str
    detail: Mapping[str, Any] = field(default_factory=dict)
