"""Profile: account details and password change."""

from webapp import ui, ui_auth

user = ui.require_user()  # the login form when opened without a session
ui_auth.profile_page(user)
