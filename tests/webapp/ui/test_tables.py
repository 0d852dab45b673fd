"""webapp.ui.tables: column formats derived from type and name; a table renders them."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from streamlit.testing.v1 import AppTest

from webapp.ui.tables import MISSING, column_formats


def _fmt(config) -> tuple[str, str | None]:
    """(column type, format) of one derived config."""
    return config["type_config"]["type"], config["type_config"].get("format")


def test_formats_follow_type_and_name():
    frame = pd.DataFrame({
        "work order": ["A", "B"],
        "lateness (h)": [1.25, None],
        "capacity_h": [7.5, 15.0],
        "urgency rank": [1, None],          # a count made float by a gap
        "sequence": [10, 20],
        "quantity": [1200, 5],
        "vials": [996000.0, 1.0],
        "share": [0.25, 0.5],
        "due": [date(2026, 1, 5), None],
        "start": [datetime(2026, 1, 5, 7), datetime(2026, 1, 5, 8, 30)],
        "done": [True, False],
    })
    formats = {c: _fmt(v) for c, v in column_formats(frame).items()}
    assert formats == {
        "lateness (h)": ("number", "%.1f"),
        "capacity_h": ("number", "%.1f"),
        "urgency rank": ("number", "%d"),
        "sequence": ("number", "%d"),
        "quantity": ("number", "localized"),
        "vials": ("number", "localized"),
        "share": ("number", "%.2f"),
        "due": ("date", "YYYY-MM-DD"),
        "start": ("datetime", "YYYY-MM-DD HH:mm"),
    }


def test_pandas_datetimes_and_text_only_columns():
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-01-05 07:00"]), "note": [None]})
    assert {c: _fmt(v) for c, v in column_formats(frame).items()} == {"at": ("datetime", "YYYY-MM-DD HH:mm")}


def _app():
    import pandas as pd

    from webapp.ui.tables import table

    table(pd.DataFrame({"lateness (h)": [1.25, None], "rank": [1, None]}),
          column_config={"rank": "Urgency rank"})


def test_table_renders_with_the_missing_mark_and_explicit_configs_win():
    at = AppTest.from_function(_app).run()
    assert not at.exception
    proto = at.dataframe[0].proto
    assert proto.placeholder == MISSING
    import json

    config = json.loads(proto.columns)
    assert config["lateness (h)"]["type_config"]["format"] == "%.1f"
    assert config["rank"]["label"] == "Urgency rank"


def test_underscored_names_are_headed_with_spaces():
    frame = pd.DataFrame({"work_center": ["TOK"], "lateness_h": [1.5], "plain": ["x"]})
    formats = column_formats(frame)
    assert formats["work_center"]["label"] == "work center"
    assert formats["lateness_h"]["label"] == "lateness h" and formats["lateness_h"]["type_config"]["format"] == "%.1f"
    assert "plain" not in formats
