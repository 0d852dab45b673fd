"""Login / register page (the login gate in streamlit_app.py normally shows these forms)."""

from webapp import ui_auth

ui_auth.login_page()
