"""Filling a shop: a workbook is previewed (its valid part, every problem as row,
sheet!column, reason, and what those problems would skip; nothing stored), then imported in
**one** transaction, and the shop can be cleared so the demo fills it again.

* An import either **adds to** the shop (``mode="add"``: new work orders added, existing
  ones updated by ``rn`` with their routing replaced, work centers added or updated by code;
  ``scheduler_core.shop.merge``) or **replaces** it (``mode="replace"``: the shop data go
  first; plans, scenarios and change sets stay as history).
* Adding overwrites only what the file gives (``merge.Given``): an existing work order or
  work center keeps every stored field whose column the file does not have, **and** every
  field whose cell is blank — a blank is "not given", except where the column makes it a
  value: a blank ``urgency_rank`` takes the order off the urgency list, and a blank
  ``shifts`` beside a given capacity means "derived from the capacity" (``read.py``). The
  routing of an updated order is still replaced; an operation without its own quantity
  takes the order's (stored, when the file gives none). A new item takes the defaults.
* Adding a flat sheet (one without a ``work_centers`` sheet) to a shop that has work centers
  creates none: an operation on a code the shop does not have is a problem of its row
  ("unknown work center 'XYZ-9' — did you mean 'XYZ-1'?") and skips its order. Replacing
  (or adding to a shop without work centers) creates them; the preview names them
  (:attr:`ImportPreview.new_work_centers`) and so does the summary.
* A file with problems is refused whole unless ``skip_invalid`` is set: then only the valid
  items are stored (a work order with any bad row is skipped whole) and the summary lists
  what was skipped and why.
* After any import no plan is current: the current plan was made for the shop before the
  import (its operations are gone or replaced), so the planned times are cleared, the board
  says a re-plan is needed, what-if scenarios based on it show as stale and the last
  accepted change set can no longer be undone. Pins on replaced operations go with them;
  other pins stay (add) or go with the shop (replace). A planner's pending changes are
  dropped by the page (they were checked against the old shop).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scheduler_core.shop import demo_shop
from scheduler_core.shop.io import ShopRead, Skipped, read_shop
from scheduler_core.shop.merge import merge
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.errors import InputError, Problem
from webapp.shop.import_store import write_merge
from webapp.shop.mapping import load_problem, plant_now, plant_zone, store_problem
from webapp.shop.planning import write_planned_times

#: The ways an import meets the stored shop.
MODES = ("add", "replace")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: its ``mode``; work orders and work centers added and updated (by
    rn / code); operations written; operations of updated orders replaced; pins released
    with them; downtime added; what replacing deleted (``replaced``: counts by kind, empty
    when adding); what the file's problems skipped; whether a plan was current before (it
    no longer is: re-plan)."""

    mode: str
    added_orders: tuple[str, ...] = ()
    updated_orders: tuple[str, ...] = ()
    added_work_centers: tuple[str, ...] = ()
    updated_work_centers: tuple[str, ...] = ()
    operations: int = 0
    replaced_operations: int = 0
    released_pins: int = 0
    added_downtime: int = 0
    replaced: dict[str, int] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()
    had_current_plan: bool = False


@dataclass(frozen=True)
class ImportPreview:
    """A workbook read for one ``mode`` of import into the user's shop: the ``read`` (valid
    part, problems, what they skip) and the work centers importing it would create."""

    read: ShopRead
    mode: str
    new_work_centers: tuple[str, ...] = ()


def preview_workbook(data: bytes, filename: str, time_zone: str = "UTC",
                     known_work_centers: frozenset[str] | None = None) -> ShopRead:
    """Read a workbook or flat CSV (either layout) of a plant in ``time_zone`` (times with an
    offset become its wall-clock time): its valid part, every problem (row, sheet!column,
    reason) and what they skip; with ``known_work_centers`` (adding to a shop that has
    them) a flat sheet's operation on another code is a problem. Stores nothing. Raises
    ``InputError`` when nothing can be imported (unreadable file, missing sheet or column,
    no valid work order)."""
    return read_shop(data, filename=filename, time_zone=time_zone, known_work_centers=known_work_centers)


def _known_codes(session: Any, org_id: int, mode: str) -> frozenset[str] | None:
    """The work center codes a flat sheet may use when importing by ``mode`` (``None``: any,
    they are created)."""
    if mode != "add":
        return None
    codes = frozenset(w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id))
    return codes or None


def preview_import(db: Db, *, user: Any, data: bytes, filename: str, mode: str) -> ImportPreview:
    """Read a workbook for importing it into the user's shop by ``mode`` (plant time zone;
    adding checks a flat sheet's work centers against the shop's) and name the work centers
    it would create. Stores nothing.

    Raises:
        InputError: an unknown mode, or nothing can be imported (see :func:`preview_workbook`).
    """
    _check_mode(mode)
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        zone = plant_zone(session, org_id)
        known = _known_codes(session, org_id, mode)
        have = frozenset() if mode == "replace" else frozenset(
            w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id))
    read = preview_workbook(data, filename, zone, known)
    return ImportPreview(read, mode, tuple(w.code for w in read.problem.work_centers if w.code not in have))


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InputError(Problem(f"unknown import mode '{mode}' (valid: {', '.join(MODES)})"))


def shop_counts(db: Db, *, user: Any) -> dict[str, int]:
    """Rows of the user's shop by kind (work orders, operations, work centers, products,
    pins, downtime, calendar exceptions, plans, scenarios, change sets of every member): what
    replacing or clearing the shop deletes."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return organisation_repo.shop_counts(session, organisation_id=org_id)


def import_read(db: Db, *, user: Any, read: ShopRead, mode: str, skip_invalid: bool = False) -> ImportSummary:
    """Store a previewed workbook in ONE transaction (all or nothing) by ``mode`` (``add``
    or ``replace``); with ``skip_invalid`` its valid part, else only a file without problems.

    Raises:
        InputError: an unknown mode; the file has problems and ``skip_invalid`` is not set
            (every problem listed); adding it would break a rule of the shop (an existing
            order's open operation on a work center the file makes inactive …).
        PermissionDenied: a viewer.
    """
    _check_mode(mode)
    problem = read.problem if skip_invalid else read.strict()
    skipped = read.skipped if skip_invalid else ()
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        had_plan = plan_repo.get_current_plan(session, organisation_id=org_id) is not None
        if mode == "replace":
            gone = organisation_repo.shop_counts(session, organisation_id=org_id)
            counts = store_problem(session, org_id, problem)
            return ImportSummary(
                mode, added_orders=tuple(o.rn for o in problem.work_orders),
                added_work_centers=tuple(w.code for w in problem.work_centers), operations=counts["operations"],
                added_downtime=len(problem.downtime), replaced=gone, skipped=skipped, had_current_plan=had_plan,
            )
        current = load_problem(session, org_id)
        have = {w.code for w in current.work_centers}
        unknown = sorted(read.implied_work_centers - have) if have else []
        if unknown:  # a read not checked against this shop (preview it for adding)
            raise InputError([Problem(f"unknown work center '{code}': the shop does not have it and the file does "
                                      "not define it (preview the file for adding)") for code in unknown])
        result = merge(current, problem, read.implied_work_centers, read.given)
        write_merge(session, org_id, result)
        plan_repo.reinstate_plan(session, organisation_id=org_id, plan_id=None)
        write_planned_times(session, org_id, None)
        return ImportSummary(
            mode, added_orders=result.added_orders, updated_orders=result.updated_orders,
            added_work_centers=result.added_work_centers, updated_work_centers=result.updated_work_centers,
            operations=len(problem.operations), replaced_operations=result.replaced_operations,
            released_pins=len(result.released_pins), added_downtime=result.added_downtime, skipped=skipped,
            had_current_plan=had_plan,
        )


def import_workbook(db: Db, *, user: Any, data: bytes, filename: str, mode: str,
                    skip_invalid: bool = False) -> ImportSummary:
    """Read a workbook (in the plant's time zone) and store it like :func:`import_read`; a
    broken workbook raises ``InputError`` and stores nothing."""
    preview = preview_import(db, user=user, data=data, filename=filename, mode=mode)
    return import_read(db, user=user, read=preview.read, mode=mode, skip_invalid=skip_invalid)


def clear_shop(db: Db, *, user: Any) -> dict[str, int]:
    """Delete the organisation's whole shop in ONE transaction: work orders, operations,
    work centers, products, pins, calendars, downtime, and every member's plans, what-if
    scenarios and accepted change sets (the plant and members stay). Returns the counts
    deleted. Raises ``PermissionDenied`` for a viewer."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        gone = organisation_repo.shop_counts(session, organisation_id=org_id)
        organisation_repo.clear_shop(session, organisation_id=org_id, with_plans=True)
        return gone


def load_demo(db: Db, *, user: Any, seed: int = 1, orders: int = 60, work_centers: int = 5,
              start: datetime | None = None) -> dict[str, int]:
    """Fill an EMPTY organisation with a generated demo shop whose dates count from ``start``
    (default: 07:00 today on the plant's clock).

    Raises:
        InputError: the shop already has work orders. PermissionDenied: a viewer.
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        first = start or plant_now(session, org_id).replace(hour=7, minute=0)
        problem = demo_shop(seed, work_centers=work_centers, orders=orders, start=first)
        if work_order_repo.count_work_orders(session, organisation_id=org_id):
            raise InputError(Problem("the shop already has work orders; the demo fills an empty shop only"))
        return store_problem(session, org_id, problem)
