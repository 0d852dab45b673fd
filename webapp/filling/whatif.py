"""What-if for a stored filling schedule: change its lots (edit vials, type, due, release,
priority; add; remove) or its config (strategy, objective, time limit, line numbers), re-plan,
and see both plans side by side — nothing is stored until the planner keeps the variant.

* :func:`lots_rows` / :func:`lots_from_rows` — the lots as the rows of an editable table and
  back (read with the upload's converters and rules: every problem with its row and column,
  nothing planned on bad input).
* :func:`propose` — plans the changed input from the original's start time (unless the
  config sets another), waits for a free solver like every run, stores nothing, and returns
  a :class:`WhatIf`: both results, the KPI deltas and the lot-by-lot changes
  (``scheduler_core.filling.diff``).
* :func:`keep` — stores the variant as a new completed schedule (one transaction, named
  "<original> · what-if" by default), exactly as proposed; the original is never changed.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, ScheduleResult, plan
from scheduler_core.filling.codec import config_to_json, lots_to_json
from scheduler_core.filling.config_rules import OBJECTIVES as CONFIG_OBJECTIVES
from scheduler_core.filling.diff import KpiDelta, LotChange, kpi_deltas, lot_changes
from scheduler_core.filling.io_lots import COLUMNS, lots_from_table
from scheduler_core.progress import ProgressCallback
from webapp.access import acting_user
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import schedules as schedule_repo
from webapp.errors import NotFound
from webapp.filling import history, runs
from webapp.filling.mapping import result_to_row
from webapp.solves import OnWait, solver_slot
from webapp.views import ScheduleView

#: Suffix of a kept variant's default name.
SUFFIX = " · what-if"
#: The objectives a what-if can plan for, as the page offers them (``FillingConfig.objective``).
OBJECTIVES = {
    "makespan": "Makespan first (then weighted tardiness)",
    "due": "Due dates first (weighted tardiness, then makespan)",
}
if set(OBJECTIVES) != set(CONFIG_OBJECTIVES):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError("what-if objectives and the config's disagree")


@dataclass(frozen=True)
class WhatIf:
    """A proposed variant of a stored schedule: the original (its view and result), the
    variant's lots, config and result, the KPI deltas (``diff.KPI_ROWS`` order), the lots
    that changed (biggest change first) and warnings (e.g. a lot released after its due
    date). Nothing of it is stored."""

    schedule: ScheduleView
    before: ScheduleResult
    lots: tuple[Lot, ...]
    after: ScheduleResult
    deltas: tuple[KpiDelta, ...]
    changes: tuple[LotChange, ...]
    warnings: tuple[str, ...] = ()

    @property
    def default_name(self) -> str:
        """The name a kept variant gets unless the planner gives one."""
        return f"{self.schedule.name}{SUFFIX}"[:255]


def original(db: Db, *, user: Any, schedule_id: int) -> tuple[ScheduleView, ScheduleResult]:
    """The stored schedule a what-if starts from and its result.

    Raises:
        NotFound: no such schedule of ``user``'s, or it has no result (failed or still running).
    """
    stored = history.get_schedule(db, user=user, schedule_id=schedule_id)
    if stored is None:
        raise NotFound(f"schedule {schedule_id} does not exist or is not yours")
    if stored.result is None:
        raise NotFound(f"schedule {schedule_id} has no result ({stored.schedule.status}); a what-if needs a plan")
    return stored.schedule, stored.result


def _cell(value: Any) -> Any:
    """A table cell as the readers take it: ``None`` for blank (``NaN``, ``NaT``, empty),
    a plain ``datetime`` for a timestamp, plain numbers for numpy ones."""
    if isinstance(value, datetime):
        if value != value:  # NaT
            return None
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def lots_rows(lots: Sequence[Lot]) -> list[dict[str, Any]]:
    """The lots as table rows keyed by :data:`~scheduler_core.filling.io_lots.COLUMNS`
    (``Lot ID``, ``Type``, ``Vials``, ``Priority``, ``Due``, ``Release``)."""
    return [dict(zip(COLUMNS, (lot.lot_id, lot.lot_type, lot.vials, lot.priority, lot.due, lot.release), strict=True))
            for lot in lots]


def lots_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[Lot]:
    """The lots of edited table rows (keys as :func:`lots_rows`; the first row is row 1).

    Raises:
        InputError: every bad cell (row, column, reason), duplicate ids, no rows.
    """
    lots = lots_from_table([[_cell(row.get(c)) for c in COLUMNS] for row in rows])
    FillingProblem(lots)  # the set's own rules (its problems name the same rows)
    return lots


def propose(
    db: Db,
    *,
    user: Any,
    schedule_id: int,
    lots: Sequence[Lot],
    config: FillingConfig | Mapping[str, Any],
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    on_wait: OnWait | None = None,
) -> WhatIf:
    """Re-plan schedule ``schedule_id`` with ``lots`` and ``config`` (a mapping is validated;
    without a ``start_time`` the original's start is kept, so both plans share one clock).
    Stores nothing. ``progress``/``cancel`` as ``planner.plan``; ``on_wait`` hears the
    solver queue.

    Raises:
        NotFound: as :func:`original`.
        InputError: a bad config, bad lots, a lot longer than the window (row, column).
        PermissionDenied: a viewer (a what-if runs a solver).
    """
    schedule, before = original(db, user=user, schedule_id=schedule_id)
    if isinstance(config, Mapping) and not config.get("start_time"):
        config = {**config, "start_time": before.config.resolved_start().isoformat()}
    warnings = runs.check_run(lots, config)  # every input problem before the solver runs
    cfg = runs.run_config(config, time_zone=runs.plant_zone(db, user=user))
    problem = FillingProblem(lots)
    with unit_of_work(db) as session:
        acting_user(session, user, write=True)
    with solver_slot(on_wait):
        after = plan(problem, cfg, progress=progress, cancel=cancel)
    return WhatIf(
        schedule=schedule,
        before=before,
        lots=problem.lots,
        after=after,
        deltas=tuple(kpi_deltas(before.kpis, after.kpis)),
        changes=tuple(lot_changes(before.activities, after.activities)),
        warnings=tuple(warnings),
    )


def keep(db: Db, *, user: Any, proposal: WhatIf, name: str = "") -> int:
    """Store ``proposal``'s variant as a new completed schedule (its lots, config and result
    as proposed; the original's file name) in one transaction; returns its id. The original
    schedule is not touched.

    Raises:
        PermissionDenied: a viewer.
    """
    name = ((name or "").strip() or proposal.default_name)[:255]
    after = proposal.after
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        schedule = schedule_repo.create_schedule(
            session, owner_id=owner.id, name=name, strategy=after.strategy, config=config_to_json(after.config),
            input_data=lots_to_json(proposal.lots), file_name=proposal.schedule.file_name,
        )
        schedule_repo.mark_schedule_running(session, owner_id=owner.id, schedule_id=schedule.id)
        schedule_repo.complete_schedule(session, owner_id=owner.id, schedule_id=schedule.id,
                                        result=result_to_row(after))
        return schedule.id


def lot_table(proposal: WhatIf) -> list[dict[str, Any]]:
    """The lot-by-lot table of a what-if, biggest change first: lot, type, change
    (added / removed / moved / due changed / unchanged), lateness (h) before and after, the
    end's shift (h), block, fill start and end before and after."""
    rows = []
    for c in proposal.changes:
        b, a = c.before, c.after
        rows.append({
            "lot": c.lot_id, "type": c.lot_type, "change": c.status,
            "lateness before (h)": b.lateness_h if b else None, "lateness after (h)": a.lateness_h if a else None,
            "end shift (h)": c.end_shift_h,
            "block before": b.block if b else None, "block after": a.block if a else None,
            "start before": b.start if b else None, "start after": a.start if a else None,
            "end before": b.end if b else None, "end after": a.end if a else None,
        })
    return rows
