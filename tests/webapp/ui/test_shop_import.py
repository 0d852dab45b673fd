"""The import and clear panels on the Work orders page (AppTest): the preview lists every
problem and what it skips, offers "import the valid rows" and "fix and upload again"; adding
shows the summary with the skipped order; replacing and clearing ask for confirmation with
the counts that go."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import xlsx
from tests.pages.conftest import app_env, assert_ok, click, engine, open_page, shows, user  # noqa: F401
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(bad_norma=-5) -> bytes:
    return xlsx({
        "work_centers": [["code", "name"], ["TOK", "Lathe"], ["GLO", "Mill"]],
        "work_orders": [["rn", "quantity"], ["N-1", 4], ["N-2", 2], ["N-3", 1]],
        "operations": [["rn", "sequence", "work_center", "norma"], ["N-1", 1, "TOK", 30], ["N-1", 2, "GLO", 20],
                       ["N-2", 1, "TOK", bad_norma], ["N-2", 2, "GLO", 5], ["N-3", 1, "GLO", 9]],
    })


def _upload(at, data: bytes, name="shop.xlsx", round_no=0):
    at.file_uploader(key=f"wo_import_upload_{round_no}").set_value((name, data, XLSX)).run()
    assert_ok(at)
    return at


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "success", "info", "markdown", "caption")
                    for e in getattr(at, kind))


def test_preview_offers_both_ways_and_partial_add_shows_the_summary(engine, user):  # noqa: F811
    at = _upload(open_page(user, session.PAGE_ORDERS), _xlsx())
    assert "The workbook has 1 problem(s)" in _texts(at)
    problems = at.dataframe[0].value
    assert list(problems.iloc[0]) == [4, "operations!norma", problems.iloc[0]["reason"]]
    skipped = at.dataframe[1].value
    assert list(skipped["which"]) == ["N-2"] and "operations!5" in skipped["rows left out"][0]
    assert at.button(key="wo_import_partial") and at.button(key="wo_import_again")
    assert at.radio(key="wo_import_mode").value == "add"
    click(at, "wo_import_partial")
    text = _texts(at)
    assert "Imported: 2 work orders added" in text and "Skipped 1 work order(s)" in text
    assert "2 work centers added (TOK, GLO)" in text
    assert list(at.dataframe[0].value["which"]) == ["N-2"]
    assert {o.rn for o in shop_planning.build_problem(engine, user=user, start=START).work_orders} == {"N-1", "N-3"}
    assert at.file_uploader(key="wo_import_upload_1") is not None  # an empty uploader for the next file


def test_fix_and_upload_again_empties_the_uploader(engine, user):  # noqa: F811
    at = _upload(open_page(user, session.PAGE_ORDERS), _xlsx())
    click(at, "wo_import_again")
    assert "wo_import_partial" not in [b.key for b in at.button]
    assert shop_planning.summary(engine, user=user).work_orders == 0
    _upload(at, _xlsx(bad_norma=5), round_no=1)
    assert "ready to import" in _texts(at)
    click(at, "wo_import_import")
    assert shop_planning.summary(engine, user=user).work_orders == 3


def test_replace_asks_for_confirmation_with_counts(engine, user):  # noqa: F811
    shop_imports.load_demo(engine, user=user, orders=7, work_centers=2, start=START)
    at = _upload(open_page(user, session.PAGE_ORDERS), _xlsx(bad_norma=5))
    at.radio(key="wo_import_mode").set_value("replace").run()
    assert "New work centers: TOK, GLO" in _texts(at)  # replacing creates every work center of the file
    click(at, "wo_import_import")
    assert "Replacing deletes the shop first: 7 work orders" in _texts(at)
    assert shop_planning.summary(engine, user=user).work_orders == 7  # nothing yet
    click(at, "wo_import_replace_yes")
    assert "were deleted first" in _texts(at)
    assert {o.rn for o in shop_planning.build_problem(engine, user=user, start=START).work_orders} == \
        {"N-1", "N-2", "N-3"}


def test_adding_a_flat_sheet_with_a_typo_names_the_nearest_work_center(engine, user):  # noqa: F811
    shop_imports.load_demo(engine, user=user, orders=3, work_centers=2, start=START)
    code = shop_planning.build_problem(engine, user=user, start=START).work_centers[0].code
    typo = code[:-1] + ("9" if code[-1] != "9" else "8")
    data = xlsx({"operations": [["RN", "norma", "radni_centar"], ["F-1", 10, typo], ["F-2", 10, code]]})
    at = _upload(open_page(user, session.PAGE_ORDERS), data)
    assert at.dataframe[0].value["reason"][0] == f"unknown work center '{typo}' — did you mean '{code}'?"
    assert "New work centers" not in _texts(at)
    click(at, "wo_import_partial")
    assert "0 work centers added" in _texts(at)


def test_clear_shop_asks_then_clears_and_the_demo_loads_again(engine, user):  # noqa: F811
    shop_imports.load_demo(engine, user=user, orders=6, work_centers=2, start=START)
    at = open_page(user, session.PAGE_ORDERS)
    click(at, "wo_import_clear")
    assert "This deletes the whole shop of your organisation: 6 work orders" in _texts(at)
    assert shop_planning.summary(engine, user=user).work_orders == 6
    click(at, "wo_import_clear_yes")
    assert shows(at.success, "The shop was cleared")
    assert shop_planning.summary(engine, user=user).work_orders == 0
    assert at.button(key="wo_demo_load")
