"""Administration: users, roles, activation, password reset (admins only)."""

from webapp import ui
from webapp.ui import account

user = ui.require_user()  # the login form when opened without a session
account.admin_users_page(user)
