"""What a shop workbook read yields: the valid part as a ``ShopProblem``, every problem found,
and the items left out because of them (:class:`ShopRead`).

One rule set for both uses: the strict reader (``read_workbook``, CLI, existing callers)
raises one ``InputError`` with :attr:`ShopRead.problems`; a partial import stores
:attr:`ShopRead.problem` and reports :attr:`ShopRead.skipped`. Skipping works on whole items:

* a bad row of a work order (its ``work_orders`` row or any of its operation rows, a
  duplicate operation, an unknown work center or work order) skips **the whole work order**
  with every row of it;
* a bad work center row skips the work center, and with it every work order with an
  operation on it and its downtime;
* an open operation on an inactive work center (``prepared.PLAN_RULES``) skips its order;
* a bad calendar or downtime row, or a row naming no work order, skips only that row.

A problem with the file itself (unreadable, a missing sheet or column, no rows) has no row:
nothing can be imported then, and reading raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler_core.errors import InputError, Problem, raise_problems
from scheduler_core.shop.io.sheet import ORDER, WORK_CENTER
from scheduler_core.shop.merge import Given
from scheduler_core.shop.model import Downtime, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.prepared import inactive_reason, open_on_inactive
from scheduler_core.tabular import capped

__all__ = ["ROW", "Parts", "ShopRead", "Skipped", "resolve"]

#: Kind of a skipped single row (calendar, downtime, an operation row naming no work order).
ROW = "row"

#: A row as the user sees it: (sheet, row number).
Where = tuple[str, int]


@dataclass(frozen=True)
class Skipped:
    """An item a partial import leaves out: a work order (``key`` = rn), a work center
    (``key`` = code) or a single row (``key`` = ``sheet row N``), the ``problems`` that
    spoil it (row, sheet!column, reason) and every row left out with it (``rows``)."""

    kind: str
    key: str
    problems: tuple[Problem, ...]
    rows: tuple[Where, ...] = ()


@dataclass(frozen=True)
class ShopRead:
    """A read shop workbook: ``problem`` = the valid items (a consistent shop), ``problems``
    = every problem found (empty for a clean file), ``skipped`` = what was left out and why,
    ``implied_work_centers`` = codes made from operation rows only (flat layout: default
    calendar, no master data of their own), ``source`` = the file name, ``notes`` = how
    ambiguous columns were read, ``given`` = the fields the file gives (an import that adds
    to a shop overwrites only those: ``merge.Given``)."""

    problem: ShopProblem
    problems: tuple[Problem, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    implied_work_centers: frozenset[str] = frozenset()
    source: str = ""
    notes: tuple[str, ...] = ()
    given: Given = Given()

    @property
    def complete(self) -> bool:
        """Whether the file had no problem (nothing skipped)."""
        return not self.problems

    def strict(self) -> ShopProblem:
        """The shop when the file had no problem; else raises one ``InputError`` with every
        problem (at most ``tabular.MAX_PROBLEMS`` listed)."""
        raise_problems(capped(list(self.problems)), source=self.source)
        return self.problem

    def skipped_orders(self) -> list[str]:
        """The numbers of the work orders left out."""
        return [s.key for s in self.skipped if s.kind == ORDER]


@dataclass
class Parts:
    """What the row readers kept, with where each item came from: ``op_rows`` (op id ->
    row), ``order_rows`` (rn -> its ``work_orders`` row), ``wc_rows`` (code -> row),
    ``downtime_rows`` (parallel to ``downtime``), ``implied`` work center codes, the
    ``wc_column`` of the operations sheet (``sheet!header``), reading ``notes`` and the
    fields each row gives (``order_given``, ``wc_given``, ``op_quantity_given``)."""

    work_centers: list[WorkCenter] = field(default_factory=list)
    work_orders: list[WorkOrder] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    downtime: list[Downtime] = field(default_factory=list)
    op_rows: dict[str, Where] = field(default_factory=dict)
    order_rows: dict[str, Where] = field(default_factory=dict)
    wc_rows: dict[str, Where] = field(default_factory=dict)
    downtime_rows: list[Where] = field(default_factory=list)
    implied: frozenset[str] = frozenset()
    wc_column: str = "operations!work_center"
    notes: tuple[str, ...] = ()
    order_given: dict[str, frozenset[str]] = field(default_factory=dict)
    wc_given: dict[str, frozenset[str]] = field(default_factory=dict)
    op_quantity_given: set[str] = field(default_factory=set)


def _sheet_of(p: Problem) -> str:
    return (p.column or "").split("!", 1)[0]


def resolve(parts: Parts, problems: list[Problem], owners: dict[Problem, tuple[str, str]], *,
            source: str, time_zone: str) -> ShopRead:
    """Skip what ``problems`` spoil (``owners``: problem -> (kind, key)) and build the shop of
    the rest.

    Raises:
        InputError: (``source`` = the file) a problem of the file itself (no row), nothing
            left to import, or a rest that breaks the shop's own rules.
    """
    if any(p.row is None for p in problems):
        raise InputError(capped(problems), source=source)
    bad_orders: dict[str, list[Problem]] = {}
    bad_wcs: dict[str, list[Problem]] = {}
    loose: list[Problem] = []
    for p in problems:
        kind, key = owners.get(p, (ROW, ""))
        target = bad_orders if kind == ORDER else bad_wcs if kind == WORK_CENTER else None
        if target is None:
            loose.append(p)
        else:
            target.setdefault(key, []).append(p)
    for op in parts.operations:
        if op.work_center in bad_wcs:
            bad_orders.setdefault(op.rn, []).append(
                Problem(f"work center '{op.work_center}' is skipped", parts.op_rows[op.op_id][1], parts.wc_column))
    gone_downtime = [(d, where) for d, where in zip(parts.downtime, parts.downtime_rows, strict=True)
                     if d.work_center in bad_wcs]
    found = list(problems)
    shop = _build(parts, bad_orders, bad_wcs, found, source, time_zone)
    inactive = open_on_inactive(shop)
    for op in inactive:
        p = Problem(inactive_reason(op), parts.op_rows[op.op_id][1], parts.wc_column)
        found.append(p)
        bad_orders.setdefault(op.rn, []).append(p)
    if inactive:
        shop = _build(parts, bad_orders, bad_wcs, found, source, time_zone)
    if not shop.work_orders:
        raise InputError(capped(found), source=source)
    rows_by_rn: dict[str, list[Where]] = {rn: [where] for rn, where in parts.order_rows.items()}
    for op_id, where in parts.op_rows.items():
        rows_by_rn.setdefault(op_id.rsplit("/", 1)[0], []).append(where)
    skipped = [
        *(Skipped(WORK_CENTER, code, tuple(ps), (parts.wc_rows[code],) if code in parts.wc_rows else ())
          for code, ps in bad_wcs.items()),
        *(Skipped(ORDER, rn, tuple(sorted(ps, key=_order)), _rows_of(rows_by_rn.get(rn, []), ps))
          for rn, ps in bad_orders.items()),
        *(Skipped(ROW, f"{_sheet_of(p)} row {p.row}", (p,), ((_sheet_of(p), p.row or 0),)) for p in loose),
        *(Skipped(ROW, f"{where[0]} row {where[1]}",
                  (Problem(f"work center '{d.work_center}' is skipped", where[1], f"{where[0]}!work_center"),),
                  (where,)) for d, where in gone_downtime),
    ]
    given = Given(dict(parts.order_given), dict(parts.wc_given), frozenset(parts.op_quantity_given))
    return ShopRead(shop, tuple(found), tuple(skipped), parts.implied & {w.code for w in shop.work_centers}, source,
                    parts.notes, given)


def _order(p: Problem) -> tuple[int, str]:
    return (p.row or 0, p.column or "")


def _rows_of(rows: list[Where], problems: list[Problem]) -> tuple[Where, ...]:
    """Every row of a skipped work order: its own rows and those of its problems."""
    return tuple(sorted({*rows, *((_sheet_of(p), p.row or 0) for p in problems)}))


def _build(parts: Parts, bad_orders: dict[str, list[Problem]], bad_wcs: dict[str, list[Problem]],
           found: list[Problem], source: str, time_zone: str) -> ShopProblem:
    used = {op.work_center for op in parts.operations if op.rn not in bad_orders}
    try:
        return ShopProblem(
            tuple(w for w in parts.work_centers
                  if w.code not in bad_wcs and (w.code in used or w.code not in parts.implied)),
            tuple(o for o in parts.work_orders if o.rn not in bad_orders),
            tuple(op for op in parts.operations if op.rn not in bad_orders),
            tuple(d for d in parts.downtime if d.work_center not in bad_wcs),
            name=source, time_zone=time_zone,
        )
    except InputError as exc:  # the model's own consistency rules
        raise InputError(capped([*found, *exc.problems]), source=source) from None
