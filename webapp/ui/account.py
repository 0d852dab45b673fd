"""Streamlit pages of an account: the profile (name, email, password change) and, for
admins, user management (registrations awaiting approval, roles, activation, password
reset). All user text is shown with
dataframes or ``st.text``-like calls."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from webapp import auth
from webapp.access import is_admin
from webapp.errors import PermissionDenied
from webapp.ui.login import COOKIE_OBJ, engine_or_default, start_session
from webapp.ui.tables import table


def profile_page(user: auth.SessionUser, engine: Engine | None = None) -> None:
    """Body of the profile page: account details, name/email, password change."""
    engine = engine_or_default(engine)
    st.header("Profile")
    table(
        pd.DataFrame(
            [
                {"field": "Username", "value": user.username},
                {"field": "Role", "value": user.role},
                {"field": "Name", "value": user.name},
                {"field": "Email", "value": user.email},
            ]
        ),
        hide_index=True,
    )
    with st.form("pss_profile_form"):
        name = st.text_input("Full name", value=user.name)
        email = st.text_input("Email", value=user.email)
        saved = st.form_submit_button("Save profile")
    if saved:
        try:
            auth.update_profile(engine, user_id=user.id, email=email, name=name)
        except (auth.AuthError, PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.success("Profile saved.")

    st.subheader("Change password")
    with st.form("pss_password_form", clear_on_submit=True):
        old = st.text_input("Current password", type="password")
        new = st.text_input("New password", type="password", autocomplete="new-password")
        repeat = st.text_input("Repeat new password", type="password")
        changed = st.form_submit_button("Change password")
    if changed:
        if new != repeat:
            st.error("The two new passwords differ.")
            return
        try:
            auth.change_password(engine, user_id=user.id, old_password=old, new_password=new)
        except (auth.AuthError, PermissionDenied) as exc:
            for problem in getattr(exc, "problems", [str(exc)]):
                st.error(problem)
        else:
            # refresh this browser's cookie (old cookies elsewhere stop working)
            cookie = st.session_state.get(COOKIE_OBJ)
            fresh = auth.get_active_user(engine, user_id=user.id)
            if cookie is not None and fresh is not None:
                start_session(fresh, cookie)
            st.success("Password changed.")


def admin_users_page(user: auth.SessionUser, engine: Engine | None = None) -> None:
    """Body of the admin page: registrations awaiting approval (Approve / Reject), then
    list users, change roles, (de)activate, reset passwords."""
    engine = engine_or_default(engine)
    st.header("Users")
    if not is_admin(user):
        st.error("Only administrators can manage users.")
        return
    pending_registrations(user, engine)
    page_size = 50
    page_no = st.number_input("Page", min_value=1, value=1, step=1, key="pss_users_page")
    search = st.text_input("Search username", key="pss_users_search")
    page = auth.list_users(
        engine,
        acting_user=user,
        limit=page_size,
        offset=(int(page_no) - 1) * page_size,
        name_contains=search or None,
    )
    st.caption(f"{page.total} users")
    table(
        pd.DataFrame(
            [
                {
                    "id": u.id,
                    "username": u.username,
                    "name": u.name,
                    "email": u.email,
                    "role": u.role,
                    "active": u.active,
                    "approval": u.approval,
                    "created (UTC)": u.created_at,
                    "last login (UTC)": u.last_login_at,
                    "failed logins": u.failed_logins,
                    "locked until (UTC)": u.locked_until,
                }
                for u in page.items
            ]
        ),
        hide_index=True,
    )
    if not page.items:
        return
    by_id = {u.id: u for u in page.items}
    target_id = st.selectbox(
        "User", options=list(by_id), format_func=lambda i: by_id[i].username, key="pss_admin_sel"
    )
    target = by_id[target_id]
    col_role, col_active = st.columns(2)
    with col_role, st.form("pss_admin_role"):
        role = st.selectbox("Role", auth.ROLES, index=auth.ROLES.index(target.role))
        if st.form_submit_button("Set role"):
            _admin_action(
                lambda: auth.set_role(engine, acting_user=user, user_id=target.id, role=role),
                "Role updated.",
            )
    with col_active, st.form("pss_admin_active"):
        active = st.checkbox("Active", value=target.active)
        if st.form_submit_button("Apply"):
            _admin_action(
                lambda: auth.set_active(engine, acting_user=user, user_id=target.id, active=active),
                "Account updated.",
            )
    with st.form("pss_admin_reset", clear_on_submit=True):
        new_password = st.text_input("New password for this user", type="password")
        if st.form_submit_button("Reset password"):
            _admin_action(
                lambda: auth.admin_reset_password(
                    engine, acting_user=user, user_id=target.id, new_password=new_password
                ),
                "Password reset; the user's lock-out is cleared.",
            )


def pending_registrations(user: auth.SessionUser, engine: Engine) -> None:
    """The accounts awaiting approval, each with Approve and Reject (nothing when none).
    A decision reruns the page, so the list is re-read; its outcome is shown once."""
    flash = st.session_state.pop(_REVIEW_FLASH, None)
    if flash:
        st.success(flash)
    waiting = auth.list_users(engine, acting_user=user, limit=100, approval="pending")
    if not waiting.items:
        return
    st.subheader(f"Awaiting approval ({waiting.total})")
    for account in waiting.items:
        text, approve_col, reject_col = st.columns([4, 1, 1])
        text.text(f"{account.username} · {account.name or '–'} · {account.email} · "
                  f"registered {account.created_at:%Y-%m-%d %H:%M} UTC")
        approve = approve_col.button("Approve", key=f"pss_approve_{account.id}", type="primary")
        reject = reject_col.button("Reject", key=f"pss_reject_{account.id}")
        if not (approve or reject):
            continue
        done = _admin_action(
            lambda a=account, yes=approve: auth.review_registration(engine, acting_user=user, user_id=a.id, approve=yes),
            None,
        )
        if done:
            outcome = "can log in now" if approve else "was rejected"
            st.session_state[_REVIEW_FLASH] = f"{account.username} {outcome}."
            st.rerun()


_REVIEW_FLASH = "pss_review_flash"


def _admin_action(action, ok_message: str | None) -> bool:
    """Run an admin action; show its problems or ``ok_message``. Returns whether it
    succeeded."""
    try:
        action()
    except (auth.AuthError, PermissionDenied, LookupError) as exc:
        for problem in getattr(exc, "problems", [str(exc)]):
            st.error(problem)
        return False
    if ok_message:
        st.success(ok_message)
    return True
