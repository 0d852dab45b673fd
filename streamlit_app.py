"""Production Scheduling Studio: entry point (``streamlit run streamlit_app.py``).

Page config, then inside the error boundary (an error id instead of a traceback; a page
saying the database cannot be reached): the login gate (exactly once per run, before
``st.navigation``) and the navigation — Filling pages, Shop pages, Account pages (Admin users
for admins only), above a page the notice of a run the user left on another page (it was
cancelled; what it stored); the default page is the dashboard of the problem the user worked on last.
Logged out, only the login/register page exists.
"""

import streamlit as st

from webapp import home, ui
from webapp.access import is_admin
from webapp.ui import login
from webapp.ui.boundary import error_boundary

st.set_page_config(page_title="Production Scheduling Studio", page_icon=":material/science:", layout="wide")


def main() -> None:
    """Login gate, then the navigation of the logged-in user's pages."""
    engine = ui.get_engine()
    user = login.login_gate(engine)
    if user is None:
        st.stop()

    login.user_badge(user)
    login.logout_button()
    # Land on the dashboard of the problem the user worked on last (filling when none yet),
    # decided once per login, not on every rerun of the session.
    landing = st.session_state.get(login.LANDING_KEY)
    if landing is None or landing[0] != user.id:
        landing = st.session_state[login.LANDING_KEY] = (user.id, home.last_used_problem(engine, user=user))
    shop_first = landing[1] == "shop"

    sections: dict[str, list] = {
        "Filling": [
            st.Page("pages/dashboard.py", title="Dashboard", icon=":material/dashboard:", default=not shop_first),
            st.Page("pages/new_schedule.py", title="New schedule", icon=":material/add_circle:"),
            st.Page("pages/schedule_detail.py", title="Schedule detail", icon=":material/insights:"),
            st.Page("pages/history.py", title="History", icon=":material/history:"),
            st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
            st.Page("pages/filling_whatif.py", title="Filling what-if", icon=":material/science:"),
            st.Page("pages/templates.py", title="Config templates", icon=":material/tune:"),
        ],
        "Shop": [
            st.Page("pages/shop_dashboard.py", title="Shop dashboard", icon=":material/factory:", default=shop_first),
            st.Page("pages/shop_work_orders.py", title="Work orders", icon=":material/assignment:"),
            st.Page("pages/shop_board.py", title="Scheduling board", icon=":material/view_timeline:"),
            st.Page("pages/shop_machines.py", title="Machines", icon=":material/precision_manufacturing:"),
            st.Page("pages/shop_products.py", title="Products & plants", icon=":material/category:"),
            st.Page("pages/shop_whatif.py", title="What-if", icon=":material/science:"),
        ],
        "Account": [st.Page("pages/profile.py", title="Profile", icon=":material/person:")],
    }
    if is_admin(user):
        sections["Account"].append(
            st.Page("pages/admin_users.py", title="Admin users", icon=":material/admin_panel_settings:")
        )

    page = st.navigation(sections, expanded=True)
    ui.stopped_run_notice(page.url_path, own=False)  # a run the user left for this page: cancelled
    page.run()


with error_boundary():  # no traceback reaches a user: an error id, or "database unreachable"
    main()
