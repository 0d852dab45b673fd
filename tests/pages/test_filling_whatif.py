"""Filling what-if page: from a schedule, re-plan, see deltas, lot table and one Gantt with
both plans, keep the variant as a new schedule or discard it."""

from __future__ import annotations

from tests.pages.conftest import assert_ok, make_user, open_page
from webapp import ui
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs


def _schedule(engine, user):
    return fill_runs.run_filling_schedule(engine, user=user, name="Week 9", lots=ui.sample_lots(),
                                          config={"strategy": "smart-pack", "time_limit_s": 1})


def _count(engine, user) -> int:
    return fill_history.list_schedules(engine, user=user, with_results=False)[0].total


def test_replan_shows_deltas_lots_and_one_gantt_then_keep(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_FILL_WHATIF, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    assert at.title[0].value == "Filling what-if"
    assert not at.metric  # nothing planned yet
    at.radio(key=f"fwi_objective_{sid}").set_value("due")
    at.button(key="fwi_run").click().run()
    assert_ok(at)
    labels = [m.label for m in at.metric]
    assert labels == ["Makespan", "Blocks", "Changeover", "Utilisation", "Late lots", "Weighted tardiness",
                      "Gap to bound"]
    assert _count(engine, user) == 1  # nothing stored by re-planning
    chart = at.get("plotly_chart")[0]
    assert '"xaxis2"' in chart.proto.spec and "What-if" in chart.proto.spec  # both plans in one figure
    at.toggle(key="fwi_only_changed").set_value(False).run()
    assert len(at.dataframe[0].value) == 40
    at.button(key="fwi_keep").click().run()
    assert_ok(at)
    assert _count(engine, user) == 2
    kept = max(s.id for s in fill_history.list_schedules(engine, user=user, with_results=False)[0].items)
    assert fill_history.get_schedule(engine, user=user, schedule_id=kept).schedule.name == "Week 9 · what-if"


def test_discard_stores_nothing_and_others_schedules_are_refused(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_FILL_WHATIF, **{ui.DETAIL_KEY: sid})
    at.button(key="fwi_run").click().run()
    at.button(key="fwi_discard").click().run()
    assert_ok(at)
    assert not at.metric and _count(engine, user) == 1
    other = make_user(engine, "otto")
    at = open_page(other, ui.PAGE_FILL_WHATIF, **{ui.DETAIL_KEY: sid})
    assert any("does not exist or is not yours" in e.value for e in at.error)


def test_the_detail_page_links_to_the_whatif_of_its_schedule(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    links = [link for link in at.get("page_link") if "What-if" in link.proto.label]
    assert len(links) == 1 and links[0].proto.page == "filling_whatif"
    assert links[0].proto.query_string == f"id={sid}"
