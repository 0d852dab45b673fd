"""Where a page stands: the process-wide engine, the logged-in user, the ``st.session_state``
keys pages share, the page paths, and going to a schedule's detail page."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from webapp import app_start, auth
from webapp.ui import login

#: session_state keys shared between pages
LOTS_KEY = "pss_new_lots"  # {"lots": [Lot...], "file_name": str} preloaded into New schedule
DETAIL_KEY = "pss_detail_schedule_id"
COMPARISON_KEY = "pss_open_comparison_id"
CANDIDATE_KEY = "shop_candidate"  # the proposed (not yet accepted) plan on the board

PAGE_NEW = "pages/new_schedule.py"
PAGE_DETAIL = "pages/schedule_detail.py"
PAGE_HISTORY = "pages/history.py"
PAGE_COMPARE = "pages/compare.py"
PAGE_TEMPLATES = "pages/templates.py"
PAGE_DASHBOARD = "pages/dashboard.py"
PAGE_SHOP_DASHBOARD = "pages/shop_dashboard.py"
PAGE_ORDERS = "pages/shop_work_orders.py"
PAGE_BOARD = "pages/shop_board.py"
PAGE_MACHINES = "pages/shop_machines.py"
PAGE_PRODUCTS = "pages/shop_products.py"
PAGE_WHATIF = "pages/shop_whatif.py"
PAGE_FILL_WHATIF = "pages/filling_whatif.py"


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """The migrated process-wide engine (``app_start.init_app`` once per process)."""
    return app_start.init_app()


def require_user() -> auth.SessionUser:
    """The logged-in user, or stop the page (the login gate shows the forms)."""
    user = login.current_user(get_engine())
    if user is None:
        login.through_login_gate()
        st.info("Please log in.")
        st.stop()
    return user


def id_from_text(raw: str | None) -> int | None:
    """The integer a URL parameter spells (``-1`` included), or ``None`` when it spells none."""
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def open_schedule(schedule_id: int) -> None:
    """Go to the detail page of a schedule."""
    st.session_state[DETAIL_KEY] = int(schedule_id)
    st.switch_page(PAGE_DETAIL, query_params={"id": str(int(schedule_id))})
