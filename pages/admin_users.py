"""Administration: users, roles, activation, password reset (admins only)."""

import streamlit as st

from webapp import ui_auth

user = ui_auth.current_user()
if user is None:
    st.stop()
ui_auth.admin_users_page(user)
