"""Streamlit widgets of logging in: the login gate (login/register forms, re-login from the
signed cookie), logout and the user badge. Profile and admin pages are in ``ui.account``.

How it fits together (see :mod:`webapp.auth` for why the DB, not a credentials dict, is
the source of truth):

* ``streamlit_app.py`` calls :func:`login_gate` **once at the top of every run**, before
  ``st.navigation``. It returns the logged-in :class:`~webapp.auth.SessionUser` (re-read
  from the DB on every run, so a deactivation or role change applies at once), or renders
  the login/register forms and returns ``None`` (then ``st.stop()``).
* Re-login after a browser reload uses streamlit-authenticator's cookie model: a JWT
  signed with the cookie key from :func:`webapp.settings.cookie_key`, holding the username
  and the user's token version. Logout, a password change and an admin reset bump the
  version in the DB, so every cookie issued before — also a copy taken elsewhere — stops
  working.
* :func:`logout_button` only *requests* the logout (button callback); the next run's
  :func:`login_gate` revokes the cookies (:func:`webapp.auth.end_sessions`), deletes this
  browser's cookie and clears the session before anything else.
* Failed logins are counted per client (:func:`client_address`): the socket's address, or,
  behind ``PSS_PROXY_HOPS`` reverse proxies that each append to ``X-Forwarded-For``, the
  address the outermost of them saw.
* Who may register follows ``PSS_REGISTRATION``: ``closed`` shows no registration form,
  ``approval`` tells the user the account waits for an admin.

All text a user typed is shown with ``st.text``/dataframes or escaped.
"""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy.engine import Engine

from webapp import auth
from webapp.db.engine import get_engine
from webapp.settings import cookie_key, get_settings
from webapp.ui.widgets import esc

log = logging.getLogger(__name__)

_USER_KEY = "pss_user_id"
_LOGOUT_REQUEST = "pss_logout_requested"
#: session_state key of the login's landing dashboard, ``(user id, problem)``; a logout drops it.
LANDING_KEY = "pss_landing"
#: session_state key of this session's cookie model (``ui.account`` refreshes it).
COOKIE_OBJ = "pss_cookie_model"


#: the client of a login from this machine (Streamlit gives no address for localhost)
LOCAL_CLIENT = "local"


def client_address(ip_address: str | None, forwarded_for: str | None, *, proxy_hops: int) -> str:
    """The address a login comes from. With ``proxy_hops`` trusted reverse proxies in
    front of the app, each appending the address it saw to ``X-Forwarded-For``, that is the
    ``proxy_hops``-th entry from the right (entries further left are the client's own claim
    and are ignored); without proxies (or a header shorter than that) the socket's address."""
    if proxy_hops > 0:
        chain = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
        if len(chain) >= proxy_hops:
            return chain[-proxy_hops]
    return ip_address or LOCAL_CLIENT


def current_client() -> str:
    """The address this session's login comes from (see :func:`client_address`)."""
    ip = st.context.ip_address
    return client_address(
        ip if isinstance(ip, str) else None,  # Streamlit's test runner has no socket
        st.context.headers.get("X-Forwarded-For"),
        proxy_hops=get_settings().proxy_hops,
    )


_COOKIE_FRAME = "extra_streamlit_components.CookieManager.cookie_manager"


def _hide_cookie_frames() -> None:
    """Hide the cookie component's iframe (it has nothing to show). A style-only ``st.html``
    goes to the event container, so this rule itself takes no room either."""
    st.html(
        "<style>"
        f'[data-testid="stElementContainer"]:has(iframe[title="{_COOKIE_FRAME}"])'
        "{display:none}"
        "</style>"
    )


def _cookie_manager():
    """extra-streamlit-components' CookieManager, rendered only where a cookie is set or
    deleted, and hidden there.

    The stock manager renders a 'getAll' component as soon as it is built, i.e. on every
    run: an empty box above the login form (and every page) and an extra rerun when it
    reports. Reading needs no component (``CookieModel.get_cookie`` reads
    ``st.context.cookies``), so this one skips it."""
    from extra_streamlit_components.CookieManager import CookieManager, _component_func

    class _Manager(CookieManager):
        def __init__(self) -> None:  # no 'getAll' component run
            self.cookie_manager = _component_func
            self.cookies = dict(st.context.cookies)

        def _remove_extra_spacing(self) -> None:  # its CSS targets an old Streamlit DOM
            _hide_cookie_frames()

        def delete(self, cookie, key="delete"):
            _hide_cookie_frames()
            self.cookies.setdefault(cookie, "")
            super().delete(cookie, key=key)

    return _Manager()


def _cookie_model():
    """streamlit-authenticator's CookieModel, extended with the user's token version; its
    cookie component is created on first use (set/delete), not on every run."""
    from streamlit_authenticator.models.cookie_model import CookieModel

    class _Cookie(CookieModel):
        token_version: int | None = None

        def __init__(self, *, cookie_name: str, cookie_key: str, cookie_expiry_days: float) -> None:
            # not CookieModel.__init__: that renders the cookie component at once
            self.cookie_name = cookie_name
            self.cookie_key = cookie_key
            self.cookie_expiry_days = cookie_expiry_days
            self.token = None
            self.exp_date = None
            self._manager = None

        @property
        def cookie_manager(self):
            if self._manager is None:
                self._manager = _cookie_manager()
            return self._manager

        def _token_encode(self) -> str:  # same JWT plus the token version
            import jwt

            payload = {
                "username": st.session_state["username"],
                "exp_date": self.exp_date,
                "tv": self.token_version,
            }
            return jwt.encode(payload, self.cookie_key, algorithm="HS256")

    settings = get_settings()
    return _Cookie(
        cookie_name=settings.cookie_name,
        cookie_key=cookie_key(settings),
        cookie_expiry_days=settings.cookie_expiry_days,
    )


def engine_or_default(engine: Engine | None) -> Engine:
    """``engine``, or the process-wide engine of the settings."""
    return engine if engine is not None else get_engine()


def start_session(user, cookie) -> auth.SessionUser:
    """Log ``user`` in for this session and (re)set the re-login cookie."""
    st.session_state[_USER_KEY] = user.id
    st.session_state["username"] = user.username
    st.session_state["logout"] = False
    if cookie is not None:
        cookie.token_version = user.token_version
        try:
            cookie.set_cookie()
        except Exception:  # a cookie failure must not block the login
            log.warning("could not set the re-login cookie", exc_info=True)
    return auth.SessionUser.of(user)


def _end_session(cookie, engine: Engine | None = None) -> None:
    """End this session; with ``engine`` (a logout) also revoke every re-login cookie."""
    user_id = st.session_state.get(_USER_KEY)
    if engine is not None and user_id is not None:
        auth.end_sessions(engine, user_id=user_id)
    if cookie is not None:
        try:
            cookie.delete_cookie()
        except Exception:  # no cookie to delete
            log.debug("no re-login cookie to delete", exc_info=True)
    for key in (_USER_KEY, "username", _LOGOUT_REQUEST, LANDING_KEY):
        st.session_state.pop(key, None)
    # CookieModel.get_cookie() returns nothing while this flag is set (this session)
    st.session_state["logout"] = True


def _user_from_cookie(engine: Engine, cookie):
    token = cookie.get_cookie()
    if not token or "username" not in token:
        return None
    user = auth.get_active_user(engine, username=token["username"])
    if user is None or token.get("tv") != user.token_version:
        return None
    return user


def through_login_gate() -> None:
    """Until some session has called ``st.navigation``, Streamlit treats the ``pages/``
    folder the legacy way: a page URL (``/history``) opened on a freshly started server runs
    that page script *alone*, without ``streamlit_app.py`` and its login gate (the sidebar
    then lists every file of ``pages/``). Leave that mode and rerun, so the main script
    runs: its gate shows the login form (or re-logs in from the cookie) and, once logged
    in, the page that was asked for."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without the legacy mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False  # what st.navigation itself does
        st.rerun()


def current_user(engine: Engine | None = None) -> auth.SessionUser | None:
    """The logged-in user of this session (re-read from the DB), without rendering."""
    user_id = st.session_state.get(_USER_KEY)
    if user_id is None:
        return None
    user = auth.get_active_user(engine_or_default(engine), user_id=user_id)
    return auth.SessionUser.of(user) if user is not None else None


def login_gate(engine: Engine | None = None) -> auth.SessionUser | None:
    """Call once per run at the top of the app. See the module docstring."""
    engine = engine_or_default(engine)
    st.session_state.setdefault("logout", False)
    cookie = _cookie_model()
    st.session_state[COOKIE_OBJ] = cookie

    if st.session_state.get(_LOGOUT_REQUEST):
        _end_session(cookie, engine)
    elif st.session_state.get(_USER_KEY) is not None:
        user = current_user(engine)
        if user is not None:
            return user
        _end_session(cookie)  # deactivated or deleted meanwhile
        st.warning("Your session ended: the account is no longer active.")
    else:
        user = _user_from_cookie(engine, cookie)
        if user is not None:
            st.session_state[_USER_KEY] = user.id
            st.session_state["username"] = user.username
            return auth.SessionUser.of(user)

    _no_page_list()
    return _render_login(engine, cookie)


def _logged_out() -> None:
    """The only page while logged out (never run: the gate renders the forms itself)."""


def _no_page_list() -> None:
    """Logged out, the app stops before its ``st.navigation``, and Streamlit would then list
    the files of ``pages/`` in the sidebar (each a dead end that only says "log in"). A
    hidden navigation prevents that; it still knows those files, so a link to one of them
    shows the login form (no "page not found") and, once logged in, that page."""
    from pathlib import Path

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    pages = [st.Page(_logged_out, title="Log in", default=True)]
    ctx = get_script_run_ctx()
    folder = Path(ctx.main_script_path).parent / "pages" if ctx is not None else None
    if folder is not None and folder.is_dir():
        pages += [st.Page(path) for path in sorted(folder.glob("*.py"))]
    st.navigation(pages, position="hidden")


def _render_login(engine: Engine, cookie) -> auth.SessionUser | None:
    placeholder = st.empty()
    with placeholder.container():
        user = _login_and_register_forms(engine)
    if user is None:
        return None
    placeholder.empty()
    # outside the (now emptied) placeholder, so the cookie component really renders
    return start_session(user, cookie)


def login_page(engine: Engine | None = None) -> auth.SessionUser | None:
    """Body of a stand-alone login page, for apps where :func:`login_gate` did not render
    the forms: shows who is logged in, or the login/register forms."""
    engine = engine_or_default(engine)
    user = current_user(engine)
    if user is not None:
        st.success(f"Logged in as {user.username}.")
        logout_button(location="main")
        return user
    return _render_login(engine, st.session_state.get(COOKIE_OBJ))


def _login_and_register_forms(engine: Engine):
    st.title("Production Scheduling Studio")
    mode = get_settings().registration
    if mode == "closed":
        login_tab, register_tab = st.container(), None
    else:
        login_tab, register_tab = st.tabs(["Log in", "Register"])
    with login_tab, st.form("pss_login_form"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        try:
            return auth.authenticate(engine, username=username, password=password, client=current_client())
        except auth.LoginError as exc:
            login_tab.error(str(exc))
    if register_tab is None:
        login_tab.caption("Registration is closed: ask an administrator for an account.")
    else:
        with register_tab:
            register_form(engine)
    return None


def register_form(engine: Engine | None = None) -> None:
    """The registration form, as ``PSS_REGISTRATION`` allows (open: usable at once, the
    first account on the SQLite default becomes the administrator; approval: the account
    waits for an admin)."""
    engine = engine_or_default(engine)
    with st.form("pss_register_form", clear_on_submit=False):
        username = st.text_input("Username", help="3-32 letters, digits, '.', '_' or '-'")
        name = st.text_input("Full name")
        email = st.text_input("Email")
        password = st.text_input(
            "Password",
            type="password",
            help=f"At least {auth.MIN_PASSWORD} characters with a letter and a digit, and hard to "
            "guess (several uncommon words, not your name)",
            autocomplete="new-password",
        )
        repeat = st.text_input("Repeat password", type="password", autocomplete="new-password")
        submitted = st.form_submit_button("Create account")
    if not submitted:
        return
    if password != repeat:
        st.error("The two passwords differ.")
        return
    try:
        user = auth.register_user(
            engine, username=username, email=email, password=password, name=name
        )
    except auth.AuthError as exc:
        for problem in exc.problems:
            st.error(problem)
        return
    if user.approval == "pending":
        st.success("Account created. It awaits approval by an administrator: you can log in once it is approved.")
        return
    role_note = " You are the administrator." if user.role == "admin" else ""
    st.success(f"Account created: you can log in now.{role_note}")


def _request_logout() -> None:
    st.session_state[_LOGOUT_REQUEST] = True


def logout_button(location: str = "sidebar") -> None:
    """A logout button (in the sidebar by default)."""
    container = st.sidebar if location == "sidebar" else st
    container.button("Log out", key="pss_logout_button", on_click=_request_logout)


def user_badge(user: auth.SessionUser, location: str = "sidebar") -> None:
    """Who is signed in, with their role (sidebar by default)."""
    container = st.sidebar if location == "sidebar" else st
    container.caption(f"Signed in as **{esc(user.username)}** · {user.role}")
