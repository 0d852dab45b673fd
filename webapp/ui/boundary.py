"""The app's last line against tracebacks: :func:`error_boundary` around everything a page
does. An unexpected error is logged server-side with a short error id the user can quote,
and the user sees only that id; a database that cannot be reached (at start-up or later)
shows a page saying so, with a way to try again; a setting the app cannot run with
(``SettingsError``) is named, and the app goes no further. Streamlit's own stop and rerun pass
through (they are not ``Exception``)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError

from webapp.settings import SettingsError

log = logging.getLogger("pss.errors")


def new_error_id() -> str:
    """A short random id (8 hex digits) naming one logged error."""
    return uuid.uuid4().hex[:8]


def _unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (not a bad statement)."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


@contextmanager
def error_boundary() -> Iterator[None]:
    """Run the block; an unexpected error becomes a logged error id, an unreachable database
    a "cannot be reached — try again" page. Raises nothing of its own."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the boundary: nothing reaches the user as a traceback
        error_id = new_error_id()
        if isinstance(exc, SettingsError):  # names a variable, never its secret value
            log.error("error %s: the app is not configured correctly: %s", error_id, exc)
            st.error(f"The app is not configured correctly and cannot start: {str(exc).rstrip('.')}. "
                     f"Tell your administrator (error id {error_id}).")
            _no_page_list()
            return
        if _unreachable(exc):
            log.error("error %s: database unreachable: %s", error_id, exc)
            st.error("The database cannot be reached, so the app cannot show this page. "
                     f"Try again in a moment; if it persists, tell your administrator (error id {error_id}).")
        else:
            log.exception("error %s: unexpected error", error_id)
            st.error(f"Something went wrong on our side. Nothing you entered is lost. "
                     f"If it happens again, quote error id **{error_id}** to your administrator.")
        if st.button("Try again", key=f"pss_retry_{error_id}"):
            st.rerun()
        _no_page_list()


def _blank() -> None:
    """The page of an error screen: the message above is all there is."""


def _no_page_list() -> None:
    """Keep Streamlit from listing every file of ``pages/`` in the sidebar of an error screen
    (it does when a run ends before ``st.navigation``)."""
    st.navigation([st.Page(_blank, title="Production Scheduling Studio")], position="hidden")
