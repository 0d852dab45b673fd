"""Login / register page (the login gate in streamlit_app.py normally shows these forms)."""

from webapp.ui import login

login.login_page()
