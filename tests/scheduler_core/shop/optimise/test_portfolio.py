"""The ``optimise`` strategy (``portfolio.plan_optimise`` through ``plan``): valid plans never
worse than ``dispatch``, pins kept, alternative work centers used, known optima
of benchmark instances reached, and when a plan is claimed optimal."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_core.shop import (
    Calendar,
    Downtime,
    Operation,
    ShopOptions,
    ShopProblem,
    WorkCenter,
    WorkOrder,
    plan,
    validate_plan,
)
from scheduler_core.shop.benchmarks_io import read_jsp, read_wt
from scheduler_core.shop.optimise.portfolio import _makespan_lower_bound
from scheduler_core.shop.prepared import prepare


def _key(result):
    return (result.kpis.weighted_tardiness_minutes, result.kpis.makespan_minutes)


def test_optimise_is_valid_and_not_worse_than_dispatch(shop):
    calls = []
    disp = plan(shop, ShopOptions("dispatch"))
    opt = plan(shop, ShopOptions("optimise", time_limit_s=2), progress=lambda f, m: calls.append((f, m)))
    assert validate_plan(shop, opt) == []
    assert _key(opt) <= _key(disp)
    assert opt.strategy == "optimise"
    assert calls and all(0 <= f <= 1 for f, _ in calls)
    assert calls[-1][0] == 1.0
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)


def test_optimise_respects_manual_pins_downtime_and_in_progress(make_shop, monday):
    shop = make_shop()
    ops = tuple(
        replace(o, status="in_progress") if o.op_id == "RN-2/1"
        else replace(o, pinned_start=monday + timedelta(days=1)) if o.op_id == "RN-4/1"
        else o
        for o in shop.operations
    )
    shop = make_shop(
        operations=ops,
        pins=(("RN-5/2", "RN-3/1"),),
        downtime=(Downtime("GLO", monday + timedelta(hours=2), monday + timedelta(hours=4)),),
    )
    opt = plan(shop, ShopOptions("optimise", time_limit_s=2))
    assert validate_plan(shop, opt) == []
    by_id = {p.op_id: p for p in opt.operations}
    assert by_id["RN-4/1"].start == monday + timedelta(days=1)
    assert opt.by_work_center()["GLO"][0].op_id == "RN-2/1"
    assert _key(opt) <= _key(plan(shop, ShopOptions("dispatch")))


def test_due_basis_delivery(shop):
    opt = plan(shop, ShopOptions("optimise", due_basis="delivery", time_limit_s=1))
    assert opt.due_basis == "delivery"
    assert {o.rn: o.due for o in opt.orders}["RN-1"] == datetime(2025, 1, 7)
    assert validate_plan(shop, opt) == []


def test_wt_instance_reaches_known_optimum(data_dir):
    problem = read_wt(data_dir / "wt40_001.csv")
    result = plan(problem, ShopOptions("optimise", time_limit_s=3))
    assert result.kpis.weighted_tardiness_minutes == 913  # OR-Library optimum
    assert validate_plan(problem, result) == []


def test_jsp_ft06_is_solved_to_proven_optimum(data_dir):
    problem = read_jsp(data_dir / "ft06.txt")
    result = plan(problem, ShopOptions("optimise", time_limit_s=5))
    assert result.kpis.makespan_minutes == 55
    assert result.proven_optimal
    assert validate_plan(problem, result) == []


@st.composite
def small_shops(draw):
    n_wc = draw(st.integers(1, 3))
    cals = [
        Calendar(),
        Calendar(shift_names=frozenset({"S1"})),
        Calendar.always(),
        Calendar(weekdays=frozenset({0, 2, 4}), shift_names=frozenset({"S2", "S3"})),
    ]
    wcs = tuple(
        WorkCenter(f"W{k}", calendar=draw(st.sampled_from(cals))) for k in range(n_wc)
    )
    start = datetime(2025, 1, 6, 7, 0)
    orders, ops = [], []
    for j in range(draw(st.integers(1, 5))):
        rn = f"O{j}"
        orders.append(WorkOrder(
            rn,
            quantity=4,
            priority_level=draw(st.integers(1, 3)),
            assembly_date=draw(st.one_of(st.none(),
                                         st.dates(date(2025, 1, 5), date(2025, 1, 20)))),
            urgency_rank=draw(st.one_of(st.none(), st.integers(1, 3))),
        ))
        for s in range(draw(st.integers(1, 3))):
            ops.append(Operation(
                rn, s + 1, f"W{draw(st.integers(0, n_wc - 1))}",
                norma=draw(st.integers(1, 900)), quantity=4,
                quantity_completed=draw(st.sampled_from([0, 0, 1, 3])),
                alternatives=tuple(draw(st.sets(st.sampled_from([w.code for w in wcs]),
                                                max_size=1))),
            ))
    down = ()
    if draw(st.booleans()):
        down = (Downtime("W0", start + timedelta(hours=1), start + timedelta(hours=9)),)
    return ShopProblem(wcs, tuple(orders), tuple(ops), down, start=start)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=small_shops())
def test_random_shops_every_strategy_valid_and_optimise_not_worse(problem):
    disp = plan(problem, ShopOptions("dispatch"))
    assert validate_plan(problem, disp) == []
    opt = plan(problem, ShopOptions("optimise", time_limit_s=0.5))
    assert validate_plan(problem, opt) == []
    assert _key(opt) <= _key(disp)


def test_optimise_uses_alternative_work_centers(monday):
    # everything is routed to A, which is overloaded; B is idle and allowed for half of them
    wcs = (WorkCenter("A", calendar=Calendar()), WorkCenter("B", calendar=Calendar()))
    orders = tuple(WorkOrder(f"O{k}", assembly_date=date(2025, 1, 7)) for k in range(6))
    ops = tuple(
        Operation(f"O{k}", 1, "A", 400, alternatives=("B",) if k % 2 else ())
        for k in range(6)
    )
    problem = ShopProblem(wcs, orders, ops, start=monday)
    disp = plan(problem, ShopOptions("dispatch"))
    assert {p.work_center for p in disp.operations} == {"A"}
    opt = plan(problem, ShopOptions("optimise", time_limit_s=1.5))
    assert validate_plan(problem, opt) == []
    assert _key(opt) < _key(disp)
    on_b = {p.op_id for p in opt.operations if p.work_center == "B"}
    assert on_b and on_b <= {"O1/1", "O3/1", "O5/1"}
    assert set(opt.kpis.utilisation) == {"A", "B"}


# --------------------------------------------------------------- optimality claims

ALWAYS = Calendar.always()


def flow_shop(due: datetime | None = None) -> ShopProblem:
    """J1: M1 30 min -> M2 10 min; J2: M2 20 min. Longest routing 40 min, M1 30, M2 30:
    nothing ends before minute 40, and J1/1 || J2/1, then J1/2 reaches it."""
    return ShopProblem(
        (WorkCenter("M1", calendar=ALWAYS), WorkCenter("M2", calendar=ALWAYS)),
        (WorkOrder("J1", assembly_date=due), WorkOrder("J2", assembly_date=due)),
        (Operation("J1", 1, "M1", 30), Operation("J1", 2, "M2", 10), Operation("J2", 1, "M2", 20)),
        start=datetime(2025, 1, 6, 7, 0),
    )


def test_makespan_lower_bound_is_the_longest_routing_or_busiest_machine():
    assert _makespan_lower_bound(prepare(flow_shop())) == 40  # J1's routing
    busy = ShopProblem(
        (WorkCenter("M1", calendar=ALWAYS), WorkCenter("M2", calendar=ALWAYS)),
        (WorkOrder("J1"), WorkOrder("J2"), WorkOrder("J3")),
        (Operation("J1", 1, "M1", 30), Operation("J2", 1, "M1", 50), Operation("J3", 1, "M2", 60)),
        start=datetime(2025, 1, 6, 7, 0),
    )
    assert _makespan_lower_bound(prepare(busy)) == 80  # M1: 30 + 50


def test_makespan_meeting_the_bound_is_proven_without_the_solver():
    # 0.01 s leaves the solver no time: the proof is the lower bound alone
    result = plan(flow_shop(), ShopOptions("optimise", time_limit_s=0.01))
    assert result.kpis.makespan_minutes == 40
    assert result.proven_optimal
    assert "solver" not in result.status


def test_no_proof_with_due_dates_when_the_solver_did_not_run():
    result = plan(flow_shop(datetime(2025, 1, 6, 9, 0)), ShopOptions("optimise", time_limit_s=0.01))
    assert result.kpis.weighted_tardiness_minutes == 0 and result.kpis.makespan_minutes == 40
    assert not result.proven_optimal and "solver" not in result.status


def test_solver_proves_a_small_job_shop_with_due_dates():
    problem = flow_shop(datetime(2025, 1, 6, 9, 0))
    result = plan(problem, ShopOptions("optimise", time_limit_s=1))
    assert _key(result) == (0, 40)
    assert result.proven_optimal and "solver OPTIMAL" in result.status
    assert validate_plan(problem, result) == []


def test_one_machine_all_on_time_is_optimal_without_the_solver():
    problem = ShopProblem(
        (WorkCenter("M", calendar=ALWAYS),),
        tuple(WorkOrder(f"J{k}", weight=k + 1, assembly_date=datetime(2025, 1, 6, 9, 0)) for k in range(3)),
        tuple(Operation(f"J{k}", 1, "M", 10 * (k + 1)) for k in range(3)),  # 60 min, due at 120
        start=datetime(2025, 1, 6, 7, 0),
    )
    result = plan(problem, ShopOptions("optimise", time_limit_s=1))
    assert result.kpis.weighted_tardiness_minutes == 0 and result.kpis.makespan_minutes == 60
    assert result.proven_optimal and "solver" not in result.status
    assert result.best_found_s is not None and 0 <= result.best_found_s <= result.runtime_s + 1e-3


def test_nothing_open_is_an_empty_optimal_plan(make_shop):
    shop = make_shop()
    done = make_shop(operations=tuple(replace(o, status="completed") for o in shop.operations))
    result = plan(done, ShopOptions("optimise", time_limit_s=1))
    assert result.operations == () and result.proven_optimal and result.status == "OPTIMAL"
    assert result.strategy == "optimise"


def test_a_warm_start_bounds_the_re_plan_of_an_edit():
    """Re-planning an edited plan from it: never more late orders nor more weighted tardiness
    than the edited plan with only the edit made (its queues, pins applied)."""
    from scheduler_core.errors import InputError
    from scheduler_core.shop import demo_shop, edits
    from scheduler_core.shop.builder import decode, late_orders, sequences_of
    from scheduler_core.shop.dispatch import apply_pins
    from scheduler_core.shop.prepared import prepare

    shop = demo_shop(4, work_centers=4, orders=40)
    base = plan(shop, ShopOptions("optimise", time_limit_s=1))
    for wc, ops in list(base.by_work_center().items())[:3]:
        queue = [p.op_id for p in ops if shop.operation(p.op_id).work_center == wc]
        try:
            moved = edits.move_up(shop, queue, queue[-1])
        except InputError:
            continue
        prep = prepare(moved)
        forced = decode(prep, apply_pins(prep, sequences_of(prep, ((p.op_id, p.work_center, p.start)
                                                                    for p in base.operations))))
        again = plan(moved, ShopOptions("optimise", time_limit_s=1), warm_start=base)
        assert validate_plan(moved, again) == []
        assert again.kpis.late_orders <= late_orders(prep, forced.end)
        assert again.kpis.weighted_tardiness_minutes <= forced.key(prep)[0]
