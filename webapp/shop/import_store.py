"""Writing an import that adds to the shop: what ``scheduler_core.shop.merge`` decided reaches
the tables, inside the caller's transaction.

New work centers and work orders are inserted; updated work centers take the imported
master data and calendar marks (other marks stay); updated work orders take the imported
values and routing (their operations are deleted with the pins on them, the imported ones
inserted); a product's name is set from the file when it names one; new downtime is added.
Work orders the file does not name are not touched.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler_core.shop.merge import Merge
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import products as product_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.shop.mapping import (
    add_operations,
    add_work_center,
    add_work_order,
    set_calendar_marks,
    work_center_fields,
    work_order_fields,
)

__all__ = ["write_merge"]


def write_merge(session: Session, org_id: int, merge: Merge) -> None:
    """Write what ``merge`` (made from the shop as stored in this transaction) adds and
    updates. Raises nothing of its own (the repositories' errors pass)."""
    shop = merge.problem
    wcs = {w.code: w for w in shop.work_centers}
    wc_ids = {w.code: w.id for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
    for code in merge.added_work_centers:
        wc_ids[code] = add_work_center(session, org_id, wcs[code])
    for code in merge.updated_work_centers:
        work_center_repo.update_work_center(session, organisation_id=org_id, work_center_id=wc_ids[code],
                                            **work_center_fields(session, org_id, wcs[code]))
        set_calendar_marks(session, org_id, wc_ids[code], wcs[code].calendar)
    for d in shop.downtime[len(shop.downtime) - merge.added_downtime:]:
        work_center_repo.add_downtime(session, organisation_id=org_id, work_center_id=wc_ids[d.work_center],
                                      start_at=d.start, end_at=d.end, reason=d.reason)
    orders = {o.rn: o for o in shop.work_orders}
    wo_ids = {o.rn: o.id for o in work_order_repo.all_work_orders(session, organisation_id=org_id)}
    for rn in merge.added_orders:
        wo_ids[rn] = add_work_order(session, org_id, orders[rn])
    for rn in merge.updated_orders:
        work_order_repo.update_work_order(session, organisation_id=org_id, work_order_id=wo_ids[rn],
                                          **work_order_fields(session, org_id, orders[rn]))
        operation_repo.delete_routing(session, organisation_id=org_id, work_order_id=wo_ids[rn])
    _name_products(session, org_id, [orders[rn] for rn in (*merge.added_orders, *merge.updated_orders)])
    imported = {*merge.added_orders, *merge.updated_orders}
    add_operations(session, org_id, [op for op in shop.operations if op.rn in imported], wo_ids, wc_ids)


def _name_products(session: Session, org_id: int, orders: list) -> None:
    """Products of ``orders`` take the name the file gives them (a blank name changes nothing)."""
    by_kpl = {p.kpl: p for p in product_repo.products(session, organisation_id=org_id).values()}
    for o in orders:
        product = by_kpl.get(o.kpl.strip()[:64]) if o.kpl else None
        if product is not None and o.product_name and product.name != o.product_name[:200]:
            product_repo.rename_product(session, organisation_id=org_id, product_id=product.id, name=o.product_name)
