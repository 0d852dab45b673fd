"""Streamlit-side code of Production Scheduling Studio.

``webapp`` sits between the pages (``pages/``) and the scheduling package
(``scheduler_core``): settings, who may do what (``access``), the services per problem
(``webapp.filling``, ``webapp.shop``) that hand pages frozen read models (``views``), the
database layer (``webapp.db``), accounts (``auth``), figures (``charts``) and the Streamlit
widgets (``webapp.ui``). Everything except ``webapp.ui`` works without a Streamlit runtime.
"""
