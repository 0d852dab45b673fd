"""Production Scheduling Studio: entry point (``streamlit run streamlit_app.py``).

Page config, the login gate (exactly once per run, before ``st.navigation``), then the
navigation: Filling pages, Shop pages, Account pages (Admin users for admins only). Logged
out, only the login/register page exists.
"""

import streamlit as st

from webapp import ui
from webapp.access import is_admin
from webapp.ui import login

st.set_page_config(page_title="Production Scheduling Studio", page_icon=":material/science:", layout="wide")

engine = ui.get_engine()
user = login.login_gate(engine)
if user is None:
    st.stop()

login.user_badge(user)
login.logout_button()

sections: dict[str, list] = {
    "Filling": [
        st.Page("pages/dashboard.py", title="Dashboard", icon=":material/dashboard:", default=True),
        st.Page("pages/new_schedule.py", title="New schedule", icon=":material/add_circle:"),
        st.Page("pages/schedule_detail.py", title="Schedule detail", icon=":material/insights:"),
        st.Page("pages/history.py", title="History", icon=":material/history:"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("pages/templates.py", title="Config templates", icon=":material/tune:"),
    ],
    "Shop": [
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

st.navigation(sections).run()
