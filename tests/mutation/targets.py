"""What the mutation sampler mutates, and which fast tests must kill each module's mutants.

One row per money module: ``(module path, test paths)``. The test paths are the fast tests
(unit + integration) that *should* notice a wrong line in that module; a mutant that only a
slow, UI or fault test would catch counts as a survivor on purpose. With ``--by-coverage``
each mutant first runs only the tests of its row that ran its lines (measured on
payments/till.py on a loaded 2-core box: the whole row 12–21 s, a mutant ~3 s on average),
so a row can stay the whole fast folder without making a full run slow.

Modules are being moved and renamed: edit this table when they do. A row whose module is
missing is skipped with a note (never an error); a test path that is missing is dropped
with a note. A module path may be a glob (``pos_app/storage/payment*.py``).
"""

from __future__ import annotations

DOMAIN = "tests/unit/domain"
PAYMENTS = "tests/unit/payments"
MANAGER = "tests/unit/manager"
STORAGE = "tests/unit/storage"
INTEGRATION = "tests/integration"
STATE_TABLES = "tests/unit/domain/test_state_tables.py"
# the manager tests per feature (the whole folder takes ~40 s; the PIN tests are slow)
M = "tests/unit/manager/"
M_REFUNDS = (M + "test_refunds.py", M + "test_refund_limits.py", M + "test_shop_store.py",
             M + "test_refund_properties.py", M + "test_refund_follow_rules.py",
             M + "test_shop_store_edges.py", M + "test_owed_refunds.py")
# test_report_counter.py: the discount, coupon and cash-movement figures of the X/Z (issue
# 10/16) through ShiftService, and the Z's hub warning (shifts.z_sync_warning): the natural
# tests of shifts.py/reports.py, missing before
M_SHIFTS = (M + "test_report_figures.py", M + "test_shifts_reports.py",
            M + "test_report_counter.py", M + "test_z_sync_warning.py",
            M + "test_shift_rules.py", M + "test_report_edges.py", M + "test_report_owed.py")
M_RECONCILE = (M + "test_reconcile.py", M + "test_reconcile_refusals.py",
               M + "test_e2e_simulator.py", M + "test_reconcile_channels.py",
               M + "test_reconcile_recovered.py")

TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # domain: the money types, the cart, the attempt and refund entities (state machines)
    ("pos_app/domain/money.py", (DOMAIN, STORAGE, PAYMENTS)),
    ("pos_app/domain/cart.py", (DOMAIN, STORAGE, PAYMENTS)),
    ("pos_app/domain/payment.py", (STATE_TABLES, PAYMENTS, STORAGE)),
    # the order's status rules (over-payment, refund owed, status after refunds) and its
    # discount figures (OrderDiscounts: the X/Z's discount lines)
    ("pos_app/domain/order.py", (DOMAIN, STORAGE, M + "test_report_counter.py",
                                 M + "test_report_figures.py")),
    ("pos_app/domain/refund.py", (STATE_TABLES, STORAGE, *M_REFUNDS)),
    # payments: workflow, till, policy, the WeChat Pay and Alipay adapters
    ("pos_app/payments/workflow.py", (PAYMENTS,)),
    ("pos_app/payments/till.py", (PAYMENTS,)),
    ("pos_app/payments/policy.py", (PAYMENTS,)),
    ("pos_app/payments/channels/wechat.py", (PAYMENTS, INTEGRATION)),
    ("pos_app/payments/channels/alipay.py", (PAYMENTS, INTEGRATION)),
    # manager: refunds, shifts, X/Z reports, reconciliation, the manager's store
    ("pos_app/manager/refunds.py", M_REFUNDS),
    ("pos_app/manager/shifts.py", M_SHIFTS),
    ("pos_app/manager/reports.py", M_SHIFTS),
    ("pos_app/manager/reconcile.py", M_RECONCILE),
    ("pos_app/manager/shop_store.py", (*M_REFUNDS, *M_SHIFTS, *M_RECONCILE, M + "test_pins.py")),
    # storage: the tables money lives in (storage tests alone must catch these)
    ("pos_app/storage/payments.py", (STORAGE,)),
    ("pos_app/storage/orders.py", (STORAGE,)),
    ("pos_app/storage/refunds.py", (STORAGE,)),
    ("pos_app/storage/shifts.py", (STORAGE,)),
)

#: Calls never dropped: test seams with no behaviour in the product (the kill points the
#: slow fault tests use; a no-op in production). Logging calls are never dropped either.
SEAM_CALLS: frozenset[str] = frozenset({"hook", "_hook", "fault_hook"})
