"""The table of a saved comparison: each strategy's KPIs (its own copy, so a deleted
schedule changes nothing; lower bound and gap against the strongest bound any of its runs
proved, as ``kpis.shared_bound``), its difference to the best (makespan − best makespan,
hours and %) and the ★ chosen by ``diff.TIE_RULES`` for the comparison's objective (``makespan``:
lowest makespan, then lowest weighted tardiness, then the fastest run; ``due``: weighted
tardiness first) — one rule for the table, the chart and the headline."""

from __future__ import annotations

from typing import Any

from scheduler_core.filling.diff import SAME_H, TIE_RULES, best_of, difference_to_best
from scheduler_core.filling.kpis import gap_pct
from webapp.filling.history import comparison_kpis
from webapp.views import ComparisonView, StoredSchedule

__all__ = ["best_reason", "comparison_rows", "objective_of", "tie_rule"]


def objective_of(comparison: ComparisonView) -> str:
    """The objective the comparison's runs optimised (its config's ``objective``)."""
    return str((comparison.config or {}).get("objective") or "makespan")


def tie_rule(comparison: ComparisonView) -> str:
    """The ★ rule of ``comparison`` in words (by its objective)."""
    return TIE_RULES[objective_of(comparison)]


def comparison_rows(
    comparison: ComparisonView, stored: dict[str, StoredSchedule | None]
) -> tuple[list[dict[str, Any]], str | None]:
    """One row per strategy of ``comparison`` in its order — ``best`` (★ or empty),
    ``strategy``, ``status`` ("schedule deleted" when its schedule is gone), ``makespan_h``,
    ``behind_h`` / ``behind_pct`` (makespan − best makespan), ``late_lots``,
    ``weighted_tardiness_h``, ``gap_pct``, ``blocks``, ``changeovers``,
    ``utilisation_pct``, ``runtime_s``, ``lower_bound_h``, ``schedule_id``, ``error``
    (``None`` where a run has no result) — and the best strategy (``None``: no run has a
    result)."""
    kpis = comparison_kpis(comparison, stored)
    rows = []
    for strategy in comparison.strategies:
        info = comparison.runs.get(strategy, {})
        r = kpis[strategy]
        rows.append({
            "best": "",
            "strategy": strategy,
            "status": info.get("status") if stored.get(strategy) is not None else "schedule deleted",
            "makespan_h": r.makespan_h if r else None,
            "behind_h": None,
            "behind_pct": None,
            "late_lots": r.due("late_lots") if r else None,
            "weighted_tardiness_h": r.due("weighted_tardiness_h") if r else None,
            "gap_pct": r.gap_pct if r else None,
            "blocks": r.blocks if r else None,
            "changeovers": r.changeovers if r else None,
            "utilisation_pct": r.utilisation * 100 if r else None,
            "runtime_s": r.runtime_s if r else None,
            "lower_bound_h": r.lower_bound_h if r else None,
            "schedule_id": info.get("schedule_id"),
            "error": info.get("error") or "",
        })
    done = {r["strategy"]: r for r in rows if r["makespan_h"] is not None}
    bound = max((r["lower_bound_h"] for r in done.values() if r["lower_bound_h"] is not None), default=None)
    for r in done.values():  # one input: the strongest bound any run proved holds for all
        if bound is not None:
            r["lower_bound_h"], r["gap_pct"] = bound, gap_pct(r["makespan_h"], bound)
    best = best_of({k: (r["makespan_h"], r["weighted_tardiness_h"], r["runtime_s"]) for k, r in done.items()},
                   objective_of(comparison))
    if best is not None:
        behind = difference_to_best({k: r["makespan_h"] for k, r in done.items()}, best)
        for k, r in done.items():
            r["behind_h"], r["behind_pct"] = behind[k]
        done[best]["best"] = "★"
    return rows, best


def best_reason(rows: list[dict[str, Any]], best: str, objective: str = "makespan") -> str:
    """Why ``best`` (of :func:`comparison_rows`) has the ★, in the tie rule's words for
    ``objective``: "lowest makespan" (or "lowest weighted tardiness"), or which runs tied
    with it on that and what decided (the second measure, "the fastest run", or both).
    Raises ``StopIteration`` when ``best`` is not among ``rows``."""
    names = {"makespan_h": "makespan", "weighted_tardiness_h": "weighted tardiness"}
    first, second = ("weighted_tardiness_h", "makespan_h") if objective == "due" else ("makespan_h",
                                                                                       "weighted_tardiness_h")
    mine = next(r for r in rows if r["strategy"] == best)

    def value(r: dict[str, Any], key: str) -> float:
        return r[key] or 0.0

    tied = [r for r in rows if r["strategy"] != best and r["makespan_h"] is not None
            and abs(value(r, first) - value(mine, first)) <= SAME_H]
    if not tied:
        return f"lowest {names[first]}"
    same = [r for r in tied if abs(value(r, second) - value(mine, second)) <= SAME_H]
    decided = ([f"lowest {names[second]}"] if len(same) < len(tied) else []) + (["the fastest run"] if same else [])
    return f"tied on {names[first]} with {', '.join(r['strategy'] for r in tied)}; {', then '.join(decided)}"
