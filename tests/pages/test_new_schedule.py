"""New schedule: upload → preview / every row error → strategy → config → run."""

from __future__ import annotations

from tests.pages.conftest import ROOT, assert_ok, open_page
from webapp import ui
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs

GOOD = (ROOT / "data" / "sample_lots.csv").read_bytes()
BAD = (ROOT / "data" / "sample_lots_with_errors.csv").read_bytes()


def _set_time_limit(at, seconds: float = 1.0) -> None:
    for n in at.number_input:
        if n.label.startswith("Solver time limit"):
            n.set_value(seconds)


def test_bad_lots_show_every_problem_and_nothing_runs(user):
    at = open_page(user, ui.PAGE_NEW)
    assert_ok(at)
    at.file_uploader(key="new_upload").set_value(("bad.csv", BAD, "text/csv")).run()
    assert_ok(at)
    assert any("4 problems" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["row", "column", "reason"]
    assert list(problems["row"]) == [3, 4, 5, 6]
    assert not [b for b in at.button if b.key == "new_run"]


def test_upload_preview_and_run_stores_schedule(engine, user):
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("lots.csv", GOOD, "text/csv")).run()
    assert_ok(at)
    assert at.dataframe[0].value.shape[0] == 40
    assert "smart-pack" in at.selectbox(key="new_strategy").options
    at.selectbox(key="new_strategy").set_value("smart-pack")
    at.radio(key="new_cfg_source").set_value("Form")
    at.run()
    _set_time_limit(at)
    at.text_input(key="new_name").input("<b>first</b> plan")
    at.button(key="new_run").click().run()
    assert_ok(at)
    page, results = fill_history.list_schedules(engine, user=user)
    assert page.total == 1
    stored = page.items[0]
    assert stored.name == "<b>first</b> plan" and stored.status == "completed"
    assert stored.strategy == "smart-pack" and stored.file_name == "lots.csv"
    # switched to the detail page of the new schedule
    assert at.title[0].value == f"Schedule #{stored.id}"
    assert {m.label for m in at.metric} >= {"Makespan", "Lower bound", "Blocks", "Lots"}
    assert any(t.value == "<b>first</b> plan" for t in at.text)


def test_default_name_follows_strategy_and_file_until_the_user_types_one(user):
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("ex.csv", GOOD, "text/csv")).run()
    assert_ok(at)
    assert at.text_input(key="new_name").value == "ex.csv · best"
    at.selectbox(key="new_strategy").set_value("lpt-pack").run()
    assert at.text_input(key="new_name").value == "ex.csv · lpt-pack"
    at.file_uploader(key="new_upload").set_value(("other.csv", GOOD, "text/csv")).run()
    assert at.text_input(key="new_name").value == "other.csv · lpt-pack"
    at.text_input(key="new_name").input("my plan").run()
    at.selectbox(key="new_strategy").set_value("smart-pack").run()
    assert_ok(at)
    assert at.text_input(key="new_name").value == "my plan"  # typed by the user: kept
    at.text_input(key="new_name").input("").run()  # cleared: the default comes back
    assert at.text_input(key="new_name").value == "other.csv · smart-pack"


def test_caption_counts_are_pluralised(user):
    one = b"Lot ID,Type,Vials\nL1,A,1\n"
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("one.csv", one, "text/csv")).run()
    assert_ok(at)
    assert any(c.value.startswith("1 lot · 1 type · 1 vial") for c in at.caption)
    at.file_uploader(key="new_upload").set_value(("lots.csv", GOOD, "text/csv")).run()
    assert any(c.value.startswith("40 lots · ") for c in at.caption)


def test_failed_run_shows_error_and_is_stored(engine, user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(fill_runs, "plan", broken)
    lots = ui.sample_lots()
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "demo"}})
    assert_ok(at)
    at.selectbox(key="new_strategy").set_value("smart-pack").run()
    at.button(key="new_run").click().run()
    assert_ok(at)
    assert any("failed" in e.value for e in at.error)
    assert any("solver exploded" in t.value for t in at.text)
    page, _ = fill_history.list_schedules(engine, user=user)
    assert page.total == 1 and page.items[0].status == "failed"


def test_bad_config_upload_shows_problems(user):
    lots = ui.sample_lots()
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Upload YAML/JSON").run()
    assert_ok(at)
    bad = b"fill_rate_vph: -3\nwindow_hours: abc\nbogus: 1\n"
    at.file_uploader(key="new_cfg_cfg_upload").set_value(("c.yaml", bad, "text/yaml")).run()
    assert_ok(at)
    assert any("config file has problems" in e.value for e in at.error)
    assert at.dataframe[-1].value.shape[0] == 3
    assert at.button(key="new_run").disabled


def test_good_config_upload_is_used(user):
    lots = ui.sample_lots()
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Upload YAML/JSON").run()
    cfg = (ROOT / "data" / "sample_config.yaml").read_bytes()
    at.file_uploader(key="new_cfg_cfg_upload").set_value(("c.yaml", cfg, "text/yaml")).run()
    assert_ok(at)
    assert not at.error
    assert not at.button(key="new_run").disabled


def test_excel_upload_preview(user):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Lot ID", "Type", "Vials"])
    ws.append(["X-1", "A", 100_000])
    ws.append(["X-2", "B", 200_000])
    buf = io.BytesIO()
    wb.save(buf)
    at = open_page(user, ui.PAGE_NEW)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="new_upload").set_value(("lots.xlsx", buf.getvalue(), xlsx)).run()
    assert_ok(at)
    assert list(at.dataframe[0].value["lot_id"]) == ["X-1", "X-2"]
    assert not at.button(key="new_run").disabled


def test_viewer_cannot_create_or_delete(engine, user):
    from tests.pages.conftest import make_user
    from webapp import auth

    lots = ui.sample_lots()[:4]
    viewer = make_user(engine, "vera")
    fill_runs.run_filling_schedule(engine, user=viewer, name="v", lots=lots, config={"strategy": "as-given"})
    auth.set_role(engine, acting_user=user, user_id=viewer.id, role="viewer")
    at = open_page(viewer, ui.PAGE_NEW)
    assert_ok(at)
    assert any("Viewers" in w.value for w in at.warning)
    assert not at.file_uploader
    at = open_page(viewer, ui.PAGE_HISTORY)
    assert_ok(at)
    assert not [b for b in at.button if b.key == "hist_delete"]
    at = open_page(viewer, ui.PAGE_DETAIL)
    assert_ok(at)
    assert at.metric and not [b for b in at.button if b.key in ("detail_delete", "detail_rerun")]


def test_user_text_in_messages_is_escaped(user):
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("<b>x</b>.csv", BAD, "text/csv")).run()
    assert_ok(at)
    message = at.error[0].value
    assert "<b>" not in message and "\\<b\\>" in message


def test_lot_longer_than_the_window_is_refused_at_preview_and_matrix_typos_warned(engine, user):
    from scheduler_core.filling import Lot

    lots = [Lot("BIG", "A", 19920 * 200, row=2), Lot("S", "B", 1000, row=3)]
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "demo"}})
    assert_ok(at)
    assert any("cannot be planned with this configuration" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "new_run"]  # the page stops before Run: nothing stored
    assert fill_history.list_schedules(engine, user=user)[0].total == 0
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots[1:], "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Upload YAML/JSON").run()
    cfg = b"changeover_matrix:\n  B:\n    Bb: 2.0\n"
    at.file_uploader(key="new_cfg_cfg_upload").set_value(("c.yaml", cfg, "text/yaml")).run()
    assert_ok(at)
    assert any("names type 'Bb', which no lot has" in w.value and "did you mean 'B'?" in w.value for w in at.warning)
    assert not at.button(key="new_run").disabled  # a warning, not an error


def _ab_lots():
    from scheduler_core.filling import Lot

    return [Lot("A1", "A", 20000, row=2), Lot("B1", "B", 20000, row=3)]


def test_changeover_grid_over_the_lot_types_and_a_filled_cell_reaches_the_run(engine, user):
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": _ab_lots(), "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Form").run()
    assert_ok(at)
    grid = at.data_editor(key="new_cfg_form_matrix_grid")
    assert list(grid.value.index) == ["A", "B"] and list(grid.value.columns) == ["A", "B"]
    assert grid.value.isna().all().all()  # empty = the defaults
    assert any("empty = default 8.0 h between types, 4.0 h same type" in c.value for c in at.caption)
    at.session_state["new_cfg_form_matrix_grid"] = {
        "edited_rows": {0: {"B": 2.5}}, "added_rows": [], "deleted_rows": [],
    }
    at.run()
    assert_ok(at)
    _set_time_limit(at)
    at.selectbox(key="new_strategy").set_value("smart-pack")
    at.button(key="new_run").click().run()
    assert_ok(at)
    page, _ = fill_history.list_schedules(engine, user=user)
    stored = fill_history.get_schedule(engine, user=user, schedule_id=page.items[0].id)
    assert stored.schedule.status == "completed"
    assert stored.schedule.config["changeover_matrix"] == {"A": {"B": 2.5}}


def test_negative_cell_is_refused_and_blocks_the_run(engine, user):
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": _ab_lots(), "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Form").run()
    at.session_state["new_cfg_form_matrix_grid"] = {
        "edited_rows": {1: {"A": -1.0}}, "added_rows": [], "deleted_rows": [],
    }
    at.run()
    assert_ok(at)
    assert any("changeover matrix has problems" in e.value for e in at.error)
    assert at.button(key="new_run").disabled


def test_template_matrix_type_no_lot_has_is_in_the_grid_and_warned(engine, user):
    from webapp.filling import templates

    templates.create_template(engine, user=user, name="t", config={"changeover_matrix": {"A": {"Bx": 3.0}}},
                              is_default=True)
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": _ab_lots(), "file_name": "demo"}})
    assert_ok(at)
    assert at.radio(key="new_cfg_source").value == "Template"
    grid = [e for e in at.data_editor if e.key and e.key.endswith("_matrix_grid")][0].value
    assert list(grid.index) == ["A", "B", "Bx"] and grid.loc["A", "Bx"] == 3.0
    assert any("names type 'Bx', which no lot has" in w.value and "did you mean 'B'?" in w.value for w in at.warning)
    assert not at.button(key="new_run").disabled


def test_switching_to_a_yaml_file_and_back_keeps_the_typed_matrix(user):
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": _ab_lots(), "file_name": "demo"}})
    at.radio(key="new_cfg_source").set_value("Form").run()
    at.session_state["new_cfg_form_matrix_grid"] = {
        "edited_rows": {0: {"B": 2.5}}, "added_rows": [], "deleted_rows": [],
    }
    at.run()
    at.radio(key="new_cfg_source").set_value("Upload YAML/JSON").run()
    cfg = b"changeover_matrix:\n  B:\n    A: 1.5\n"
    at.file_uploader(key="new_cfg_cfg_upload").set_value(("c.yaml", cfg, "text/yaml")).run()
    assert_ok(at)
    grid = [e for e in at.data_editor if e.key and e.key.endswith("_matrix_grid")][0].value
    assert grid.loc["B", "A"] == 1.5 and grid.isna().sum().sum() == 3  # the file's matrix, nothing else
    at.radio(key="new_cfg_source").set_value("Form").run()
    assert_ok(at)
    grid = at.data_editor(key="new_cfg_form_matrix_grid").value
    assert grid.loc["A", "B"] == 2.5 and grid.isna().sum().sum() == 3


def test_the_page_names_the_plant_zone_and_a_run_without_a_start_begins_on_its_clock(engine, user, monkeypatch):
    from scheduler_core.zones import next_full_hour
    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_TIMEZONE", "Pacific/Kiritimati")
    get_settings.cache_clear()
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("lots.csv", GOOD, "text/csv")).run()
    at.selectbox(key="new_strategy").set_value("lpt-pack").run()
    assert any("plant time in **Pacific/Kiritimati**" in c.value.replace("\\", "") for c in at.caption)
    before = next_full_hour("Pacific/Kiritimati")
    at.button(key="new_run").click().run()
    assert_ok(at)
    (stored,) = fill_history.list_schedules(engine, user=user)[0].items
    result = fill_history.get_schedule(engine, user=user, schedule_id=stored.id).result
    assert result.start in {before, next_full_hour("Pacific/Kiritimati")}
    get_settings.cache_clear()


#: Issue 15's trade-off lots with a priority and a release; B2 is released after it is due.
DUE = (
    b"Lot ID,Type,Vials,Due,Priority,Release\n"
    b"A1,A,996000,2026-01-07 20:00,,\n"
    b"A2,A,996000,,3,2026-01-05 06:00\n"
    b"B1,B,199200,2026-01-06 12:00,1,\n"
    b"B2,B,19920,2026-01-09 00:00,2,2026-01-10 00:00\n"
)


def _fixed_start(at, key: str = "new_cfg_form") -> None:
    at.checkbox(key=f"{key}_fixed").check().run()
    from datetime import date, time

    at.date_input(key=f"{key}_date").set_value(date(2026, 1, 5))
    at.time_input(key=f"{key}_time").set_value(time(0, 0))


def test_due_priority_release_preview_warning_objective_and_run(engine, user):
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("due.csv", DUE, "text/csv")).run()
    at.radio(key="new_cfg_source").set_value("Form").run()
    assert_ok(at)
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["lot_id", "lot_type", "vials", "priority", "due", "release"]
    assert any("3 with a due date · 2 with a release" in c.value for c in at.caption)
    assert [w.value for w in at.warning] == [
        "row 5: lot 'B2' is released (2026-01-10 00:00) after it is due (2026-01-09 00:00): it will be late"]
    objective = at.selectbox(key="new_cfg_form_objective")
    assert objective.options == ["makespan (finish first)", "due dates (least late)"] and objective.value == "makespan"
    assert any(c.value.startswith("Makespan: finish all lots") for c in at.caption)
    objective.set_value("due").run()
    assert any(c.value.startswith("Due dates: the least weighted tardiness") for c in at.caption)
    at.selectbox(key="new_strategy").set_value("smart-pack").run()
    _fixed_start(at)
    at.button(key="new_run").click().run()
    assert_ok(at)
    page, results = fill_history.list_schedules(engine, user=user)
    stored = fill_history.get_schedule(engine, user=user, schedule_id=page.items[0].id)
    assert stored.schedule.config["objective"] == "due"
    assert stored.result.lots[3].release is not None and stored.result.kpis.late_lots >= 1  # B2 cannot be on time
    # the detail page it switched to shows the due KPIs and the lateness column
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Late lots"] == str(stored.result.kpis.late_lots)
    assert {"Tardiness", "Weighted tardiness", "Max lateness"} <= set(metrics)
    assert "lateness_h" in at.dataframe[0].value.columns


def test_bad_due_priority_release_are_row_errors_and_nothing_is_stored(engine, user):
    bad = (b"Lot ID,Type,Vials,Due,Priority,Release\n"
           b"A1,A,1000,soon,,\n"
           b"A2,A,1000,,0,\n"
           b"A3,A,1000,,,2026-02-30 10:00\n")
    at = open_page(user, ui.PAGE_NEW)
    at.file_uploader(key="new_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_ok(at)
    assert any("3 problems" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert list(zip(problems["row"], problems["column"], strict=True)) == [(2, "Due"), (3, "Priority"), (4, "Release")]
    assert not [b for b in at.button if b.key == "new_run"]
    assert fill_history.list_schedules(engine, user=user)[0].total == 0
