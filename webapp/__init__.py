"""Streamlit-side code of Production Scheduling Studio.

``webapp`` sits between the pages (``pages/``) and the scheduling package
(``scheduler_core``): settings, the database layer (``webapp.db``), accounts
(``webapp.auth``, ``webapp.ui_auth``) and the service layer (``webapp.services``) that runs
strategies and stores their results. Everything except ``ui_auth`` works without a
Streamlit runtime.
"""
