"""The hub's storage: every SQL statement of the hub lives here (SQLAlchemy Core).

One :class:`HubStore` over an engine (SQLite or PostgreSQL, see :mod:`pos_app.hub.db`).
Each public method is one transaction. Transactions that read-then-write take a lock first:
``BEGIN IMMEDIATE`` on SQLite (db.py), ``SELECT … FOR UPDATE`` of the till or order row on
PostgreSQL, so two tills can never both reserve the same refundable money and two uploads of
the same till never interleave.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, func, insert, select, update

from pos_app.domain.clock import SHOP_TZ
from pos_app.hub import protocol
from pos_app.hub import schema as t
from pos_app.hub.protocol import Batch, OutboxRow, ProtocolError, canonical_json, parse_timestamp

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_TTL = timedelta(hours=24)
PAID_ORDER_STATES = ("paid", "refunded", "partially_refunded")
CLOSED_ORDER_STATES = ("cancelled", "closed")
ALIPAY_PAID_EVENT = "ALIPAY.PAID"  # an Alipay notification that says "paid" (alipay_notify.py)


def latest_master(kind: str, key: str) -> Select[str | None]:
    """The data of the newest master version of one product or staff member (the lookup
    of every product/staff row a till uploads; index ``ix_master_kind_key_version``)."""
    return (select(t.master.c.data)
            .where(and_(t.master.c.kind == kind, t.master.c.key == key))
            .order_by(t.master.c.version.desc()).limit(1))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def secret_hash(secret: str) -> str:
    """SHA-256 of a high-entropy secret (codes and tokens are random, not passwords)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def shop_day_hour(committed_at: str) -> tuple[str, int]:
    local = parse_timestamp("committed_at", committed_at).astimezone(SHOP_TZ)
    return local.date().isoformat(), local.hour


@dataclass(frozen=True)
class Till:
    till_id: str
    name: str
    revoked: bool
    high_seq: int
    backlog: int
    last_seen_at: str | None


@dataclass(frozen=True)
class Reservation:
    reserved_fen: int
    remaining_fen: int


@dataclass(frozen=True)
class PaidAttempt:
    till_id: str
    order_id: str
    out_trade_no: str
    amount_fen: int


class HubStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pg = engine.dialect.name == "postgresql"

    # -- locking helper -------------------------------------------------------------------
    def _lock(self, stmt: Any) -> Any:
        return stmt.with_for_update() if self._pg else stmt

    # -- enrolment ------------------------------------------------------------------------
    def create_enrol_code(self, ttl: timedelta = CODE_TTL) -> str:
        code = "-".join(
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4)
        )
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                insert(t.enrol_codes).values(
                    code_hash=secret_hash(code),
                    created_at=now.isoformat(timespec="seconds"),
                    expires_at=(now + ttl).isoformat(timespec="seconds"),
                )
            )
        return code

    def enrol(self, code: str, name: str) -> tuple[str, str]:
        """Spend a one-time code; return ``(till_id, token)``. The token is never stored."""
        code = code.strip().upper()
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(
                self._lock(select(t.enrol_codes).where(t.enrol_codes.c.code_hash == secret_hash(code)))
            ).first()
            if row is None or row.used_at is not None:
                raise ProtocolError("enrol_code_invalid", "unknown or already used code", 403)
            if datetime.fromisoformat(row.expires_at) < now:
                raise ProtocolError("enrol_code_invalid", "code expired", 403)
            conn.execute(
                update(t.enrol_codes)
                .where(t.enrol_codes.c.code_hash == row.code_hash)
                .values(used_at=now.isoformat(timespec="seconds"))
            )
            till_id = "T" + secrets.token_hex(6).upper()
            token = secrets.token_urlsafe(32)
            conn.execute(
                insert(t.tills).values(
                    till_id=till_id, name=name[:200], token_hash=secret_hash(token),
                    revoked=False, high_seq=0, backlog=0,
                    enrolled_at=now.isoformat(timespec="seconds"),
                )
            )
        return till_id, token

    def authenticate(self, till_id: str, token: str) -> Till:
        with self.engine.begin() as conn:
            row = conn.execute(select(t.tills).where(t.tills.c.till_id == till_id)).first()
        if row is None or not secrets.compare_digest(row.token_hash, secret_hash(token)):
            raise ProtocolError("unauthorized", "unknown till or wrong credential", 401)
        if row.revoked:
            raise ProtocolError("unauthorized", "till revoked", 401)
        return _till(row)

    def revoke(self, till_id: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t.tills).where(t.tills.c.till_id == till_id).values(revoked=True)
            )
        return bool(result.rowcount)

    def tills(self) -> list[Till]:
        with self.engine.begin() as conn:
            rows = conn.execute(select(t.tills).order_by(t.tills.c.name, t.tills.c.till_id))
            return [_till(r) for r in rows]

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, till_id: str, batch: Batch) -> int:
        """Store a validated batch in one transaction; return the till's high seq."""
        now = now_iso()
        with self.engine.begin() as conn:
            till = conn.execute(
                self._lock(select(t.tills).where(t.tills.c.till_id == till_id))
            ).first()
            if till is None or till.revoked:
                raise ProtocolError("unauthorized", "unknown or revoked till", 401)
            high = int(till.high_seq)
            rows = batch.rows
            if rows:
                held = {
                    r.seq: r
                    for r in conn.execute(
                        select(t.outbox_rows).where(
                            and_(
                                t.outbox_rows.c.till_id == till_id,
                                t.outbox_rows.c.seq >= rows[0].seq,
                                t.outbox_rows.c.seq <= min(rows[-1].seq, high),
                            )
                        )
                    )
                }
                for row in rows:
                    if row.seq > high:
                        break
                    old = held.get(row.seq)
                    if old is None or (old.kind, old.payload, old.committed_at) != (
                        row.kind, row.canonical(), row.committed_at,
                    ):
                        raise ProtocolError(
                            "replay_conflict",
                            f"seq {row.seq} is already held with different content",
                            409,
                        )
                new = [r for r in rows if r.seq > high]
                if new and new[0].seq != high + 1:
                    raise ProtocolError(
                        "gap", f"seq {new[0].seq} but the hub holds up to {high}", 409
                    )
                if new:
                    conn.execute(
                        insert(t.outbox_rows),
                        [
                            {
                                "till_id": till_id, "seq": r.seq, "kind": r.kind,
                                "payload": r.canonical(), "committed_at": r.committed_at,
                                "received_at": now,
                            }
                            for r in new
                        ],
                    )
                    for r in new:
                        self._project(conn, till_id, r)
                    high = new[-1].seq
            conn.execute(
                update(t.tills)
                .where(t.tills.c.till_id == till_id)
                .values(high_seq=high, backlog=batch.backlog, last_seen_at=now)
            )
        return high

    def _upsert(self, conn: Connection, table: Any, keys: dict[str, Any], values: dict[str, Any]) -> None:
        where = and_(*(table.c[k] == v for k, v in keys.items()))
        if conn.execute(update(table).where(where).values(**values)).rowcount == 0:
            conn.execute(insert(table).values(**keys, **values))

    def _project(self, conn: Connection, till_id: str, row: OutboxRow) -> None:
        """Keep the current-state tables (what reports read) in step with the rows."""
        if row.kind == "staff":
            self._staff_from_till(conn, till_id, row.payload)
            return
        p = row.payload
        day, hour = shop_day_hour(row.committed_at)
        if row.kind == "order":
            self._upsert(
                conn, t.orders, {"till_id": till_id, "order_id": p["order_id"]},
                {"status": p["status"], "total_fen": p["total_fen"], "cashier": p["cashier"],
                 "day": day, "hour": hour},
            )
        elif row.kind == "order_line":
            self._upsert(
                conn, t.order_lines,
                {"till_id": till_id, "order_id": p["order_id"], "line_no": p["line_no"]},
                {"sku": p["sku"], "name": p["name"], "qty": p["qty"], "amount_fen": p["amount_fen"]},
            )
        elif row.kind == "payment_attempt":
            self._upsert(
                conn, t.payments, {"till_id": till_id, "attempt_id": p["attempt_id"]},
                {"order_id": p["order_id"], "out_trade_no": p["out_trade_no"],
                 "method": p["method"], "amount_fen": p["amount_fen"], "state": p["state"],
                 "day": day, "hour": hour},
            )
        elif row.kind == "attempt_event":
            conn.execute(
                update(t.payments)
                .where(and_(t.payments.c.till_id == till_id,
                            t.payments.c.attempt_id == p["attempt_id"]))
                .values(state=p["state"], day=day, hour=hour)
            )
        elif row.kind == "refund":
            self._upsert(
                conn, t.refunds, {"till_id": till_id, "refund_id": p["refund_id"]},
                {"order_till": p["order_till"], "order_id": p["order_id"],
                 "amount_fen": p["amount_fen"], "state": p["state"], "cashier": p["cashier"],
                 "day": day},
            )
        elif row.kind == "refund_event":
            conn.execute(
                update(t.refunds)
                .where(and_(t.refunds.c.till_id == till_id, t.refunds.c.refund_id == p["refund_id"]))
                .values(state=p["state"])
            )
        elif row.kind == "product":
            self._product_from_till(conn, till_id, p)
        # shift, cash_movement, audit: kept as rows (outbox_rows) only

    def _product_from_till(self, conn: Connection, till_id: str, payload: dict[str, Any]) -> None:
        """A product added or edited at a till becomes the store's master data (a new
        version, so every other till gets it with its next pull).

        Conflicts: the last writer in the hub's ingest order wins (tills' clocks are never
        compared; ``committed_at`` is not used). A product a till had before it enrolled
        (``at_enrolment``) only fills in a SKU the hub has never held: the hub's version
        wins, and the till gets it with its first pull. Echo guard: an edit identical to
        what the master data holds for that SKU (two tills making the same edit, a deletion
        of a product the hub does not have) adds no version."""
        data = protocol.product_master_data(payload)
        sku = payload["sku"]
        held = conn.execute(latest_master("product", sku)).first()
        if held is not None and payload["at_enrolment"]:
            return
        new = None if data is None else canonical_json(data)
        if (held.data if held is not None else None) == new:
            return
        version = self._bump(conn, "master_version", 1)
        conn.execute(insert(t.master).values(version=version, kind="product", key=sku,
                                             data=new, changed_by=till_id))

    def outbox_count(self, till_id: str | None = None) -> int:
        stmt = select(func.count()).select_from(t.outbox_rows)
        if till_id is not None:
            stmt = stmt.where(t.outbox_rows.c.till_id == till_id)
        with self.engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    # -- master data ----------------------------------------------------------------------
    def put_master(
        self, changes: Sequence[tuple[str, str, dict[str, Any] | None]], changed_by: str
    ) -> int:
        with self.engine.begin() as conn:
            version = self._bump(conn, "master_version", len(changes))
            first = version - len(changes) + 1
            if changes:
                conn.execute(
                    insert(t.master),
                    [
                        {"version": first + i, "kind": kind, "key": key,
                         "data": None if data is None else canonical_json(data),
                         "changed_by": changed_by}
                        for i, (kind, key, data) in enumerate(changes)
                    ],
                )
        return version

    def master_since(self, since: int) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.begin() as conn:
            version = self._meta(conn, "master_version")
            rows = conn.execute(
                select(t.master).where(t.master.c.version > since).order_by(t.master.c.version)
            )
            changes = [
                {"version": int(r.version), "kind": r.kind, "key": r.key,
                 "data": None if r.data is None else json.loads(r.data)}
                for r in rows
            ]
        return version, changes

    def _meta(self, conn: Connection, name: str) -> int:
        value = conn.execute(select(t.meta.c.value).where(t.meta.c.name == name)).scalar()
        return int(value or 0)

    def _bump(self, conn: Connection, name: str, by: int) -> int:
        row = conn.execute(self._lock(select(t.meta.c.value).where(t.meta.c.name == name))).first()
        if row is None:
            conn.execute(insert(t.meta).values(name=name, value=by))
            return by
        conn.execute(update(t.meta).where(t.meta.c.name == name).values(value=row.value + by))
        return int(row.value) + by

    # -- refunds across tills -------------------------------------------------------------
    def reserve_refund(
        self, requested_by: str, order_till: str, order_id: str, refund_id: str, amount_fen: int
    ) -> Reservation:
        if amount_fen <= 0:
            raise ProtocolError("malformed", "amount_fen must be > 0")
        with self.engine.begin() as conn:
            order = conn.execute(
                self._lock(select(t.orders).where(
                    and_(t.orders.c.till_id == order_till, t.orders.c.order_id == order_id)
                ))
            ).first()
            if order is None:
                raise ProtocolError("order_unknown", "the hub holds no such order (not synced?)", 404)
            existing = conn.execute(
                select(t.refund_reservations).where(t.refund_reservations.c.refund_id == refund_id)
            ).first()
            paid = self._paid_for_order(conn, order_till, order_id)
            reserved = self._reserved_for_order(conn, order_till, order_id)
            if existing is not None:
                if (existing.order_till, existing.order_id, existing.amount_fen) != (
                    order_till, order_id, amount_fen,
                ) or existing.released:
                    raise ProtocolError("replay_conflict", "refund id already used differently", 409)
                return Reservation(amount_fen, paid - reserved)
            if amount_fen > paid - reserved:
                raise ProtocolError(
                    "refund_exceeds_paid",
                    f"asked {amount_fen} fen, refundable {paid - reserved} fen",
                    409,
                )
            conn.execute(
                insert(t.refund_reservations).values(
                    refund_id=refund_id, order_till=order_till, order_id=order_id,
                    amount_fen=amount_fen, requested_by=requested_by, released=False,
                    created_at=now_iso(),
                )
            )
        return Reservation(amount_fen, paid - reserved - amount_fen)

    def release_refund(self, requested_by: str, refund_id: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t.refund_reservations)
                .where(and_(t.refund_reservations.c.refund_id == refund_id,
                            t.refund_reservations.c.requested_by == requested_by))
                .values(released=True)
            )
        return bool(result.rowcount)

    def _paid_for_order(self, conn: Connection, till_id: str, order_id: str) -> int:
        return int(conn.execute(
            select(func.coalesce(func.sum(t.payments.c.amount_fen), 0)).where(
                and_(t.payments.c.till_id == till_id, t.payments.c.order_id == order_id,
                     t.payments.c.state == "paid")
            )
        ).scalar_one())

    def _reserved_for_order(self, conn: Connection, till_id: str, order_id: str) -> int:
        """Money held by live reservations, plus refunds a till made without one (the owning
        till refunds its own sales while the hub is down) that were not closed."""
        rr, r = t.refund_reservations, t.refunds
        reserved = conn.execute(
            select(func.coalesce(func.sum(rr.c.amount_fen), 0)).where(
                and_(rr.c.order_till == till_id, rr.c.order_id == order_id,
                     rr.c.released.is_(False))
            )
        ).scalar_one()
        unreserved = conn.execute(
            select(func.coalesce(func.sum(r.c.amount_fen), 0)).where(
                and_(r.c.order_till == till_id, r.c.order_id == order_id,
                     r.c.state != "closed",
                     r.c.refund_id.not_in(select(rr.c.refund_id)))
            )
        ).scalar_one()
        return int(reserved) + int(unreserved)

    # -- reports --------------------------------------------------------------------------
    def takings(self, day: str) -> dict[str, Any]:
        """Paid takings and refunds of one shop-local day, and their breakdowns."""
        p, o, ln, r = t.payments, t.orders, t.order_lines, t.refunds
        paid_on_day = and_(p.c.state == "paid", p.c.day == day)
        with self.engine.begin() as conn:
            total = conn.execute(
                select(func.coalesce(func.sum(p.c.amount_fen), 0), func.count()).where(paid_on_day)
            ).one()
            refunded = conn.execute(
                select(func.coalesce(func.sum(r.c.amount_fen), 0)).where(
                    and_(r.c.state == "success", r.c.day == day)
                )
            ).scalar_one()
            by_hour = conn.execute(
                select(p.c.hour, func.sum(p.c.amount_fen)).where(paid_on_day)
                .group_by(p.c.hour).order_by(p.c.hour)
            ).all()
            by_till = conn.execute(
                select(p.c.till_id, func.coalesce(t.tills.c.name, p.c.till_id),
                       func.sum(p.c.amount_fen), func.count())
                .select_from(p.outerjoin(t.tills, t.tills.c.till_id == p.c.till_id))
                .where(paid_on_day).group_by(p.c.till_id, t.tills.c.name).order_by(p.c.till_id)
            ).all()
            by_cashier = conn.execute(
                select(o.c.cashier, func.sum(p.c.amount_fen), func.count())
                .select_from(p.join(o, and_(o.c.till_id == p.c.till_id,
                                            o.c.order_id == p.c.order_id)))
                .where(paid_on_day).group_by(o.c.cashier).order_by(o.c.cashier)
            ).all()
            by_product = conn.execute(
                select(ln.c.sku, func.max(ln.c.name), func.sum(ln.c.qty), func.sum(ln.c.amount_fen))
                .select_from(ln.join(o, and_(o.c.till_id == ln.c.till_id,
                                             o.c.order_id == ln.c.order_id)))
                .where(and_(o.c.day == day, o.c.status.in_(PAID_ORDER_STATES)))
                .group_by(ln.c.sku).order_by(func.sum(ln.c.amount_fen).desc(), ln.c.sku)
            ).all()
        return {
            "day": day,
            "takings_fen": int(total[0]),
            "payments": int(total[1]),
            "refunded_fen": int(refunded),
            "by_hour": {int(h): int(a) for h, a in by_hour},
            "by_till": [
                {"till_id": tid, "name": name, "amount_fen": int(a), "payments": int(n)}
                for tid, name, a, n in by_till
            ],
            "by_cashier": [
                {"cashier": c, "amount_fen": int(a), "payments": int(n)} for c, a, n in by_cashier
            ],
            "by_product": [
                {"sku": s, "name": name, "qty": int(q), "amount_fen": int(a)}
                for s, name, q, a in by_product
            ],
        }

    def days(self, first: str, last: str) -> list[tuple[str, int]]:
        p = t.payments
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(p.c.day, func.sum(p.c.amount_fen))
                .where(and_(p.c.state == "paid", p.c.day >= first, p.c.day <= last))
                .group_by(p.c.day).order_by(p.c.day)
            ).all()
        return [(d, int(a)) for d, a in rows]

    # -- WeChat Pay notifications and flags -----------------------------------------------
    def record_notification(
        self, notification_id: str, event_type: str, out_trade_no: str,
        amount_fen: int | None, trade_state: str,
    ) -> bool:
        """Durably note a verified callback; False when it was already held (a retry)."""
        with self.engine.begin() as conn:
            held = conn.execute(
                select(t.notifications.c.notification_id)
                .where(t.notifications.c.notification_id == notification_id)
            ).first()
            if held is not None:
                return False
            conn.execute(insert(t.notifications).values(
                notification_id=notification_id, event_type=event_type,
                out_trade_no=out_trade_no, amount_fen=amount_fen, trade_state=trade_state,
                received_at=now_iso(), processed=False,
            ))
        return True

    def process_notifications(self) -> int:
        """Check every unprocessed callback against the recorded order; raise flags."""
        n = 0
        with self.engine.begin() as conn:
            pending = conn.execute(
                self._lock(select(t.notifications).where(t.notifications.c.processed.is_(False)))
            ).all()
            for note in pending:
                if ((note.event_type.startswith("TRANSACTION.") and note.trade_state == "SUCCESS")
                        or note.event_type == ALIPAY_PAID_EVENT):
                    self._check_payment(conn, note)
                conn.execute(
                    update(t.notifications)
                    .where(t.notifications.c.notification_id == note.notification_id)
                    .values(processed=True)
                )
                n += 1
        return n

    def _check_payment(self, conn: Connection, note: Any) -> None:
        p, o = t.payments, t.orders
        row = conn.execute(
            select(p.c.till_id, p.c.order_id, p.c.amount_fen, p.c.state, o.c.status)
            .select_from(p.outerjoin(o, and_(o.c.till_id == p.c.till_id,
                                             o.c.order_id == p.c.order_id)))
            .where(p.c.out_trade_no == note.out_trade_no)
        ).first()
        flag: tuple[str, str] | None = None
        channel = "Alipay" if note.event_type.startswith("ALIPAY.") else "WeChat Pay"
        if row is None:
            flag = ("unknown_payment", f"paid at {channel}, not (yet) synced from any till")
        elif note.amount_fen != row.amount_fen:
            flag = ("amount_mismatch", f"{channel} {note.amount_fen} fen, till {row.amount_fen} fen")
        elif row.status in CLOSED_ORDER_STATES or row.state in ("closed", "cancelled", "failed"):
            flag = ("late_payment", f"paid after the till {row.status or row.state} the order")
        if flag is None:
            return
        exists = conn.execute(
            select(t.flags.c.id).where(and_(t.flags.c.kind == flag[0],
                                            t.flags.c.out_trade_no == note.out_trade_no))
        ).first()
        if exists is None:
            conn.execute(insert(t.flags).values(
                kind=flag[0], till_id=row.till_id if row else None,
                order_id=row.order_id if row else None, out_trade_no=note.out_trade_no,
                amount_fen=note.amount_fen, detail=flag[1], created_at=now_iso(),
            ))

    def recheck_unknown_payments(self) -> None:
        """After a till syncs: an ``unknown_payment`` whose order has now arrived is re-judged."""
        with self.engine.begin() as conn:
            stale = conn.execute(
                select(t.flags.c.out_trade_no).where(t.flags.c.kind == "unknown_payment")
            ).scalars().all()
            for trade in stale:
                if conn.execute(select(t.payments.c.attempt_id).where(
                        t.payments.c.out_trade_no == trade)).first() is None:
                    continue
                conn.execute(t.flags.delete().where(and_(t.flags.c.kind == "unknown_payment",
                                                         t.flags.c.out_trade_no == trade)))
                conn.execute(update(t.notifications)
                             .where(t.notifications.c.out_trade_no == trade)
                             .values(processed=False))
        self.process_notifications()

    def flags_since(self, since: int) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(t.flags).where(t.flags.c.id > since).order_by(t.flags.c.id)
            ).all()
            last = conn.execute(select(func.coalesce(func.max(t.flags.c.id), 0))).scalar_one()
        return int(last), [
            {"id": int(r.id), "kind": r.kind, "till_id": r.till_id, "order_id": r.order_id,
             "out_trade_no": r.out_trade_no, "amount_fen": r.amount_fen, "detail": r.detail,
             "created_at": r.created_at}
            for r in rows
        ]

    # -- reconciliation -------------------------------------------------------------------
    def paid_attempts(self, day: str | None = None) -> list[PaidAttempt]:
        p = t.payments
        stmt = select(p.c.till_id, p.c.order_id, p.c.out_trade_no, p.c.amount_fen).where(
            and_(p.c.state == "paid", p.c.method == "wechat")
        )
        if day is not None:
            stmt = stmt.where(p.c.day == day)
        with self.engine.begin() as conn:
            return [PaidAttempt(a, b, c, int(d)) for a, b, c, d in conn.execute(stmt)]

    def save_reconciliation(self, bill_date: str, result: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(t.reconciliations).values(
                bill_date=bill_date, created_at=now_iso(), result=canonical_json(result)
            ))

    def reconciliations(self, limit: int = 5) -> list[dict[str, Any]]:
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(t.reconciliations).order_by(t.reconciliations.c.id.desc()).limit(limit)
            ).all()
        return [{"bill_date": r.bill_date, "created_at": r.created_at, **json.loads(r.result)}
                for r in rows]

    # -- staff (master data kind "staff", keyed by name) ----------------------------------
    #: the id of the shop's PIN pepper (pos_app.hub.shop_pepper): a staff row from a till
    #: brings its PIN hash into the master data only when made with that pepper
    shop_pepper_id: str | None = None

    def _staff_held(self, conn: Connection, name: str) -> tuple[str | None, dict[str, Any] | None]:
        row = conn.execute(latest_master("staff", name)).first()
        if row is None or row.data is None:
            return None, None
        return str(row.data), json.loads(row.data)

    def _put_staff(self, conn: Connection, data: dict[str, Any], changed_by: str) -> int | None:
        """Record ``data`` as the staff member's master data; None (no new version) when
        the hub holds it already as it is (an echo, a re-send, an identical edit)."""
        self._bump(conn, "master_version", 0)     # lock first: two tills at once, one by one
        held, _ = self._staff_held(conn, data["name"])
        new = canonical_json(data)
        if held == new:
            return None
        version = self._bump(conn, "master_version", 1)
        conn.execute(insert(t.master).values(version=version, kind="staff", key=data["name"],
                                             data=new, changed_by=changed_by))
        return version

    def _staff_from_till(self, conn: Connection, till_id: str, payload: dict[str, Any]) -> None:
        """A staff member added or edited at a till becomes the store's master data (every
        other till gets it with its next pull); the last writer in ingest order wins. The
        PIN hash is taken only when made with the shop's pepper; else the hub's is kept."""
        from pos_app.domain.pin_hash import is_shop_hash

        self._bump(conn, "master_version", 0)     # lock before reading what is held
        _, held = self._staff_held(conn, payload["name"])
        pin_hash = payload["pin_hash"]
        if not (self.shop_pepper_id and is_shop_hash(pin_hash, self.shop_pepper_id)):
            pin_hash = held["pin_hash"] if held is not None else ""
        self._put_staff(conn, {"user_id": payload["name"], "name": payload["name"],
                               "role": payload["role"], "pin_hash": pin_hash,
                               "active": payload["active"]}, till_id)

    def set_staff(self, name: str, *, role: str | None, pin_hash: str | None,
                  active: bool | None = None, changed_by: str = "hub admin") -> int | None:
        """The hub's admin adds or edits a staff member (``None``: keep what is held; a new
        member needs ``role``). Returns the new master version, None when nothing changed."""
        with self.engine.begin() as conn:
            self._bump(conn, "master_version", 0)          # lock: one writer at a time
            _, held = self._staff_held(conn, name)
            if held is None and role is None:
                raise KeyError(name)
            data = {"user_id": name, "name": name,
                    "role": role if role is not None else held["role"],  # type: ignore[index]
                    "pin_hash": pin_hash if pin_hash is not None
                    else (held["pin_hash"] if held else ""),
                    "active": active if active is not None
                    else (bool(held["active"]) if held else True)}
            return self._put_staff(conn, data, changed_by)

    def staff(self) -> list[dict[str, Any]]:
        """Every staff member's current master data, by name."""
        with self.engine.begin() as conn:
            latest = (select(t.master.c.key, func.max(t.master.c.version).label("v"))
                      .where(t.master.c.kind == "staff").group_by(t.master.c.key).subquery())
            rows = conn.execute(
                select(t.master.c.key, t.master.c.data)
                .join(latest, t.master.c.version == latest.c.v).order_by(t.master.c.key)
            ).all()
        return [json.loads(r.data) for r in rows if r.data is not None]


def _till(row: Any) -> Till:
    return Till(row.till_id, row.name, bool(row.revoked), int(row.high_seq), int(row.backlog),
                row.last_seen_at)


def chunks(rows: Iterable[OutboxRow], size: int) -> list[list[OutboxRow]]:
    out: list[list[OutboxRow]] = []
    for row in rows:
        if not out or len(out[-1]) >= size:
            out.append([])
        out[-1].append(row)
    return out
