"""JSON form of a shop problem and a shop plan, for storage (scenarios, accepted plans).

Every ``*_to_json`` returns plain JSON types (dates and datetimes as ISO-8601 text: a
problem's naive plant wall-clock time; a plan's times with their UTC offset in the plan's
time zone, so the repeated autumn hour reads back right); the matching ``*_from_json`` rebuilds an equal object:
``problem_from_json(problem_to_json(p)) == p`` and the same for results. Data read back is
trusted to have been written by these functions; a problem validates itself again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from scheduler_core.shop.clock import DEFAULT_ZONE, aware, to_plant
from scheduler_core.shop.model import Calendar, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.result import (
    NotPlanned,
    OrderOutcome,
    PlannedOperation,
    ShopKpis,
    ShopResult,
    WeekLoad,
)


def _iso(v: date | datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _moment(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _at(v: datetime | None, zone: str) -> str | None:
    """A plan time as ISO text with its offset in ``zone`` (naive text for UTC)."""
    if v is None:
        return None
    return v.isoformat() if zone == DEFAULT_ZONE else aware(v, zone).isoformat()


def _local(v: str | None, zone: str) -> datetime | None:
    """A plan time of :func:`_at` as naive plant wall-clock time of ``zone``."""
    return to_plant(datetime.fromisoformat(v), zone) if v else None


def _date_or_moment(v: str | None) -> date | datetime | None:
    if not v:
        return None
    return datetime.fromisoformat(v) if "T" in v else date.fromisoformat(v)


# ------------------------------------------------------------------------- plans


def kpis_to_json(k: ShopKpis) -> dict[str, Any]:
    """The KPIs (hours, minutes, counts, utilisation 0..1 per work center, weekly load)."""
    return {
        "weighted_tardiness_minutes": k.weighted_tardiness_minutes,
        "weighted_tardiness_hours": k.weighted_tardiness_hours,
        "late_orders": k.late_orders,
        "orders": k.orders,
        "operations": k.operations,
        "max_lateness_hours": k.max_lateness_hours,
        "makespan_minutes": k.makespan_minutes,
        "makespan_hours": k.makespan_hours,
        "utilisation": dict(k.utilisation),
        "weekly_load": [
            {"work_center": w.work_center, "week_start": _iso(w.week_start), "capacity_hours": w.capacity_hours,
             "planned_hours": w.planned_hours, "due_hours": w.due_hours}
            for w in k.weekly_load
        ],
    }


def kpis_from_json(k: Mapping[str, Any]) -> ShopKpis:
    """The KPIs of :func:`kpis_to_json`."""
    return ShopKpis(
        weighted_tardiness_minutes=k["weighted_tardiness_minutes"],
        weighted_tardiness_hours=k["weighted_tardiness_hours"],
        late_orders=k["late_orders"],
        orders=k["orders"],
        operations=k["operations"],
        max_lateness_hours=k["max_lateness_hours"],
        makespan_minutes=k["makespan_minutes"],
        makespan_hours=k["makespan_hours"],
        utilisation=dict(k["utilisation"]),
        weekly_load=tuple(
            WeekLoad(w["work_center"], date.fromisoformat(w["week_start"]), w["capacity_hours"], w["planned_hours"],
                     w["due_hours"])
            for w in k["weekly_load"]
        ),
    )


def result_to_json(result: ShopResult) -> dict[str, Any]:
    """The whole plan: strategy, due basis, start, status, runtime (s), warnings, planned
    operations with their working intervals, order outcomes, orders not planned and KPIs."""
    tz = result.time_zone
    return {
        "strategy": result.strategy,
        "due_basis": result.due_basis,
        "start": _at(result.start, tz),
        "proven_optimal": result.proven_optimal,
        "runtime_s": result.runtime_s,
        "status": result.status,
        "warnings": list(result.warnings),
        "best_found_s": result.best_found_s,
        "time_limit_s": result.time_limit_s,
        "time_zone": tz,
        "operations": [
            {
                "op_id": p.op_id, "rn": p.rn, "sequence": p.sequence, "name": p.name,
                "work_center": p.work_center, "start": _at(p.start, tz), "end": _at(p.end, tz),
                "duration_minutes": p.duration_minutes, "setup_minutes": p.setup_minutes,
                "intervals": [[_at(s, tz), _at(e, tz)] for s, e in p.intervals],
                "in_progress": p.in_progress, "pinned": p.pinned,
            }
            for p in result.operations
        ],
        "orders": [
            {
                "rn": o.rn, "priority_level": o.priority_level, "weight": o.weight,
                "urgency_rank": o.urgency_rank, "due": _at(o.due, tz), "completion": _at(o.completion, tz),
                "lateness_hours": o.lateness_hours, "kpl": o.kpl, "product_name": o.product_name,
            }
            for o in result.orders
        ],
        "kpis": kpis_to_json(result.kpis),
        "not_planned": [{"rn": n.rn, "kind": n.kind, "detail": n.detail, "reason": n.reason}
                        for n in result.not_planned],
    }


def _not_planned(n: Mapping[str, Any]) -> NotPlanned:
    """An order left out; plans stored before ``kind`` had only the two fixed reasons, which
    are their kinds."""
    return NotPlanned(n["rn"], n.get("kind", n["reason"]), n.get("detail", ""))


def result_from_json(d: Mapping[str, Any]) -> ShopResult:
    """The plan of :func:`result_to_json` (optional keys of older plans default)."""
    tz = d.get("time_zone", DEFAULT_ZONE)
    return ShopResult(
        strategy=d["strategy"],
        due_basis=d["due_basis"],
        start=_local(d["start"], tz),
        operations=tuple(
            PlannedOperation(
                op_id=p["op_id"], rn=p["rn"], sequence=p["sequence"], name=p["name"],
                work_center=p["work_center"], start=_local(p["start"], tz),
                end=_local(p["end"], tz), duration_minutes=p["duration_minutes"],
                intervals=tuple((_local(s, tz), _local(e, tz)) for s, e in p["intervals"]),
                in_progress=p["in_progress"], pinned=p["pinned"], setup_minutes=p.get("setup_minutes", 0),
            )
            for p in d["operations"]
        ),
        orders=tuple(
            OrderOutcome(o["rn"], o["priority_level"], o["weight"], o["urgency_rank"], _local(o["due"], tz),
                         _local(o["completion"], tz), o["lateness_hours"], o.get("kpl", ""),
                         o.get("product_name", ""))
            for o in d["orders"]
        ),
        kpis=kpis_from_json(d["kpis"]),
        proven_optimal=d.get("proven_optimal", False),
        runtime_s=d.get("runtime_s", 0.0),
        status=d.get("status", ""),
        warnings=tuple(d.get("warnings", ())),
        best_found_s=d.get("best_found_s"),
        time_limit_s=d.get("time_limit_s"),
        time_zone=tz,
        not_planned=tuple(_not_planned(n) for n in d.get("not_planned", ())),
    )


# ----------------------------------------------------------------------- problems


def _calendar_to_json(c: Calendar) -> dict[str, Any]:
    return {
        "weekdays": sorted(c.weekdays),
        "shift_names": sorted(c.shift_names) if c.shift_names is not None else None,
        "overrides": [[_iso(d), s, f] for d, s, f in c.overrides],
        "always_working": c.always_working,
    }


def _calendar_from_json(w: Mapping[str, Any]) -> Calendar:
    return Calendar(
        weekdays=frozenset(w["weekdays"]),
        shift_names=frozenset(w["shift_names"]) if w["shift_names"] is not None else None,
        overrides=tuple((date.fromisoformat(x), s, bool(f)) for x, s, f in w["overrides"]),
        always_working=w["always_working"],
    )


def problem_to_json(p: ShopProblem) -> dict[str, Any]:
    """The whole problem: work centers with calendars, work orders, operations, downtime,
    pins, start, name and time zone."""
    return {
        "name": p.name,
        "time_zone": p.time_zone,
        "start": _iso(p.start),
        "work_centers": [
            {
                "code": w.code, "name": w.name, "category": w.category,
                "capacity_hours_per_day": w.capacity_hours_per_day, "setup_time_minutes": w.setup_time_minutes,
                "cost_per_hour": w.cost_per_hour, "active": w.active, **_calendar_to_json(w.calendar),
            }
            for w in p.work_centers
        ],
        "work_orders": [
            {
                "rn": o.rn, "quantity": o.quantity, "priority_level": o.priority_level, "kpl": o.kpl,
                "product_name": o.product_name, "delivery_date": _iso(o.delivery_date),
                "assembly_date": _iso(o.assembly_date), "third_date": _iso(o.third_date),
                "status": o.status, "urgency_rank": o.urgency_rank, "weight": o.weight,
            }
            for o in p.work_orders
        ],
        "operations": [
            {
                "rn": op.rn, "sequence": op.sequence, "work_center": op.work_center, "norma": op.norma,
                "name": op.name, "quantity": op.quantity, "quantity_completed": op.quantity_completed,
                "status": op.status, "pinned_start": _iso(op.pinned_start),
                "actual_start": _iso(op.actual_start), "actual_end": _iso(op.actual_end),
                "alternatives": list(op.alternatives),
            }
            for op in p.operations
        ],
        "downtime": [[d.work_center, _iso(d.start), _iso(d.end), d.reason] for d in p.downtime],
        "pins": [list(pin) for pin in p.pins],
    }


def problem_from_json(d: Mapping[str, Any]) -> ShopProblem:
    """The problem of :func:`problem_to_json`.

    Raises:
        InputError: the stored problem is no longer valid (``ShopProblem`` rules).
    """
    wcs = tuple(
        WorkCenter(
            w["code"], w["name"], w["category"], w["capacity_hours_per_day"], w["setup_time_minutes"],
            w["cost_per_hour"], w["active"], _calendar_from_json(w),
        )
        for w in d["work_centers"]
    )
    orders = tuple(
        WorkOrder(
            rn=o["rn"], quantity=o["quantity"], priority_level=o["priority_level"], kpl=o["kpl"],
            product_name=o["product_name"], delivery_date=_date_or_moment(o["delivery_date"]),
            assembly_date=_date_or_moment(o["assembly_date"]), third_date=_date_or_moment(o["third_date"]),
            status=o["status"], urgency_rank=o["urgency_rank"], weight=o["weight"],
        )
        for o in d["work_orders"]
    )
    ops = tuple(
        Operation(
            rn=op["rn"], sequence=op["sequence"], work_center=op["work_center"], norma=op["norma"],
            name=op["name"], quantity=op["quantity"], quantity_completed=op["quantity_completed"],
            status=op["status"], pinned_start=_moment(op["pinned_start"]), actual_start=_moment(op["actual_start"]),
            actual_end=_moment(op["actual_end"]), alternatives=tuple(op["alternatives"]),
        )
        for op in d["operations"]
    )
    downtime = tuple(
        Downtime(w, datetime.fromisoformat(s), datetime.fromisoformat(e), r) for w, s, e, r in d["downtime"]
    )
    if "pins" in d:
        pins = tuple((a, b) for a, b in d["pins"])
    else:  # written before pins: a manual sequence is a chain of pins
        chains = d.get("manual_sequences", {}).values()
        pins = tuple((a, b) for ids in chains for a, b in zip(ids, ids[1:], strict=False))
    return ShopProblem(wcs, orders, ops, downtime, pins=pins, start=_moment(d["start"]), name=d["name"],
                       time_zone=d.get("time_zone", DEFAULT_ZONE))
