"""Schedule detail: KPI cards, Gantt, filtered activity table, downloads, re-run, delete."""

from __future__ import annotations

import io

import openpyxl

from scheduler_core.filling import FillingProblem, plan
from scheduler_core.filling import codec as filling_codec
from tests.pages.conftest import assert_ok, make_user, open_page
from webapp import ui
from webapp.charts import filling as charts
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs


def _schedule(engine, user, name="plan <x>"):
    lots = ui.sample_lots()
    return fill_runs.run_filling_schedule(engine, user=user, name=name, lots=lots, config={"strategy": "smart-pack"})


def test_detail_shows_kpis_gantt_table_downloads(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    assert at.title[0].value == f"Schedule #{sid}"
    labels = {m.label for m in at.metric}
    assert labels >= {
        "Makespan",
        "Lower bound",
        "Proven optimal",
        "Utilisation",
        "Blocks",
        "Changeovers",
        "Lots",
    }
    assert next(m for m in at.metric if m.label == "Lots").value == "40"
    assert at.get("plotly_chart")
    table = at.dataframe[0].value
    assert set(table["kind"]) == {"CLEAN", "CHANGEOVER", "FILL"}
    assert len(table) == 50  # first page
    at.multiselect(key="detail_f_kind").set_value(["CLEAN"]).run()
    assert_ok(at)
    assert set(at.dataframe[0].value["kind"]) == {"CLEAN"}
    downloads = at.get("download_button")
    assert len(downloads) == 3


def test_gantt_is_one_trace_per_group_and_escapes_hover():
    from dataclasses import replace

    lots = ui.sample_lots()
    lots = [replace(lot, lot_id="<img src=x>") if i == 0 else lot for i, lot in enumerate(lots)]
    result = plan(FillingProblem(lots), replace(filling_codec.config_from_json({}), strategy="smart-pack"))
    fig = charts.gantt(result)
    names = [t.name for t in fig.data]
    assert names[:2] == ["CLEAN", "CHANGEOVER"]
    assert len(names) == 2 + len({lot.lot_type for lot in lots})
    hover = [c[1] for t in fig.data for c in t.customdata]
    assert "&lt;img src=x&gt;" in hover and "<img src=x>" not in hover


def test_exports_open(engine, user):
    sid = _schedule(engine, user)
    result = fill_history.get_schedule(engine, user=user, schedule_id=sid).result
    from scheduler_core.reports import to_excel, to_pdf

    wb = openpyxl.load_workbook(io.BytesIO(to_excel(result)))
    assert "Activities" in wb.sheetnames
    assert to_pdf(result).startswith(b"%PDF")


def test_rerun_creates_new_schedule(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert at.text_input(key="detail_rerun_name").value == "plan <x> · smart-pack"
    at.selectbox(key="detail_rerun_strategy").set_value("lpt-pack").run()
    assert at.text_input(key="detail_rerun_name").value == "plan <x> · lpt-pack"  # follows the strategy
    at.button(key="detail_rerun").click().run()
    assert_ok(at)
    page, _ = fill_history.list_schedules(engine, user=user)
    assert page.total == 2
    newest = page.items[0]
    assert newest.strategy == "lpt-pack" and newest.id != sid and newest.name == "plan <x> · lpt-pack"
    assert at.title[0].value == f"Schedule #{newest.id}"


def test_delete_asks_in_the_same_dialog_as_history(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert not [c for c in at.checkbox if c.key == "detail_delete_confirm"]  # no tick-box any more
    at.button(key="detail_delete").click().run()
    assert_ok(at)
    assert any(w.value.replace("\\", "") == "1 schedule and its results go." for w in at.warning)
    at.button(key="master_confirm_no").click().run()
    assert fill_history.get_schedule(engine, user=user, schedule_id=sid) is not None  # cancelled
    assert at.title[0].value == f"Schedule #{sid}"
    at.button(key="detail_delete").click().run()
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert fill_history.get_schedule(engine, user=user, schedule_id=sid) is None
    assert at.title[0].value == "History"
    assert any(f"Deleted schedule #{sid}." in m.value.replace("\\", "") for m in at.success)


def test_other_users_schedule_is_not_shown(engine, user):
    sid = _schedule(engine, user)
    other = make_user(engine, "bert")
    at = open_page(other, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    assert any("does not exist or is not yours" in e.value for e in at.error)
    assert not at.metric


def test_odd_ids_in_the_url_never_crash(engine, user):
    _schedule(engine, user)
    for raw, missing in (("²", False), ("abc", False), ("-1", True), ("99999999999999999999999", True)):
        at = open_page(user, ui.PAGE_DETAIL)
        at.query_params["id"] = raw
        at.run()
        assert_ok(at)
        assert any("does not exist or is not yours" in e.value for e in at.error) == missing, raw


def test_gantt_shows_the_line_in_one_lane_by_default_and_other_views_on_request(engine, user):
    import json

    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    lanes = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["categoryarray"]
    assert lanes == ["Line"]
    at.segmented_control(key="detail_gantt_view").set_value("block").run()
    assert_ok(at)
    lanes = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["categoryarray"]
    assert lanes[0] == "Block 1" and len(lanes) > 1


def _cancelled_schedule(engine, user) -> int:
    """A schedule whose run was cancelled as soon as it planned (its best plan kept)."""
    import threading

    flag = threading.Event()
    return fill_runs.run_filling_schedule(
        engine, user=user, name="cut short", lots=ui.sample_lots(), config={"strategy": "smart-pack"},
        progress=lambda f, m: flag.set() if m.startswith("planning") else None, cancel=flag,
    )


def test_a_cancelled_run_says_so_and_shows_its_plan(engine, user):
    sid = _cancelled_schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    assert "cancelled (best found)" in at.caption[0].value.replace("\\", "")
    assert any("This run was cancelled" in w.value for w in at.warning)
    assert at.metric and at.get("plotly_chart")


def test_times_are_plant_time_named_with_their_zone_to_the_second(engine, user, monkeypatch):
    import json

    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_TIMEZONE", "Europe/Zagreb")
    get_settings.cache_clear()
    sid = fill_runs.run_filling_schedule(engine, user=user, name="z", lots=ui.sample_lots()[:5],
                                         config={"strategy": "smart-pack", "start_time": "2030-07-01T06:00"})
    stored = fill_history.get_schedule(engine, user=user, schedule_id=sid)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    captions = [c.value.replace("\\", "") for c in at.caption]
    created = ui.fmt_time(ui.plant_stamp(stored.schedule.created_at, "Europe/Zagreb"))
    assert any(f"created {created}" in c and "(Europe/Zagreb)" in c for c in captions)
    assert any("2030-07-01 06:00:00 → " in c and "plant time (Europe/Zagreb)" in c for c in captions)
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["start"]["label"] == "start (Europe/Zagreb)"
    assert columns["end"]["type_config"]["format"] == "YYYY-MM-DD HH:mm:ss"
    get_settings.cache_clear()


def _due_schedule(engine, user):
    from datetime import datetime

    from scheduler_core.filling import Lot

    lots = [
        Lot("A1", "A", 996_000, due=datetime(2026, 1, 7, 20)),
        Lot("A2", "A", 996_000),
        Lot("B1", "B", 199_200, priority=1, due=datetime(2026, 1, 6, 12)),
    ]
    return fill_runs.run_filling_schedule(engine, user=user, name="due", lots=lots,
                                          config={"strategy": "smart-pack", "start_time": "2026-01-05T00:00"})


def test_due_kpis_lateness_column_late_rows_marked_and_filter(engine, user):
    sid = _due_schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Late lots"], metrics["Tardiness"], metrics["Weighted tardiness"], metrics["Max lateness"]) == (
        "1", "40.0 h", "40.0 h", "40.0 h")
    shown = at.dataframe[0]
    table = shown.value
    fills = table[table["kind"] == "FILL"].set_index("lot_id")
    assert fills.loc["A1", "lateness_h"] == 40.0 and fills.loc["B1", "lateness_h"] == -2.0
    assert '"label": "lateness (h)"' in shown.proto.columns and '"format": "%.1f"' in shown.proto.columns
    assert "#fde0e0" in str(shown.proto.arrow_data.styler)  # the late row is marked
    at.toggle(key="detail_f_late").set_value(True).run()
    assert_ok(at)
    assert list(at.dataframe[0].value["lot_id"]) == ["A1"]


def test_no_due_dates_no_due_kpis_or_lateness_column(engine, user):
    sid = _schedule(engine, user)
    at = open_page(user, ui.PAGE_DETAIL, **{ui.DETAIL_KEY: sid})
    assert_ok(at)
    assert "Late lots" not in {m.label for m in at.metric}
    assert "lateness_h" not in at.dataframe[0].value.columns
    assert at.toggle(key="detail_f_late").disabled
