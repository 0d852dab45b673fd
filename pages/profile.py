"""Profile: account details and password change."""

from webapp import ui
from webapp.ui import account

user = ui.require_user()  # the login form when opened without a session
account.profile_page(user)
