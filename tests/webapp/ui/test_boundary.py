"""webapp.ui.boundary: an error id instead of a traceback; an unreachable database named."""

from __future__ import annotations

import logging

from streamlit.testing.v1 import AppTest


def _raises_runtime_error():
    from webapp.ui.boundary import error_boundary

    with error_boundary():
        raise RuntimeError("secret internal detail")


def _raises_operational_error():
    from sqlalchemy.exc import OperationalError

    from webapp.ui.boundary import error_boundary

    with error_boundary():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def _stops():
    import streamlit as st

    from webapp.ui.boundary import error_boundary

    with error_boundary():
        st.write("before")
        st.stop()
    st.write("never")


def test_unexpected_error_shows_only_an_id_that_the_log_has(caplog):
    with caplog.at_level(logging.ERROR, logger="pss.errors"):
        at = AppTest.from_function(_raises_runtime_error).run()
    assert not at.exception
    text = at.error[0].value
    assert "error id" in text and "secret internal detail" not in text
    error_id = text.split("**")[1]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info[1].args == ("secret internal detail",)
    assert at.button[0].label == "Try again"


def test_unreachable_database_is_named():
    at = AppTest.from_function(_raises_operational_error).run()
    assert not at.exception
    assert "database cannot be reached" in at.error[0].value


def test_streamlit_stop_passes_through():
    at = AppTest.from_function(_stops).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["before"]
