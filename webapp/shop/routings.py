"""Routings: the operations of one work order edited as one table — validated as a whole
(every problem with its row and column, nothing written if there is one) and written in one
transaction (operations created, changed and deleted) — and the open work orders that have
no routing (they are not planned, and the pages say so).

A table row is a mapping with the keys of :data:`COLUMNS` plus ``id`` (``None`` for a new
operation); rows are numbered from 1 as the table shows them. An operation whose work center
or sequence changes loses its planner's pins (they tied it to neighbours it no longer has).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import pins as pin_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.shop_models import OPERATION_STATUSES, ShopPin
from webapp.errors import InputError, NotFound, Problem
from webapp.shop.catalog import as_input_error
from webapp.views import DeletionImpact

#: The routing table's columns: key -> the name problems use for it.
COLUMNS: dict[str, str] = {
    "sequence": "sequence",
    "name": "operation",
    "work_center": "work center",
    "norma": "norma (min)",
    "quantity": "quantity",
    "quantity_completed": "quantity done",
    "status": "status",
}
#: The statuses an operation can have.
STATUSES = OPERATION_STATUSES


@dataclass(frozen=True)
class RoutingSaved:
    """What saving a routing did: operations created, changed, deleted and pins released."""

    created: int
    updated: int
    deleted: int
    pins_released: int

    @property
    def unchanged(self) -> bool:
        """Nothing was created, changed or deleted (and nothing written)."""
        return not (self.created or self.updated or self.deleted)

    def describe(self) -> str:
        """``2 operations created, 1 changed, 0 deleted`` (+ pins released, when any)."""
        text = f"{self.created} operations created, {self.updated} changed, {self.deleted} deleted"
        return text + (f"; {self.pins_released} pins released" if self.pins_released else "")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _number(value: Any, row: int, key: str, problems: list[Problem], *, whole: bool) -> float | None:
    column = COLUMNS[key]
    if _blank(value):
        problems.append(Problem("a value is required", row, column))
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(Problem(f"'{value}' is not a number", row, column))
        return None
    if not math.isfinite(number) or (whole and number != int(number)):
        problems.append(Problem(f"{value} is not a whole number" if whole else f"{value} is not a number", row, column))
        return None
    return number


def _row_problems(k: int, row: Mapping[str, Any], codes: dict[str, bool], seen: dict[int, int]) -> list[Problem]:
    problems: list[Problem] = []
    seq = _number(row.get("sequence"), k, "sequence", problems, whole=True)
    if seq is not None:
        if seq < 1:
            problems.append(Problem("the sequence must be 1 or more", k, COLUMNS["sequence"]))
        elif int(seq) in seen:
            problems.append(Problem(f"sequence {int(seq)} is also on row {seen[int(seq)]}", k, COLUMNS["sequence"]))
        else:
            seen[int(seq)] = k
    code = "" if _blank(row.get("work_center")) else str(row["work_center"]).strip()
    if not code:
        problems.append(Problem("a work center is required", k, COLUMNS["work_center"]))
    elif code not in codes:
        problems.append(Problem(f"unknown work center '{code}'", k, COLUMNS["work_center"]))
    elif not codes[code]:
        problems.append(Problem(f"work center '{code}' is inactive", k, COLUMNS["work_center"]))
    norma = _number(row.get("norma"), k, "norma", problems, whole=False)
    if norma is not None and norma <= 0:
        problems.append(Problem("the norma must be more than 0 minutes", k, COLUMNS["norma"]))
    qty = _number(row.get("quantity"), k, "quantity", problems, whole=True)
    if qty is not None and qty < 1:
        problems.append(Problem("the quantity must be 1 or more", k, COLUMNS["quantity"]))
    done_raw = 0 if _blank(row.get("quantity_completed")) else row.get("quantity_completed")
    done = _number(done_raw, k, "quantity_completed", problems, whole=False)
    if done is not None and done < 0:
        problems.append(Problem("the quantity done must not be negative", k, COLUMNS["quantity_completed"]))
    elif done is not None and qty is not None and done > qty:
        problems.append(Problem(f"the quantity done ({done:g}) is more than the quantity ({qty:g})", k,
                                COLUMNS["quantity_completed"]))
    status = "pending" if _blank(row.get("status")) else str(row["status"])
    if status not in STATUSES:
        problems.append(Problem(f"unknown status '{status}' (one of {', '.join(STATUSES)})", k, COLUMNS["status"]))
    if len(str(row.get("name") or "")) > 500:
        problems.append(Problem("at most 500 characters", k, COLUMNS["name"]))
    return problems


def routing_problems(rows: Sequence[Mapping[str, Any]], work_centers: Mapping[str, bool]) -> list[Problem]:
    """Every problem of a routing table (rows numbered from 1): the sequence a whole number,
    1 or more and unique; the work center known and active (``work_centers``: code ->
    active); norma > 0; quantity a whole number ≥ 1; 0 ≤ quantity done ≤ quantity; a known
    status; a name of at most 500 characters."""
    seen: dict[int, int] = {}
    return [p for k, row in enumerate(rows, 1) for p in _row_problems(k, row, dict(work_centers), seen)]


def _values(row: Mapping[str, Any], wc_ids: dict[str, int]) -> dict[str, Any]:
    done = row.get("quantity_completed")
    return {
        "sequence": int(float(row["sequence"])),
        "name": "" if _blank(row.get("name")) else str(row["name"]).strip(),
        "work_center_id": wc_ids[str(row["work_center"]).strip()],
        "norma": float(row["norma"]),
        "quantity": int(float(row["quantity"])),
        "quantity_completed": 0.0 if _blank(done) else float(done),
        "status": "pending" if _blank(row.get("status")) else str(row["status"]),
    }


def _release_pins(session: Session, operation_ids: set[int]) -> int:
    if not operation_ids:
        return 0
    result = session.exec(sa.delete(ShopPin).where(sa.or_(
        col(ShopPin.before_operation_id).in_(operation_ids), col(ShopPin.after_operation_id).in_(operation_ids))))
    return int(result.rowcount or 0)


def save_routing(db: Db, *, user: Any, work_order_id: int, rows: Sequence[Mapping[str, Any]]) -> RoutingSaved:
    """Make the routing of work order ``work_order_id`` exactly ``rows``: rows with an ``id``
    change that operation, rows without one are new operations, operations of the order not
    in ``rows`` are deleted. Validated as a whole first; one transaction; nothing is written
    when ``rows`` are the stored routing (``RoutingSaved.unchanged``).

    Raises:
        InputError: every problem of :func:`routing_problems` (nothing is written).
        NotFound: the work order, or an ``id`` that is not one of its operations.
        PermissionDenied: a read-only user.
    """
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        work_order_repo.require_work_order(session, organisation_id=org_id, work_order_id=work_order_id)
        wcs = work_center_repo.list_work_centers(session, organisation_id=org_id)
        problems = routing_problems(rows, {w.code: w.is_active for w in wcs})
        if problems:
            raise InputError(problems)
        existing = {o.id: o for o in operation_repo.list_operations(
            session, organisation_id=org_id, work_order_id=work_order_id)}
        kept = {int(r["id"]) for r in rows if not _blank(r.get("id"))}
        if kept - set(existing):
            raise NotFound(f"operations {sorted(kept - set(existing))} are not in this work order")
        wc_ids = {w.code: w.id for w in wcs}
        updates = {int(r["id"]): _values(r, wc_ids) for r in rows if not _blank(r.get("id"))}
        if len(rows) == len(existing) == len(updates) and all(
                {k: getattr(existing[op_id], k) for k in values} == values for op_id, values in updates.items()):
            return RoutingSaved(created=0, updated=0, deleted=0, pins_released=0)
        changed_place = set()
        for op_id in set(existing) - kept:
            operation_repo.delete_operation(session, organisation_id=org_id, operation_id=op_id)
        for op_id, values in updates.items():  # free the sequences first: they may be swapped
            old = existing[op_id]
            if (old.sequence, old.work_center_id) != (values["sequence"], values["work_center_id"]):
                changed_place.add(op_id)
            operation_repo.update_operation(session, organisation_id=org_id, operation_id=op_id, sequence=-op_id)
        session.flush()
        updated = 0
        for op_id, values in updates.items():
            old = existing[op_id]
            before = {k: getattr(old, k) for k in values if k != "sequence"}
            operation_repo.update_operation(session, organisation_id=org_id, operation_id=op_id, **values)
            updated += op_id in changed_place or before != {k: v for k, v in values.items() if k != "sequence"}
        for r in rows:
            if _blank(r.get("id")):
                values = _values(r, wc_ids)
                operation_repo.create_operation(
                    session, organisation_id=org_id, work_order_id=work_order_id,
                    work_center_id=values.pop("work_center_id"), sequence=values.pop("sequence"), **values)
        released = _release_pins(session, changed_place)
        session.flush()
        return RoutingSaved(created=sum(1 for r in rows if _blank(r.get("id"))), updated=updated,
                            deleted=len(set(existing) - kept), pins_released=released)


def routing_rows(db: Db, *, user: Any, work_order_id: int) -> list[dict[str, Any]]:
    """The routing of a work order as table rows (``id`` + :data:`COLUMNS` keys), in
    sequence. Raises ``NotFound`` for an unknown (or another organisation's) work order."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        work_order_repo.require_work_order(session, organisation_id=org_id, work_order_id=work_order_id)
        codes = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        return [
            {"id": o.id, "sequence": o.sequence, "name": o.name, "work_center": codes[o.work_center_id],
             "norma": o.norma, "quantity": o.quantity, "quantity_completed": o.quantity_completed, "status": o.status}
            for o in operation_repo.list_operations(session, organisation_id=org_id, work_order_id=work_order_id)
        ]


def orders_without_routing(db: Db, *, user: Any) -> list[str]:
    """The open work orders (not completed or cancelled) without any operation: a plan
    cannot plan them ("not planned: no routing")."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return work_order_repo.open_without_operations(session, organisation_id=org_id)


def work_order_impact(db: Db, *, user: Any, work_order_id: int) -> DeletionImpact:
    """What deleting a work order takes with it, e.g. ``work order RN-4: 3 operations, 1
    pin``. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        order = work_order_repo.get_work_order(session, organisation_id=org_id, work_order_id=work_order_id)
        if order is None:
            raise NotFound(f"work order {work_order_id} not found")
        ops = {o.id for o in operation_repo.list_operations(session, organisation_id=org_id,
                                                            work_order_id=work_order_id)}
        pins = sum(1 for p in pin_repo.list_pins(session, organisation_id=org_id)
                   if p.before_operation_id in ops or p.after_operation_id in ops)
        return DeletionImpact(f"work order {order.rn}: {len(ops)} operations, {pins} pins")
