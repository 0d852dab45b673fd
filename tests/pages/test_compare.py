"""Compare: run several strategies on one input, best marked, saved and reopened."""

from __future__ import annotations

from tests.pages.conftest import ROOT, assert_ok, open_page
from webapp import services, ui


def _pick(at, strategies):
    at.checkbox(key="cmp_all").uncheck().run()
    at.multiselect(key="cmp_strategies").set_value(strategies).run()


def test_empty_state(user):
    at = open_page(user, ui.PAGE_COMPARE)
    assert_ok(at)
    assert any("No comparisons yet" in i.value for i in at.info)


def test_run_comparison_on_demo_data_is_saved_and_shown(engine, user):
    at = open_page(user, ui.PAGE_COMPARE)
    _pick(at, ["smart-pack", "lpt-pack", "as-given"])
    at.text_input(key="cmp_name").input("demo comparison")
    at.button(key="cmp_run").click().run()
    assert_ok(at)
    page = services.list_comparisons(engine, user=user)
    assert page.total == 1
    comparison, runs = services.get_comparison(engine, user=user, comparison_id=page.items[0].id)
    assert comparison.name == "demo comparison"
    assert set(runs) == {"smart-pack", "lpt-pack", "as-given"}
    table = at.dataframe[-1].value
    assert list(table["strategy"]) == ["smart-pack", "lpt-pack", "as-given"]
    assert (table["best"] == "★").sum() == 1
    best = table.loc[table["best"] == "★", "makespan_h"].iloc[0]
    assert best == table["makespan_h"].min()
    assert len(at.get("plotly_chart")) == 3  # bar chart + two Gantts

    # reopen in a fresh session
    at = open_page(user, ui.PAGE_COMPARE)
    assert_ok(at)
    assert list(at.dataframe[-1].value["strategy"]) == ["smart-pack", "lpt-pack", "as-given"]


def test_upload_and_existing_schedule_inputs(engine, user):
    at = open_page(user, ui.PAGE_COMPARE)
    at.radio(key="cmp_source").set_value("Upload a file").run()
    bad = (ROOT / "data" / "sample_lots_with_errors.csv").read_bytes()
    at.file_uploader(key="cmp_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_ok(at)
    assert any("4 problems" in e.value for e in at.error)
    assert at.button(key="cmp_run").disabled

    lots = ui.parse_lots(ui.SAMPLE_LOTS)[:5]
    services.run_filling_schedule(engine, user=user, name="s", lots=lots, strategy="as-given")
    at = open_page(user, ui.PAGE_COMPARE)
    at.radio(key="cmp_source").set_value("Lots of an existing schedule").run()
    _pick(at, ["smart-pack", "spt-pack"])
    at.button(key="cmp_run").click().run()
    assert_ok(at)
    comparison = services.list_comparisons(engine, user=user).items[0]
    assert len(comparison.input_data) == 5
