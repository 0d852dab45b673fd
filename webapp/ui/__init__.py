"""The Streamlit side of the app, used by ``pages/`` and ``streamlit_app.py``.

``session`` (engine, user, session keys, page paths), ``widgets`` (formats, counts, KPI
cards, a name that follows its default, the input-error table and :func:`guarded`, the one
error guard of every page), ``progress`` (worker thread -> ``st.progress``, the Cancel button,
the notice after a stopped run), ``uploads``, ``config_editor``, ``login`` / ``account``
(accounts), ``shop_widgets`` (the shop pages' tables and panels), ``shop_charts`` (their
Gantt and load panels), ``tables`` (:func:`table`: every table with formats derived from its
columns), ``boundary`` (the app's error boundary).

The names a page needs most are re-exported here (``ui.guarded``, ``ui.get_engine`` …).
"""

from webapp.ui.config_editor import config_editor
from webapp.ui.progress import (
    ProgressHolder,
    comparison_progress,
    final_comparison_status,
    run_comparison,
    run_schedule,
    run_with_progress,
    stepped,
    stopped_run_notice,
)
from webapp.ui.session import (
    COMPARISON_KEY,
    DETAIL_KEY,
    LOTS_KEY,
    PAGE_COMPARE,
    PAGE_DETAIL,
    PAGE_FILL_WHATIF,
    PAGE_HISTORY,
    PAGE_NEW,
    PAGE_TEMPLATES,
    get_engine,
    id_from_text,
    open_schedule,
    require_user,
)
from webapp.ui.tables import editor, table
from webapp.ui.uploads import SAMPLE_LOTS, load_demo_lots, parse_upload, sample_lots, upload_bytes
from webapp.ui.widgets import (
    BOUND_HELP,
    counted,
    esc,
    fmt_hours,
    fmt_time,
    follow_default,
    guarded,
    kpi_cards,
    lots_frame,
    mark_late,
    plant_stamp,
    show_input_error,
    strategy_select,
    time_column,
    utc_bound,
)

__all__ = [
    "BOUND_HELP",
    "COMPARISON_KEY",
    "DETAIL_KEY",
    "LOTS_KEY",
    "PAGE_COMPARE",
    "PAGE_DETAIL",
    "PAGE_FILL_WHATIF",
    "PAGE_HISTORY",
    "PAGE_NEW",
    "PAGE_TEMPLATES",
    "SAMPLE_LOTS",
    "ProgressHolder",
    "comparison_progress",
    "config_editor",
    "counted",
    "editor",
    "esc",
    "final_comparison_status",
    "fmt_hours",
    "fmt_time",
    "follow_default",
    "get_engine",
    "guarded",
    "id_from_text",
    "kpi_cards",
    "load_demo_lots",
    "lots_frame",
    "mark_late",
    "open_schedule",
    "parse_upload",
    "plant_stamp",
    "require_user",
    "run_comparison",
    "run_schedule",
    "run_with_progress",
    "sample_lots",
    "show_input_error",
    "stepped",
    "stopped_run_notice",
    "strategy_select",
    "table",
    "time_column",
    "upload_bytes",
    "utc_bound",
]
