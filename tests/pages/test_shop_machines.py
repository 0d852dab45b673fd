"""Machines page (AppTest): work centers, calendar editor, exceptions, downtime, load chart."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.pages.conftest import assert_ok, open_page
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_machines_calendar_downtime_and_load(engine, user):
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert any("No work centers yet" in i.value for i in at.info)
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert len(at.dataframe[0].value) == 3
    code = at.selectbox(key="mc_wc").value
    next(s for s in at.selectbox if s.label == "Status").set_value("maintenance")
    _button(at, "Save work center").click().run()
    assert_ok(at)
    assert next(w for w in shop_catalog.list_work_centers(engine, user=user) if w.code == code).status == "maintenance"
    shifts = [m for m in at.multiselect if m.label == "Shifts"][-1]  # the first is the new work center's
    shifts.set_value(["S1"])
    _button(at, "Add shift change to pending changes").click().run()
    assert_ok(at)
    assert shop_planning.build_problem(engine, user=user).wc(code).calendar.shift_names != frozenset({"S1"})

    marks = len(shop_catalog.calendar_exceptions(engine, user=user, code=code))
    _button(at, "Add to pending changes").click().run()
    assert_ok(at)
    assert any("not working" in s.value and "pending" in s.value for s in at.success)
    assert len(shop_catalog.calendar_exceptions(engine, user=user, code=code)) == marks  # nothing written yet

    next(t for t in at.text_input if t.label == "Reason").input("spindle")
    _button(at, "Add downtime to pending changes").click().run()
    assert_ok(at)
    assert any("Pending changes (3)" in m.value for m in at.markdown)
    assert not any(d["reason"] == "spindle" for d in shop_catalog.downtimes(engine, user=user))
    changes = at.session_state["shop_changes"]
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, changes=changes, start=START))
    assert len(shop_catalog.calendar_exceptions(engine, user=user, code=code)) > marks
    assert any(d["reason"] == "spindle" for d in shop_catalog.downtimes(engine, user=user))
    assert shop_planning.build_problem(engine, user=user).wc(code).calendar.shift_names == frozenset({"S1"})
    at = open_page(user, session.PAGE_MACHINES)
    at.selectbox(key="mc_down_sel").set_value(
        next(d["id"] for d in shop_catalog.downtimes(engine, user=user) if d["reason"] == "spindle"))
    at.button(key="mc_down_del").click().run()
    assert_ok(at)
    assert any("removed" in s.value for s in at.success)
    assert len(at.get("plotly_chart")) == 2  # the heat map and the chosen work center's bars
    at.selectbox(key="mc_load_wc").set_value(code).run()
    assert_ok(at)


def test_load_heat_map_days_weeks_planned_or_due(engine, user):
    shop_imports.load_demo(engine, user=user, orders=12, work_centers=3, start=START)
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert any("Accept a plan" in i.value for i in at.info)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert any("planned load" in m.value and "capacity" in m.value for m in at.markdown)
    weeks = at.dataframe[-1].value
    at.radio(key="mc_load_period").set_value("day").run()
    assert_ok(at)
    days = at.dataframe[-1].value
    assert len(days) > len(weeks) and list(days.columns)[:4] == ["period", "capacity (h)", "planned (h)", "work due (h)"]
    assert abs(days["planned (h)"].sum() - weeks["planned (h)"].sum()) < 0.1
    at.radio(key="mc_load_measure").set_value("due").run()
    assert_ok(at)
    assert any("work due" in m.value for m in at.markdown)
    codes = at.selectbox(key="mc_load_wc").options
    at.selectbox(key="mc_load_wc").set_value(codes[-1]).run()
    assert_ok(at)
    heat = at.get("plotly_chart")[0]
    assert '"heatmap"' in heat.proto.spec and all(f'"{c}"' in heat.proto.spec for c in codes)


def _form_input(at, form_key_part, kind, label):
    return next(w for w in getattr(at, kind) if w.label == label and form_key_part in str(w.form_id))


def test_create_edit_and_delete_work_centers(engine, user):
    at = open_page(user, session.PAGE_MACHINES)
    _form_input(at, "mc_new", "text_input", "Code").input(" ")
    _form_input(at, "mc_new", "multiselect", "Shifts").set_value([])
    _button(at, "Create work center").click().run()
    assert_ok(at)
    assert any("The work center was not created: 2 problems" in e.value for e in at.error)
    assert shop_catalog.list_work_centers(engine, user=user) == []
    _form_input(at, "mc_new", "text_input", "Code").input("CNC-1")
    _form_input(at, "mc_new", "text_input", "Category").input("milling")
    _form_input(at, "mc_new", "multiselect", "Shifts").set_value(["S1"])
    _button(at, "Create work center").click().run()
    assert_ok(at)
    (wc,) = shop_catalog.list_work_centers(engine, user=user)
    assert (wc.code, wc.category, wc.shift_list) == ("CNC-1", "milling", ["S1"])
    assert any("created" in s.value for s in at.success)
    _form_input(at, "mc_master", "text_input", "Name").input("Mill")
    _form_input(at, "mc_master", "number_input", "Setup (min)").set_value(15)
    _button(at, "Save work center").click().run()
    assert_ok(at)
    wc = shop_catalog.list_work_centers(engine, user=user)[0]
    assert (wc.name, wc.setup_time_minutes) == ("Mill", 15)
    at.button(key=f"mc_delete_{wc.id}").click().run()
    assert_ok(at)
    assert any("0 operations on it" in w.value for w in at.warning), [w.value for w in at.warning]
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert shop_catalog.list_work_centers(engine, user=user) == []


def test_a_used_work_center_is_not_deleted_and_downtime_edits_say_merged_or_refused(engine, user):
    shop_imports.load_demo(engine, user=user, orders=6, work_centers=2, start=START)
    at = open_page(user, session.PAGE_MACHINES)
    code = at.selectbox(key="mc_wc").value
    wc = next(w for w in shop_catalog.list_work_centers(engine, user=user) if w.code == code)
    at.button(key=f"mc_delete_{wc.id}").click().run()
    # refused: the reason and "Close" only
    assert any("cannot be deleted: operations" in e.value for e in at.error)
    assert not any(b.key == "master_confirm_yes" for b in at.button)
    at.button(key="master_confirm_close").click().run()
    assert_ok(at)
    assert any(w.code == code for w in shop_catalog.list_work_centers(engine, user=user))
    # a downtime that overlaps a recorded one is merged, and the message says into what
    down = next(d for d in shop_catalog.downtimes(engine, user=user) if d["work_center"] == code)
    at = open_page(user, session.PAGE_MACHINES)
    at.selectbox(key="mc_down_sel").set_value(down["id"]).run()
    _form_input(at, "mc_down_edit", "text_input", "Reason").input("longer")
    _form_input(at, "mc_down_edit", "date_input", "Until (date)").set_value(down["end"].date() + timedelta(days=1))
    _button(at, "Add the change to pending changes").click().run()
    assert_ok(at)
    assert any("changed to" in s.value and "pending" in s.value for s in at.success)
    at = open_page(user, session.PAGE_MACHINES)
    at.selectbox(key="mc_wc").set_value(down["work_center"]).run()

    def add_period(start, end):
        _form_input(at, "mc_down", "date_input", "From (date)").set_value(start.date())
        _form_input(at, "mc_down", "time_input", "From (time)").set_value(start.time())
        _form_input(at, "mc_down", "date_input", "Until (date)").set_value(end.date())
        _form_input(at, "mc_down", "time_input", "Until (time)").set_value(end.time())
        _button(at, "Add downtime to pending changes").click().run()
        assert_ok(at)

    add_period(down["start"], down["end"])  # a new session: the pending edit above is gone
    assert any("identical downtime already recorded" in e.value for e in at.error)
    assert "shop_changes" not in at.session_state
    add_period(down["start"] + timedelta(hours=1), down["end"] + timedelta(hours=1))
    assert any("merged into" in s.value and "pending" in s.value for s in at.success), [s.value for s in at.success]
    assert len(at.session_state["shop_changes"]) == 1


def test_deactivating_a_work_center_with_open_operations_warns(engine, user):
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    at = open_page(user, session.PAGE_MACHINES)
    code = at.selectbox(key="mc_wc").value
    on_it = [op for op in shop_planning.build_problem(engine, user=user).open_operations() if op.work_center == code]
    assert on_it
    [t for t in at.toggle if t.label == "Active (planned)"][-1].set_value(False)  # the first is the new one's
    _button(at, "Save work center").click().run()
    assert_ok(at)
    assert not next(w for w in shop_catalog.list_work_centers(engine, user=user) if w.code == code).is_active
    plain = [w.value.replace("\\", "") for w in [*at.success, *at.warning]]
    assert f"Work center {code} saved." in plain
    assert (f"{len(on_it)} open operations in {len({op.rn for op in on_it})} work orders are on {code}; they will "
            "not be planned until moved") in plain
