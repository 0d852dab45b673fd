"""The shared widgets: escaping, formats, the lots table, and ``guarded`` turning each kind of
service error into a message (run in Streamlit's AppTest)."""

from __future__ import annotations

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from scheduler_core.filling import Lot
from webapp.ui.widgets import (
    LATE_ROW_STYLE,
    counted,
    esc,
    fmt_hours,
    fmt_seconds,
    fmt_time,
    lots_frame,
    mark_late,
)


def test_escape_md():
    assert esc("*bold* <b>x</b> [l](u)") == r"\*bold\* \<b\>x\</b\> \[l\]\(u\)"
    assert esc(None) == ""


def test_formats():
    assert fmt_hours(1234.56) == "1,234.6 h" and fmt_hours(None) == "–"
    # a KPI card keeps a large figure whole
    assert fmt_hours(12.54) == "12.5 h"
    assert fmt_hours(12718.44, whole_from=1000) == "12,718 h" and fmt_hours(999.94, whole_from=1000) == "999.9 h"
    assert fmt_time(datetime(2026, 12, 1, 6, 5)) == "2026-12-01 06:05:00" and fmt_time(None) == "–"
    assert fmt_time(datetime(2026, 12, 1, 6, 5, 26, 747_000)) == "2026-12-01 06:05:27"  # as the exports round
    assert fmt_seconds(2.345) == "2.35 s" and fmt_seconds(0.004) == "4 ms"  # never "0.00 s"


def test_counted_pluralises_all_but_one():
    assert counted(1, "type") == "1 type" and counted(0, "type") == "0 types"
    assert counted(2, "lot") == "2 lots" and counted(1200, "vial") == "1,200 vials"


def _named_app():
    import streamlit as st

    from webapp.ui.widgets import follow_default

    choice = st.selectbox("strategy", ["best", "lpt-pack"], key="s")
    follow_default("name", f"ex.csv · {choice}")
    st.text_input("name", key="name")


def test_a_name_follows_its_default_until_the_user_types_one():
    at = AppTest.from_function(_named_app).run()
    assert at.text_input(key="name").value == "ex.csv · best"
    at.selectbox(key="s").set_value("lpt-pack").run()
    assert at.text_input(key="name").value == "ex.csv · lpt-pack"
    at.text_input(key="name").input("mine").run()
    at.selectbox(key="s").set_value("best").run()
    assert not at.exception and at.text_input(key="name").value == "mine"


def test_lots_frame_shows_optional_columns_only_when_used():
    plain = lots_frame([Lot("A", "X", 5)])
    assert list(plain.columns) == ["lot_id", "lot_type", "vials"]
    dated = lots_frame([Lot("A", "X", 5, due=datetime(2026, 12, 2))])
    assert list(dated.columns) == ["lot_id", "lot_type", "vials", "due"]
    released = lots_frame([Lot("A", "X", 5, priority=1, release=datetime(2026, 12, 1)), Lot("B", "X", 5)])
    assert list(released.columns) == ["lot_id", "lot_type", "vials", "priority", "release"]


def test_mark_late_marks_only_late_rows():
    import pandas as pd

    frame = pd.DataFrame({"lot_id": ["a", "b", "c", None], "lateness_h": [2.5, -1.0, None, 0.0]}, index=[10, 11, 12, 13])
    styles = mark_late(frame)._compute().ctx
    marked = {row for (row, _col), css in styles.items() if css}
    assert marked == {0}  # positions: only "a" is late
    plain = frame.drop(columns=["lateness_h"])
    assert mark_late(plain) is plain
    assert "background-color" in LATE_ROW_STYLE


def _guarded_app(kind: str, stop: bool) -> None:
    import sqlalchemy as sa
    import streamlit as st

    from webapp.errors import InputError, NotFound, Problem, RunFailed
    from webapp.ui.widgets import guarded

    errors = {
        "input": InputError([Problem("bad", 2, "Vials"), Problem("worse", 3, "Type")]),
        "run": RunFailed(7, InputError("lot 'L1' does not fit")),
        "missing": NotFound("schedule 9 not found"),
        "database": sa.exc.OperationalError("SELECT", {}, ConnectionRefusedError("Connection refused")),
        "one": InputError("no lots to schedule"),
        "none": None,
    }
    with guarded("Did not work", stop=stop):
        if errors[kind] is not None:
            raise errors[kind]
        st.success("inside")
    st.write("after")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("input", "Did not work: 2 problems"),
        ("run", "Schedule #7 failed (it is stored as failed in History)"),
        ("one", "Did not work: no lots to schedule"),
        ("missing", "schedule 9 not found"),
        ("database", "database could not be reached"),
    ],
)
def test_guarded_shows_each_kind_of_error(kind, message):
    at = AppTest.from_function(_guarded_app, args=(kind, False)).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert [m.value for m in at.markdown] == ["after"]  # the page goes on after the block


def test_one_problem_of_the_whole_input_is_one_line():
    at = AppTest.from_function(_guarded_app, args=("one", False)).run()
    assert not at.dataframe and [e.value for e in at.error] == ["Did not work: no lots to schedule"]


def test_guarded_details_and_stop():
    at = AppTest.from_function(_guarded_app, args=("input", True)).run()
    assert len(at.dataframe[0].value) == 2 and not at.markdown  # stopped after the table
    at = AppTest.from_function(_guarded_app, args=("run", False)).run()
    assert any("lot 'L1' does not fit" in t.value for t in at.text)
    at = AppTest.from_function(_guarded_app, args=("none", True)).run()
    assert not at.error and at.success[0].value == "inside" and at.markdown[0].value == "after"


def test_guarded_lets_programming_errors_through():
    def app():
        from webapp.ui.widgets import guarded

        with guarded("x"):
            raise KeyError("a bug")

    at = AppTest.from_function(app).run()
    assert at.exception and not at.error


def test_stored_utc_stamps_become_plant_time_and_plant_days_utc_bounds():
    from webapp.ui.widgets import WEB_TIME_FORMAT, plant_stamp, time_column, utc_bound

    stamp = datetime(2026, 7, 1, 22, 30, 5)  # stored UTC; Zagreb is UTC+2 in summer
    assert plant_stamp(stamp, "Europe/Zagreb") == datetime(2026, 7, 2, 0, 30, 5)
    assert plant_stamp(None, "Europe/Zagreb") is None
    assert utc_bound(datetime(2026, 7, 2), "Europe/Zagreb") == datetime(2026, 7, 1, 22, 0)
    assert utc_bound(plant_stamp(stamp, "America/New_York"), "America/New_York") == stamp
    column = time_column("start", "Europe/Zagreb")
    assert column["label"] == "start (Europe/Zagreb)" and column["type_config"]["format"] == WEB_TIME_FORMAT
    assert WEB_TIME_FORMAT == "YYYY-MM-DD HH:mm:ss"  # rows.TIME_FORMAT (%Y-%m-%d %H:%M:%S) in day.js notation
