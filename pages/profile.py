"""Profile: account details and password change."""

import streamlit as st

from webapp import ui_auth

user = ui_auth.current_user()
if user is None:
    st.stop()
ui_auth.profile_page(user)
