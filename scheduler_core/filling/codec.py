"""JSON form of the filling domain objects (lots, config, activities, results), for storage.

Every ``*_to_json`` returns plain JSON types (datetimes as ISO-8601 text, plant-local and
naive); the matching ``*_from_json`` rebuilds an equal object:
``result_from_json(result_to_json(r)) == r``. Stored data is trusted to have been written by
these functions; a config read back is validated again by ``FillingConfig`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from scheduler_core.filling.io_config import config_from_mapping
from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Kpis, Lot, ScheduleResult


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def lots_to_json(lots: Sequence[Lot]) -> list[dict[str, Any]]:
    """One dict per lot: ``lot_id``, ``lot_type``, ``vials``, ``priority``, ``due`` and
    ``release`` (ISO or ``None``), ``row`` (source row or ``None``)."""
    return [
        {
            "lot_id": lot.lot_id,
            "lot_type": lot.lot_type,
            "vials": lot.vials,
            "priority": lot.priority,
            "due": _iso(lot.due),
            "release": _iso(lot.release),
            "row": lot.row,
        }
        for lot in lots
    ]


def lots_from_json(data: Sequence[Mapping[str, Any]]) -> list[Lot]:
    """The lots of :func:`lots_to_json` (missing optional keys read as ``None``)."""
    return [
        Lot(
            lot_id=str(item["lot_id"]),
            lot_type=str(item["lot_type"]),
            vials=int(item["vials"]),
            priority=item.get("priority"),
            due=_moment(item.get("due")),
            release=_moment(item.get("release")),
            row=item.get("row"),
        )
        for item in data
    ]


def config_to_json(config: FillingConfig) -> dict[str, Any]:
    """The config as the mapping a config file holds (see ``FillingConfig.to_dict``)."""
    return config.to_dict()


def config_from_json(data: Mapping[str, Any] | None) -> FillingConfig:
    """The config of :func:`config_to_json` (``None`` or ``{}``: the defaults).

    Raises:
        InputError: the mapping is not a valid config (unknown key, bad value).
    """
    return config_from_mapping(dict(data or {}))


def activity_to_json(activity: Activity) -> dict[str, Any]:
    """One activity: ``kind``, ``block``, ``start``/``end`` (ISO), lot fields or ``None``,
    and for a FILL its ``due`` (ISO or ``None``) and ``lateness_h``."""
    return {
        "kind": str(activity.kind),
        "block": activity.block,
        "start": activity.start.isoformat(),
        "end": activity.end.isoformat(),
        "lot_id": activity.lot_id,
        "lot_type": activity.lot_type,
        "vials": activity.vials,
        "due": _iso(activity.due),
        "lateness_h": activity.lateness_h,
    }


def activity_from_json(item: Mapping[str, Any]) -> Activity:
    """The activity of :func:`activity_to_json`."""
    return Activity(
        kind=ActivityKind(item["kind"]),
        block=int(item["block"]),
        start=datetime.fromisoformat(item["start"]),
        end=datetime.fromisoformat(item["end"]),
        lot_id=item.get("lot_id"),
        lot_type=item.get("lot_type"),
        vials=item.get("vials"),
        due=_moment(item.get("due")),
        lateness_h=item.get("lateness_h"),
    )


def blocks_of(activities: Sequence[Activity]) -> tuple[tuple[str, ...], ...]:
    """Lot ids of each block in line order, from the FILL activities."""
    blocks: dict[int, list[str]] = {}
    for a in activities:
        if a.kind == ActivityKind.FILL and a.lot_id is not None:
            blocks.setdefault(a.block, []).append(a.lot_id)
    return tuple(tuple(blocks[b]) for b in sorted(blocks))


def kpis_to_json(kpis: Kpis) -> dict[str, Any]:
    """The KPIs by field name (hours, counts, utilisation 0..1, gap in %)."""
    return {name: getattr(kpis, name) for name in Kpis.__dataclass_fields__}


def kpis_from_json(data: Mapping[str, Any]) -> Kpis:
    """The KPIs of :func:`kpis_to_json` (KPIs stored before the due-date KPIs existed read
    those as their defaults: no late lots, no due dates)."""
    fields = Kpis.__dataclass_fields__
    return Kpis(**{name: data[name] for name in fields if name in data or _required(fields[name])})


def _required(field: Any) -> bool:
    from dataclasses import MISSING

    return field.default is MISSING


def result_to_json(result: ScheduleResult) -> dict[str, Any]:
    """The whole result: strategy, status, runtime (s), KPIs, config, lots and activities."""
    return {
        "strategy": result.strategy,
        "proven_optimal": result.proven_optimal,
        "runtime_s": result.runtime_s,
        "solver_status": result.solver_status,
        "kpis": kpis_to_json(result.kpis),
        "config": config_to_json(result.config),
        "lots": lots_to_json(result.lots),
        "activities": [activity_to_json(a) for a in result.activities],
    }


def result_from_json(data: Mapping[str, Any]) -> ScheduleResult:
    """The result of :func:`result_to_json` (blocks rebuilt from the activities)."""
    activities = tuple(activity_from_json(a) for a in data["activities"])
    return ScheduleResult(
        strategy=data["strategy"],
        activities=activities,
        kpis=kpis_from_json(data["kpis"]),
        proven_optimal=bool(data["proven_optimal"]),
        runtime_s=float(data["runtime_s"]),
        solver_status=data["solver_status"],
        config=config_from_json(data["config"]),
        lots=tuple(lots_from_json(data["lots"])),
        blocks=blocks_of(activities),
    )
