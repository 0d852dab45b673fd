"""Administration: users, roles, activation, password reset (admins only)."""

from webapp import ui, ui_auth

user = ui.require_user()  # the login form when opened without a session
ui_auth.admin_users_page(user)
