"""Independent validator of a shop plan (does not use the planners' code).

Rules (``Violation.rule``):

* ``missing`` – an open operation is not planned; ``unknown`` – a planned operation is not
  an open operation of the problem; ``duplicate`` – planned twice;
* ``work-center`` – planned on a work center that is neither the operation's own nor one
  of its alternatives;
* ``intervals`` – work intervals empty, unordered, overlapping, or not spanning start..end;
* ``duration`` – working minutes ≠ ``norma × (1 − qty_completed / quantity)`` (rounded up);
* ``working-time`` – an interval uses time that is not working time of the work center
  (shift, break, non-working date, downtime);
* ``overlap`` – two operations overlap on one work center;
* ``precedence`` – an operation starts before the previous open operation of its order ends;
* ``before-start`` – work planned before the plan start;
* ``manual-sequence`` – the planner's manual order on a work center is not respected;
* ``in-progress`` – an operation in progress is not the first on its work center.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.model import ShopProblem, ShopResult


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    op_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def validate_plan(problem: ShopProblem, result: ShopResult) -> list[Violation]:
    out: list[Violation] = []
    open_ops = {op.op_id: op for op in problem.open_operations()}
    seen: dict[str, object] = {}
    for p in result.operations:
        if p.op_id in seen:
            out.append(Violation("duplicate", f"{p.op_id} is planned twice", p.op_id))
            continue
        seen[p.op_id] = p
        if p.op_id not in open_ops:
            out.append(Violation("unknown", f"{p.op_id} is not an open operation", p.op_id))
    for op_id in open_ops:
        if op_id not in seen:
            out.append(Violation("missing", f"{op_id} is not planned", op_id))

    origin = result.start
    down: dict[str, list] = {}
    for d in problem.downtime:
        down.setdefault(d.work_center, []).append(d)
    timelines: dict[str, Timeline] = {}
    planned = [p for p in seen.values() if p.op_id in open_ops]  # type: ignore[union-attr]
    for p in planned:
        op = open_ops[p.op_id]
        if p.work_center != op.work_center and p.work_center not in op.alternatives:
            out.append(
                Violation(
                    "work-center",
                    f"{p.op_id} planned on {p.work_center}, allowed: "
                    f"{', '.join((op.work_center, *op.alternatives))}",
                    p.op_id,
                )
            )
        ivs = list(p.intervals)
        ok = bool(ivs) and all(s < e for s, e in ivs)
        ok = ok and all(ivs[k][1] <= ivs[k + 1][0] for k in range(len(ivs) - 1))
        ok = ok and ivs[0][0] == p.start and ivs[-1][1] == p.end
        if not ok:
            out.append(Violation("intervals", f"{p.op_id}: inconsistent work intervals", p.op_id))
            continue
        if p.start < origin:
            out.append(
                Violation("before-start", f"{p.op_id} starts before the plan start", p.op_id)
            )
        work = sum(int((e - s).total_seconds() // 60) for s, e in ivs)
        if work != op.remaining_minutes:
            out.append(
                Violation(
                    "duration",
                    f"{p.op_id}: {work} working minutes planned, needs {op.remaining_minutes}",
                    p.op_id,
                )
            )
        wc_code = p.work_center
        try:
            wc = problem.wc(wc_code)
        except KeyError:
            continue
        tl = timelines.get(wc_code)
        if tl is None:
            tl = Timeline(wc.calendar, min(origin, p.start), down.get(wc_code, ()), name=wc_code)
            timelines[wc_code] = tl
        for s, e in ivs:
            a, b = tl.to_minute(s), tl.to_minute(e)
            if a < 0 or tl.working_between(a, b) != b - a:
                out.append(
                    Violation(
                        "working-time",
                        f"{p.op_id}: {s:%Y-%m-%d %H:%M}–{e:%H:%M} is not all working time "
                        f"of {wc_code}",
                        p.op_id,
                    )
                )
                break

    by_wc: dict[str, list] = {}
    for p in planned:
        by_wc.setdefault(p.work_center, []).append(p)
    for wc_code, lst in by_wc.items():
        pieces = sorted((s, e, p.op_id) for p in lst for s, e in p.intervals)
        for (_s1, e1, a), (s2, _e2, b) in zip(pieces, pieces[1:], strict=False):
            if s2 < e1 and a != b:
                out.append(Violation("overlap", f"{a} and {b} overlap on {wc_code}", b))
        lst_sorted = sorted(lst, key=lambda p: (p.start, p.end))
        for k, p in enumerate(lst_sorted):
            if open_ops[p.op_id].status == "in_progress" and any(
                q.start < p.start and open_ops[q.op_id].status != "in_progress"
                for q in lst_sorted[:k]
            ):
                out.append(
                    Violation(
                        "in-progress", f"{p.op_id} is in progress but not first on {wc_code}",
                        p.op_id,
                    )
                )
        manual = problem.manual_sequences.get(wc_code, ())
        pos = {p.op_id: p for p in lst}
        chain = [pos[i] for i in manual if i in pos]
        for a, b in zip(chain, chain[1:], strict=False):
            if b.start < a.end:
                out.append(
                    Violation(
                        "manual-sequence",
                        f"{b.op_id} must follow {a.op_id} on {wc_code}",
                        b.op_id,
                    )
                )

    by_order: dict[str, list] = {}
    for p in planned:
        by_order.setdefault(p.rn, []).append((open_ops[p.op_id].sequence, p))
    for rn, lst in by_order.items():
        lst.sort(key=lambda t: t[0])
        for (_, a), (_, b) in zip(lst, lst[1:], strict=False):
            if b.start < a.end:
                out.append(
                    Violation(
                        "precedence",
                        f"{b.op_id} starts before {a.op_id} of order {rn} ends",
                        b.op_id,
                    )
                )
    return out
