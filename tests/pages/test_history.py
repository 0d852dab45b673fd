"""History: paginated list, filters, sort, bulk delete."""

from __future__ import annotations

from datetime import date, datetime

from tests.pages.conftest import assert_ok, open_page
from webapp import ui
from webapp.db.engine import session_scope
from webapp.db.models import Schedule
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs


def _make(engine, user, n, name="plan"):
    lots = ui.sample_lots()[:6]
    return [
        fill_runs.run_filling_schedule(engine, user=user, name=f"{name} {i}", lots=lots, config={"strategy": "smart-pack"})
        for i in range(n)
    ]


def _plain(markdown: str) -> str:
    """``markdown`` without the escapes ``ui.esc`` adds."""
    return markdown.replace("\\", "")


def test_empty_state(user):
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    assert any("No schedules match" in i.value for i in at.info)


def test_lists_paginates_and_filters(engine, user):
    _make(engine, user, 22)
    _make(engine, user, 1, name="special")
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    assert any("23 schedules match" in c.value for c in at.caption)
    assert len(at.data_editor[0].value) == 20
    at.number_input(key="hist_page").set_value(2).run()
    assert_ok(at)
    assert len(at.data_editor[0].value) == 3
    at.number_input(key="hist_page").set_value(1)
    at.text_input(key="hist_name").input("special").run()
    assert_ok(at)
    assert list(at.data_editor[0].value["name"]) == ["special 0"]
    at.text_input(key="hist_name").input("").run()
    at.selectbox(key="hist_sort").set_value("name")
    at.toggle(key="hist_desc").set_value(False).run()
    assert_ok(at)
    assert at.data_editor[0].value["name"].iloc[0] == "plan 0"
    at.multiselect(key="hist_status").set_value(["failed"]).run()
    assert any("No schedules match" in i.value for i in at.info)


def test_bulk_delete_selected_rows(engine, user):
    ids = _make(engine, user, 3)
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    frame = at.data_editor[0].value
    assert sorted(frame["id"]) == sorted(ids)
    assert not [b for b in at.button if b.key == "hist_delete"]  # nothing selected: nothing to delete
    at.session_state["hist_editor_1_3"] = {
        "edited_rows": {0: {"select": True}, 1: {"select": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_ok(at)
    at.button(key="hist_delete").click().run()
    assert_ok(at)
    assert any(_plain(w.value) == "2 schedules and their results go." for w in at.warning)
    at.button(key="master_confirm_no").click().run()
    assert fill_history.list_schedules(engine, user=user)[0].total == 3  # cancelled: nothing went
    at.button(key="hist_delete").click().run()
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert any("Deleted the 2 selected schedule(s)." in _plain(m.value) for m in at.success)
    page, _ = fill_history.list_schedules(engine, user=user)
    assert page.total == 1
    assert page.items[0].id == frame["id"].iloc[2]


def test_comparison_runs_are_grouped_under_their_comparison(engine, user):
    (alone,) = _make(engine, user, 1, name="alone")
    cid = fill_runs.run_comparison(engine, user=user, name="cmp", lots=ui.sample_lots()[:6],
                                   config={"time_limit_s": 1}, strategies=["smart-pack", "as-given"])
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    assert list(at.data_editor[0].value["id"]) == [alone]  # hidden by default
    assert "comparison" not in at.data_editor[0].value.columns  # so no empty column either
    grouped = at.dataframe[0].value
    assert list(grouped["comparison"]) == [f"#{cid} · cmp"] and list(grouped["runs"]) == ["smart-pack, as-given"]
    at.toggle(key="hist_hide_cmp").set_value(False).run()
    assert_ok(at)
    shown = at.data_editor[0].value
    assert len(shown) == 3
    assert sorted(shown["comparison"]) == ["", f"#{cid} · cmp", f"#{cid} · cmp"]


def test_deleting_a_compared_run_says_the_comparison_keeps_its_copy(engine, user):
    cid = fill_runs.run_comparison(engine, user=user, name="cmp", lots=ui.sample_lots()[:6],
                                   config={"time_limit_s": 1}, strategies=["smart-pack"])
    at = open_page(user, ui.PAGE_HISTORY)
    at.toggle(key="hist_hide_cmp").set_value(False).run()
    at.session_state["hist_editor_1_1"] = {"edited_rows": {0: {"select": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="hist_delete").click().run()
    assert_ok(at)
    assert any(f"keep their copies of the numbers: #{cid} 'cmp' (smart-pack)" in _plain(w.value) for w in at.warning)
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert fill_history.list_schedules(engine, user=user)[0].total == 0


def test_page_number_is_clamped_when_filters_shrink_the_list(engine, user):
    _make(engine, user, 21)
    _make(engine, user, 1, name="special")
    at = open_page(user, ui.PAGE_HISTORY)
    at.number_input(key="hist_page").set_value(2).run()
    assert len(at.data_editor[0].value) == 2
    at.text_input(key="hist_name").input("special").run()
    assert_ok(at)
    assert at.number_input(key="hist_page").value == 1
    assert list(at.data_editor[0].value["name"]) == ["special 0"]


def test_created_date_range_filter(engine, user):
    old, mid, new = _make(engine, user, 3)
    with session_scope(engine) as session:  # back-date two of them (naive UTC)
        session.get(Schedule, old).created_at = datetime(2024, 1, 10, 0, 0)
        session.get(Schedule, mid).created_at = datetime(2024, 2, 15, 23, 30)
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    assert any("3 schedules match" in c.value for c in at.caption)

    def shown(dates) -> list[int]:
        at.date_input(key="hist_dates").set_value(dates).run()
        assert_ok(at)
        if any("No schedules match" in i.value for i in at.info):
            return []
        return sorted(int(i) for i in at.data_editor[0].value["id"])

    # both ends inclusive: the whole last day counts
    assert shown((date(2024, 2, 1), date(2024, 2, 15))) == [mid]
    assert shown((date(2024, 1, 10), date(2024, 1, 10))) == [old]
    assert shown((date(2024, 1, 1), date(2024, 2, 14))) == [old]
    # only a start picked (the range is still open): from that day on
    assert shown((date(2024, 2, 1),)) == sorted([mid, new])
    assert shown((date(2023, 1, 1), date(2023, 12, 31))) == []
    assert shown(()) == sorted([old, mid, new])


def test_a_cancelled_run_reads_cancelled_in_the_list(engine, user):
    import threading

    flag = threading.Event()
    sid = fill_runs.run_filling_schedule(
        engine, user=user, name="cut short", lots=ui.sample_lots()[:6], config={"strategy": "smart-pack"},
        progress=lambda f, m: flag.set() if m.startswith("planning") else None, cancel=flag,
    )
    (done,) = _make(engine, user, 1)
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    frame = at.get("arrow_data_editor")[0].value if at.get("arrow_data_editor") else at.dataframe[0].value
    status = dict(zip(frame["id"], frame["status"], strict=True))
    assert status == {sid: "cancelled (best found)", done: "completed"}


def test_created_is_plant_time_and_the_date_filter_reads_plant_days(engine, user, monkeypatch):
    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_TIMEZONE", "Pacific/Kiritimati")  # UTC+14: its day is rarely the UTC day
    get_settings.cache_clear()
    (sid,) = _make(engine, user, 1)
    stored = fill_history.get_schedule(engine, user=user, schedule_id=sid)
    plant = ui.plant_stamp(stored.schedule.created_at, "Pacific/Kiritimati")
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    frame = at.get("arrow_data_editor")[0].value if at.get("arrow_data_editor") else at.dataframe[0].value
    assert frame.loc[frame["id"] == sid, "created"].iloc[0] == plant
    assert at.date_input(key="hist_dates").label == "Created between (Pacific/Kiritimati)"
    at.date_input(key="hist_dates").set_value((plant.date(), plant.date())).run()
    assert any("1 schedules match" in c.value for c in at.caption)  # the plant day holds it
    get_settings.cache_clear()


def test_late_lots_and_weighted_tardiness_columns(engine, user):
    from scheduler_core.filling import Lot

    lots = [Lot("A1", "A", 996_000, priority=1, due=datetime(2026, 1, 6)), Lot("B1", "B", 199_200)]
    config = {"strategy": "smart-pack", "start_time": "2026-01-05T00:00"}
    fill_runs.run_filling_schedule(engine, user=user, name="dated", lots=lots, config=config)
    _make(engine, user, 1, name="undated")
    at = open_page(user, ui.PAGE_HISTORY)
    assert_ok(at)
    table = at.data_editor[0].value.set_index("name")
    dated = fill_history.list_schedules(engine, user=user)[1]
    late = next(r for r in dated.values() if r.due_measured)
    assert table.loc["dated", "late lots"] == late.late_lots == 1
    assert table.loc["dated", "weighted tardiness (h)"] == late.weighted_tardiness_h == 3 * late.tardiness_h
    assert table.isna().loc["undated 0", ["late lots", "weighted tardiness (h)"]].all()
